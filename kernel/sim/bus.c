// SPDX-License-Identifier: GPL-2.0
/*
 * The vsensor bus: device slots that carry a model id and their hardware,
 * matched to the driver's id table by model id, as a firmware table would
 * describe them. Slots are created at load (nr_devices, sim/main.c) and
 * at run time through /sys/bus/vsensor/new_device and del_device (the
 * netdevsim model) or the driver's netlink commands.
 */
#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/module.h>
#include <linux/pm_runtime.h>
#include <linux/ctype.h>
#include <linux/slab.h>
#include <linux/wait.h>

#include "fault.h"
#include "bus.h"
#include "vsn-core.h"

/* Where the slots' register windows appear in the (simulated) bus space. */
#define VSENSOR_BUS_MMIO_BASE	0xfe000000ULL
#define VSENSOR_BUS_MMIO_STRIDE	0x1000ULL

static unsigned int nr_queues;
module_param(nr_queues, uint, 0644);
MODULE_PARM_DESC(nr_queues,
		 "data queues of devices created from now on (0: one per CPU, at most 8)");

static struct device *vsensor_root;

/* protects vsensor_bus_devs: the slots that exist, by id */
static DEFINE_MUTEX(vsensor_bus_lock);
static LIST_HEAD(vsensor_bus_devs);

/* counts slots whose release() has not run yet; module exit waits for 0 */
static atomic_t vsensor_bus_live = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(vsensor_bus_release_wq);

static ssize_t model_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%s\n", to_vsensor_bus_dev(dev)->model);
}
static DEVICE_ATTR_RO(model);

static ssize_t serial_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%s\n", to_vsensor_bus_dev(dev)->serial);
}
static DEVICE_ATTR_RO(serial);

/* Attributes that are plain hardware registers. */
struct vsensor_reg_attr {
	struct device_attribute attr;
	u32 reg;
};

static ssize_t vsensor_reg_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	struct vsensor_reg_attr *ra = container_of(attr, struct vsensor_reg_attr,
						   attr);
	u32 val;

	/*
	 * Through the bus, like a PCI BAR read from sysfs: the device is
	 * resumed first if a driver suspended it (without one, runtime PM
	 * is off and the device is in D0).
	 */
	pm_runtime_get_sync(dev);
	val = vsensor_hw_readl(to_vsensor_bus_dev(dev)->hw, ra->reg);
	pm_runtime_put(dev);
	return sysfs_emit(buf, "%u\n", val);
}

#define VSENSOR_REG_ATTR(_name, _reg) \
	struct vsensor_reg_attr dev_attr_##_name = { \
		.attr = __ATTR(_name, 0444, vsensor_reg_show, NULL), \
		.reg = _reg, \
	}

static VSENSOR_REG_ATTR(channels, VSN_REG_CHANNELS);
static VSENSOR_REG_ATTR(fifo_depth, VSN_REG_FIFO_DEPTH);
static VSENSOR_REG_ATTR(sample_rate, VSN_REG_RATE);
static VSENSOR_REG_ATTR(sample_rate_max, VSN_REG_RATE_MAX);

/* The power state, from the one register D3 answers: it wakes nothing. */
static ssize_t power_state_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	u32 p = vsensor_hw_readl(to_vsensor_bus_dev(dev)->hw, VSN_REG_POWER);

	return sysfs_emit(buf, "D%u\n", p);
}
static DEVICE_ATTR_RO(power_state);

/* Register accesses the device refused in D3: each one a driver bug. */
static ssize_t d3_accesses_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n",
			  vsensor_hw_d3_accesses(to_vsensor_bus_dev(dev)->hw));
}
static DEVICE_ATTR_RO(d3_accesses);

