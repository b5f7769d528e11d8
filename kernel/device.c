// SPDX-License-Identifier: GPL-2.0
/*
 * The device object (struct vsensor_dev): its life (alloc, the kref and
 * release), the registry of bound devices that netlink finds them in, and
 * get-if-online for sessions. Probe and remove, which build and tear one
 * down, are in driver.c; what runs on a live device (streaming, vectors,
 * transmit, the PIO/DMA crossover, runtime PM) in files of its own.
 */
#include <linux/idr.h>
#include <linux/irq.h>
#include <linux/percpu.h>
#include <linux/slab.h>

#include "vsensor.h"
/*
 * protects vsensor_devs: the bound devices, found by id for netlink; a
 * device leaves it before it goes offline
 */
static DEFINE_MUTEX(vsensor_devs_lock);
static LIST_HEAD(vsensor_devs);

/*
 * Device ids (vsensorN) of every backend, one namespace: a sim device
 * claims the id its user chose, a PCI device takes the lowest free from
 * VSENSOR_PCI_ID_MIN; an id in use refuses the second device (-EBUSY).
 * An id is held from probe to remove (not to the last close), as the
 * sim's slot ids are.
 */
static DEFINE_IDA(vsensor_dev_ids);

/* bumped on every change to the device list or a session list (dumps) */
static atomic_t vsensor_devs_gen = ATOMIC_INIT(1);

u32 vsensor_dev_generation(void)
{
	return atomic_read(&vsensor_devs_gen);
}

void vsensor_dev_bump_generation(void)
{
	atomic_inc(&vsensor_devs_gen);
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
 * A device object for bus device @dev on @backend, with device id @id
 * (VSENSOR_DEV_ID_ANY: the lowest free from VSENSOR_PCI_ID_MIN),
 * referenced (one kref, held by the binding until remove()); NULL with
 * *@err set: -ENOMEM, or -EBUSY when the id is taken (or none is free).
 */
struct vsensor_dev *vsensor_dev_alloc(struct device *dev,
				      const struct vsensor_backend *backend,
				      u32 id, int *err)
{
	struct vsensor_dev *vdev;
	int ret;

	vdev = vsensor_fault_alloc(kzalloc(sizeof(*vdev), GFP_KERNEL));
	if (!vdev) {
		*err = -ENOMEM;
		return NULL;
	}
	if (id == VSENSOR_DEV_ID_ANY)
		ret = ida_alloc_range(&vsensor_dev_ids, VSENSOR_PCI_ID_MIN,
				      VSENSOR_DEV_ID_MAX, GFP_KERNEL);
	else
		ret = ida_alloc_range(&vsensor_dev_ids, id, id, GFP_KERNEL);
	if (ret < 0) {
		kfree(vdev);
		*err = ret == -ENOSPC ? -EBUSY : ret;
		return NULL;
	}
	vdev->info.id = ret;
	vdev->id_held = true;
	vdev->backend = backend;
	kref_init(&vdev->kref);
	spin_lock_init(&vdev->lock);
	mutex_init(&vdev->cfg_lock);
	INIT_LIST_HEAD(&vdev->sessions);
	init_waitqueue_head(&vdev->tx_wait);
	INIT_LIST_HEAD(&vdev->list_node);
	vsensor_notify_dev_init(vdev);
	vdev->dev = get_device(dev);	/* sessions may outlive the binding */
	snprintf(vdev->name, sizeof(vdev->name), VSENSOR_NAME "%u",
		 vdev->info.id);
	return vdev;
}

/* The id is free for the next device (remove(); the release otherwise). */
void vsensor_dev_release_id(struct vsensor_dev *vdev)
{
	if (vdev->id_held)
		ida_free(&vsensor_dev_ids, vdev->info.id);
	vdev->id_held = false;
}

static void vsensor_dev_release(struct kref *kref)
{
	struct vsensor_dev *vdev = container_of(kref, struct vsensor_dev, kref);
	unsigned int i;

	for (i = 0; vdev->queues && i < vdev->nr_queues; i++)
		vsensor_queue_free(&vdev->queues[i]);
	kfree(vdev->queues);
	vsensor_dev_release_id(vdev);
	vsensor_notify_dev_exit(vdev);
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

/* Into the registry: netlink finds it from now on. */
void vsensor_dev_list_add(struct vsensor_dev *vdev)
{
	mutex_lock(&vsensor_devs_lock);
	list_add_tail(&vdev->list_node, &vsensor_devs);
	atomic_inc(&vsensor_devs_gen);
	mutex_unlock(&vsensor_devs_lock);
}

/* Out of the registry (remove() does it first); idempotent. */
void vsensor_dev_list_del(struct vsensor_dev *vdev)
{
	mutex_lock(&vsensor_devs_lock);
	list_del_init(&vdev->list_node);
	atomic_inc(&vsensor_devs_gen);
	mutex_unlock(&vsensor_devs_lock);
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

