// SPDX-License-Identifier: GPL-2.0
/*
 * The driver's sysfs attributes of a bound device, one value per file:
 * the backend's groups, which bind adds before the node is registered, so
 * that they exist before the node's KOBJ_ADD uevent (udev reads them) and
 * the KOBJ_BIND one. The bus's own attributes (model, serial, ...) are in
 * bus.c; a PCI device has them from here (vsensor_pci_dev_groups). Every
 * attribute is documented in docs/ABI/testing/sysfs-bus-vsensor.
 */
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/string.h>

#include "vsensor.h"

/* Longest write a setting accepts: a u32 in decimal or a waveform name. */
#define VSENSOR_SETTING_MAX_LEN	16

static struct vsensor_dev *vsensor_sysfs_dev(struct device *dev)
{
	return dev_get_drvdata(dev);
}

static ssize_t firmware_version_show(struct device *dev,
				     struct device_attribute *attr, char *buf)
{
	/* read at probe: a query does not wake a suspended device */
	u32 v = vsensor_sysfs_dev(dev)->fw_version;

	return sysfs_emit(buf, "%u.%u.%u\n", v >> 24, (v >> 16) & 0xff,
			  v & 0xffff);
}
static DEVICE_ATTR_RO(firmware_version);

static ssize_t online_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(vsensor_sysfs_dev(dev)->online));
}
static DEVICE_ATTR_RO(online);

static ssize_t sessions_open_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n",
			  vsensor_dev_nr_sessions(vsensor_sysfs_dev(dev)));
}
static DEVICE_ATTR_RO(sessions_open);

/* A setting of the table in settings.c, as a file. */
struct vsensor_setting_attr {
	struct device_attribute attr;
	unsigned int idx;
};

#define to_setting(a) \
	(&vsensor_settings[container_of(a, struct vsensor_setting_attr, attr)->idx])

static ssize_t vsensor_setting_show(struct device *dev,
				    struct device_attribute *attr, char *buf)
{
	const struct vsensor_setting *set = to_setting(attr);
	unsigned int idx = set - vsensor_settings;
	u32 val;
	int err;

	err = vsensor_setting_get(vsensor_sysfs_dev(dev), idx, &val);
	if (err)
		return err;
	if (set->names && val >= set->min && val <= set->max)
		return sysfs_emit(buf, "%s\n", set->names[val - set->min]);
	return sysfs_emit(buf, "%u\n", val);
}

/* Parse a written value: a name for enumerations, else decimal; in range. */
static int vsensor_setting_parse(const struct vsensor_setting *set,
				 const char *buf, size_t count, u32 *val)
{
	int i;

	if (!count || count > VSENSOR_SETTING_MAX_LEN)
		return -EINVAL;
	if (set->names) {
		i = __sysfs_match_string(set->names, -1, buf);
		if (i < 0)
			return -EINVAL;
		*val = set->min + i;
		return 0;
	}
	/* kstrtou32 gives -ERANGE on overflow: every bad write is -EINVAL */
	if (kstrtou32(buf, 10, val) || *val < set->min || *val > set->max)
		return -EINVAL;
	return 0;
}

static ssize_t vsensor_setting_store(struct device *dev,
				     struct device_attribute *attr,
				     const char *buf, size_t count)
{
	const struct vsensor_setting *set = to_setting(attr);
	u32 val[VSENSOR_NR_SETTINGS] = { 0 };
	unsigned int idx = set - vsensor_settings;
	int err;

	err = vsensor_setting_parse(set, buf, count, &val[idx]);
	if (err)
		return err;
	err = vsensor_settings_apply(vsensor_sysfs_dev(dev), val, BIT(idx));
	return err ?: count;
}

#define VSENSOR_SETTING_ATTR(_name, _idx) \
	static struct vsensor_setting_attr dev_attr_##_name = { \
		.attr = __ATTR(_name, 0644, vsensor_setting_show, \
			       vsensor_setting_store), \
		.idx = _idx, \
	}

VSENSOR_SETTING_ATTR(waveform, VSENSOR_SET_WAVEFORM);
VSENSOR_SETTING_ATTR(amplitude, VSENSOR_SET_AMPLITUDE);
VSENSOR_SETTING_ATTR(frequency_mhz, VSENSOR_SET_FREQUENCY);

/* The data path's settings: transfer mode, DMA threshold, watermark. */
static int vsensor_parse_u32(const char *buf, u32 min, u32 max, u32 *val)
{
	if (kstrtou32(buf, 10, val) || *val < min || *val > max)
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
	&dev_attr_firmware_version.attr,
	&dev_attr_online.attr,
	&dev_attr_sessions_open.attr,
	&dev_attr_waveform.attr.attr,
	&dev_attr_amplitude.attr.attr,
	&dev_attr_frequency_mhz.attr.attr,
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
static VSENSOR_STAT_ATTR(dma_late);
static VSENSOR_STAT_ATTR(headroom_records);
static VSENSOR_STAT_ATTR(overruns);
static VSENSOR_STAT_ATTR(iommu_faults);
static VSENSOR_STAT_ATTR(bad_records);

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
	&dev_attr_stat_dma_late.attr.attr,
	&dev_attr_stat_headroom_records.attr.attr,
	&dev_attr_stat_overruns.attr.attr,
	&dev_attr_stat_iommu_faults.attr.attr,
	&dev_attr_stat_bad_records.attr.attr,
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

/*
 * What the vsensor bus's own attributes say of a model device, for a
 * device on a bus that has none of them (PCI), so that userspace reads
 * one set of files whatever the backend. From memory: a query does not
 * wake a suspended device.
 */
static ssize_t model_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%s\n", vsensor_sysfs_dev(dev)->info.model);
}
static DEVICE_ATTR_RO(model);

static ssize_t serial_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%s\n", vsensor_sysfs_dev(dev)->info.serial);
}
static DEVICE_ATTR_RO(serial);

static ssize_t channels_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "%u\n", vsensor_sysfs_dev(dev)->info.nr_channels);
}
static DEVICE_ATTR_RO(channels);

static ssize_t fifo_depth_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", vsensor_sysfs_dev(dev)->info.fifo_depth);
}
static DEVICE_ATTR_RO(fifo_depth);

static ssize_t sample_rate_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	/* what the RATE register holds */
	return sysfs_emit(buf, "%u\n", READ_ONCE(vsensor_sysfs_dev(dev)->rate));
}
static DEVICE_ATTR_RO(sample_rate);

static ssize_t sample_rate_max_show(struct device *dev,
				    struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", vsensor_sysfs_dev(dev)->info.rate_max_hz);
}
static DEVICE_ATTR_RO(sample_rate_max);

static struct attribute *vsensor_ident_attrs[] = {
	&dev_attr_model.attr,
	&dev_attr_serial.attr,
	&dev_attr_channels.attr,
	&dev_attr_fifo_depth.attr,
	&dev_attr_sample_rate.attr,
	&dev_attr_sample_rate_max.attr,
	NULL,
};

static const struct attribute_group vsensor_ident_group = {
	.attrs = vsensor_ident_attrs,
};

const struct attribute_group *vsensor_pci_dev_groups[] = {
	&vsensor_dev_group,
	&vsensor_stat_group,
	&vsensor_ident_group,
	NULL,
};