static struct attribute *vsensor_bus_dev_attrs[] = {
	&dev_attr_model.attr,
	&dev_attr_power_state.attr,
	&dev_attr_d3_accesses.attr,
	&dev_attr_serial.attr,
	&dev_attr_channels.attr.attr,
	&dev_attr_fifo_depth.attr.attr,
	&dev_attr_sample_rate.attr.attr,
	&dev_attr_sample_rate_max.attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(vsensor_bus_dev);

static void vsensor_bus_dev_release(struct device *dev)
{
	struct vsensor_bus_dev *bdev = to_vsensor_bus_dev(dev);

	vsensor_hw_destroy(bdev->hw);
	vsensor_irq_vecs_free(bdev->vecs, bdev->nr_vecs);
	kfree(bdev);
	if (atomic_dec_and_test(&vsensor_bus_live))
		wake_up(&vsensor_bus_release_wq);
}

static const struct device_type vsensor_bus_dev_type = {
	.groups = vsensor_bus_dev_groups,
	.release = vsensor_bus_dev_release,
};

static int vsensor_bus_uevent(struct device *dev, struct kobj_uevent_env *env)
{
	const struct vsensor_bus_dev *bdev = to_vsensor_bus_dev(dev);

	return add_uevent_var(env, "VSENSOR_SERIAL=%s", bdev->serial) ?:
	       add_uevent_var(env, "VSENSOR_MODEL=%s", bdev->model) ?:
	       add_uevent_var(env, "MODALIAS=vsensor:%s", bdev->model);
}

static int vsensor_bus_match(struct device *dev, struct device_driver *drv)
{
	const struct vsensor_device_id *id = to_vsensor_driver(drv)->id_table;

	if (dev->type != &vsensor_bus_dev_type)
		return 0;
	for (; id && id->model[0]; id++)
		if (!strcmp(to_vsensor_bus_dev(dev)->model, id->model))
			return 1;
	return 0;
}

/* Longest line new_device takes: "ID SERIAL\n" with the longest of both. */
#define VSENSOR_NEW_DEVICE_MAX	(10 + 1 + VSENSOR_SERIAL_LEN)

/* A serial: 1 to VSENSOR_SERIAL_LEN - 1 of [A-Za-z0-9_-]. */
bool vsensor_serial_valid(const char *serial)
{
	size_t len = strlen(serial);
	size_t i;

	if (!len || len >= VSENSOR_SERIAL_LEN)
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum(serial[i]) && serial[i] != '-' && serial[i] != '_')
			return false;
	return true;
}
EXPORT_SYMBOL_NS_GPL(vsensor_serial_valid, VSENSOR_SIM);

/* A device id in decimal, 0..VSENSOR_DEV_ID_MAX; any error is -EINVAL. */
static int vsensor_bus_parse_id(const char *s, u32 *id)
{
	if (!isdigit(*s) || kstrtou32(s, 10, id) || *id > VSENSOR_DEV_ID_MAX)
		return -EINVAL;
	return 0;
}

/* "ID" or "ID SERIAL", one space, an optional trailing newline. */
static ssize_t new_device_store(struct bus_type *bus, const char *buf,
				size_t count)
{
	char line[VSENSOR_NEW_DEVICE_MAX + 1];
	struct vsensor_bus_dev *bdev;
	char *serial;
	u32 id;
	int err;

	if (!count || count > VSENSOR_NEW_DEVICE_MAX)
		return -EINVAL;
	memcpy(line, buf, count);
	line[count] = '\0';
	if (line[count - 1] == '\n')
		line[count - 1] = '\0';
	serial = strchr(line, ' ');
	if (serial) {
		*serial++ = '\0';
		if (!vsensor_serial_valid(serial))
			return -EINVAL;
	}
	err = vsensor_bus_parse_id(line, &id);
	if (err)
		return err;
	bdev = vsensor_bus_dev_new(id, serial);
	return IS_ERR(bdev) ? PTR_ERR(bdev) : count;
}
static BUS_ATTR_WO(new_device);

static ssize_t del_device_store(struct bus_type *bus, const char *buf,
				size_t count)
{
	char line[12];
	u32 id;
	int err;

	if (!count || count >= sizeof(line))
		return -EINVAL;
	memcpy(line, buf, count);
	line[count] = '\0';
	if (line[count - 1] == '\n')
		line[count - 1] = '\0';
	err = vsensor_bus_parse_id(line, &id) ?: vsensor_bus_dev_del(id);
	return err ?: count;
}
static BUS_ATTR_WO(del_device);

static struct attribute *vsensor_bus_attrs[] = {
	&bus_attr_new_device.attr,
	&bus_attr_del_device.attr,
	NULL,
};
ATTRIBUTE_GROUPS(vsensor_bus);

/* Probe through the bus, so that new_device can report a failed probe. */
static int vsensor_bus_probe(struct device *dev)
{
	int err = to_vsensor_driver(dev->driver)->probe(dev);

	to_vsensor_bus_dev(dev)->probe_err = err;
	return err;
}

static void vsensor_bus_remove(struct device *dev)
{
	to_vsensor_driver(dev->driver)->remove(dev);
}

