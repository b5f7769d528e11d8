// SPDX-License-Identifier: GPL-2.0
/*
 * Runtime power management. A device with no running session suspends
 * after its autosuspend delay: the VSN1000 goes to D3, where it answers
 * no register but POWER, samples nothing and signals nothing. Every path
 * that touches a register outside a running session (the settings in
 * sysfs and netlink, debugfs) holds a reference around the access
 * (vsensor_dev_pm_get()); a running session holds one from its start to
 * its stop (vsensor_dev_start()). Constants the driver read at probe
 * (the firmware version, the channels) and the rate it programmed are
 * answered from memory: a query does not wake the device.
 */
#include <linux/interrupt.h>
#include <linux/pm_runtime.h>

#include "vsensor.h"

#define VSENSOR_AUTOSUSPEND_MS	500

/*
 * Resume the device (if it sleeps) and keep it awake until
 * vsensor_dev_pm_put(). Process context. Returns 0, or -ENODEV once the
 * device is being removed.
 */
int vsensor_dev_pm_get(struct vsensor_dev *vdev)
{
	int err = pm_runtime_resume_and_get(vdev->dev);

	/* -EACCES: runtime PM is off, the driver is leaving the device */
	return err == -EACCES ? -ENODEV : err;
}

/*
 * For a path that only makes sense while a session runs (transmit, busy
 * polling), which a revoke may stop under it: take a reference only if
 * the device is awake, never wake it. Any context.
 */
bool vsensor_dev_pm_get_if_active(struct vsensor_dev *vdev)
{
	return pm_runtime_get_if_active(vdev->dev, true) > 0;
}

/* It may sleep again after the autosuspend delay. */
void vsensor_dev_pm_put(struct vsensor_dev *vdev)
{
	pm_runtime_mark_last_busy(vdev->dev);
	pm_runtime_put_autosuspend(vdev->dev);
}

/*
 * No session runs, so the sensor core is already off: mask every cause,
 * wait for handlers still inside the device (top halves and threads),
 * then power down.
 */
static int vsensor_runtime_suspend(struct device *dev)
{
	struct vsensor_dev *vdev = dev_get_drvdata(dev);
	unsigned int i;

	vsensor_dev_write(vdev, VSN_REG_IRQ_MASK, 0);
	for (i = 0; i < VSN_NR_VECTORS(vdev->nr_queues); i++)
		synchronize_irq(vdev->vecs[i].virq);
	vsensor_dev_write(vdev, VSN_REG_POWER, VSN_POWER_D3);
	return 0;
}

static int vsensor_runtime_resume(struct device *dev)
{
	struct vsensor_dev *vdev = dev_get_drvdata(dev);

	vsensor_dev_write(vdev, VSN_REG_POWER, VSN_POWER_D0);
	vsensor_dev_write(vdev, VSN_REG_IRQ_MASK, VSN_IRQ_ERR_MASK);
	return 0;
}

const struct dev_pm_ops vsensor_pm_ops = {
	SET_RUNTIME_PM_OPS(vsensor_runtime_suspend, vsensor_runtime_resume,
			   NULL)
};

/*
 * At the end of probe: active now, suspended once idle for the delay.
 * The PCI core enables runtime PM itself, forbidden (power/control "on")
 * and with a usage count held across probe: the VSN1000 suspends on its
 * own on every backend, so allow it and give that count back.
 */
void vsensor_dev_pm_init(struct vsensor_dev *vdev)
{
	pm_runtime_set_autosuspend_delay(vdev->dev, VSENSOR_AUTOSUSPEND_MS);
	pm_runtime_use_autosuspend(vdev->dev);
	pm_runtime_mark_last_busy(vdev->dev);
	if (vdev->backend->bus_runtime_pm) {
		pm_runtime_allow(vdev->dev);
		pm_runtime_put_autosuspend(vdev->dev);
		return;
	}
	pm_runtime_set_active(vdev->dev);
	pm_runtime_enable(vdev->dev);
}

/*
 * At remove: awake for the teardown's register writes, and left in D0
 * for whoever binds next (runtime PM is off from here on; on PCI, as the
 * PCI core had it before probe: forbidden, with its usage count).
 */
void vsensor_dev_pm_exit(struct vsensor_dev *vdev)
{
	if (vdev->backend->bus_runtime_pm) {
		/* resumes it; and the count the bus gives back after */
		pm_runtime_forbid(vdev->dev);
		pm_runtime_get_noresume(vdev->dev);
		pm_runtime_dont_use_autosuspend(vdev->dev);
		return;
	}
	pm_runtime_get_sync(vdev->dev);
	pm_runtime_disable(vdev->dev);
	pm_runtime_dont_use_autosuspend(vdev->dev);
	pm_runtime_set_suspended(vdev->dev);
	pm_runtime_put_noidle(vdev->dev);
}
