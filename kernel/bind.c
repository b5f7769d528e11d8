// SPDX-License-Identifier: GPL-2.0
/*
 * Binding a VSN1000 to the driver core, for every backend (driver.c: the
 * model on the vsensor bus; pci.c: the PCI device): check what the
 * hardware says it is and build the device (bind), or tear it down
 * (unbind, in bind's unwind order). A backend maps the registers and
 * adds the vectors first, and undoes that after.
 */
#include <linux/module.h>
#include <linux/poll.h>

#include "vsensor.h"

#define VSENSOR_FIFO_DEPTH_MAX	65536	/* records, a queue FIFO */
#define VSENSOR_TX_DEPTH_MAX	65536	/* records, the stimulus FIFO */

static void vsensor_dev_read_info(struct vsensor_dev *vdev)
{
	struct vsensor_info *info = &vdev->info;

	info->abi_version = VSENSOR_ABI_VERSION;
	info->nr_channels = vsensor_dev_read(vdev, VSN_REG_CHANNELS);
	info->rate_min_hz = VSENSOR_RATE_MIN;
	info->rate_max_hz = vsensor_dev_read(vdev, VSN_REG_RATE_MAX);
	info->fifo_depth = vsensor_dev_read(vdev, VSN_REG_FIFO_DEPTH);
	info->record_size = sizeof(struct vsensor_record);
	info->ring_max = VSENSOR_RING_MAX;

	vdev->limits.nr_channels = info->nr_channels;
	vdev->limits.rate_min = info->rate_min_hz;
	vdev->limits.rate_max = info->rate_max_hz;
	vdev->limits.ring_min = VSENSOR_RING_MIN;
	vdev->limits.ring_max = VSENSOR_RING_MAX;
	vdev->fw_version = vsensor_dev_read(vdev, VSN_REG_VERSION);
	vdev->tx_depth = vsensor_dev_read(vdev, VSN_REG_TX_DEPTH);
	vdev->nr_queues = vsensor_dev_read(vdev, VSN_REG_NR_QUEUES);
}

/*
 * Every geometry register is checked before anything uses it (the rates
 * divide, the depths size and bound loops): a device that reports what
 * no VSN1000 can have is refused whole.
 */
static int vsensor_dev_check_info(struct vsensor_dev *vdev, struct device *dev)
{
	const struct vsensor_info *info = &vdev->info;

	if (!info->nr_channels || info->nr_channels > VSENSOR_MAX_CHANNELS ||
	    !is_power_of_2(info->fifo_depth) ||
	    info->fifo_depth > VSENSOR_FIFO_DEPTH_MAX ||
	    info->rate_max_hz < VSENSOR_RATE_MIN ||
	    info->rate_max_hz > VSENSOR_RATE_MAX ||
	    !vdev->tx_depth || vdev->tx_depth > VSENSOR_TX_DEPTH_MAX ||
	    !vdev->nr_queues || vdev->nr_queues > VSN_MAX_QUEUES ||
	    vdev->nr_vecs != VSN_NR_VECTORS(vdev->nr_queues)) {
		dev_err(dev, "inconsistent hardware: %u channels, FIFO %u, rate max %u Hz, TX FIFO %u, %u queues, %u vectors\n",
			info->nr_channels, info->fifo_depth, info->rate_max_hz,
			vdev->tx_depth, vdev->nr_queues, vdev->nr_vecs);
		return -ENODEV;
	}
	return 0;
}

static void vsensor_dev_set_defaults(struct vsensor_dev *vdev)
{
	u32 depth = vdev->info.fifo_depth;

	vdev->rate = min(VSENSOR_DEF_RATE, vdev->info.rate_max_hz);
	vdev->xfer_mode = VSENSOR_XFER_AUTO;
	vdev->fifo_watermark = max(depth * 4 / 5, 1U);
	vdev->headroom = true;
	vdev->irq_fast = true;
	/*
	 * low: a late bottom half leaves the FIFO most of its depth as slack
	 * for stalls, now that the top half can move records by DMA
	 */
	vdev->headroom_mark = max(depth / 8, 1U);
	vdev->headroom_budget = depth;
}

/*
 * Build the device on hardware its backend has made present (registers,
 * vectors): 0, or an error with everything bind did undone.
 */
