/*
 * libvsensor: declarations shared by the library's files, never exported
 * (libvsensor.map lists the public symbols).
 */
#ifndef VSENSOR_INTERNAL_H
#define VSENSOR_INTERNAL_H

#include <libudev.h>
#include <stddef.h>

#include <vsensor/vsensor.h>

/* device.c */
void vsensor_device_free(struct vsensor_device *dev);
/* Every device on the vsensor bus, sorted by number. */
int vsensor_device_scan(struct udev *udev, struct vsensor_device ***devices,
			size_t *num_devices);

#endif /* VSENSOR_INTERNAL_H */
