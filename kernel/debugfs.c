// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs: /sys/kernel/debug/vsensor/vsensorN/ per bound device, with a
 * register dump. Other files (fault injection, ...) go into the directory
 * vsensor_debugfs_dev_dir() returns.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "vsensor.h"

static struct dentry *vsensor_debugfs_root;

struct vsensor_debugfs_reg {
	const char *name;
	u32 reg;
};

/* FIFO_LOST (clear on read), FIFO_DATA (pops) and TX_DATA (WO) are left out. */
static const struct vsensor_debugfs_reg vsensor_debugfs_regs[] = {
	{ "ID", VSN_REG_ID },
	{ "VERSION", VSN_REG_VERSION },
	{ "CTRL", VSN_REG_CTRL },
	{ "STATUS", VSN_REG_STATUS },
	{ "RATE", VSN_REG_RATE },
	{ "CHANNELS", VSN_REG_CHANNELS },
	{ "FIFO_DEPTH", VSN_REG_FIFO_DEPTH },
	{ "FIFO_LEVEL", VSN_REG_FIFO_LEVEL },
	{ "FIFO_WM", VSN_REG_FIFO_WM },
	{ "IRQ_STATUS", VSN_REG_IRQ_STATUS },
	{ "IRQ_MASK", VSN_REG_IRQ_MASK },
	{ "RATE_MAX", VSN_REG_RATE_MAX },
	{ "TX_DEPTH", VSN_REG_TX_DEPTH },
	{ "TX_LEVEL", VSN_REG_TX_LEVEL },
	{ "WAVEFORM", VSN_REG_WAVEFORM },
	{ "AMPLITUDE", VSN_REG_AMPLITUDE },
	{ "FREQUENCY", VSN_REG_FREQUENCY },
};

static int vsensor_debugfs_registers_show(struct seq_file *m, void *unused)
{
	struct vsensor_dev *vdev = m->private;
	const struct vsensor_debugfs_reg *r;
	size_t i;

	mutex_lock(&vdev->cfg_lock);
	for (i = 0; vdev->hw && i < ARRAY_SIZE(vsensor_debugfs_regs); i++) {
		r = &vsensor_debugfs_regs[i];
		seq_printf(m, "0x%02x %-12s 0x%08x\n", r->reg, r->name,
			   vsensor_hw_readl(vdev->hw, r->reg));
	}
	mutex_unlock(&vdev->cfg_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vsensor_debugfs_registers);

void vsensor_debugfs_dev_add(struct vsensor_dev *vdev)
{
	vdev->debugfs = debugfs_create_dir(vdev->name, vsensor_debugfs_root);
	debugfs_create_file("registers", 0400, vdev->debugfs, vdev,
			    &vsensor_debugfs_registers_fops);
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
