// SPDX-License-Identifier: GPL-2.0
/*
 * Streaming: what sessions do to the device. A session starts (resumes
 * the device, joins its queue, switches the sensor core and the queue on
 * if it is the first), stops at close or revoke (the last ones switch
 * them off), and the hardware rate and each queue's watermark follow the
 * sessions running.
 */
#include "vsensor.h"

#define VSENSOR_WM_MAX_MS	1

/*
 * Unlink a session at close and, unless a revoke already took it off its
 * queue, stop it there. The caller drops the reference when it is done.
 */
void vsensor_dev_detach(struct vsensor_dev *vdev, struct vsensor_session *s)
{
	bool running;

	spin_lock_irq(&vdev->lock);
	running = !list_empty(&s->node);
	list_del_init(&s->node);
	list_del_init(&s->dev_node);
	WRITE_ONCE(vdev->nr_sessions, vdev->nr_sessions - 1);
	vsensor_dev_bump_generation();
	spin_unlock_irq(&vdev->lock);
	if (running) {
		vsensor_dev_update_rate(vdev);
		vsensor_dev_stop(vdev, s->queue);
	}
}

/*
 * A queue's watermark: the sysfs bound (80% of the FIFO by default), at
 * most VSENSOR_WM_MAX_MS of samples so the bottom half has the rest of the
 * FIFO as slack, and lowered so that no session steered to the queue waits
 * longer than its own watermark asks (in hardware samples).
 */
static u32 __vsensor_dev_queue_wm(struct vsensor_dev *vdev,
				  struct vsensor_queue *q)
{
	u64 wm = READ_ONCE(vdev->fifo_watermark), need;
	struct vsensor_session *s;

	lockdep_assert_held(&vdev->lock);
	wm = min_t(u64, wm, max_t(u64, vdev->rate * VSENSOR_WM_MAX_MS / 1000,
				  1));
	list_for_each_entry(s, &q->sessions, node) {
		need = DIV_ROUND_UP_ULL((u64)READ_ONCE(s->config.watermark) *
					vdev->rate,
					READ_ONCE(s->config.rate_hz));
		wm = min(wm, max_t(u64, need, 1));
	}
	return wm;
}

static u32 vsensor_dev_queue_wm(struct vsensor_dev *vdev,
				struct vsensor_queue *q)
{
	u32 wm;

	spin_lock_irq(&vdev->lock);
	wm = __vsensor_dev_queue_wm(vdev, q);
	spin_unlock_irq(&vdev->lock);
	return wm;
}

#define VSENSOR_CLOCK_TRIES	5

/*
 * A foreign device clock (the PCI device's is QEMU's) to CLOCK_MONOTONIC:
 * read TIME between two ktime_get_ns() and keep the tightest of a few
 * tries. The device read its clock at some instant of [t0, t1]; taking
 * t0 errs early by at most the window, so a converted timestamp is
 * never ahead of now (queue.c refuses records from the future). Measured
 * at each stream start (the first session), when no record is in flight
 * (the FIFOs are reset next), so the offset never changes under a
 * stream. The model's clock is CLOCK_MONOTONIC: offset 0, exact.
 */
void vsensor_dev_sync_clock(struct vsensor_dev *vdev)
{
	u64 t0, t1, dev_ns, best = U64_MAX;
	s64 offset = 0;
	unsigned int i;
	u32 lo, hi;

	lockdep_assert_held(&vdev->cfg_lock);
	if (vdev->backend->monotonic_clock)
		return;
	for (i = 0; i < VSENSOR_CLOCK_TRIES; i++) {
		t0 = ktime_get_ns();
		lo = vsensor_dev_read(vdev, VSN_REG_TIME_LO);	/* latches HI */
		hi = vsensor_dev_read(vdev, VSN_REG_TIME_HI);
		t1 = ktime_get_ns();
		if (lo == VSENSOR_REG_GONE && hi == VSENSOR_REG_GONE)
			return;		/* gone: keep the last offset */
		dev_ns = (u64)hi << 32 | lo;
		if (t1 - t0 < best) {
			best = t1 - t0;
			offset = (s64)(t0 - dev_ns);
		}
	}
	WRITE_ONCE(vdev->clock_offset_ns, offset);
	vdev->clock_window_ns = best;
}

