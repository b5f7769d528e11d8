// SPDX-License-Identifier: GPL-2.0
/*
 * The VSN1000's DMA engine and the IOMMU in front of it. A transfer walks
 * the queue's descriptor table, pops whole records from the queue FIFO into
 * the descriptors' buffers and raises DMA_DONE on the queue's vector. Every
 * memory access of the device, descriptors included, goes through the IOMMU,
 * which only reaches pages the driver mapped and blocks (and reports) the
 * rest.
 */
#include <linux/bitmap.h>
#include <linux/debugfs.h>
#include <linux/dma-direct.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "hw-priv.h"

static unsigned int dma_setup_ns = 2000;
module_param(dma_setup_ns, uint, 0644);
MODULE_PARM_DESC(dma_setup_ns, "simulated DMA transfer setup time, ns");

static unsigned int dma_record_ns = 20;
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

static void __vsn_iommu_fault(struct vsensor_hw *hw, u64 iova)
{
	lockdep_assert_held(&hw->lock);
	hw->iommu_faults++;
	hw->fault_iova = iova;
	hw->irq_status |= VSN_IRQ_IOMMU_FAULT;
}

/*
 * One device access of @len (<= PAGE_SIZE) bytes at @iova. The whole range
 * is translated before a byte moves, so a blocked access touches nothing.
 */
static int __vsn_dma_access(struct vsensor_hw *hw, u64 iova, void *buf,
			    size_t len, bool write)
{
	size_t first = min_t(size_t, len, PAGE_SIZE - offset_in_page(iova));
	void *p0, *p1 = NULL;
	int err = 0;

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
		__vsn_iommu_fault(hw, p0 ? iova + first : iova);
	return err;
}

static void vsn_dma_encode(const struct vsensor_hw *hw,
			   const struct vsn_fifo_rec *rec,
			   struct vsn_dma_rec *out)
{
	u32 ch;

	memset(out, 0, sizeof(*out));
	out->seq = cpu_to_le32(rec->seq);
	out->flags = cpu_to_le32(rec->flags);
	out->timestamp = cpu_to_le64(rec->ts);
	for (ch = 0; ch < hw->nr_channels; ch++)
		out->value[ch] = cpu_to_le32((u32)rec->value[ch]);
}

/* Fill one descriptor's buffer; returns records written, -EFAULT if blocked. */
static int __vsn_dma_fill(struct vsn_queue *q, u64 addr, u32 room, u32 want)
{
	struct vsn_fifo_rec rec;
	struct vsn_dma_rec out;
	u32 j;

	for (j = 0; j < min(room, want); j++) {
		vsn_fifo_pop(q, &rec);
		vsn_dma_encode(q->hw, &rec, &out);
		/* a blocked record is gone: the driver sees the sequence gap */
		if (__vsn_dma_access(q->hw, addr + j * sizeof(out), &out,
				     sizeof(out), true))
			return -EFAULT;
	}
	return j;
}

static void __vsn_dma_run(struct vsn_queue *q)
{
	struct vsensor_hw *hw = q->hw;
	u32 want = min(q->dma_req, vsn_fifo_level(q));
	bool misdirect = false;
	struct vsn_dma_desc desc;
	u32 moved = 0, d, room;
	u64 desc_iova, addr;
	int n = 0;

	if (hw->inject_faults) {
		hw->inject_faults--;
		misdirect = true;
	}
	q->dma_status = 0;
	for (d = 0; d < q->desc_count && moved < want; d++) {
		desc_iova = q->desc_iova + (u64)d * sizeof(desc);
		if (__vsn_dma_access(hw, desc_iova, &desc, sizeof(desc), false)) {
			q->dma_status = VSN_DMA_ERROR;
			break;
		}
		if (!(le32_to_cpu(desc.ctrl) & VSN_DESC_OWN))
			break;
		addr = le64_to_cpu(desc.addr);
		if (misdirect)	/* fault injection: a wild write */
			addr = hw->inject_iova ?: VSN_IOVA_END;
		misdirect = false;
		room = le32_to_cpu(desc.len) / sizeof(struct vsn_dma_rec);
		n = __vsn_dma_fill(q, addr, room, want - moved);
		desc.done = cpu_to_le32(n > 0 ? n * sizeof(struct vsn_dma_rec) : 0);
		desc.status = cpu_to_le32(VSN_DESC_ST_DONE |
					  (n < 0 ? VSN_DESC_ST_FAULT : 0));
		desc.ctrl = cpu_to_le32(le32_to_cpu(desc.ctrl) & ~VSN_DESC_OWN);
		__vsn_dma_access(hw, desc_iova, &desc, sizeof(desc), true);
		if (n < 0) {
			q->dma_status = VSN_DMA_ERROR;
			break;
		}
		moved += n;
	}
	q->dma_done = moved;
}

static enum hrtimer_restart vsn_dma_timer_fn(struct hrtimer *timer)
{
	struct vsn_queue *q = container_of(timer, struct vsn_queue, dma_timer);
	struct vsensor_hw *hw = q->hw;
	unsigned long flags;

	spin_lock_irqsave(&hw->lock, flags);
	if (q->dma_status & VSN_DMA_BUSY) {
		__vsn_dma_run(q);
		/*
		 * Records and descriptors are in memory before the completion
		 * message, as PCIe orders a device's posted writes before its
		 * MSI write; the lock release and the IPI order them here.
		 */
		q->status |= VSN_Q_IRQ_DMA_DONE;
		if (q->status & q->mask)
			__vsn_fire(hw, q->index);
		if (hw->irq_status & hw->irq_mask & VSN_IRQ_IOMMU_FAULT)
			__vsn_fire(hw, VSN_VEC_ERR(hw->nr_queues));
	}
	spin_unlock_irqrestore(&hw->lock, flags);
	return HRTIMER_NORESTART;
}

/* Doorbell: move up to @max records; the engine takes time to do it. */
void __vsn_dma_start(struct vsn_queue *q, u32 max)
{
	u32 n = min(max, vsn_fifo_level(q));

	lockdep_assert_held(&q->hw->lock);
	if (q->dma_status & VSN_DMA_BUSY)
		return;		/* a doorbell during a transfer is ignored */
	q->dma_req = max;
	q->dma_done = 0;
	q->dma_status = VSN_DMA_BUSY;
	hrtimer_start(&q->dma_timer,
		      ns_to_ktime(READ_ONCE(dma_setup_ns) +
				  (u64)n * READ_ONCE(dma_record_ns)),
		      HRTIMER_MODE_REL);
}

void vsn_dma_init(struct vsn_queue *q)
{
	hrtimer_init(&q->dma_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	q->dma_timer.function = vsn_dma_timer_fn;
}

/* The queue was disabled: abort a transfer in flight. */
void vsn_dma_stop(struct vsn_queue *q)
{
	unsigned long flags;

	hrtimer_cancel(&q->dma_timer);
	spin_lock_irqsave(&q->hw->lock, flags);
	q->dma_status &= ~VSN_DMA_BUSY;
	spin_unlock_irqrestore(&q->hw->lock, flags);
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

/* Model knobs: make the next N transfers write to @inject_iova. */
void vsensor_hw_debugfs(struct vsensor_hw *hw, struct dentry *dir)
{
	debugfs_create_u32("inject_dma_faults", 0600, dir, &hw->inject_faults);
	debugfs_create_x64("inject_iova", 0600, dir, &hw->inject_iova);
}
EXPORT_SYMBOL_NS_GPL(vsensor_hw_debugfs, VSENSOR_SIM);
