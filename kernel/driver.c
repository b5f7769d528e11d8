// SPDX-License-Identifier: GPL-2.0
/*
 * The sim backend: binds to VSN1000 slots on the vsensor bus (the
 * in-kernel model), takes the register window and interrupt vectors the
 * bus hands it and the model's own IOMMU window, and builds the device
 * on them (bind.c). The object itself is device.c's.
 */
#include <linux/dma-mapping.h>
#include <linux/module.h>

#include "vsensor.h"

static u32 vsensor_sim_readl(struct vsensor_dev *vdev, u32 reg)
{
	return vsensor_hw_readl(vdev->hw, reg);
}

static void vsensor_sim_writel(struct vsensor_dev *vdev, u32 reg, u32 val)
{
	vsensor_hw_writel(vdev->hw, reg, val);
}

static int vsensor_sim_iommu_map(struct vsensor_dev *vdev, dma_addr_t dma,
				 size_t size, u64 *iova)
{
	return vsensor_iommu_map(vdev->hw, dma, size, iova);
}

static void vsensor_sim_iommu_unmap(struct vsensor_dev *vdev, u64 iova,
				    size_t size)
{
	vsensor_iommu_unmap(vdev->hw, iova, size);
}

static void vsensor_sim_debugfs(struct vsensor_dev *vdev, struct dentry *dir)
{
	vsensor_hw_debugfs(vdev->hw, dir);
}

static const struct vsensor_backend vsensor_sim_backend = {
	.readl = vsensor_sim_readl,
	.writel = vsensor_sim_writel,
	.iommu_map = vsensor_sim_iommu_map,
	.iommu_unmap = vsensor_sim_iommu_unmap,
	.debugfs = vsensor_sim_debugfs,
	.monotonic_clock = true,	/* the model stamps CLOCK_MONOTONIC */
	.groups = vsensor_dev_groups,
};

/* Take the interrupt vectors the bus describes, in order. */
static int vsensor_sim_get_vectors(struct vsensor_dev *vdev)
{
	struct resource *res;
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(vdev->vecs); i++) {
		res = vsensor_bus_get_resource(vdev->bdev, IORESOURCE_IRQ, i);
		if (!res)
			break;
		err = vsensor_dev_add_vector(vdev, res->start, res->name);
		if (err)
			return err;
	}
	return 0;
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
	vdev = vsensor_dev_alloc(dev, &vsensor_sim_backend, bdev->id, &err);
	if (!vdev)
		return err;
	vdev->bdev = bdev;
	strscpy(vdev->info.model, bdev->model, sizeof(vdev->info.model));
	strscpy(vdev->info.serial, bdev->serial, sizeof(vdev->info.serial));

	res = vsensor_bus_get_resource(bdev, IORESOURCE_MEM, 0);
	vdev->hw = res ? vsensor_bus_ioremap(bdev, res) : NULL;
	if (!vdev->hw) {
		dev_err(dev, "no register window\n");
		err = -ENODEV;
		goto err_put;
	}
	vdev->present = true;
	err = vsensor_sim_get_vectors(vdev) ?: vsensor_dev_bind(vdev);
	if (err)
		goto err_put;
	return 0;

err_put:
	vsensor_dev_put(vdev);
	return err;
}

static void vsensor_remove(struct device *dev)
{
	struct vsensor_dev *vdev = dev_get_drvdata(dev);

	vsensor_dev_unbind(vdev);
	/* unbind ended every access under cfg_lock (vdev->present) */
	vdev->hw = NULL;
	vdev->bdev = NULL;
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