struct bus_type vsensor_bus_type = {
	.name = VSENSOR_NAME,
	.match = vsensor_bus_match,
	.probe = vsensor_bus_probe,
	.remove = vsensor_bus_remove,
	.uevent = vsensor_bus_uevent,
	.bus_groups = vsensor_bus_groups,
};
EXPORT_SYMBOL_NS_GPL(vsensor_bus_type, VSENSOR_SIM);

static struct vsensor_bus_dev *__vsensor_bus_dev_find(u32 id)
{
	struct vsensor_bus_dev *bdev;

	lockdep_assert_held(&vsensor_bus_lock);
	list_for_each_entry(bdev, &vsensor_bus_devs, node)
		if (bdev->id == id)
			return bdev;
	return NULL;
}

static const char * const vsensor_bus_vec_names[] = {
	"q0", "q1", "q2", "q3", "q4", "q5", "q6", "q7", "tx", "err",
};

/*
 * The hardware of a slot and what a firmware table would say about it:
 * the register window, then the interrupt vectors (data queues, transmit,
 * error), as resources the driver takes at probe.
 */
static int vsensor_bus_dev_hw_create(struct vsensor_bus_dev *bdev)
{
	unsigned int nq = READ_ONCE(nr_queues) ?: num_online_cpus();
	resource_size_t base;
	unsigned int i;

	nq = min_t(unsigned int, nq, VSN_MAX_QUEUES);
	bdev->nr_vecs = VSN_NR_VECTORS(nq);
	bdev->vecs = vsensor_irq_vecs_alloc(bdev->nr_vecs);
	if (IS_ERR(bdev->vecs))
		return PTR_ERR(bdev->vecs);
	bdev->hw = vsensor_hw_create(&bdev->dev, bdev->serial,
				     VSN1000_CHANNELS,
				     VSN1000_FIFO_DEPTH, VSN1000_RATE_MAX,
				     nq, bdev->vecs);
	if (IS_ERR(bdev->hw)) {
		vsensor_irq_vecs_free(bdev->vecs, bdev->nr_vecs);
		return PTR_ERR(bdev->hw);
	}

	base = VSENSOR_BUS_MMIO_BASE + bdev->id * VSENSOR_BUS_MMIO_STRIDE;
	bdev->res[0] = (struct resource)DEFINE_RES_MEM_NAMED(base,
				VSN_REG_WINDOW_SIZE(nq), "regs");
	for (i = 0; i < bdev->nr_vecs; i++) {
		unsigned int name = i < nq ? i : VSN_MAX_QUEUES + i - nq;
		unsigned int virq =
			vsensor_irq_vec_virq(vsensor_irq_vec(bdev->vecs, i));

		bdev->res[1 + i] = (struct resource)DEFINE_RES_IRQ_NAMED(virq,
					vsensor_bus_vec_names[name]);
	}
	bdev->nr_res = 1 + bdev->nr_vecs;
	return 0;
}

/* Like platform_get_resource(): the @num'th resource of @type. */
struct resource *vsensor_bus_get_resource(struct vsensor_bus_dev *bdev,
					  unsigned long type, unsigned int num)
{
	unsigned int i;

	for (i = 0; i < bdev->nr_res; i++)
		if (resource_type(&bdev->res[i]) == type && !num--)
			return &bdev->res[i];
	return NULL;
}
EXPORT_SYMBOL_NS_GPL(vsensor_bus_get_resource, VSENSOR_SIM);

/* Like ioremap(): the window handle for a register resource of @bdev. */
struct vsensor_hw *vsensor_bus_ioremap(struct vsensor_bus_dev *bdev,
				       const struct resource *res)
{
	if (res != &bdev->res[0] || resource_type(res) != IORESOURCE_MEM)
		return NULL;
	return bdev->hw;
}
EXPORT_SYMBOL_NS_GPL(vsensor_bus_ioremap, VSENSOR_SIM);

static bool __vsensor_bus_serial_used(const char *serial)
{
	struct vsensor_bus_dev *bdev;

	lockdep_assert_held(&vsensor_bus_lock);
	list_for_each_entry(bdev, &vsensor_bus_devs, node)
		if (!strcmp(bdev->serial, serial))
			return true;
	return false;
}

