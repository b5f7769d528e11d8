/*
 * Which udev devices are a VSN1000, on each backend: a device of the
 * in-kernel model's vsensor bus, or a PCI function bound to the driver.
 * Shared by libvsensor (device.c, monitor.c) and vsensord (devices.c);
 * never exported.
 */
#ifndef VSENSOR_BACKEND_H
#define VSENSOR_BACKEND_H

#include <stddef.h>
#include <libudev.h>

/* The backends, by the subsystem of the device that holds the attributes. */
size_t vsensor_backend_count(void);
const char *vsensor_backend_subsystem(size_t index);

/*
 * The backend's subsystem ("vsensor", "pci") if @bus_dev is a VSN1000
 * of one, else NULL: a static string, the one vsensor_backend_subsystem()
 * gives.
 */
const char *vsensor_backend_of(struct udev_device *bus_dev);

/*
 * The parent of the misc device @misc if it is a VSN1000 of a backend,
 * else NULL; borrowed from @misc.
 */
struct udev_device *vsensor_backend_misc_parent(struct udev_device *misc);

#endif