static void __vsensor_dev_hw_enable(struct vsensor_dev *vdev)
{
	lockdep_assert_held(&vdev->cfg_lock);
	vsensor_dev_sync_clock(vdev);
	vsensor_dev_write(vdev, VSN_REG_CTRL, VSN_CTRL_FIFO_RESET);
	vsensor_dev_write(vdev, VSN_REG_RATE, vdev->rate);
	vsensor_dev_write(vdev, VSN_REG_IRQ_STATUS, ~0U);
	vsensor_dev_write(vdev, VSN_REG_IRQ_MASK, VSN_IRQ_TX_SPACE |
			  VSN_IRQ_ERR_MASK);
	vsensor_dev_write(vdev, VSN_REG_CTRL, VSN_CTRL_ENABLE);
}

void __vsensor_dev_hw_disable(struct vsensor_dev *vdev)
{
	lockdep_assert_held(&vdev->cfg_lock);
	vsensor_dev_write(vdev, VSN_REG_CTRL, 0);
	vsensor_dev_write(vdev, VSN_REG_IRQ_MASK, VSN_IRQ_ERR_MASK);
}

/*
 * Session @s starts streaming: the device is resumed (runtime PM), the
 * session joins its queue, where its rate and watermark count from now
 * on, and the first ones switch things on. A session revoked before
 * does not start (-ENODEV); one revoked after is stopped by the revoke,
 * which waits for this to finish (cfg_lock) before it undoes it.
 */
int vsensor_dev_start(struct vsensor_dev *vdev, struct vsensor_session *s)
{
	struct vsensor_queue *q = s->queue;
	int err;

	err = vsensor_dev_pm_get(vdev);
	if (err)
		return err;
	mutex_lock(&vdev->cfg_lock);
	spin_lock_irq(&vdev->lock);
	if (!vsensor_dev_present(vdev) || READ_ONCE(s->revoked)) {
		err = -ENODEV;
	} else {
		list_add_tail(&s->node, &q->sessions);
		vsensor_dev_bump_generation();
	}
	spin_unlock_irq(&vdev->lock);
	if (err)
		goto out_unlock;
	if (!vdev->nr_running++)
		__vsensor_dev_hw_enable(vdev);
	if (!q->nr_running++)
		vsensor_queue_enable(q, vsensor_dev_queue_wm(vdev, q));
	vsensor_queue_fit_stash(q);
out_unlock:
	mutex_unlock(&vdev->cfg_lock);
	if (err) {
		vsensor_dev_pm_put(vdev);
		return err;
	}
	vsensor_dev_update_rate(vdev);
	return 0;
}

/*
 * A session stops: the last ones switch things off (no idle interrupts),
 * and the device suspends after the autosuspend delay.
 */
void vsensor_dev_stop(struct vsensor_dev *vdev, struct vsensor_queue *q)
{
	mutex_lock(&vdev->cfg_lock);
	if (vsensor_dev_present(vdev)) {
		if (!--q->nr_running)
			vsensor_queue_disable(q);
		if (!--vdev->nr_running)
			__vsensor_dev_hw_disable(vdev);
	}
	mutex_unlock(&vdev->cfg_lock);
	vsensor_dev_pm_put(vdev);
}

/*
 * The hardware samples at the fastest rate any session asked for; each
 * session decimates to its own. Each running queue's watermark follows.
 * Call after a session's configuration may have changed.
 */
void vsensor_dev_update_rate(struct vsensor_dev *vdev)
{
	u32 wm[VSN_MAX_QUEUES];
	struct vsensor_session *s;
	bool changed;
	u32 rate = 0;
	unsigned int i;

	mutex_lock(&vdev->cfg_lock);
	spin_lock_irq(&vdev->lock);
	for (i = 0; i < vdev->nr_queues; i++)
		list_for_each_entry(s, &vdev->queues[i].sessions, node)
			rate = max(rate, s->config.rate_hz);
	changed = rate && rate != vdev->rate;
	if (changed)
		vdev->rate = rate;
	for (i = 0; i < vdev->nr_queues; i++)
		wm[i] = __vsensor_dev_queue_wm(vdev, &vdev->queues[i]);
	spin_unlock_irq(&vdev->lock);
	if (vsensor_dev_present(vdev)) {
		/* vdev->rate is what the RATE register holds: no bus read */
		if (changed)
			vsensor_dev_write(vdev, VSN_REG_RATE, vdev->rate);
		for (i = 0; i < vdev->nr_queues; i++) {
			if (!vdev->queues[i].nr_running)
				continue;
			vsensor_queue_set_wm(&vdev->queues[i], wm[i]);
			/* before the first late spell at the new rate */
			if (changed)
				vsensor_queue_fit_stash(&vdev->queues[i]);
		}
	}
	mutex_unlock(&vdev->cfg_lock);
}
