// SPDX-License-Identifier: GPL-2.0
/*
 * The vsensor driver: binds to VSN1000 slots on the vsensor bus, takes the
 * register window and interrupt vectors the bus hands it, drives the
 * hardware through them and owns the character device. Data path helpers
 * first, then device lifetime: probe, get-if-online, start/stop, remove,
 * release.
 */
#include <linux/dma-mapping.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/percpu.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/kthread.h>
#include <linux/sort.h>

#include "vsensor.h"
#include "trace.h"

#define VSENSOR_WM_MAX_MS	1
#define VSENSOR_XOVER_PIO_RUNS	15	/* records timed by PIO at probe */
#define VSENSOR_XOVER_DMA_RUNS	5	/* and DMA transfers */
#define VSENSOR_FIFO_DEPTH_MAX	65536	/* records, a queue FIFO */
#define VSENSOR_TX_DEPTH_MAX	65536	/* records, the stimulus FIFO */
/*
 * protects vsensor_devs: the bound devices, found by id for netlink; a
 * device leaves it before it goes offline
 */
static DEFINE_MUTEX(vsensor_devs_lock);
static LIST_HEAD(vsensor_devs);

/* bumped on every change to the device list or a session list (dumps) */
static atomic_t vsensor_devs_gen = ATOMIC_INIT(1);

u32 vsensor_dev_generation(void)
{
	return atomic_read(&vsensor_devs_gen);
}

static u32 vsensor_dev_read(struct vsensor_dev *vdev, u32 reg)
{
	return vsensor_hw_readl(vdev->hw, reg);
}

static void vsensor_dev_write(struct vsensor_dev *vdev, u32 reg, u32 val)
{
	vsensor_hw_writel(vdev->hw, reg, val);
}

/* Hand a batch of samples to every session steered to @q. */
void vsensor_dev_fan_out(struct vsensor_dev *vdev, struct vsensor_queue *q,
			 const struct vsensor_record *recs, u32 n)
{
	struct vsensor_session *s;
	unsigned long flags;

	/* the bottom half's thread, busy pollers and the top half's fast path */
	spin_lock_irqsave(&vdev->lock, flags);
	list_for_each_entry(s, &q->sessions, node)
		vsensor_session_deliver(s, recs, n);
	spin_unlock_irqrestore(&vdev->lock, flags);
}

/* One wake-up per session per drained batch, not one per record. */
void vsensor_dev_notify(struct vsensor_dev *vdev, struct vsensor_queue *q)
{
	struct vsensor_session *s;
	unsigned long flags;

	spin_lock_irqsave(&vdev->lock, flags);
	list_for_each_entry(s, &q->sessions, node)
		vsensor_session_notify(s);
	spin_unlock_irqrestore(&vdev->lock, flags);
	vsensor_led_activity(vdev);
}

/* Transmit vector, top half only: stimulus FIFO room for writers. */
static irqreturn_t vsensor_dev_tx_irq(int irq, void *data)
{
	struct vsensor_dev *vdev = data;
	u32 status;

	this_cpu_inc(*vdev->vecs[VSN_VEC_TX(vdev->nr_queues)].top);
	status = vsensor_dev_read(vdev, VSN_REG_IRQ_STATUS) & VSN_IRQ_TX_SPACE;
	if (!status)
		return IRQ_NONE;
	vsensor_dev_write(vdev, VSN_REG_IRQ_STATUS, status);
	WRITE_ONCE(vdev->tx_room, true);
	wake_up_interruptible_poll(&vdev->tx_wait, EPOLLOUT);
	return IRQ_HANDLED;
}

