// SPDX-License-Identifier: GPL-2.0
/*
 * A data queue's DMA ring, driver side: buffers of single, non-contiguous
 * pages in a scatter-gather table mapped with the DMA API against the bus
 * device, a descriptor table in coherent memory, and, on a backend with
 * an IOMMU window of its own (the model's), every one of them mapped
 * there; the descriptors carry the IOVAs. Elsewhere (PCI) the DMA API's
 * address is the IOVA: the kernel's IOMMU, if any, mapped it.
 */
#include <linux/dma-mapping.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include "vsensor.h"

/* @dma as the device reaches it: through the backend's IOMMU window */
static int vsensor_dev_iommu_map(struct vsensor_dev *vdev, dma_addr_t dma,
				 size_t size, u64 *iova)
{
	if (!vdev->backend->iommu_map) {
		*iova = dma;
		return 0;
	}
	return vdev->backend->iommu_map(vdev, dma, size, iova);
}

static void vsensor_dev_iommu_unmap(struct vsensor_dev *vdev, u64 iova,
				    size_t size)
{
	if (vdev->backend->iommu_unmap)
		vdev->backend->iommu_unmap(vdev, iova, size);
}

static void vsensor_dma_unmap_iommu(struct vsensor_dma *d, unsigned int n)
{
	while (n--)
		vsensor_dev_iommu_unmap(d->vdev, d->buf_iova[n], PAGE_SIZE);
}

static void vsensor_dma_free_pages(struct vsensor_dma *d)
{
	unsigned int i;

	for (i = 0; i < VSENSOR_DMA_PAGES; i++)
		if (d->pages[i])
			__free_page(d->pages[i]);
}

int vsensor_dma_create(struct vsensor_dma *d, struct device *dev,
		       struct vsensor_dev *vdev)
{
	struct scatterlist *sg;
	unsigned int i;
	int err;

	d->dev = dev;
	d->vdev = vdev;
	d->desc_size = VSENSOR_DMA_PAGES * sizeof(*d->desc);
	for (i = 0; i < VSENSOR_DMA_PAGES; i++) {
		d->pages[i] = vsensor_fault_alloc(alloc_page(GFP_KERNEL));
		if (!d->pages[i]) {
			err = -ENOMEM;
			goto err_free_pages;
		}
	}
	/* one entry per page: the buffers are deliberately not contiguous */
	err = sg_alloc_table(&d->sgt, VSENSOR_DMA_PAGES, GFP_KERNEL);
	if (err)
		goto err_free_pages;
	for_each_sgtable_sg(&d->sgt, sg, i)
		sg_set_page(sg, d->pages[i], PAGE_SIZE, 0);
	err = dma_map_sgtable(dev, &d->sgt, DMA_FROM_DEVICE, 0);
	if (err)
		goto err_free_table;
	/*
	 * an IOMMU in the DMA API could merge entries; we index by page (a
	 * backend behind one caps its segments at a page: pci.c)
	 */
	if (d->sgt.nents != VSENSOR_DMA_PAGES) {
		err = -EINVAL;
		goto err_unmap_sg;
	}
	d->desc = vsensor_fault_alloc(dma_alloc_coherent(dev, d->desc_size,
							 &d->desc_dma, GFP_KERNEL));
	if (!d->desc) {
		err = -ENOMEM;
		goto err_unmap_sg;
	}
	err = vsensor_dev_iommu_map(vdev, d->desc_dma, d->desc_size,
				    &d->desc_iova);
	if (err)
		goto err_free_desc;
	d->nr_bufs = 0;
	for_each_sgtable_dma_sg(&d->sgt, sg, i) {
		err = vsensor_dev_iommu_map(vdev, sg_dma_address(sg),
					    sg_dma_len(sg), &d->buf_iova[i]);
		if (err)
			goto err_unmap_bufs;
		d->buf_len[i] = sg_dma_len(sg);
		d->nr_bufs++;
	}
	return 0;

err_unmap_bufs:
	vsensor_dma_unmap_iommu(d, d->nr_bufs);
	vsensor_dev_iommu_unmap(vdev, d->desc_iova, d->desc_size);
err_free_desc:
	dma_free_coherent(dev, d->desc_size, d->desc, d->desc_dma);
err_unmap_sg:
	dma_unmap_sgtable(dev, &d->sgt, DMA_FROM_DEVICE, 0);
err_free_table:
	sg_free_table(&d->sgt);
err_free_pages:
	vsensor_dma_free_pages(d);
	return err;
}

/* Reverse of create; the device must be idle (its queue disabled). */
void vsensor_dma_destroy(struct vsensor_dma *d)
{
	if (!d->desc)
		return;
	vsensor_dma_unmap_iommu(d, d->nr_bufs);
	vsensor_dev_iommu_unmap(d->vdev, d->desc_iova, d->desc_size);
	dma_free_coherent(d->dev, d->desc_size, d->desc, d->desc_dma);
	dma_unmap_sgtable(d->dev, &d->sgt, DMA_FROM_DEVICE, 0);
	sg_free_table(&d->sgt);
	vsensor_dma_free_pages(d);
	d->desc = NULL;
}

