// SPDX-License-Identifier: GPL-2.0
/*
 * The vsensor driver: binds to VSN1000 slots on the vsensor bus, drives the
 * hardware through its registers and interrupt, and owns the character
 * device. Device lifetime: probe, get-if-online, start/stop, remove, release.
 */
#include <linux/poll.h>
#include <linux/slab.h>

#include "vsensor.h"

static u32 vsensor_dev_read(struct vsensor_dev *vdev, u32 reg)
{
	return vsensor_hw_readl(vdev->hw, reg);
}

static void vsensor_dev_write(struct vsensor_dev *vdev, u32 reg, u32 val)
{
	vsensor_hw_writel(vdev->hw, reg, val);
}

/* Pop one record from the hardware FIFO, a register read per word. */
static void vsensor_dev_pio_read(struct vsensor_dev *vdev,
				 struct vsensor_record *rec, u32 *hw_seq)
{
	u32 ts_lo, ts_hi, ch;

	memset(rec, 0, sizeof(*rec));
	*hw_seq = vsensor_dev_read(vdev, VSN_REG_FIFO_DATA);
	if (vsensor_dev_read(vdev, VSN_REG_FIFO_DATA) & VSN_FIFO_FLAG_STIMULUS)
		rec->flags = VSENSOR_RECORD_F_INJECTED;
	ts_lo = vsensor_dev_read(vdev, VSN_REG_FIFO_DATA);
	ts_hi = vsensor_dev_read(vdev, VSN_REG_FIFO_DATA);
	rec->timestamp_ns = (u64)ts_hi << 32 | ts_lo;
	for (ch = 0; ch < vdev->info.nr_channels; ch++)
		rec->value[ch] = (s32)vsensor_dev_read(vdev, VSN_REG_FIFO_DATA);
	rec->channel_mask = GENMASK(vdev->info.nr_channels - 1, 0);
}

/* Hand one sample to every session; @hw_lost: samples vanished before it. */
static void vsensor_dev_fan_out(struct vsensor_dev *vdev,
				const struct vsensor_record *rec, bool hw_lost)
{
	struct vsensor_session *s;

	spin_lock(&vdev->lock);
	list_for_each_entry(s, &vdev->sessions, node)
		vsensor_session_deliver(s, rec, hw_lost);
	spin_unlock(&vdev->lock);
}

/* One wake-up per session per interrupt, not one per record. */
static void vsensor_dev_notify(struct vsensor_dev *vdev)
{
	struct vsensor_session *s;

	spin_lock(&vdev->lock);
	list_for_each_entry(s, &vdev->sessions, node)
		vsensor_session_notify(s);
	spin_unlock(&vdev->lock);
}

/*
 * Interrupt handler: acknowledge, then drain what the FIFO holds. Runs in
 * hard interrupt context with the hardware's interrupt line held.
 */
static void vsensor_dev_irq(void *data)
{
	struct vsensor_dev *vdev = data;
	struct vsensor_record rec;
	u32 status, level, hw_seq;
	bool lost;

	status = vsensor_dev_read(vdev, VSN_REG_IRQ_STATUS);
	vsensor_dev_write(vdev, VSN_REG_IRQ_STATUS, status);
	if (status & VSN_IRQ_TX_SPACE) {
		WRITE_ONCE(vdev->tx_room, true);
		wake_up_interruptible_poll(&vdev->tx_wait, EPOLLOUT);
	}

	level = vsensor_dev_read(vdev, VSN_REG_FIFO_LEVEL);
	while (level--) {
		vsensor_dev_pio_read(vdev, &rec, &hw_seq);
		/* the hardware numbers samples: a jump is FIFO overflow loss */
		lost = vdev->nr_drained && hw_seq != vdev->next_hw_seq;
		vdev->next_hw_seq = hw_seq + 1;
		vdev->nr_drained++;
		vsensor_dev_fan_out(vdev, &rec, lost);
	}
	vsensor_dev_notify(vdev);
}

/*
 * Get if online: take a reference and link a session's @node into the
 * device in one step under the lock that removal takes, so a session can
 * never attach to a device that is going away.
 */
int vsensor_dev_attach(struct vsensor_dev *vdev, struct list_head *node)
{
	int err = -ENODEV;

	spin_lock_irq(&vdev->lock);
	if (vdev->online) {
		kref_get(&vdev->kref);
		list_add_tail(node, &vdev->sessions);
		err = 0;
	}
	spin_unlock_irq(&vdev->lock);
	return err;
}

/* Unlink a session; the caller drops the reference when it is done. */
void vsensor_dev_detach(struct vsensor_dev *vdev, struct list_head *node)
{
	spin_lock_irq(&vdev->lock);
	list_del(node);
	spin_unlock_irq(&vdev->lock);
}