/* Error vector, top half: acknowledge and leave the rest to the thread. */
static irqreturn_t vsensor_dev_err_irq(int irq, void *data)
{
	struct vsensor_dev *vdev = data;
	u32 status;

	this_cpu_inc(*vdev->vecs[VSN_VEC_ERR(vdev->nr_queues)].top);
	status = vsensor_dev_read(vdev, VSN_REG_IRQ_STATUS) & VSN_IRQ_ERR_MASK;
	if (!status)
		return IRQ_NONE;
	vsensor_dev_write(vdev, VSN_REG_IRQ_STATUS, status);
	/* the thread reads and clears the word: each cause once per message */
	atomic_long_or(status, (atomic_long_t *)&vdev->err_pending);
	return IRQ_WAKE_THREAD;
}

static void vsensor_dev_account_overflow(struct vsensor_dev *vdev)
{
	unsigned int i;
	u32 lost;

	for (i = 0; i < vdev->nr_queues; i++) {
		lost = vsensor_dev_read(vdev, VSN_REG_QUEUE(i) + VSN_Q_LOST);
		atomic64_add(lost, &vdev->stats.overruns);
	}
}

/*
 * The IOMMU blocked DMA writes: count them, log once per burst (a burst
 * ends after a second without faults) and tell userspace with a uevent.
 */
static void vsensor_dev_account_fault(struct vsensor_dev *vdev)
{
	char event_env[] = "VSENSOR_EVENT=iommu_fault";
	char iova_env[40], count_env[40];
	char *envp[4] = { event_env, iova_env, count_env };
	u32 faults, fresh;
	u64 iova;

	faults = vsensor_dev_read(vdev, VSN_REG_IOMMU_FAULTS);
	iova = (u64)vsensor_dev_read(vdev, VSN_REG_FAULT_IOVA_HI) << 32 |
	       vsensor_dev_read(vdev, VSN_REG_FAULT_IOVA_LO);
	fresh = faults - vdev->iommu_faults_seen;
	vdev->iommu_faults_seen = faults;
	atomic64_add(fresh, &vdev->stats.iommu_faults);
	if (!fresh)
		return;
	trace_vsensor_iommu_fault(vdev->info.id, iova);
	vsensor_nl_notify_iommu_fault(vdev, iova);
	if (time_after(jiffies, vdev->fault_burst_end)) {
		dev_err(vdev->misc.parent,
			"IOMMU fault: DMA write to unmapped IOVA %#llx blocked (%u in all)\n",
			iova, faults);
		snprintf(iova_env, sizeof(iova_env), "VSENSOR_IOVA=%#llx", iova);
		snprintf(count_env, sizeof(count_env), "VSENSOR_FAULTS=%u",
			 faults);
		kobject_uevent_env(&vdev->bdev->dev.kobj, KOBJ_CHANGE, envp);
	}
	vdev->fault_burst_end = jiffies + HZ;
}

static irqreturn_t vsensor_dev_err_thread(int irq, void *data)
{
	struct vsensor_dev *vdev = data;
	unsigned long pending;

	this_cpu_inc(*vdev->vecs[VSN_VEC_ERR(vdev->nr_queues)].bottom);
	pending = atomic_long_xchg((atomic_long_t *)&vdev->err_pending, 0);
	if (pending & VSN_IRQ_OVERFLOW)
		vsensor_dev_account_overflow(vdev);
	if (pending & VSN_IRQ_IOMMU_FAULT)
		vsensor_dev_account_fault(vdev);
	return IRQ_HANDLED;
}

/*
 * Steering: a session goes to the queue whose vector is delivered to the
 * CPU it was opened on, so its wake-ups stay local.
 */
static struct vsensor_queue *vsensor_dev_pick_queue(struct vsensor_dev *vdev)
{
	unsigned int cpu = raw_smp_processor_id();
	const struct cpumask *mask;
	unsigned int i;

	for (i = 0; i < vdev->nr_queues; i++) {
		mask = irq_get_effective_affinity_mask(vdev->queues[i].vec->virq);
		if (mask && cpumask_test_cpu(cpu, mask))
			return &vdev->queues[i];
	}
	return &vdev->queues[cpu % vdev->nr_queues];
}