/* Records the ring holds in one transfer. */
u32 vsensor_dma_capacity(const struct vsensor_dma *d)
{
	u32 cap = 0;
	unsigned int i;

	for (i = 0; i < d->nr_bufs; i++)
		cap += d->buf_len[i] / sizeof(struct vsn_dma_rec);
	return cap;
}

/* Hand every buffer to the device: fill the descriptors, then OWN. */
void vsensor_dma_arm(struct vsensor_dma *d)
{
	unsigned int i;

	dma_sync_sgtable_for_device(d->dev, &d->sgt, DMA_FROM_DEVICE);
	for (i = 0; i < d->nr_bufs; i++) {
		d->desc[i].addr = cpu_to_le64(d->buf_iova[i]);
		d->desc[i].len = cpu_to_le32(d->buf_len[i]);
		d->desc[i].done = 0;
		d->desc[i].status = 0;
		/* the device must see addr and len before it sees OWN */
		dma_wmb();
		d->desc[i].ctrl = cpu_to_le32(VSN_DESC_OWN);
	}
}

/* Like a PIO read, the hardware sequence number goes in @out->seq. */
static void vsensor_dma_decode(const struct vsn_dma_rec *in, u32 nr_channels,
			       struct vsensor_record *out)
{
	u32 ch;

	u32 flags = le32_to_cpu(in->flags);

	memset(out, 0, sizeof(*out));
	out->seq = le32_to_cpu(in->seq);
	if (flags & VSN_FIFO_FLAG_STIMULUS)
		out->flags = VSENSOR_RECORD_F_INJECTED;
	if (flags & ~VSN_FIFO_FLAG_STIMULUS)
		out->flags |= VSENSOR_REC_F_BAD;
	out->timestamp_ns = le64_to_cpu(in->timestamp);
	for (ch = 0; ch < nr_channels; ch++)
		out->value[ch] = (s32)le32_to_cpu(in->value[ch]);
	out->channel_mask = GENMASK(nr_channels - 1, 0);
}

/*
 * After the completion interrupt: take the records the device wrote, in
 * descriptor order, up to @max.
 */
u32 vsensor_dma_collect(struct vsensor_dma *d, u32 nr_channels,
			struct vsensor_record *out, u32 max)
{
	const struct vsn_dma_rec *rec;
	u32 n = 0, i, j, recs;

	/* the descriptors' status is read only after the completion */
	dma_rmb();
	dma_sync_sgtable_for_cpu(d->dev, &d->sgt, DMA_FROM_DEVICE);
	for (i = 0; i < d->nr_bufs && n < max; i++) {
		if (le32_to_cpu(d->desc[i].ctrl) & VSN_DESC_OWN)
			break;		/* the device did not get here */
		/* never trust the device with a length: clamp to the buffer */
		recs = min(le32_to_cpu(d->desc[i].done), d->buf_len[i]) /
		       sizeof(*rec);
		rec = page_address(d->pages[i]);	/* entry i is page i */
		for (j = 0; j < recs && n < max; j++, n++)
			vsensor_dma_decode(&rec[j], nr_channels, &out[n]);
		if (le32_to_cpu(d->desc[i].status) & VSN_DESC_ST_FAULT)
			break;
	}
	return n;
}

/*
 * The guard page: mapped for the device, filled, then unmapped, so its
 * IOVA is stale. The IOMMU must keep a wild DMA write to it out. With a
 * window of the backend's own (the model's), that unmapping is done here;
 * with the kernel's IOMMU the DMA API mapping itself is undone, but only
 * once the device's other mappings are made (vsensor_dev_guard_stale()),
 * so that none of them takes its IOVA again.
 */
int vsensor_dev_guard_init(struct vsensor_dev *vdev, struct device *dev)
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
	vdev->guard_dma_mapped = true;
	err = vsensor_dev_iommu_map(vdev, vdev->guard_dma, PAGE_SIZE,
				    &vdev->guard_iova);
	if (err)
		goto err_unmap;
	vsensor_dev_iommu_unmap(vdev, vdev->guard_iova, PAGE_SIZE);
	return 0;

err_unmap:
	dma_unmap_page(dev, vdev->guard_dma, PAGE_SIZE, DMA_FROM_DEVICE);
	vdev->guard_dma_mapped = false;
err_free:
	__free_page(vdev->guard);
	vdev->guard = NULL;
	return err;
}

/* After the device's last mapping: the guard's IOVA goes stale (PCI). */
void vsensor_dev_guard_stale(struct vsensor_dev *vdev, struct device *dev)
{
	if (vdev->backend->iommu_map || !vdev->guard_dma_mapped)
		return;
	dma_unmap_page(dev, vdev->guard_dma, PAGE_SIZE, DMA_FROM_DEVICE);
	vdev->guard_dma_mapped = false;
}

void vsensor_dev_guard_exit(struct vsensor_dev *vdev, struct device *dev)
{
	if (vdev->guard_dma_mapped)
		dma_unmap_page(dev, vdev->guard_dma, PAGE_SIZE,
			       DMA_FROM_DEVICE);
	vdev->guard_dma_mapped = false;
	__free_page(vdev->guard);
	vdev->guard = NULL;
}
