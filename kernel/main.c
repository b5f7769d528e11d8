// SPDX-License-Identifier: GPL-2.0
/*
 * vsensor: the driver of the VSN1000 streaming sensor.
 * Module init and exit: netlink, the LED trigger, debugfs, then the
 * drivers of both backends (the vsensor bus, PCI), which bind the devices
 * already there; exit undoes them in exact reverse order, unbinding every
 * device. The bus, its devices and the fault injector are vsensor-sim.ko's
 * (sim/main.c), imported below.
 */
#include <linux/module.h>

#include "vsensor.h"

static int __init vsensor_init(void)
{
	int err;

	err = vsensor_fault_init_step(VSENSOR_INIT_NETLINK) ?:
	      vsensor_nl_init();
	if (err)
		return err;
	err = vsensor_fault_init_step(VSENSOR_INIT_LED) ?:
	      vsensor_led_init();
	if (err)
		goto err_nl_exit;
	vsensor_debugfs_init();
	err = vsensor_fault_init_step(VSENSOR_INIT_DRIVER) ?:
	      vsensor_driver_init();
	if (err)
		goto err_debugfs_exit;
	err = vsensor_pci_init();
	if (err)
		goto err_driver_exit;
	return 0;

err_driver_exit:
	vsensor_driver_exit();
err_debugfs_exit:
	vsensor_debugfs_exit();
	vsensor_led_exit();
err_nl_exit:
	vsensor_nl_exit();
	return err;
}

static void __exit vsensor_exit(void)
{
	vsensor_pci_exit();
	vsensor_driver_exit();
	vsensor_debugfs_exit();
	vsensor_led_exit();
	vsensor_nl_exit();
}

module_init(vsensor_init);
module_exit(vsensor_exit);

MODULE_DESCRIPTION("vsensor: driver of the VSN1000 streaming sensor");
MODULE_IMPORT_NS(VSENSOR_SIM);
MODULE_AUTHOR("The vsensor developers");
MODULE_LICENSE("GPL");
MODULE_VERSION("0.1");