/*
 * Get if online: take a reference and pick session @s's queue in one step
 * under the lock that removal takes, so a session can never attach to a
 * device that is going away. It joins the device's list (netlink, revoke)
 * at once, its queue once it starts (vsensor_dev_start()).
 * A device takes VSENSOR_MAX_SESSIONS at most: -EUSERS beyond.
 */
int vsensor_dev_attach(struct vsensor_dev *vdev, struct vsensor_session *s)
{
	int err = -ENODEV;

	spin_lock_irq(&vdev->lock);
	if (vdev->online && vdev->nr_sessions >= VSENSOR_MAX_SESSIONS) {
		err = -EUSERS;
	} else if (vdev->online) {
		kref_get(&vdev->kref);
		WRITE_ONCE(vdev->nr_sessions, vdev->nr_sessions + 1);
		s->queue = vsensor_dev_pick_queue(vdev);
		list_add_tail(&s->dev_node, &vdev->sessions);
		atomic_inc(&vsensor_devs_gen);
		err = 0;
	}
	spin_unlock_irq(&vdev->lock);
	return err;
}

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
	atomic_inc(&vsensor_devs_gen);
	spin_unlock_irq(&vdev->lock);
	if (running) {
		vsensor_dev_update_rate(vdev);
		vsensor_dev_stop(vdev, s->queue);
	}
}

/*
 * Revoke session @session_id (SESSION_REVOKE): cut it off and take it off
 * its queue, so that its rate and watermark no longer count and it no
 * longer keeps the queue running and the device resumed. It stays in the
 * device's list (netlink, sessions_open) until it is closed. The stop runs
 * after the lock, on the queue alone: the session may be closed by then.
 * Returns true if the session is one of @vdev's.
 */
bool vsensor_dev_revoke(struct vsensor_dev *vdev, u64 session_id)
{
	struct vsensor_queue *q = NULL;
	struct vsensor_session *s;
	bool found = false;

	spin_lock_irq(&vdev->lock);
	list_for_each_entry(s, &vdev->sessions, dev_node) {
		if (s->id != session_id)
			continue;
		found = true;
		vsensor_session_revoke(s);
		if (!list_empty(&s->node)) {
			list_del_init(&s->node);
			q = s->queue;
		}
		atomic_inc(&vsensor_devs_gen);
		break;
	}
	spin_unlock_irq(&vdev->lock);
	if (q) {
		vsensor_dev_update_rate(vdev);
		vsensor_dev_stop(vdev, q);
	}
	return found;
}

static void vsensor_dev_release(struct kref *kref)
{
	struct vsensor_dev *vdev = container_of(kref, struct vsensor_dev, kref);
	unsigned int i;

	for (i = 0; vdev->queues && i < vdev->nr_queues; i++)
		vsensor_queue_free(&vdev->queues[i]);
	kfree(vdev->queues);
	vsensor_nl_dev_flush(vdev);
	put_device(vdev->dev);
	for (i = 0; i < ARRAY_SIZE(vdev->vecs); i++) {
		free_percpu(vdev->vecs[i].top);
		free_percpu(vdev->vecs[i].bottom);
	}
	kfree(vdev);
}

void vsensor_dev_put(struct vsensor_dev *vdev)
{
	kref_put(&vdev->kref, vsensor_dev_release);
}

/* Get if online, by device id: one step under the device list's lock. */
struct vsensor_dev *vsensor_dev_get_by_id(u32 id)
{
	struct vsensor_dev *vdev;

	mutex_lock(&vsensor_devs_lock);
	list_for_each_entry(vdev, &vsensor_devs, list_node) {
		if (vdev->info.id == id) {
			kref_get(&vdev->kref);
			mutex_unlock(&vsensor_devs_lock);
			return vdev;
		}
	}
	mutex_unlock(&vsensor_devs_lock);
	return NULL;
}

