/*
 * libvsensor: one vsensor device, its sysfs attributes and the misc
 * character device below it; discovery through libudev on every backend
 * (the vsensor bus, a PCI function bound to the driver); and the parsing
 * of device arguments.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "internal.h"

#define DEVNODE_PREFIX	"/dev/"

enum device_uint_attr {
	ATTR_CHANNELS,
	ATTR_FIFO_DEPTH,
	ATTR_SAMPLE_RATE,
	ATTR_SAMPLE_RATE_MAX,
	NR_UINT_ATTRS
};

static const char *const uint_attr_names[NR_UINT_ATTRS] = {
	[ATTR_CHANNELS]		= "channels",
	[ATTR_FIFO_DEPTH]	= "fifo_depth",
	[ATTR_SAMPLE_RATE]	= "sample_rate",
	[ATTR_SAMPLE_RATE_MAX]	= "sample_rate_max",
};

struct vsensor_device {
	const char *bus;		/* its backend: vsensor_backend_of() */
	struct udev_device *bus_dev;	/* on its bus: vsensorN, or a PCI function */
	struct udev_device *misc_dev;	/* its character device, or NULL */
	unsigned int id;
	const char *name;		/* vsensorN, of misc_dev or bus_dev */
	const char *model;		/* owned by bus_dev's attribute cache */
	const char *serial;
	int uint_attr[NR_UINT_ATTRS];	/* -1: could not be read */
};

static bool skip_prefix(const char **s, const char *prefix)
{
	size_t len = strlen(prefix);

	if (strncmp(*s, prefix, len))
		return false;

	*s += len;
	return true;
}

int vsensor_parse_device_arg(const char *arg, unsigned int *id)
{
	uint64_t val;

	if (!arg)
		goto err_invalid;

	/* Not a bare number: a bus name, maybe as a device node. */
	if (arg[0] < '0' || arg[0] > '9') {
		skip_prefix(&arg, DEVNODE_PREFIX);
		if (!skip_prefix(&arg, VSENSOR_NAME))
			goto err_invalid;
	}

	if (vsensor_parse_u64(arg, 0, INT_MAX, &val))
		goto err_invalid;

	*id = val;
	return 0;

err_invalid:
	errno = EINVAL;
	return -1;
}

/* A serial as the kernel takes it: 1 to 31 of A-Za-z0-9-_, here not "-" first. */
static bool is_serial(const char *s)
{
	size_t len = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			       "0123456789-_");

	return len && len < VSENSOR_SERIAL_LEN && !s[len] && s[0] != '-';
}

int vsensor_parse_device_spec(const char *arg, unsigned int *id,
			      const char **serial)
{
	*serial = NULL;
	if (!vsensor_parse_device_arg(arg, id))
		return 0;
	/*
	 * Not a number, name or node: a serial, unless it is a malformed one
	 * of those (all digits, "vsensor..." or a path).
	 */
	if (!arg || !is_serial(arg) || !strncmp(arg, VSENSOR_NAME, strlen(VSENSOR_NAME)) ||
	    strspn(arg, "0123456789") == strlen(arg)) {
		errno = EINVAL;
		return -1;
	}
	*serial = arg;
	return 0;
}

bool vsensor_device_matches(struct vsensor_device *dev, unsigned int id,
			    const char *serial)
{
	if (serial)
		return dev->serial && !strcmp(dev->serial, serial);
	return dev->id == id;
}

static bool device_gone(int err)
{
	return err == ENOENT || err == ENODEV;
}

/* Set *child to the misc device below @bus_dev, or to NULL if it has none. */
static int find_misc_child(struct udev_device *bus_dev,
			   struct udev_device **child)
{
	struct udev *udev = udev_device_get_udev(bus_dev);
	struct udev_list_entry *entry;
	struct udev_enumerate *enumerate;
	int ret;

	*child = NULL;
	enumerate = udev_enumerate_new(udev);
	if (!enumerate)
		return -errno;

	ret = udev_enumerate_add_match_parent(enumerate, bus_dev);
	if (!ret)
		ret = udev_enumerate_add_match_subsystem(enumerate, "misc");
	if (!ret)
		ret = udev_enumerate_scan_devices(enumerate);
	if (ret < 0)
		goto out_unref_enumerate;

	entry = udev_enumerate_get_list_entry(enumerate);
	if (entry) {
		*child = udev_device_new_from_syspath(udev,
					udev_list_entry_get_name(entry));
		if (!*child && !device_gone(errno))
			ret = -errno;
	}

out_unref_enumerate:
	udev_enumerate_unref(enumerate);
	return ret;
}

static void read_uint_attrs(struct vsensor_device *dev)
{
	uint64_t val;
	int i;

	for (i = 0; i < NR_UINT_ATTRS; i++) {
		const char *str = udev_device_get_sysattr_value(dev->bus_dev,
							uint_attr_names[i]);

		if (str && !vsensor_parse_u64(str, 0, INT_MAX, &val))
			dev->uint_attr[i] = (int)val;
		else
			dev->uint_attr[i] = -1;
	}
}

/* An attribute read from sysfs, or -1 with ENODATA if it could not be. */
static int get_uint_attr(struct vsensor_device *dev, enum device_uint_attr attr)
{
	if (dev->uint_attr[attr] < 0)
		errno = ENODATA;
	return dev->uint_attr[attr];
}

/*
 * The device of backend @bus at @udev_dev (takes a reference); with no
 * error NULL and errno 0 if it is not one (not named vsensorN: the name is
 * its misc device's, or without one the bus device's).
 */
static struct vsensor_device *device_new(const char *bus,
					 struct udev_device *udev_dev)
{
	struct vsensor_device *dev;
	int ret;

	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return NULL;

