// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs: /sys/kernel/debug/vsensor/vsensorN/ holds the debug knobs (a
 * late bottom half, headroom draining), the measured PIO/DMA costs, the
 * per-CPU counts of each vector's halves, the IOMMU guard page and the
 * model's fault injection.
 */
#include <linux/debugfs.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>
#include <linux/string.h>

#include "vsensor.h"

static struct dentry *vsensor_debugfs_root;

/* One line per vector: name virq top <per CPU> bottom <per CPU> */
static int vsensor_vectors_show(struct seq_file *m, void *unused)
{
	struct vsensor_dev *vdev = m->private;
	unsigned int i, cpu;

	for (i = 0; i < vdev->nr_vecs; i++) {
		const struct vsensor_vec *vec = &vdev->vecs[i];

		seq_printf(m, "%s %u top", vec->name, vec->virq);
		for_each_possible_cpu(cpu)
			seq_printf(m, " %llu", *per_cpu_ptr(vec->top, cpu));
		seq_puts(m, " bottom");
		for_each_possible_cpu(cpu)
			seq_printf(m, " %llu", *per_cpu_ptr(vec->bottom, cpu));
		seq_putc(m, '\n');
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vsensor_vectors);

/* 1 while no byte of the guard page changed, else 0. */
static int vsensor_guard_intact_show(struct seq_file *m, void *unused)
{
	struct vsensor_dev *vdev = m->private;

	seq_printf(m, "%d\n", !memchr_inv(page_address(vdev->guard),
					  VSENSOR_GUARD_BYTE, PAGE_SIZE));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vsensor_guard_intact);

void vsensor_dev_debugfs_init(struct vsensor_dev *vdev)
{
	struct dentry *dir;

	dir = debugfs_create_dir(vdev->name, vsensor_debugfs_root);
	vdev->debugfs = dir;
	debugfs_create_u32("bh_delay_us", 0600, dir, &vdev->bh_delay_us);
	debugfs_create_bool("headroom", 0600, dir, &vdev->headroom);
	debugfs_create_u32("headroom_mark", 0600, dir, &vdev->headroom_mark);
	debugfs_create_u32("headroom_budget", 0600, dir,
			   &vdev->headroom_budget);
	debugfs_create_u64("pio_record_ns", 0400, dir, &vdev->pio_record_ns);
	debugfs_create_u64("dma_transfer_ns", 0400, dir,
			   &vdev->dma_transfer_ns);
	debugfs_create_file("vectors", 0400, dir, vdev, &vsensor_vectors_fops);
	debugfs_create_x64("guard_iova", 0400, dir, &vdev->guard_iova);
	debugfs_create_file("guard_intact", 0400, dir, vdev,
			    &vsensor_guard_intact_fops);
	vsensor_hw_debugfs(vdev->hw, dir);
}

void vsensor_dev_debugfs_exit(struct vsensor_dev *vdev)
{
	debugfs_remove_recursive(vdev->debugfs);
	vdev->debugfs = NULL;
}

void vsensor_debugfs_init(void)
{
	vsensor_debugfs_root = debugfs_create_dir(VSENSOR_NAME, NULL);
}

void vsensor_debugfs_exit(void)
{
	debugfs_remove_recursive(vsensor_debugfs_root);
}