/* The @n-th bound device (from 0), referenced; NULL past the end. */
struct vsensor_dev *vsensor_dev_get_nth(unsigned long n)
{
	struct vsensor_dev *vdev;

	mutex_lock(&vsensor_devs_lock);
	list_for_each_entry(vdev, &vsensor_devs, list_node) {
		if (!n--) {
			kref_get(&vdev->kref);
			mutex_unlock(&vsensor_devs_lock);
			return vdev;
		}
	}
	mutex_unlock(&vsensor_devs_lock);
	return NULL;
}

unsigned int vsensor_dev_nr_sessions(struct vsensor_dev *vdev)
{
	return READ_ONCE(vdev->nr_sessions);
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

static void __vsensor_dev_hw_enable(struct vsensor_dev *vdev)
{
	lockdep_assert_held(&vdev->cfg_lock);
	vsensor_dev_write(vdev, VSN_REG_CTRL, VSN_CTRL_FIFO_RESET);
	vsensor_dev_write(vdev, VSN_REG_RATE, vdev->rate);
	vsensor_dev_write(vdev, VSN_REG_IRQ_STATUS, ~0U);
	vsensor_dev_write(vdev, VSN_REG_IRQ_MASK, VSN_IRQ_TX_SPACE |
			  VSN_IRQ_ERR_MASK);
	vsensor_dev_write(vdev, VSN_REG_CTRL, VSN_CTRL_ENABLE);
}

static void __vsensor_dev_hw_disable(struct vsensor_dev *vdev)
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
	if (!vdev->hw || READ_ONCE(s->revoked)) {
		err = -ENODEV;
	} else {
		list_add_tail(&s->node, &q->sessions);
		atomic_inc(&vsensor_devs_gen);
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
	if (vdev->hw) {
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
	if (vdev->hw) {
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
	smp_mb();	/* the flag is clear before the level is read */
	/* the writer's session runs, unless a revoke just stopped it */
	if (!vdev->hw || !vsensor_dev_pm_get_if_active(vdev))
		err = -ENODEV;
	else if (vsensor_dev_read(vdev, VSN_REG_TX_LEVEL) >= vdev->tx_depth)
		err = -EAGAIN;
	else
		for (ch = 0; ch < vdev->info.nr_channels; ch++)
			vsensor_dev_write(vdev, VSN_REG_TX_DATA, (u32)value[ch]);
	if (err != -ENODEV)
		vsensor_dev_pm_put(vdev);
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
	/* asleep: no session runs here, there is no room to write to */
	if (vdev->hw && vsensor_dev_pm_get_if_active(vdev)) {
		room = vsensor_dev_read(vdev, VSN_REG_TX_LEVEL) < vdev->tx_depth;
		vsensor_dev_pm_put(vdev);
	}
	mutex_unlock(&vdev->cfg_lock);
	return room;
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

/* Take the interrupt vectors the bus describes, in order. */
static int vsensor_dev_get_vectors(struct vsensor_dev *vdev)
{
	struct vsensor_bus_dev *bdev = vdev->bdev;
	struct resource *res;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vdev->vecs); i++) {
		res = vsensor_bus_get_resource(bdev, IORESOURCE_IRQ, i);
		if (!res)
			break;
		vdev->vecs[i].virq = res->start;
		snprintf(vdev->vecs[i].name, sizeof(vdev->vecs[i].name),
			 "%s-%s", vdev->name, res->name);
		vdev->vecs[i].top = alloc_percpu(u64);
		vdev->vecs[i].bottom = alloc_percpu(u64);
		if (!vdev->vecs[i].top || !vdev->vecs[i].bottom)
			return -ENOMEM;
	}
	vdev->nr_vecs = i;
	return 0;
}

static int vsensor_dev_request_irqs(struct vsensor_dev *vdev)
{
	struct vsensor_vec *tx = &vdev->vecs[VSN_VEC_TX(vdev->nr_queues)];
	struct vsensor_vec *err = &vdev->vecs[VSN_VEC_ERR(vdev->nr_queues)];
	int ret;

	ret = request_irq(tx->virq, vsensor_dev_tx_irq, 0, tx->name, vdev);
	if (ret)
		return ret;
	ret = request_threaded_irq(err->virq, vsensor_dev_err_irq,
				   vsensor_dev_err_thread, 0, err->name, vdev);
	if (ret)
		free_irq(tx->virq, vdev);
	return ret;
}

static void vsensor_dev_free_irqs(struct vsensor_dev *vdev)
{
	free_irq(vdev->vecs[VSN_VEC_ERR(vdev->nr_queues)].virq, vdev);
	free_irq(vdev->vecs[VSN_VEC_TX(vdev->nr_queues)].virq, vdev);
}

static void vsensor_dev_queues_shutdown(struct vsensor_dev *vdev)
{
	unsigned int i;

	for (i = vdev->nr_queues; i--; )
		vsensor_queue_shutdown(&vdev->queues[i]);
}

static int vsensor_dev_queues_init(struct vsensor_dev *vdev)
{
	unsigned int i;
	int err;

	vdev->queues = vsensor_fault_alloc(kcalloc(vdev->nr_queues,
						   sizeof(*vdev->queues), GFP_KERNEL));
	if (!vdev->queues)
		return -ENOMEM;
	for (i = 0; i < vdev->nr_queues; i++) {
		err = vsensor_queue_init(&vdev->queues[i], vdev, i,
					 &vdev->vecs[i]);
		if (err) {
			vsensor_dev_queues_shutdown(vdev);
			return err;
		}
	}
	return 0;
}

/*
 * The guard page: mapped for the device, filled, then unmapped, so its
 * IOVA is stale. The IOMMU must keep a wild DMA write to it out.
 */
static int vsensor_dev_guard_init(struct vsensor_dev *vdev, struct device *dev)
{
	int err;

	vdev->guard = vsensor_fault_alloc(alloc_page(GFP_KERNEL));
	if (!vdev->guard)
		return -ENOMEM;
	memset(page_address(vdev->guard), VSENSOR_GUARD_BYTE, PAGE_SIZE);
	vdev->guard_dma = dma_map_page(dev, vdev->guard, 0, PAGE_SIZE,
				       DMA_FROM_DEVICE);
	err = dma_mapping_error(dev, vdev->guard_dma);
	if (err)
		goto err_free;
	err = vsensor_iommu_map(vdev->hw, vdev->guard_dma, PAGE_SIZE,
				&vdev->guard_iova);
	if (err)
		goto err_unmap;
	vsensor_iommu_unmap(vdev->hw, vdev->guard_iova, PAGE_SIZE);
	return 0;

err_unmap:
	dma_unmap_page(dev, vdev->guard_dma, PAGE_SIZE, DMA_FROM_DEVICE);
err_free:
	__free_page(vdev->guard);
	vdev->guard = NULL;
	return err;
}

static void vsensor_dev_guard_exit(struct vsensor_dev *vdev, struct device *dev)
{
	dma_unmap_page(dev, vdev->guard_dma, PAGE_SIZE, DMA_FROM_DEVICE);
	__free_page(vdev->guard);
	vdev->guard = NULL;
}

static int vsensor_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

struct vsensor_crossover {
	struct vsensor_queue *q;
	struct completion done;
	u64 pio_ns[VSENSOR_XOVER_PIO_RUNS];
	u64 dma_ns[VSENSOR_XOVER_DMA_RUNS];
};

static void vsensor_dev_time_crossover(struct vsensor_crossover *x)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(x->pio_ns); i++)
		x->pio_ns[i] = vsensor_queue_time_pio(x->q);
	for (i = 0; i < ARRAY_SIZE(x->dma_ns); i++)
		x->dma_ns[i] = vsensor_queue_time_dma(x->q);
	sort(x->pio_ns, ARRAY_SIZE(x->pio_ns), sizeof(u64), vsensor_cmp_u64,
	     NULL);
	sort(x->dma_ns, ARRAY_SIZE(x->dma_ns), sizeof(u64), vsensor_cmp_u64,
	     NULL);
}

