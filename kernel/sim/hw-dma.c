// SPDX-License-Identifier: GPL-2.0
/*
 * The in-kernel VSN1000's DMA platform and the IOMMU in front of it. The
 * core (vsn-core.c) walks the descriptor table and moves the records; here
 * a transfer takes its time (an hrtimer per queue) and every memory access
 * of the device, descriptors included, goes through the IOMMU, which only
 * reaches pages the driver mapped and blocks the rest (the core counts and
 * reports them).
 */
#include <linux/bitmap.h>
#include <linux/debugfs.h>
#include <linux/dma-direct.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "hw-priv.h"

static unsigned int dma_setup_ns = VSN_DMA_SETUP_NS;
module_param(dma_setup_ns, uint, 0644);
MODULE_PARM_DESC(dma_setup_ns, "simulated DMA transfer setup time, ns");

static unsigned int dma_record_ns = VSN_DMA_RECORD_NS;
module_param(dma_record_ns, uint, 0644);
MODULE_PARM_DESC(dma_record_ns, "simulated DMA time per record, ns");

#define VSN_IOVA_END	(VSN_IOVA_BASE + (u64)VSN_IOMMU_PAGES * PAGE_SIZE)

static void *__vsn_iommu_translate(struct vsensor_hw *hw, u64 iova)
{
	u64 pfn;

	lockdep_assert_held(&hw->iommu_lock);
	if (iova < VSN_IOVA_BASE || iova >= VSN_IOVA_END)
		return NULL;
	pfn = (iova - VSN_IOVA_BASE) >> PAGE_SHIFT;
	if (!test_bit(pfn, hw->iova_used))
		return NULL;
	return phys_to_virt(dma_to_phys(hw->dev, hw->pte[pfn])) +
	       offset_in_page(iova);
}

/*
 * One device access of @len (<= PAGE_SIZE) bytes at @iova. The whole range
 * is translated before a byte moves, so a blocked access touches nothing.
 */
static int vsn_dma_access(struct vsensor_hw *hw, u64 iova, void *buf,
			  size_t len, bool write, u64 *fault_iova)
{
	size_t first = min_t(size_t, len, PAGE_SIZE - offset_in_page(iova));
	void *p0, *p1 = NULL;
	int err = 0;

	lockdep_assert_held(&hw->lock);
	spin_lock(&hw->iommu_lock);
	p0 = __vsn_iommu_translate(hw, iova);
	if (p0 && first < len)
		p1 = __vsn_iommu_translate(hw, iova + first);
	if (!p0 || (first < len && !p1)) {
		err = -EFAULT;
	} else if (write) {
		memcpy(p0, buf, first);
		memcpy(p1, buf + first, len - first);
	} else {
		memcpy(buf, p0, first);
		memcpy(buf + first, p1, len - first);
	}
	spin_unlock(&hw->iommu_lock);
	if (err)
		*fault_iova = p0 ? iova + first : iova;
	return err;
}

/* The core's memory accessors: through the IOMMU, called under hw->lock. */
int vsn_dma_read(void *ctx, u64 iova, void *buf, u32 len, u64 *fault_iova)
{
	return vsn_dma_access(ctx, iova, buf, len, false, fault_iova);
}

int vsn_dma_write(void *ctx, u64 iova, const void *buf, u32 len,
		  u64 *fault_iova)
{
	return vsn_dma_access(ctx, iova, (void *)buf, len, true, fault_iova);
}

static enum hrtimer_restart vsn_dma_timer_fn(struct hrtimer *timer)
{
	struct vsn_dma_engine *e = container_of(timer, struct vsn_dma_engine,
						timer);
	struct vsensor_hw *hw = e->hw;
	unsigned long flags;

	/*
	 * Records and descriptors are in memory before the completion
	 * message, as PCIe orders a device's posted writes before its MSI
	 * write; the lock release and the IPI order them here.
	 */
	spin_lock_irqsave(&hw->lock, flags);
	vsn_core_dma_complete(&hw->core, e->qi);
	spin_unlock_irqrestore(&hw->lock, flags);
	return HRTIMER_NORESTART;
}

/* The core rang the doorbell: the engine takes time to move @nr records. */
void vsn_dma_arm(void *ctx, unsigned int qi, u32 nr)
{
	struct vsensor_hw *hw = ctx;

	lockdep_assert_held(&hw->lock);
	hrtimer_start(&hw->dma[qi].timer,
		      ns_to_ktime(READ_ONCE(dma_setup_ns) +
				  (u64)nr * READ_ONCE(dma_record_ns)),
		      HRTIMER_MODE_REL);
}

