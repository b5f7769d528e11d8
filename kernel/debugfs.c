// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs: /sys/kernel/debug/vsensor/vsensorN/ holds a register dump, the
 * debug knobs (a late bottom half, headroom draining, the top half's fast
 * path), the measured PIO/DMA costs, the per-CPU counts of each vector's
 * halves and the bottom half's time, the IOMMU guard page and the model's
 * fault injection.
 */
#include <linux/debugfs.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>
#include <linux/string.h>

#include "vsensor.h"

static struct dentry *vsensor_debugfs_root;

struct vsensor_debugfs_reg {
	const char *name;
	u32 reg;
};

/* Registers without side effects on read (not Q_LOST, not Q_DATA). */
static const struct vsensor_debugfs_reg vsensor_debugfs_regs[] = {
	{ "ID", VSN_REG_ID },
	{ "VERSION", VSN_REG_VERSION },
	{ "POWER", VSN_REG_POWER },
	{ "CTRL", VSN_REG_CTRL },
	{ "STATUS", VSN_REG_STATUS },
	{ "RATE", VSN_REG_RATE },
	{ "CHANNELS", VSN_REG_CHANNELS },
	{ "FIFO_DEPTH", VSN_REG_FIFO_DEPTH },
	{ "IRQ_STATUS", VSN_REG_IRQ_STATUS },
	{ "IRQ_MASK", VSN_REG_IRQ_MASK },
	{ "RATE_MAX", VSN_REG_RATE_MAX },
	{ "TX_DEPTH", VSN_REG_TX_DEPTH },
	{ "TX_LEVEL", VSN_REG_TX_LEVEL },
	{ "WAVEFORM", VSN_REG_WAVEFORM },
	{ "AMPLITUDE", VSN_REG_AMPLITUDE },
	{ "FREQUENCY", VSN_REG_FREQUENCY },
	{ "NR_QUEUES", VSN_REG_NR_QUEUES },
	{ "IOMMU_FAULTS", VSN_REG_IOMMU_FAULTS },
	{ "FAULT_IOVA_LO", VSN_REG_FAULT_IOVA_LO },
	{ "FAULT_IOVA_HI", VSN_REG_FAULT_IOVA_HI },
};

static const struct vsensor_debugfs_reg vsensor_debugfs_qregs[] = {
	{ "CTRL", VSN_Q_CTRL },
	{ "LEVEL", VSN_Q_LEVEL },
	{ "WM", VSN_Q_WM },
	{ "STATUS", VSN_Q_STATUS },
	{ "MASK", VSN_Q_MASK },
	{ "DESC_LO", VSN_Q_DESC_LO },
	{ "DESC_HI", VSN_Q_DESC_HI },
	{ "DESC_COUNT", VSN_Q_DESC_COUNT },
	{ "DMA_DONE", VSN_Q_DMA_DONE },
	{ "DMA_STATUS", VSN_Q_DMA_STATUS },
};

static void vsensor_debugfs_reg_line(struct seq_file *m,
				     struct vsensor_dev *vdev, u32 reg,
				     const char *prefix, const char *name)
{
	seq_printf(m, "0x%03x %s%-13s 0x%08x\n", reg, prefix, name,
		   vsensor_dev_read(vdev, reg));
}

/* One line per register: offset, name, value (read through the bus). */
static int vsensor_debugfs_registers_show(struct seq_file *m, void *unused)
{
	struct vsensor_dev *vdev = m->private;
	const struct vsensor_debugfs_reg *r;
	char prefix[8];
	unsigned int q;
	size_t i;
	int err;

	/* a dump of a suspended device wakes it: D3 answers nothing */
	err = vsensor_dev_pm_get(vdev);
	if (err)
		return err;
	mutex_lock(&vdev->cfg_lock);
	for (i = 0; vsensor_dev_present(vdev) && i < ARRAY_SIZE(vsensor_debugfs_regs); i++) {
		r = &vsensor_debugfs_regs[i];
		vsensor_debugfs_reg_line(m, vdev, r->reg, "", r->name);
	}
	for (q = 0; vsensor_dev_present(vdev) && q < vdev->nr_queues; q++) {
		snprintf(prefix, sizeof(prefix), "Q%u_", q);
		for (i = 0; i < ARRAY_SIZE(vsensor_debugfs_qregs); i++) {
			r = &vsensor_debugfs_qregs[i];
			vsensor_debugfs_reg_line(m, vdev,
						 VSN_REG_QUEUE(q) + r->reg,
						 prefix, r->name);
		}
	}
	mutex_unlock(&vdev->cfg_lock);
	vsensor_dev_pm_put(vdev);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vsensor_debugfs_registers);

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

/*
 * One line per queue: "qN size S used U latency_us L", the top half's
 * stash and the bottom half's recent latency it is sized from.
 */