/*
 * Timed from a thread like the bottom half's: SCHED_FIFO at the irq
 * threads' priority, on the CPU the queue's vector is delivered to, so the
 * completion's wake-up does not wait behind ordinary tasks (at probe, often
 * the rest of the boot).
 */
static int vsensor_dev_crossover_thread(void *data)
{
	struct vsensor_crossover *x = data;

	vsensor_dev_time_crossover(x);
	kthread_complete_and_exit(&x->done, 0);
}

/*
 * The PIO/DMA crossover, measured like with like: the median cost of one
 * record by PIO against the median cost of an (empty) DMA transfer, both
 * timed the way the bottom half pays them (a DMA transfer includes the
 * completion interrupt and the wake-up).
 */
static void vsensor_dev_measure_crossover(struct vsensor_dev *vdev)
{
	struct vsensor_crossover x = { .q = &vdev->queues[0] };
	const struct cpumask *mask;
	struct task_struct *task;
	unsigned int cpu;

	init_completion(&x.done);
	mask = irq_get_effective_affinity_mask(x.q->vec->virq);
	cpu = mask ? cpumask_first_and(mask, cpu_online_mask) : nr_cpu_ids;
	task = kthread_create(vsensor_dev_crossover_thread, &x, "%s-xover",
			      vdev->name);
	if (IS_ERR(task)) {
		vsensor_dev_time_crossover(&x);
	} else {
		if (cpu < nr_cpu_ids)
			kthread_bind(task, cpu);
		sched_set_fifo(task);
		wake_up_process(task);
		wait_for_completion(&x.done);
	}
	vdev->pio_record_ns = max_t(u64, x.pio_ns[VSENSOR_XOVER_PIO_RUNS / 2],
				    1);
	vdev->dma_transfer_ns = x.dma_ns[VSENSOR_XOVER_DMA_RUNS / 2];
	vdev->dma_threshold = clamp_t(u64,
				      DIV_ROUND_UP_ULL(vdev->dma_transfer_ns,
						       vdev->pio_record_ns),
				      1, vdev->info.fifo_depth);
	atomic64_set(&vdev->stats.dma_transfers, 0);
	atomic64_set(&vdev->stats.dma_records, 0);
	dev_info(&vdev->bdev->dev,
		 "PIO %llu ns/record, DMA %llu ns/transfer: auto uses DMA from %u records\n",
		 vdev->pio_record_ns, vdev->dma_transfer_ns,
		 vdev->dma_threshold);
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

static int vsensor_probe(struct device *dev)
{
	struct vsensor_bus_dev *bdev = to_vsensor_bus_dev(dev);
	struct vsensor_dev *vdev;
	struct resource *res;
	int err;

	err = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64));
	if (err)
		return err;
	vdev = vsensor_fault_alloc(kzalloc(sizeof(*vdev), GFP_KERNEL));
	if (!vdev)
		return -ENOMEM;
	kref_init(&vdev->kref);
	spin_lock_init(&vdev->lock);
	mutex_init(&vdev->cfg_lock);
	INIT_LIST_HEAD(&vdev->sessions);
	init_waitqueue_head(&vdev->tx_wait);
	INIT_LIST_HEAD(&vdev->list_node);
	vsensor_nl_dev_init(vdev);
	vdev->bdev = bdev;
	vdev->dev = get_device(dev);	/* sessions may outlive the binding */
	snprintf(vdev->name, sizeof(vdev->name), VSENSOR_NAME "%u", bdev->id);

	res = vsensor_bus_get_resource(bdev, IORESOURCE_MEM, 0);
	vdev->hw = res ? vsensor_bus_ioremap(bdev, res) : NULL;
	if (!vdev->hw) {
		dev_err(dev, "no register window\n");
		err = -ENODEV;
		goto err_put;
	}
	if (vsensor_dev_read(vdev, VSN_REG_ID) != VSN_ID_MAGIC) {
		dev_err(dev, "unexpected hardware id\n");
		err = -ENODEV;
		goto err_put;
	}
	vsensor_dev_read_info(vdev);
	err = vsensor_dev_get_vectors(vdev) ?:
	      vsensor_dev_check_info(vdev, dev);
	if (err)
		goto err_put;
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
		goto err_put;
	err = vsensor_fault_err(-EBUSY) ?: vsensor_dev_request_irqs(vdev);
	if (err)
		goto err_guard_exit;
	err = vsensor_dev_queues_init(vdev);
	if (err)
		goto err_free_irqs;
	vsensor_dev_write(vdev, VSN_REG_IRQ_MASK, VSN_IRQ_ERR_MASK);
	vsensor_dev_measure_crossover(vdev);

	vdev->online = true;
	dev_set_drvdata(dev, vdev);
	vsensor_debugfs_dev_add(vdev);
	vsensor_dev_pm_init(vdev);
	err = vsensor_led_add(vdev);
	if (err)
		goto err_pm_exit;
	/* last: once the node exists, sessions may hold the device */
	err = vsensor_fault_err(-EBUSY) ?: misc_register(&vdev->misc);
	if (err)
		goto err_led_del;

	mutex_lock(&vsensor_devs_lock);
	list_add_tail(&vdev->list_node, &vsensor_devs);
	atomic_inc(&vsensor_devs_gen);
	mutex_unlock(&vsensor_devs_lock);
	vsensor_nl_notify_device(vdev, VSENSOR_CMD_DEVICE_ADDED);
	return 0;

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
err_put:
	vsensor_dev_put(vdev);
	return err;
}