	ret = find_misc_child(udev_dev, &dev->misc_dev);
	if (ret < 0) {
		free(dev);
		errno = -ret;
		return NULL;
	}

	dev->name = udev_device_get_sysname(dev->misc_dev ? dev->misc_dev : udev_dev);
	if (!dev->name || vsensor_parse_device_arg(dev->name, &dev->id)) {
		udev_device_unref(dev->misc_dev);
		free(dev);
		errno = 0;
		return NULL;
	}
	dev->bus = bus;
	dev->bus_dev = udev_device_ref(udev_dev);
	dev->model = udev_device_get_sysattr_value(udev_dev, "model");
	dev->serial = udev_device_get_sysattr_value(udev_dev, "serial");
	read_uint_attrs(dev);
	return dev;
}

void vsensor_device_free(struct vsensor_device *dev)
{
	if (!dev)
		return;

	udev_device_unref(dev->misc_dev);
	udev_device_unref(dev->bus_dev);
	free(dev);
}

static int compare_device_ids(const void *a, const void *b)
{
	const struct vsensor_device *da = *(struct vsensor_device *const *)a;
	const struct vsensor_device *db = *(struct vsensor_device *const *)b;

	return (da->id > db->id) - (da->id < db->id);
}

/*
 * Append the device at @syspath, leaving out one that is gone, misnamed
 * or not of backend @bus (a PCI function bound to another driver).
 */
static int add_device(struct udev *udev, const char *syspath, const char *bus,
		      struct vsensor_device ***devices, size_t *num_devices)
{
	struct vsensor_device **grown, *dev;
	struct udev_device *udev_dev;

	udev_dev = udev_device_new_from_syspath(udev, syspath);
	if (!udev_dev)
		return device_gone(errno) ? 0 : -1;
	if (vsensor_backend_of(udev_dev) != bus) {
		udev_device_unref(udev_dev);
		return 0;
	}

	errno = 0;
	dev = device_new(bus, udev_dev);
	udev_device_unref(udev_dev);
	if (!dev)
		return errno ? -1 : 0;

	grown = reallocarray(*devices, *num_devices + 1, sizeof(*grown));
	if (!grown) {
		vsensor_device_free(dev);
		return -1;
	}

	grown[(*num_devices)++] = dev;
	*devices = grown;
	return 0;
}

/* Append the devices of backend @bus; 0, or -1 with errno. */
static int scan_backend(struct udev *udev, const char *bus,
			struct vsensor_device ***devices, size_t *num_devices)
{
	struct udev_list_entry *entry;
	struct udev_enumerate *enumerate;
	int ret;

	enumerate = udev_enumerate_new(udev);
	if (!enumerate)
		return -1;

	ret = udev_enumerate_add_match_subsystem(enumerate, bus);
	if (!ret)
		ret = udev_enumerate_scan_devices(enumerate);
	if (ret < 0) {
		errno = -ret;
		goto out_unref_enumerate;
	}

	udev_list_entry_foreach(entry, udev_enumerate_get_list_entry(enumerate)) {
		ret = add_device(udev, udev_list_entry_get_name(entry), bus,
				 devices, num_devices);
		if (ret)
			break;
	}

out_unref_enumerate:
	udev_enumerate_unref(enumerate);
	return ret ? -1 : 0;
}

int vsensor_device_scan(struct udev *udev, struct vsensor_device ***devices,
			size_t *num_devices)
{
	struct vsensor_device **found = NULL;
	size_t num_found = 0, i;
	int err;

	for (i = 0; i < vsensor_backend_count(); i++) {
		if (scan_backend(udev, vsensor_backend_subsystem(i), &found,
				 &num_found))
			goto err_free_found;
	}

	if (found)
		qsort(found, num_found, sizeof(*found), compare_device_ids);
	*devices = found;
	*num_devices = num_found;
	return 0;

err_free_found:
	err = errno;
	for (i = 0; i < num_found; i++)
		vsensor_device_free(found[i]);
	free(found);
	errno = err;
	return -1;
}

unsigned int vsensor_device_get_id(struct vsensor_device *dev)
{
	return dev->id;
}

const char *vsensor_device_get_name(struct vsensor_device *dev)
{
	return dev->name;
}

const char *vsensor_device_get_bus(struct vsensor_device *dev)
{
	return dev->bus;
}

const char *vsensor_device_get_bus_address(struct vsensor_device *dev)
{
	return udev_device_get_sysname(dev->bus_dev);
}

const char *vsensor_device_get_syspath(struct vsensor_device *dev)
{
	return udev_device_get_syspath(dev->bus_dev);
}

const char *vsensor_device_get_devnode(struct vsensor_device *dev)
{
	return dev->misc_dev ? udev_device_get_devnode(dev->misc_dev) : NULL;
}

const char *vsensor_device_get_model(struct vsensor_device *dev)
{
	return dev->model;
}

const char *vsensor_device_get_serial(struct vsensor_device *dev)
{
	return dev->serial;
}

int vsensor_device_get_num_channels(struct vsensor_device *dev)
{
	return get_uint_attr(dev, ATTR_CHANNELS);
}

int vsensor_device_get_fifo_depth(struct vsensor_device *dev)
{
	return get_uint_attr(dev, ATTR_FIFO_DEPTH);
}

int vsensor_device_get_sample_rate(struct vsensor_device *dev)
{
	return get_uint_attr(dev, ATTR_SAMPLE_RATE);
}

int vsensor_device_get_sample_rate_max(struct vsensor_device *dev)
{
	return get_uint_attr(dev, ATTR_SAMPLE_RATE_MAX);
}
