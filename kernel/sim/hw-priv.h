/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the simulated VSN1000: state shared by the sensor core (hw.c) and
 * its DMA engine and IOMMU (hw-dma.c). Nothing outside the model includes
 * this; the driver sees only hw.h.
 */
#ifndef _VSENSOR_HW_PRIV_H
#define _VSENSOR_HW_PRIV_H

#include <linux/hrtimer.h>
#include <linux/lockdep.h>
#include <linux/spinlock.h>

#include "hw.h"
#include "irq.h"

#define VSN_IOVA_BASE		0x40000000ULL
#define VSN_IOMMU_PAGES		512		/* a 2 MiB window */

struct vsn_fifo_rec {
	u32 seq;
	u32 flags;
	u64 ts;
	s32 value[VSN_MAX_VALUES];
};

struct vsn_queue {
	struct vsensor_hw *hw;
	unsigned int index;
	u32 ctrl, wm, status, mask, lost;
	struct vsn_fifo_rec *fifo;
	u32 head, tail;			/* free-running */
	u32 rd_word;			/* next Q_DATA word of the head */
	/* DMA engine */
	u64 desc_iova;
	u32 desc_count;
	u32 dma_req, dma_done, dma_status;
	struct hrtimer dma_timer;	/* the transfer's duration */
};

struct vsensor_hw {
	struct device *dev;		/* the bus device, for DMA addresses */
	const char *name;
	u32 nr_channels;
	u32 fifo_depth;			/* power of two */
	u32 rate_max;
	u32 nr_queues;
	struct vsensor_irq_vec *vecs;	/* VSN_NR_VECTORS(nr_queues) */
	u32 bad_reg, bad_reg_value;	/* a misreported register (inject_reg) */

	/* protects registers, FIFOs, DMA engines: everything up to iommu_lock */
	spinlock_t lock;
	u32 ctrl, rate, irq_status, irq_mask;
	u32 power;			/* VSN_POWER_* */
	u32 d3_accesses;		/* registers accessed in D3: driver bugs */
	u32 wave, amplitude, freq_mhz;	/* waveform generator */
	s32 (*tx)[VSN_MAX_VALUES];	/* stimulus FIFO */
	u32 tx_head, tx_tail;		/* free-running */
	u32 wr_word;			/* next TX_DATA word of the tail */
	u32 seq;			/* sensor sample counter */
	u64 start_ns;			/* time of sample 0 since (re)start */
	u64 nr_since_start;		/* samples generated since start_ns */
	struct hrtimer timer;
	struct vsn_queue q[VSN_MAX_QUEUES];
	u32 iommu_faults;
	u64 fault_iova;
	u32 inject_faults;		/* transfers still to misdirect */
	u64 inject_iova;		/* where to (0: just past the window) */

	/* protects the IOMMU page table and its allocation bitmap */
	spinlock_t iommu_lock;
	dma_addr_t *pte;
	unsigned long *iova_used;
	unsigned long iova_next;	/* where the next search starts */
};

/*
 * Helpers of the sensor core (hw.c) and the DMA engine (hw-dma.c): here,
 * so that hw.c uses hw-dma.c and never the other way round.
 */
static inline void __vsn_fire(struct vsensor_hw *hw, unsigned int vec)
{
	lockdep_assert_held(&hw->lock);
	if (hw->power != VSN_POWER_D0)
		return;		/* it stays pending until D0 */
	vsensor_irq_fire(vsensor_irq_vec(hw->vecs, vec));
}

static inline u32 vsn_fifo_level(const struct vsn_queue *q)
{
	return q->head - q->tail;
}

static inline void vsn_fifo_pop(struct vsn_queue *q, struct vsn_fifo_rec *rec)
{
	*rec = q->fifo[q->tail++ & (q->hw->fifo_depth - 1)];
	q->rd_word = 0;
}

/* hw-dma.c */
void vsn_dma_init(struct vsn_queue *q);
void __vsn_dma_start(struct vsn_queue *q, u32 max);
void vsn_dma_stop(struct vsn_queue *q);
int vsn_iommu_create(struct vsensor_hw *hw);
void vsn_iommu_destroy(struct vsensor_hw *hw);

#endif /* _VSENSOR_HW_PRIV_H */