static int vsensor_stash_show(struct seq_file *m, void *unused)
{
	struct vsensor_dev *vdev = m->private;
	struct vsensor_queue *q;
	u32 size, used;
	unsigned int i;

	for (i = 0; i < vdev->nr_queues; i++) {
		q = &vdev->queues[i];
		spin_lock_irq(&q->lock);
		size = q->stash_size;
		used = q->stash_head - q->stash_tail;
		spin_unlock_irq(&q->lock);
		seq_printf(m, "q%u size %u used %u latency_us %llu\n", i, size,
			   used, div_u64(READ_ONCE(q->bh_latency_ns),
					 NSEC_PER_USEC));
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vsensor_stash);

/*
 * One line per queue: "qN runs R ns T fast F headroom_dma D", the bottom
 * half's runs and their total wall time (the debug delay included), the
 * records top halves delivered themselves (the fast path) and those they
 * set aside by DMA. Timing it here rather than
 * with the function_graph tracer spares the kernel the live code patching
 * of turning a tracer on and off under a busy thread.
 */
static int vsensor_bottom_half_show(struct seq_file *m, void *unused)
{
	struct vsensor_dev *vdev = m->private;
	unsigned int i;

	for (i = 0; i < vdev->nr_queues; i++)
		seq_printf(m, "q%u runs %llu ns %llu fast %llu headroom_dma %llu\n",
			   i, READ_ONCE(vdev->queues[i].bh_runs),
			   READ_ONCE(vdev->queues[i].bh_ns),
			   READ_ONCE(vdev->queues[i].fast_records),
			   READ_ONCE(vdev->queues[i].headroom_dma_records));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vsensor_bottom_half);

/* 1 while no byte of the guard page changed, else 0. */
static int vsensor_guard_intact_show(struct seq_file *m, void *unused)
{
	struct vsensor_dev *vdev = m->private;

	seq_printf(m, "%d\n", !memchr_inv(page_address(vdev->guard),
					  VSENSOR_GUARD_BYTE, PAGE_SIZE));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vsensor_guard_intact);

/*
 * Write N: the device's next N DMA transfers write their first record to
 * the guard page's stale IOVA (DBG_DMA_* registers, hw.h), which the
 * IOMMU must block: the model's window, or the kernel's on PCI.
 */
static ssize_t vsensor_inject_guard_write(struct file *file,
					  const char __user *buf,
					  size_t count, loff_t *ppos)
{
	struct vsensor_dev *vdev = file->private_data;
	u32 n;
	int err;

	err = kstrtou32_from_user(buf, count, 0, &n);
	if (err)
		return err;
	err = vsensor_dev_pm_get(vdev);
	if (err)
		return err;
	mutex_lock(&vdev->cfg_lock);
	if (vsensor_dev_present(vdev)) {
		vsensor_dev_write(vdev, VSN_REG_DBG_DMA_IOVA_LO,
				  lower_32_bits(vdev->guard_iova));
		vsensor_dev_write(vdev, VSN_REG_DBG_DMA_IOVA_HI,
				  upper_32_bits(vdev->guard_iova));
		vsensor_dev_write(vdev, VSN_REG_DBG_DMA_FAULTS, n);
	} else {
		err = -ENODEV;
	}
	mutex_unlock(&vdev->cfg_lock);
	vsensor_dev_pm_put(vdev);
	return err ?: count;
}

/* signed: the device clock may be ahead of CLOCK_MONOTONIC */
static int vsensor_clock_offset_get(void *data, u64 *val)
{
	struct vsensor_dev *vdev = data;

	*val = READ_ONCE(vdev->clock_offset_ns);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(vsensor_clock_offset_fops, vsensor_clock_offset_get,
			 NULL, "%lld\n");

static const struct file_operations vsensor_inject_guard_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = vsensor_inject_guard_write,
	.llseek = no_llseek,
};

void vsensor_debugfs_dev_add(struct vsensor_dev *vdev)
{
	struct dentry *dir;

	dir = debugfs_create_dir(vdev->name, vsensor_debugfs_root);
	vdev->debugfs = dir;
	debugfs_create_file("registers", 0400, dir, vdev,
			    &vsensor_debugfs_registers_fops);
	debugfs_create_u32("bh_delay_us", 0600, dir, &vdev->bh_delay_us);
	debugfs_create_bool("headroom", 0600, dir, &vdev->headroom);
	debugfs_create_bool("irq_fast", 0600, dir, &vdev->irq_fast);
	debugfs_create_u32("headroom_mark", 0600, dir, &vdev->headroom_mark);
	debugfs_create_u32("headroom_budget", 0600, dir,
			   &vdev->headroom_budget);
	debugfs_create_file("headroom_stash", 0400, dir, vdev,
			    &vsensor_stash_fops);
	debugfs_create_u64("pio_record_ns", 0400, dir, &vdev->pio_record_ns);
	debugfs_create_u64("dma_transfer_ns", 0400, dir,
			   &vdev->dma_transfer_ns);
	debugfs_create_file("vectors", 0400, dir, vdev, &vsensor_vectors_fops);
	debugfs_create_file("bottom_half", 0400, dir, vdev,
			    &vsensor_bottom_half_fops);
	debugfs_create_x64("guard_iova", 0400, dir, &vdev->guard_iova);
	debugfs_create_file("guard_intact", 0400, dir, vdev,
			    &vsensor_guard_intact_fops);
	debugfs_create_file("inject_guard_faults", 0200, dir, vdev,
			    &vsensor_inject_guard_fops);
	debugfs_create_file_unsafe("clock_offset_ns", 0400, dir, vdev,
				   &vsensor_clock_offset_fops);
	debugfs_create_u64("clock_window_ns", 0400, dir,
			   &vdev->clock_window_ns);
	if (vdev->backend->debugfs)
		vdev->backend->debugfs(vdev, dir);
}

/* After this returns no file of the directory is being read. */
void vsensor_debugfs_dev_del(struct vsensor_dev *vdev)
{
	debugfs_remove(vdev->debugfs);
	vdev->debugfs = NULL;
}

struct dentry *vsensor_debugfs_dev_dir(struct vsensor_dev *vdev)
{
	return vdev->debugfs;
}

void vsensor_debugfs_init(void)
{
	vsensor_debugfs_root = debugfs_create_dir(VSENSOR_NAME, NULL);
}

void vsensor_debugfs_exit(void)
{
	debugfs_remove(vsensor_debugfs_root);
}
