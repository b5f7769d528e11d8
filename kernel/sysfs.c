// SPDX-License-Identifier: GPL-2.0
/*
 * Device-global settings and statistics of a bound device, for shell
 * scripts: attribute groups the driver core registers with the device
 * before the BIND uevent. One value per file; writes are root-only and a
 * bad value changes nothing.
 */
#include <linux/device.h>
#include <linux/percpu.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "vsensor.h"

static int vsensor_parse_u32(const char *buf, u32 min, u32 max, u32 *val)
{
	if (kstrtou32(buf, 0, val) || *val < min || *val > max)
		return -EINVAL;
	return 0;
}

static const char * const vsensor_xfer_modes[] = {
	[VSENSOR_XFER_AUTO] = "auto",
	[VSENSOR_XFER_PIO] = "pio",
	[VSENSOR_XFER_DMA] = "dma",
};

static ssize_t transfer_mode_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	struct vsensor_dev *vdev = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%s\n",
			  vsensor_xfer_modes[READ_ONCE(vdev->xfer_mode)]);
}

static ssize_t transfer_mode_store(struct device *dev,
				   struct device_attribute *attr,
				   const char *buf, size_t count)
{
	struct vsensor_dev *vdev = dev_get_drvdata(dev);
	int mode = sysfs_match_string(vsensor_xfer_modes, buf);

	if (mode < 0)
		return -EINVAL;
	WRITE_ONCE(vdev->xfer_mode, mode);
	return count;
}
static DEVICE_ATTR_RW(transfer_mode);

static ssize_t dma_threshold_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	struct vsensor_dev *vdev = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%u\n", READ_ONCE(vdev->dma_threshold));
}

static ssize_t dma_threshold_store(struct device *dev,
				   struct device_attribute *attr,
				   const char *buf, size_t count)
{
	struct vsensor_dev *vdev = dev_get_drvdata(dev);
	u32 val;

	if (vsensor_parse_u32(buf, 1, vdev->info.fifo_depth, &val))
		return -EINVAL;
	WRITE_ONCE(vdev->dma_threshold, val);
	return count;
}
static DEVICE_ATTR_RW(dma_threshold);

static ssize_t fifo_watermark_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	struct vsensor_dev *vdev = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%u\n", READ_ONCE(vdev->fifo_watermark));
}

static ssize_t fifo_watermark_store(struct device *dev,
				    struct device_attribute *attr,
				    const char *buf, size_t count)
{
	struct vsensor_dev *vdev = dev_get_drvdata(dev);
	u32 val;

	if (vsensor_parse_u32(buf, 1, vdev->info.fifo_depth, &val))
		return -EINVAL;
	WRITE_ONCE(vdev->fifo_watermark, val);
	vsensor_dev_update_rate(vdev);	/* reprograms the queues */
	return count;
}
static DEVICE_ATTR_RW(fifo_watermark);

static ssize_t nr_queues_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	struct vsensor_dev *vdev = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%u\n", vdev->nr_queues);
}
static DEVICE_ATTR_RO(nr_queues);

static struct attribute *vsensor_dev_attrs[] = {
	&dev_attr_transfer_mode.attr,
	&dev_attr_dma_threshold.attr,
	&dev_attr_fifo_watermark.attr,
	&dev_attr_nr_queues.attr,
	NULL,
};

static const struct attribute_group vsensor_dev_group = {
	.attrs = vsensor_dev_attrs,
};

/* statistics/: counters, like a network device's */
static u64 vsensor_dev_interrupts(struct vsensor_dev *vdev)
{
	unsigned int i, cpu;
	u64 sum = 0;

	for (i = 0; i < vdev->nr_vecs; i++)
		for_each_possible_cpu(cpu)
			sum += *per_cpu_ptr(vdev->vecs[i].top, cpu);
	return sum;
}

struct vsensor_stat_attr {
	struct device_attribute attr;
	size_t offset;		/* of an atomic64_t in vsensor_dev_stats */
};

static ssize_t vsensor_stat_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	struct vsensor_stat_attr *sa = container_of(attr, struct vsensor_stat_attr,
						    attr);
	struct vsensor_dev *vdev = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%lld\n",
			  atomic64_read((atomic64_t *)((char *)&vdev->stats +
						       sa->offset)));
}

#define VSENSOR_STAT_ATTR(_name) \
	struct vsensor_stat_attr dev_attr_stat_##_name = { \
		.attr = { \
			.attr = { .name = #_name, .mode = 0444 }, \
			.show = vsensor_stat_show, \
		}, \
		.offset = offsetof(struct vsensor_dev_stats, _name), \
	}

static VSENSOR_STAT_ATTR(pio_transfers);
static VSENSOR_STAT_ATTR(pio_records);
static VSENSOR_STAT_ATTR(dma_transfers);
static VSENSOR_STAT_ATTR(dma_records);
static VSENSOR_STAT_ATTR(headroom_records);
static VSENSOR_STAT_ATTR(overruns);
static VSENSOR_STAT_ATTR(iommu_faults);

static ssize_t interrupts_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n",
			  vsensor_dev_interrupts(dev_get_drvdata(dev)));
}
static DEVICE_ATTR_RO(interrupts);

static struct attribute *vsensor_stat_attrs[] = {
	&dev_attr_interrupts.attr,
	&dev_attr_stat_pio_transfers.attr.attr,
	&dev_attr_stat_pio_records.attr.attr,
	&dev_attr_stat_dma_transfers.attr.attr,
	&dev_attr_stat_dma_records.attr.attr,
	&dev_attr_stat_headroom_records.attr.attr,
	&dev_attr_stat_overruns.attr.attr,
	&dev_attr_stat_iommu_faults.attr.attr,
	NULL,
};

static const struct attribute_group vsensor_stat_group = {
	.name = "statistics",
	.attrs = vsensor_stat_attrs,
};

const struct attribute_group *vsensor_dev_groups[] = {
	&vsensor_dev_group,
	&vsensor_stat_group,
	NULL,
};