void vsn_dma_init(struct vsensor_hw *hw, unsigned int qi)
{
	struct vsn_dma_engine *e = &hw->dma[qi];

	hrtimer_init(&e->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	e->timer.function = vsn_dma_timer_fn;
	e->hw = hw;
	e->qi = qi;
}

/* The device goes away: abort a transfer in flight. */
void vsn_dma_stop(struct vsensor_hw *hw, unsigned int qi)
{
	unsigned long flags;

	hrtimer_cancel(&hw->dma[qi].timer);
	spin_lock_irqsave(&hw->lock, flags);
	vsn_core_dma_abort(&hw->core, qi);
	spin_unlock_irqrestore(&hw->lock, flags);
}

int vsensor_iommu_map(struct vsensor_hw *hw, dma_addr_t dma, size_t size,
		      u64 *iova)
{
	unsigned int npages = DIV_ROUND_UP(offset_in_page(dma) + size,
					   PAGE_SIZE);
	unsigned long start, flags;
	unsigned int i;

	spin_lock_irqsave(&hw->iommu_lock, flags);
	/* next fit: a freed IOVA is not handed out again at once */
	start = bitmap_find_next_zero_area(hw->iova_used, VSN_IOMMU_PAGES,
					   hw->iova_next, npages, 0);
	if (start >= VSN_IOMMU_PAGES)
		start = bitmap_find_next_zero_area(hw->iova_used,
						   VSN_IOMMU_PAGES, 0, npages,
						   0);
	if (start >= VSN_IOMMU_PAGES) {
		spin_unlock_irqrestore(&hw->iommu_lock, flags);
		return -ENOSPC;
	}
	bitmap_set(hw->iova_used, start, npages);
	hw->iova_next = start + npages;
	for (i = 0; i < npages; i++)
		hw->pte[start + i] = (dma & PAGE_MASK) + i * PAGE_SIZE;
	spin_unlock_irqrestore(&hw->iommu_lock, flags);
	*iova = VSN_IOVA_BASE + start * PAGE_SIZE + offset_in_page(dma);
	return 0;
}
EXPORT_SYMBOL_NS_GPL(vsensor_iommu_map, VSENSOR_SIM);

/* After this returns the device can no longer reach the range. */
void vsensor_iommu_unmap(struct vsensor_hw *hw, u64 iova, size_t size)
{
	unsigned int npages = DIV_ROUND_UP(offset_in_page(iova) + size,
					   PAGE_SIZE);
	unsigned long start, flags;
	unsigned int i;

	if (WARN_ON_ONCE(iova < VSN_IOVA_BASE ||
			 iova + size > VSN_IOVA_END))
		return;
	start = (iova - VSN_IOVA_BASE) >> PAGE_SHIFT;
	spin_lock_irqsave(&hw->iommu_lock, flags);
	bitmap_clear(hw->iova_used, start, npages);
	for (i = 0; i < npages; i++)
		hw->pte[start + i] = 0;
	spin_unlock_irqrestore(&hw->iommu_lock, flags);
}
EXPORT_SYMBOL_NS_GPL(vsensor_iommu_unmap, VSENSOR_SIM);

int vsn_iommu_create(struct vsensor_hw *hw)
{
	hw->core.stale_iova = VSN_IOVA_END;
	spin_lock_init(&hw->iommu_lock);
	hw->pte = kcalloc(VSN_IOMMU_PAGES, sizeof(*hw->pte), GFP_KERNEL);
	hw->iova_used = bitmap_zalloc(VSN_IOMMU_PAGES, GFP_KERNEL);
	if (!hw->pte || !hw->iova_used) {
		vsn_iommu_destroy(hw);
		return -ENOMEM;
	}
	return 0;
}

void vsn_iommu_destroy(struct vsensor_hw *hw)
{
	bitmap_free(hw->iova_used);
	kfree(hw->pte);
}

/*
 * Model knobs: the core's DBG_DMA_FAULTS and DBG_DMA_IOVA registers make
 * the next N transfers write to inject_iova (0: just past the window).
 */
void vsensor_hw_debugfs(struct vsensor_hw *hw, struct dentry *dir)
{
	debugfs_create_u32("inject_dma_faults", 0600, dir,
			   &hw->core.dbg_dma_faults);
	debugfs_create_x64("inject_iova", 0600, dir, &hw->core.dbg_dma_iova);
}
EXPORT_SYMBOL_NS_GPL(vsensor_hw_debugfs, VSENSOR_SIM);