static void vsensor_dev_release(struct kref *kref)
{
	kfree(container_of(kref, struct vsensor_dev, kref));
}

void vsensor_dev_put(struct vsensor_dev *vdev)
{
	kref_put(&vdev->kref, vsensor_dev_release);
}

/*
 * The FIFO watermark trades interrupt rate for latency: about 10 ms of
 * samples, never more than 80% of the FIFO.
 */
static u32 vsensor_dev_fifo_wm(const struct vsensor_dev *vdev)
{
	return clamp_t(u32, vdev->rate / 100, 1,
		       vdev->info.fifo_depth * 4 / 5);
}

static void __vsensor_dev_hw_enable(struct vsensor_dev *vdev)
{
	lockdep_assert_held(&vdev->cfg_lock);
	/* the sampler is off, so the interrupt handler is not running */
	vdev->nr_drained = 0;
	vsensor_dev_write(vdev, VSN_REG_CTRL, VSN_CTRL_FIFO_RESET);
	vsensor_dev_write(vdev, VSN_REG_RATE, vdev->rate);
	vsensor_dev_write(vdev, VSN_REG_FIFO_WM, vsensor_dev_fifo_wm(vdev));
	vsensor_dev_write(vdev, VSN_REG_IRQ_STATUS, ~0U);
	vsensor_dev_write(vdev, VSN_REG_IRQ_MASK, VSN_IRQ_WATERMARK |
			  VSN_IRQ_OVERFLOW | VSN_IRQ_TX_SPACE);
	vsensor_dev_write(vdev, VSN_REG_CTRL, VSN_CTRL_ENABLE);
}

static void __vsensor_dev_hw_disable(struct vsensor_dev *vdev)
{
	lockdep_assert_held(&vdev->cfg_lock);
	vsensor_dev_write(vdev, VSN_REG_IRQ_MASK, 0);
	vsensor_dev_write(vdev, VSN_REG_CTRL, 0);
}

/* A session starts streaming: the first one switches the sampler on. */
int vsensor_dev_start(struct vsensor_dev *vdev)
{
	int err = 0;

	mutex_lock(&vdev->cfg_lock);
	if (!vdev->hw)
		err = -ENODEV;
	else if (!vdev->nr_running++)
		__vsensor_dev_hw_enable(vdev);
	mutex_unlock(&vdev->cfg_lock);
	return err;
}

/*
 * The hardware samples at the fastest rate any session asked for; each
 * session decimates to its own. Call after a session's rate may have changed.
 */
void vsensor_dev_update_rate(struct vsensor_dev *vdev)
{
	struct vsensor_session *s;
	u32 rate = 0;

	mutex_lock(&vdev->cfg_lock);
	spin_lock_irq(&vdev->lock);
	list_for_each_entry(s, &vdev->sessions, node)
		rate = max(rate, s->config.rate_hz);
	spin_unlock_irq(&vdev->lock);
	if (rate && rate != vdev->rate && vdev->hw) {
		vdev->rate = rate;
		vsensor_dev_write(vdev, VSN_REG_RATE, rate);
		vsensor_dev_write(vdev, VSN_REG_FIFO_WM,
				  vsensor_dev_fifo_wm(vdev));
	}
	mutex_unlock(&vdev->cfg_lock);
}

/*
 * Queue one stimulus record (one value per channel) in the transmit FIFO.
 * Returns -EAGAIN when it is full, -ENODEV when the device is gone.
 */
int vsensor_dev_tx(struct vsensor_dev *vdev, const s32 *value)
{
	int err = 0;
	u32 ch;

	mutex_lock(&vdev->cfg_lock);
	/*
	 * Clear the room flag before looking at the level: a TX_SPACE
	 * interrupt after this sets it again, so a writer that then finds
	 * the FIFO full cannot miss its wake-up.
	 */
	WRITE_ONCE(vdev->tx_room, false);
	smp_mb(); /* the clear is visible before the level is read */
	if (!vdev->hw)
		err = -ENODEV;
	else if (vsensor_dev_read(vdev, VSN_REG_TX_LEVEL) >= vdev->tx_depth)
		err = -EAGAIN;
	else
		for (ch = 0; ch < vdev->info.nr_channels; ch++)
			vsensor_dev_write(vdev, VSN_REG_TX_DATA, (u32)value[ch]);
	if (err != -EAGAIN)
		WRITE_ONCE(vdev->tx_room, true);
	mutex_unlock(&vdev->cfg_lock);
	return err;
}

/* For poll(): may sleep. */
bool vsensor_dev_tx_room(struct vsensor_dev *vdev)
{
	bool room = false;

	mutex_lock(&vdev->cfg_lock);
	if (vdev->hw)
		room = vsensor_dev_read(vdev, VSN_REG_TX_LEVEL) < vdev->tx_depth;
	mutex_unlock(&vdev->cfg_lock);
	return room;
}