/*
 * Surprise removal: no new opens, mark offline, hang up every session
 * (they see -ENODEV once drained), stop the hardware and its interrupts,
 * drop our reference. Sessions still open keep the vsensor_dev (not the
 * hardware) alive.
 */
static void vsensor_remove(struct device *dev)
{
	struct vsensor_dev *vdev = dev_get_drvdata(dev);
	struct vsensor_session *s;

	/* netlink can no longer find it, then no one can open it */
	mutex_lock(&vsensor_devs_lock);
	list_del_init(&vdev->list_node);
	atomic_inc(&vsensor_devs_gen);
	mutex_unlock(&vsensor_devs_lock);
	misc_deregister(&vdev->misc);
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
	vsensor_dev_guard_exit(vdev, dev);
	vdev->hw = NULL;
	vdev->bdev = NULL;
	mutex_unlock(&vdev->cfg_lock);

	vsensor_led_del(vdev);
	vsensor_nl_notify_device(vdev, VSENSOR_CMD_DEVICE_REMOVED);
	vsensor_dev_put(vdev);
}

static const struct vsensor_device_id vsensor_ids[] = {
	{ .model = VSENSOR_MODEL_ID },
	{ }
};

/* modpost knows no vsensor table type: give the alias it would derive */
MODULE_ALIAS(VSENSOR_NAME ":" VSENSOR_MODEL_ID);

static struct vsensor_driver vsensor_driver = {
	.driver = {
		.name = VSENSOR_NAME,
		.bus = &vsensor_bus_type,
		.owner = THIS_MODULE,
		.dev_groups = vsensor_dev_groups,
		.pm = &vsensor_pm_ops,
	},
	.id_table = vsensor_ids,
	.probe = vsensor_probe,
	.remove = vsensor_remove,
};

int vsensor_driver_init(void)
{
	return driver_register(&vsensor_driver.driver);
}

void vsensor_driver_exit(void)
{
	driver_unregister(&vsensor_driver.driver);
}
