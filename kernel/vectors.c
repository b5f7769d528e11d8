// SPDX-License-Identifier: GPL-2.0
/*
 * The device's own vectors (the queues' are queue.c's): transmit, which
 * wakes writers when the stimulus FIFO drains, and error, whose thread
 * accounts FIFO overflows and IOMMU faults.
 */
#include <linux/interrupt.h>
#include <linux/percpu.h>
#include <linux/poll.h>

#include "vsensor.h"
#include "trace.h"

/* Transmit vector, top half only: stimulus FIFO room for writers. */
static irqreturn_t vsensor_dev_tx_irq(int irq, void *data)
{
	struct vsensor_dev *vdev = data;
	u32 status;

	this_cpu_inc(*vdev->vecs[VSN_VEC_TX(vdev->nr_queues)].top);
	status = vsensor_dev_read(vdev, VSN_REG_IRQ_STATUS);
	/* all-ones: the device is gone (surprise removal), not a cause */
	if (status == VSENSOR_REG_GONE)
		return IRQ_NONE;
	status &= VSN_IRQ_TX_SPACE;
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
	status = vsensor_dev_read(vdev, VSN_REG_IRQ_STATUS);
	if (status == VSENSOR_REG_GONE)
		return IRQ_NONE;
	status &= VSN_IRQ_ERR_MASK;
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
		if (lost != VSENSOR_REG_GONE)
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
	if (faults == VSENSOR_REG_GONE)
		return;
	iova = (u64)vsensor_dev_read(vdev, VSN_REG_FAULT_IOVA_HI) << 32 |
	       vsensor_dev_read(vdev, VSN_REG_FAULT_IOVA_LO);
	fresh = faults - vdev->iommu_faults_seen;
	vdev->iommu_faults_seen = faults;
	atomic64_add(fresh, &vdev->stats.iommu_faults);
	if (!fresh)
		return;
	trace_vsensor_iommu_fault(vdev->info.id, iova);
	vsensor_notify_iommu_fault(vdev, iova);
	if (time_after(jiffies, vdev->fault_burst_end)) {
		dev_err(vdev->misc.parent,
			"IOMMU fault: DMA write to unmapped IOVA %#llx blocked (%u in all)\n",
			iova, faults);
		snprintf(iova_env, sizeof(iova_env), "VSENSOR_IOVA=%#llx", iova);
		snprintf(count_env, sizeof(count_env), "VSENSOR_FAULTS=%u",
			 faults);
		kobject_uevent_env(&vdev->dev->kobj, KOBJ_CHANGE, envp);
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
 * The backend hands over the device's next vector (queues, then tx,
 * then err): Linux irq @virq, requested later as "vsensorN-@suffix".
 */
int vsensor_dev_add_vector(struct vsensor_dev *vdev, unsigned int virq,
			   const char *suffix)
{
	struct vsensor_vec *vec;

	if (vdev->nr_vecs >= ARRAY_SIZE(vdev->vecs))
		return -EINVAL;
	vec = &vdev->vecs[vdev->nr_vecs];
	vec->virq = virq;
	snprintf(vec->name, sizeof(vec->name), "%s-%s", vdev->name, suffix);
	vec->top = alloc_percpu(u64);
	vec->bottom = alloc_percpu(u64);
	if (!vec->top || !vec->bottom)
		return -ENOMEM;
	vdev->nr_vecs++;
	return 0;
}

int vsensor_dev_request_irqs(struct vsensor_dev *vdev)
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

void vsensor_dev_free_irqs(struct vsensor_dev *vdev)
{
	free_irq(vdev->vecs[VSN_VEC_ERR(vdev->nr_queues)].virq, vdev);
	free_irq(vdev->vecs[VSN_VEC_TX(vdev->nr_queues)].virq, vdev);
}
