// SPDX-License-Identifier: GPL-2.0
/*
 * vsensor: a simulated streaming-sensor device and its driver.
 * Module init and exit: the bus, netlink, the LED trigger, debugfs, the
 * driver, then the initial devices; exit undoes them in exact reverse order.
 */
#include <linux/module.h>

#include "vsensor.h"

#define VSENSOR_MAX_INITIAL_DEVICES	64

static unsigned int nr_devices = 1;
module_param(nr_devices, uint, 0444);
MODULE_PARM_DESC(nr_devices, "number of devices created at load (0-64)");

static int __init vsensor_create_initial(void)
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

static int __init vsensor_init(void)
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
	err = vsensor_fault_init_step(VSENSOR_INIT_NETLINK) ?:
	      vsensor_nl_init();
	if (err)
		goto err_bus_exit;
	err = vsensor_fault_init_step(VSENSOR_INIT_LED) ?:
	      vsensor_led_init();
	if (err)
		goto err_nl_exit;
	vsensor_debugfs_init();
	err = vsensor_fault_init_step(VSENSOR_INIT_DRIVER) ?:
	      vsensor_driver_init();
	if (err)
		goto err_debugfs_exit;
	err = vsensor_fault_init_step(VSENSOR_INIT_DEVICES) ?:
	      vsensor_create_initial();
	if (err)
		goto err_del_devices;
	return 0;

err_del_devices:
	vsensor_bus_dev_del_all();
	vsensor_driver_exit();
err_debugfs_exit:
	vsensor_debugfs_exit();
	vsensor_led_exit();
err_nl_exit:
	vsensor_nl_exit();
err_bus_exit:
	vsensor_bus_exit();
err_irq_exit:
	vsensor_irq_exit();
	return err;
}

static void __exit vsensor_exit(void)
{
	vsensor_bus_dev_del_all();
	vsensor_driver_exit();
	vsensor_debugfs_exit();
	vsensor_led_exit();
	vsensor_nl_exit();
	vsensor_bus_exit();
	vsensor_irq_exit();
}

module_init(vsensor_init);
module_exit(vsensor_exit);

MODULE_DESCRIPTION("vsensor: simulated streaming-sensor device and driver");
MODULE_AUTHOR("The vsensor developers");
MODULE_LICENSE("GPL");
MODULE_VERSION("0.1");