/* A new slot; -EEXIST if the id or the serial is taken. */
static struct vsensor_bus_dev *__vsensor_bus_dev_new(u32 id,
						     const char *serial)
{
	char name[VSENSOR_SERIAL_LEN];
	struct vsensor_bus_dev *bdev;
	int err;

	if (serial)
		strscpy(name, serial, sizeof(name));
	else
		snprintf(name, sizeof(name), VSENSOR_MODEL_ID "-%06u", id);
	if (__vsensor_bus_dev_find(id) || __vsensor_bus_serial_used(name))
		return ERR_PTR(-EEXIST);
	bdev = vsensor_fault_alloc(kzalloc(sizeof(*bdev), GFP_KERNEL));
	if (!bdev)
		return ERR_PTR(-ENOMEM);
	bdev->id = id;
	bdev->model = VSENSOR_MODEL_ID;
	strscpy(bdev->serial, name, sizeof(bdev->serial));
	err = vsensor_bus_dev_hw_create(bdev);
	if (err)
		goto err_free_bdev;

	device_initialize(&bdev->dev);
	atomic_inc(&vsensor_bus_live);
	bdev->dev.bus = &vsensor_bus_type;
	bdev->dev.type = &vsensor_bus_dev_type;
	bdev->dev.parent = vsensor_root;
	bdev->dev.dma_mask = &bdev->dev.coherent_dma_mask;
	err = dev_set_name(&bdev->dev, VSENSOR_NAME "%u", id);
	if (err)
		goto err_put_device;
	err = vsensor_fault_err(-ENOMEM) ?: device_add(&bdev->dev);
	if (err)
		goto err_put_device;
	/* the driver refused it: leave no half-made slot behind */
	err = bdev->probe_err;
	if (err) {
		device_unregister(&bdev->dev);	/* release() frees it */
		return ERR_PTR(err);
	}
	list_add_tail(&bdev->node, &vsensor_bus_devs);
	return bdev;

err_put_device:
	put_device(&bdev->dev);	/* release() frees hw and bdev */
	return ERR_PTR(err);
err_free_bdev:
	kfree(bdev);
	return ERR_PTR(err);
}

struct vsensor_bus_dev *vsensor_bus_dev_new(u32 id, const char *serial)
{
	struct vsensor_bus_dev *bdev;

	mutex_lock(&vsensor_bus_lock);
	bdev = __vsensor_bus_dev_new(id, serial);
	mutex_unlock(&vsensor_bus_lock);
	return bdev;
}
EXPORT_SYMBOL_NS_GPL(vsensor_bus_dev_new, VSENSOR_SIM);

static void __vsensor_bus_dev_del(struct vsensor_bus_dev *bdev)
{
	lockdep_assert_held(&vsensor_bus_lock);
	list_del(&bdev->node);
	device_unregister(&bdev->dev);
}

int vsensor_bus_dev_del(u32 id)
{
	struct vsensor_bus_dev *bdev;
	int err = -ENOENT;

	mutex_lock(&vsensor_bus_lock);
	bdev = __vsensor_bus_dev_find(id);
	if (bdev) {
		__vsensor_bus_dev_del(bdev);
		err = 0;
	}
	mutex_unlock(&vsensor_bus_lock);
	return err;
}
EXPORT_SYMBOL_NS_GPL(vsensor_bus_dev_del, VSENSOR_SIM);

void vsensor_bus_dev_del_all(void)
{
	struct vsensor_bus_dev *bdev, *tmp;

	mutex_lock(&vsensor_bus_lock);
	list_for_each_entry_safe_reverse(bdev, tmp, &vsensor_bus_devs, node)
		__vsensor_bus_dev_del(bdev);
	mutex_unlock(&vsensor_bus_lock);
}

int vsensor_bus_init(void)
{
	int err;

	err = bus_register(&vsensor_bus_type);
	if (err)
		return err;
	vsensor_root = root_device_register(VSENSOR_NAME);
	if (IS_ERR(vsensor_root)) {
		err = PTR_ERR(vsensor_root);
		goto err_bus_unregister;
	}
	return 0;

err_bus_unregister:
	bus_unregister(&vsensor_bus_type);
	return err;
}

/* After vsensor_bus_dev_del_all(). */
void vsensor_bus_exit(void)
{
	root_device_unregister(vsensor_root);
	/* release() is module code: wait until every slot has run it */
	wait_event(vsensor_bus_release_wq, !atomic_read(&vsensor_bus_live));
	bus_unregister(&vsensor_bus_type);
}
