/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the simulated VSN1000: the in-kernel platform of the model core
 * (vsn-core.c), shared by its sampler and registers (hw.c) and its DMA
 * engine and IOMMU (hw-dma.c). Nothing outside the model includes this;
 * the driver sees only hw.h.
 */
#ifndef _VSENSOR_HW_PRIV_H
#define _VSENSOR_HW_PRIV_H

#include <linux/hrtimer.h>
#include <linux/spinlock.h>

#include "hw.h"
#include "irq.h"
#include "vsn-core.h"

#define VSN_IOVA_BASE		0x40000000ULL
#define VSN_IOMMU_PAGES		512		/* a 2 MiB window */

/* A queue's DMA engine: the transfer in flight takes its time. */
struct vsn_dma_engine {
	struct hrtimer timer;
	struct vsensor_hw *hw;
	unsigned int qi;
};

struct vsensor_hw {
	struct device *dev;		/* the bus device, for DMA addresses */
	const char *name;
	struct vsensor_irq_vec *vecs;	/* VSN_NR_VECTORS(nr_queues) */
	u32 bad_reg, bad_reg_value;	/* a misreported register (inject_reg) */

	/* protects the core (registers, FIFOs, DMA engines): up to iommu_lock */
	spinlock_t lock;
	struct vsn_core core;
	struct hrtimer timer;		/* the sampler */
	struct vsn_dma_engine dma[VSN_MAX_QUEUES];

	/* protects the IOMMU page table and its allocation bitmap */
	spinlock_t iommu_lock;
	dma_addr_t *pte;
	unsigned long *iova_used;
	unsigned long iova_next;	/* where the next search starts */
};

/* hw-dma.c: the platform's DMA side of the core */
void vsn_dma_init(struct vsensor_hw *hw, unsigned int qi);
void vsn_dma_arm(void *ctx, unsigned int qi, u32 nr);
void vsn_dma_stop(struct vsensor_hw *hw, unsigned int qi);
int vsn_dma_read(void *ctx, u64 iova, void *buf, u32 len, u64 *fault_iova);
int vsn_dma_write(void *ctx, u64 iova, const void *buf, u32 len,
		  u64 *fault_iova);
int vsn_iommu_create(struct vsensor_hw *hw);
void vsn_iommu_destroy(struct vsensor_hw *hw);

#endif /* _VSENSOR_HW_PRIV_H */
