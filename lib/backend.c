/*
 * The backends a VSN1000 is found on (backend.h): the device its misc
 * device hangs from, by subsystem, and the driver it must be bound to.
 */
#include <string.h>

#include "backend.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static const struct {
	const char *subsystem;
	const char *driver;	/* NULL: every device of the subsystem is one */
} backends[] = {
	{ "vsensor", NULL },
	{ "pci", "vsensor" },
};

size_t vsensor_backend_count(void)
{
	return ARRAY_SIZE(backends);
}

const char *vsensor_backend_subsystem(size_t index)
{
	return index < ARRAY_SIZE(backends) ? backends[index].subsystem : NULL;
}

const char *vsensor_backend_of(struct udev_device *bus_dev)
{
	const char *subsystem = udev_device_get_subsystem(bus_dev);
	const char *driver;
	size_t i;

	for (i = 0; subsystem && i < ARRAY_SIZE(backends); i++) {
		if (strcmp(subsystem, backends[i].subsystem))
			continue;
		if (!backends[i].driver)
			return backends[i].subsystem;
		driver = udev_device_get_driver(bus_dev);
		return driver && !strcmp(driver, backends[i].driver) ?
		       backends[i].subsystem : NULL;
	}
	return NULL;
}

struct udev_device *vsensor_backend_misc_parent(struct udev_device *misc)
{
	struct udev_device *parent = udev_device_get_parent(misc);

	return parent && vsensor_backend_of(parent) ? parent : NULL;
}
