// SPDX-License-Identifier: GPL-2.0
/*
 * Events of the driver's objects, told to one listener (netlink.c's events
 * group). The layers below the control plane (device, session, settings,
 * the data path, the error vector) report here and never call up into the
 * netlink ops layer. This file keeps the rules every listener relies on:
 * a device is added, then changed, then removed, and nothing follows its
 * removal; events raised in atomic context are sent later, in order, from
 * the device's work; none is dropped without being counted. The listener
 * builds and sends the messages.
 *
 * The listener registers before the driver binds any device and
 * unregisters after the last one is gone (main.c's order), so events never
 * race its (un)registration.
 */
#include <linux/slab.h>

#include "vsensor.h"

/* events raised in atomic context wait at most this many per device */
#define VSENSOR_NOTIFY_MAX_PENDING	64

/* An event raised in atomic context, waiting for the device's work. */
struct vsensor_notify_item {
	struct llist_node node;
	u8 cmd;
	u64 session_id;
	u64 iova;
};

static const struct vsensor_listener *vsensor_listener;

void vsensor_notify_register(const struct vsensor_listener *l)
{
	WRITE_ONCE(vsensor_listener, l);
}

void vsensor_notify_unregister(void)
{
	WRITE_ONCE(vsensor_listener, NULL);
}

/* The listener, if it wants events now (any context). */
static const struct vsensor_listener *vsensor_notify_listener(void)
{
	const struct vsensor_listener *l = READ_ONCE(vsensor_listener);

	return l && l->listening() ? l : NULL;
}

/* Which device event may follow which, and what it leads to. */
static const struct {
	u8 cmd;
	enum vsensor_notify_state from, to;
} vsensor_notify_dev_steps[] = {
	{ VSENSOR_CMD_DEVICE_ADDED, VSENSOR_NOTIFY_UNANNOUNCED, VSENSOR_NOTIFY_ANNOUNCED },
	{ VSENSOR_CMD_DEVICE_CHANGED, VSENSOR_NOTIFY_ANNOUNCED, VSENSOR_NOTIFY_ANNOUNCED },
	{ VSENSOR_CMD_DEVICE_REMOVED, VSENSOR_NOTIFY_ANNOUNCED, VSENSOR_NOTIFY_REMOVED },
};

/*
 * Device added, removed (identity only) or changed (process context). A
 * change is told only between the addition and the removal, whatever the
 * race between a setter and probe or remove: a DEVICE_SET that loses to
 * the removal says nothing, one that wins over the announcement is in the
 * DEVICE_ADDED message's values.
 */
void vsensor_notify_device(struct vsensor_dev *vdev, u8 cmd)
{
	const struct vsensor_event ev = { .cmd = cmd, .vdev = vdev };
	const struct vsensor_listener *l;
	unsigned int i;

	might_sleep();
	/* events raised before the removal go out before it */
	if (cmd == VSENSOR_CMD_DEVICE_REMOVED)
		flush_work(&vdev->notify_work);
	mutex_lock(&vdev->notify_lock);
	for (i = 0; i < ARRAY_SIZE(vsensor_notify_dev_steps); i++) {
		if (vsensor_notify_dev_steps[i].cmd != cmd ||
		    vsensor_notify_dev_steps[i].from != vdev->notify_state)
			continue;
		vdev->notify_state = vsensor_notify_dev_steps[i].to;
		l = vsensor_notify_listener();
		if (l)
			l->send(&ev);
		break;
	}
	mutex_unlock(&vdev->notify_lock);
}

/* Session opened or closed (process context). */
void vsensor_notify_session(struct vsensor_session *s, u8 cmd)
{
	const struct vsensor_event ev = {
		.cmd = cmd, .vdev = s->vdev, .session = s,
		.session_id = s->id,
	};
	const struct vsensor_listener *l;

	might_sleep();
	l = vsensor_notify_listener();
	if (l)
		l->send(&ev);
}

/* Sends, in order, the events raised in atomic context. */
static void vsensor_notify_work(struct work_struct *work)
{
	struct vsensor_dev *vdev = container_of(work, struct vsensor_dev,
						notify_work);
	struct vsensor_notify_item *it, *tmp;
	const struct vsensor_listener *l;
	struct llist_node *list;
	struct vsensor_event ev = { .vdev = vdev };

	list = llist_reverse_order(llist_del_all(&vdev->notify_items));
	llist_for_each_entry_safe(it, tmp, list, node) {
		atomic_dec(&vdev->notify_pending);
		ev.cmd = it->cmd;
		ev.session_id = it->session_id;
		ev.iova = it->iova;
		ev.lost = atomic_xchg(&vdev->notify_lost, 0);
		l = READ_ONCE(vsensor_listener);
		if (l)
			l->send(&ev);
		kfree(it);
	}
}

/* Any context, hard interrupt included: queue the event for the work. */
static void vsensor_notify_defer(struct vsensor_dev *vdev, u8 cmd,
				 u64 session_id, u64 iova)
{
	struct vsensor_notify_item *it;

	if (!vsensor_notify_listener())
		return;
	if (atomic_inc_return(&vdev->notify_pending) >
	    VSENSOR_NOTIFY_MAX_PENDING)
		goto err_lost;
	it = kzalloc(sizeof(*it), GFP_ATOMIC);
	if (!it)
		goto err_lost;
	it->cmd = cmd;
	it->session_id = session_id;
	it->iova = iova;
	llist_add(&it->node, &vdev->notify_items);
	schedule_work(&vdev->notify_work);
	return;

err_lost:
	atomic_dec(&vdev->notify_pending);
	atomic_inc(&vdev->notify_lost);
}

/* A session began to lose records. Any context. */
void vsensor_notify_overrun(struct vsensor_dev *vdev, u64 session_id)
{
	vsensor_notify_defer(vdev, VSENSOR_CMD_OVERRUN, session_id, 0);
}

/* The IOMMU refused a device access at @iova. Any context. */
void vsensor_notify_iommu_fault(struct vsensor_dev *vdev, u64 iova)
{
	vsensor_notify_defer(vdev, VSENSOR_CMD_IOMMU_FAULT, 0, iova);
}

void vsensor_notify_dev_init(struct vsensor_dev *vdev)
{
	mutex_init(&vdev->notify_lock);
	vdev->notify_state = VSENSOR_NOTIFY_UNANNOUNCED;
	init_llist_head(&vdev->notify_items);
	atomic_set(&vdev->notify_pending, 0);
	atomic_set(&vdev->notify_lost, 0);
	INIT_WORK(&vdev->notify_work, vsensor_notify_work);
}

/* At release: nothing can raise events any more; drop what was not sent. */
void vsensor_notify_dev_exit(struct vsensor_dev *vdev)
{
	struct vsensor_notify_item *it, *tmp;

	cancel_work_sync(&vdev->notify_work);
	llist_for_each_entry_safe(it, tmp, llist_del_all(&vdev->notify_items),
				  node)
		kfree(it);
	mutex_destroy(&vdev->notify_lock);
}