int vsensor_dev_bind(struct vsensor_dev *vdev)
{
	struct device *dev = vdev->dev;
	int err;

	if (vsensor_dev_read(vdev, VSN_REG_ID) != VSN_ID_MAGIC) {
		dev_err(dev, "unexpected hardware id\n");
		return -ENODEV;
	}
	vsensor_dev_read_info(vdev);
	err = vsensor_dev_check_info(vdev, dev);
	if (err)
		return err;
	vsensor_dev_set_defaults(vdev);
	vsensor_dev_write(vdev, VSN_REG_IRQ_MASK, 0);
	vsensor_dev_write(vdev, VSN_REG_CTRL, 0);
	vsensor_dev_write(vdev, VSN_REG_RATE, vdev->rate);

	vdev->misc.minor = MISC_DYNAMIC_MINOR;
	vdev->misc.name = vdev->name;
	vdev->misc.fops = &vsensor_session_fops;
	vdev->misc.parent = dev;
	vdev->misc.mode = 0660;

	err = vsensor_dev_guard_init(vdev, dev);
	if (err)
		return err;
	err = vsensor_fault_err(-EBUSY) ?: vsensor_dev_request_irqs(vdev);
	if (err)
		goto err_guard_exit;
	err = vsensor_dev_queues_init(vdev);
	if (err)
		goto err_free_irqs;
	/* after every mapping of ours, so none takes its IOVA again */
	vsensor_dev_guard_stale(vdev, dev);
	vsensor_dev_write(vdev, VSN_REG_IRQ_MASK, VSN_IRQ_ERR_MASK);
	vsensor_dev_measure_crossover(vdev);

	vdev->online = true;
	dev_set_drvdata(dev, vdev);
	vsensor_debugfs_dev_add(vdev);
	vsensor_dev_pm_init(vdev);
	err = vsensor_led_add(vdev);
	if (err)
		goto err_pm_exit;
	/* before the node: udev reads them on the node's add event */
	err = device_add_groups(dev, vdev->backend->groups);
	if (err)
		goto err_led_del;
	/* last: once the node exists, sessions may hold the device */
	err = vsensor_fault_err(-EBUSY) ?: misc_register(&vdev->misc);
	if (err)
		goto err_remove_groups;

	vsensor_dev_list_add(vdev);
	vsensor_notify_device(vdev, VSENSOR_CMD_DEVICE_ADDED);
	return 0;

err_remove_groups:
	device_remove_groups(dev, vdev->backend->groups);
err_led_del:
	vsensor_led_del(vdev);
err_pm_exit:
	vsensor_dev_pm_exit(vdev);
	vsensor_debugfs_dev_del(vdev);
	vsensor_dev_write(vdev, VSN_REG_IRQ_MASK, 0);
	vsensor_dev_queues_shutdown(vdev);
err_free_irqs:
	vsensor_dev_free_irqs(vdev);
err_guard_exit:
	vsensor_dev_guard_exit(vdev, dev);
	dev_set_drvdata(dev, NULL);
	return err;
}

/*
 * Surprise removal: no new opens, mark offline, hang up every session
 * (they see -ENODEV once drained), stop the hardware and its interrupts.
 * The hardware may already be gone (reads of all-ones). The backend
 * drops the binding's reference after its own teardown; sessions still
 * open keep the vsensor_dev (not the hardware) alive.
 */
void vsensor_dev_unbind(struct vsensor_dev *vdev)
{
	struct vsensor_session *s;

	/* netlink can no longer find it, then no one can open it */
	vsensor_dev_list_del(vdev);
	misc_deregister(&vdev->misc);
	device_remove_groups(vdev->dev, vdev->backend->groups);
	/* before the guard page and the registers go */
	vsensor_debugfs_dev_del(vdev);
	/* resumed for the teardown's register writes, and kept on */
	vsensor_dev_pm_exit(vdev);

	mutex_lock(&vdev->cfg_lock);
	spin_lock_irq(&vdev->lock);
	vdev->online = false;
	list_for_each_entry(s, &vdev->sessions, dev_node)
		vsensor_session_hangup(s);
	spin_unlock_irq(&vdev->lock);
	wake_up_interruptible_poll(&vdev->tx_wait, EPOLLHUP | EPOLLERR);
	if (vdev->nr_running)
		__vsensor_dev_hw_disable(vdev);
	vsensor_dev_write(vdev, VSN_REG_IRQ_MASK, 0);
	vsensor_dev_queues_shutdown(vdev);
	vsensor_dev_free_irqs(vdev);
	vsensor_dev_guard_exit(vdev, vdev->dev);
	vdev->present = false;
	mutex_unlock(&vdev->cfg_lock);

	vsensor_led_del(vdev);
	vsensor_notify_device(vdev, VSENSOR_CMD_DEVICE_REMOVED);
	vsensor_dev_release_id(vdev);
}
