/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vsensor bus (bus.c): the face of the simulated platform that a
 * driver sees, with hw.h. Device slots carry a model id, a serial and
 * the resources a firmware table would describe (the register window and
 * the interrupt vectors); drivers register with an id table and are
 * probed and removed as on any bus. Nothing here knows the driver, which
 * reaches the bus and the hardware only through what vsensor-sim.ko
 * exports (docs/design.md, "The module boundary").
 */
#ifndef _VSENSOR_SIM_BUS_H
#define _VSENSOR_SIM_BUS_H

#include <linux/device.h>
#include <linux/ioport.h>
#include <linux/mod_devicetable.h>
#include <linux/vsensor.h>

#include "hw.h"
#include "irq.h"

/* The model id the slots carry (a driver's id table lists it). */
#define VSENSOR_MODEL_ID	"VSN1000"

/*
 * A model id as the bus carries it and the driver's id_table lists it,
 * like an ACPI _HID matched against acpi_device_id.
 */
struct vsensor_device_id {
	char model[VSENSOR_MODEL_LEN];
	kernel_ulong_t driver_data;
};

/*
 * The driver with its id table; the bus matches devices against it and
 * calls probe and remove (bus methods: new_device learns a probe's error).
 */
struct vsensor_driver {
	struct device_driver driver;
	const struct vsensor_device_id *id_table;
	int (*probe)(struct device *dev);
	void (*remove)(struct device *dev);
};

#define to_vsensor_driver(drv) container_of(drv, struct vsensor_driver, driver)

/*
 * bus.c: a device slot on the vsensor bus, with its hardware and the
 * resources a firmware table would describe: the register window and the
 * interrupt vectors.
 */
#define VSENSOR_BUS_MAX_RES	(1 + VSN_NR_VECTORS(VSN_MAX_QUEUES))

struct vsensor_bus_dev {
	struct device dev;
	struct list_head node;		/* in the bus list, under its lock */
	u32 id;
	char serial[VSENSOR_SERIAL_LEN];
	const char *model;
	struct vsensor_hw *hw;
	struct vsensor_irq_vec *vecs;
	unsigned int nr_vecs;
	struct resource res[VSENSOR_BUS_MAX_RES];
	unsigned int nr_res;
	int probe_err;			/* of the last probe, bus.c */
};

static inline struct vsensor_bus_dev *to_vsensor_bus_dev(struct device *dev)
{
	return container_of(dev, struct vsensor_bus_dev, dev);
}

/* Exported to the driver (namespace VSENSOR_SIM). */
extern struct bus_type vsensor_bus_type;
struct vsensor_bus_dev *vsensor_bus_dev_new(u32 id, const char *serial);
int vsensor_bus_dev_del(u32 id);
bool vsensor_serial_valid(const char *serial);
struct resource *vsensor_bus_get_resource(struct vsensor_bus_dev *bdev,
					  unsigned long type, unsigned int num);
struct vsensor_hw *vsensor_bus_ioremap(struct vsensor_bus_dev *bdev,
				       const struct resource *res);

/* vsensor-sim's own: its module init and exit (sim/main.c). */
int vsensor_bus_init(void);
void vsensor_bus_exit(void);
void vsensor_bus_dev_del_all(void);

#endif /* _VSENSOR_SIM_BUS_H */