/* A session stops: the last one switches the sampler off. */
void vsensor_dev_stop(struct vsensor_dev *vdev)
{
	mutex_lock(&vdev->cfg_lock);
	if (!--vdev->nr_running && vdev->hw)
		__vsensor_dev_hw_disable(vdev);
	mutex_unlock(&vdev->cfg_lock);
}

static void vsensor_dev_read_info(struct vsensor_dev *vdev)
{
	struct vsensor_info *info = &vdev->info;

	strscpy(info->model, vdev->bdev->model, sizeof(info->model));
	strscpy(info->serial, vdev->bdev->serial, sizeof(info->serial));
	info->abi_version = VSENSOR_ABI_VERSION;
	info->id = vdev->bdev->id;
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
	vdev->tx_depth = vsensor_dev_read(vdev, VSN_REG_TX_DEPTH);
}

static int vsensor_probe(struct device *dev)
{
	struct vsensor_bus_dev *bdev = to_vsensor_bus_dev(dev);
	struct vsensor_dev *vdev;
	int err;

	vdev = kzalloc(sizeof(*vdev), GFP_KERNEL);
	if (!vdev)
		return -ENOMEM;
	kref_init(&vdev->kref);
	spin_lock_init(&vdev->lock);
	mutex_init(&vdev->cfg_lock);
	INIT_LIST_HEAD(&vdev->sessions);
	init_waitqueue_head(&vdev->tx_wait);
	vdev->bdev = bdev;
	vdev->hw = bdev->hw;

	if (vsensor_dev_read(vdev, VSN_REG_ID) != VSN_ID_MAGIC) {
		dev_err(dev, "unexpected hardware id\n");
		err = -ENODEV;
		goto err_put;
	}
	vsensor_dev_read_info(vdev);
	if (!vdev->info.nr_channels ||
	    vdev->info.nr_channels > VSENSOR_MAX_CHANNELS) {
		dev_err(dev, "bad channel count %u\n", vdev->info.nr_channels);
		err = -ENODEV;
		goto err_put;
	}
	vdev->rate = min(VSENSOR_DEF_RATE, vdev->info.rate_max_hz);
	vsensor_dev_write(vdev, VSN_REG_IRQ_MASK, 0);
	vsensor_dev_write(vdev, VSN_REG_CTRL, 0);

	snprintf(vdev->name, sizeof(vdev->name), VSENSOR_NAME "%u", bdev->id);
	vdev->misc.minor = MISC_DYNAMIC_MINOR;
	vdev->misc.name = vdev->name;
	vdev->misc.fops = &vsensor_session_fops;
	vdev->misc.parent = dev;
	vdev->misc.mode = 0660;
	vdev->online = true;
	vsensor_hw_connect_irq(vdev->hw, vsensor_dev_irq, vdev);
	dev_set_drvdata(dev, vdev);

	err = misc_register(&vdev->misc);
	if (err)
		goto err_disconnect_irq;
	return 0;

err_disconnect_irq:
	vsensor_hw_disconnect_irq(vdev->hw);
err_put:
	vsensor_dev_put(vdev);
	return err;
}

/*
 * Surprise removal: no new opens, mark offline, hang up every session
 * (they see -ENODEV once drained), stop the hardware, drop our reference.
 * Sessions still open keep the vsensor_dev (not the hardware) alive.
 */
static int vsensor_remove(struct device *dev)
{
	struct vsensor_dev *vdev = dev_get_drvdata(dev);
	struct vsensor_session *s;

	misc_deregister(&vdev->misc);

	mutex_lock(&vdev->cfg_lock);
	spin_lock_irq(&vdev->lock);
	vdev->online = false;
	list_for_each_entry(s, &vdev->sessions, node)
		vsensor_session_hangup(s);
	spin_unlock_irq(&vdev->lock);
	wake_up_interruptible_poll(&vdev->tx_wait, EPOLLHUP | EPOLLERR);
	if (vdev->nr_running)
		__vsensor_dev_hw_disable(vdev);
	vsensor_hw_disconnect_irq(vdev->hw);
	vdev->hw = NULL;
	vdev->bdev = NULL;
	mutex_unlock(&vdev->cfg_lock);

	vsensor_dev_put(vdev);
	return 0;
}

static struct device_driver vsensor_driver = {
	.name = VSENSOR_NAME,
	.bus = &vsensor_bus_type,
	.owner = THIS_MODULE,
	.probe = vsensor_probe,
	.remove = vsensor_remove,
};

int vsensor_driver_init(void)
{
	return driver_register(&vsensor_driver);
}

void vsensor_driver_exit(void)
{
	driver_unregister(&vsensor_driver);
}
