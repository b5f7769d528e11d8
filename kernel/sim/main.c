// SPDX-License-Identifier: GPL-2.0
/*
 * vsensor-sim: the simulated VSN1000 and its platform, a module of its own.
 * Module init and exit: the interrupt controller, the bus, then the initial
 * devices; exit undoes them in exact reverse order. The driver (vsensor.ko)
 * binds to the devices and uses only what this module exports.
 */
#include <linux/err.h>
#include <linux/module.h>

#include "bus.h"
#include "fault.h"

#define VSENSOR_MAX_INITIAL_DEVICES	64

static unsigned int nr_devices = 1;
module_param(nr_devices, uint, 0444);
MODULE_PARM_DESC(nr_devices, "number of devices created at load (0-64)");

static int __init vsensor_sim_create_initial(void)
{
	struct vsensor_bus_dev *bdev;
	unsigned int i;

	for (i = 0; i < nr_devices; i++) {
		bdev = vsensor_bus_dev_new(i, NULL);
		if (IS_ERR(bdev))
			return PTR_ERR(bdev);
	}
	return 0;
}

static int __init vsensor_sim_init(void)
{
	int err;

	if (nr_devices > VSENSOR_MAX_INITIAL_DEVICES)
		return -EINVAL;

	err = vsensor_fault_init_step(VSENSOR_INIT_IRQ) ?:
	      vsensor_irq_init();
	if (err)
		return err;
	err = vsensor_fault_init_step(VSENSOR_INIT_BUS) ?:
	      vsensor_bus_init();
	if (err)
		goto err_irq_exit;
	err = vsensor_fault_init_step(VSENSOR_INIT_DEVICES) ?:
	      vsensor_sim_create_initial();
	if (err)
		goto err_del_devices;
	return 0;

err_del_devices:
	vsensor_bus_dev_del_all();
	vsensor_bus_exit();
err_irq_exit:
	vsensor_irq_exit();
	return err;
}

static void __exit vsensor_sim_exit(void)
{
	vsensor_bus_dev_del_all();
	vsensor_bus_exit();
	vsensor_irq_exit();
}

module_init(vsensor_sim_init);
module_exit(vsensor_sim_exit);

MODULE_DESCRIPTION("vsensor-sim: the simulated VSN1000 sensor and its platform");
MODULE_AUTHOR("The vsensor developers");
MODULE_LICENSE("GPL");
MODULE_VERSION("0.1");
