// SPDX-License-Identifier: GPL-2.0
/*
 * The PIO/DMA crossover, measured at probe: from how many records a DMA
 * transfer costs less than reading them one word at a time, which the
 * "auto" transfer mode then uses (docs/hardware.md).
 */
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/kthread.h>
#include <linux/sort.h>

#include "vsensor.h"

#define VSENSOR_XOVER_PIO_RUNS	15	/* records timed by PIO at probe */
#define VSENSOR_XOVER_DMA_RUNS	5	/* and DMA transfers */

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
void vsensor_dev_measure_crossover(struct vsensor_dev *vdev)
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
	dev_info(vdev->dev,
		 "PIO %llu ns/record, DMA %llu ns/transfer: auto uses DMA from %u records\n",
		 vdev->pio_record_ns, vdev->dma_transfer_ns,
		 vdev->dma_threshold);
}
