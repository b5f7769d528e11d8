// SPDX-License-Identifier: GPL-2.0
/*
 * The PCI backend: the VSN1000 as a PCI Express device (the QEMU device,
 * 1af4:10f0, docs/hardware.md) bound to the same driver core as the
 * model (bind.c). BAR 0 is the register window (MMIO), MSI-X gives the
 * vectors, and DMA goes through the DMA API alone: the IOVA the device
 * gets is the DMA API's address, the kernel's IOMMU (VT-d) is its IOMMU.
 */
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/pci.h>

#include "vsensor.h"

#define VSENSOR_PCI_VENDOR	0x1af4	/* experimental, this project only */
#define VSENSOR_PCI_DEVICE	0x10f0
#define VSENSOR_PCI_BAR		0	/* the registers */

/*
 * readl()/writel(), not the _relaxed forms: a doorbell write is ordered
 * after the descriptors the CPU wrote to coherent memory, and a read
 * returns only after the posted writes before it reached the device.
 */
static u32 vsensor_pci_readl(struct vsensor_dev *vdev, u32 reg)
{
	return readl(vdev->regs + reg);
}

static void vsensor_pci_writel(struct vsensor_dev *vdev, u32 reg, u32 val)
{
	writel(val, vdev->regs + reg);
}

static const struct vsensor_backend vsensor_pci_backend = {
	.readl = vsensor_pci_readl,
	.writel = vsensor_pci_writel,
	/* no IOMMU window of its own: the kernel's, through the DMA API */
	.monotonic_clock = false,	/* QEMU's virtual clock */
	.bus_runtime_pm = true,
	/* the identity too: the udev rule reads serial and model from here */
	.groups = vsensor_pci_dev_groups,
};

/*
 * A stable serial that no sim device's can be: the Device Serial Number
 * if the device has one, else its PCI address ("pci-DDDD-BB-SS-F"; the
 * sim's serials are the user's, of [A-Za-z0-9_-]).
 */
static void vsensor_pci_serial(struct pci_dev *pdev, char *buf, size_t len)
{
	u64 dsn = pci_get_dsn(pdev);

	if (dsn)
		snprintf(buf, len, "dsn-%016llx", dsn);
	else
		snprintf(buf, len, "pci-%04x-%02x-%02x-%x",
			 pci_domain_nr(pdev->bus), pdev->bus->number,
			 PCI_SLOT(pdev->devfn), PCI_FUNC(pdev->devfn));
}

/*
 * The MSI-X vectors in the datasheet's order: one per queue, then tx
 * and err. Not PCI_IRQ_AFFINITY: managed vectors refuse a new affinity
 * from /proc/irq/N/smp_affinity_list, and queue-to-core steering must
 * stay movable; queue.c spreads them with affinity hints instead.
 */
static int vsensor_pci_add_vectors(struct vsensor_dev *vdev,
				   struct pci_dev *pdev, unsigned int nr_queues)
{
	unsigned int i;
	char name[8];
	int err;

	for (i = 0; i < VSN_NR_VECTORS(nr_queues); i++) {
		if (i == VSN_VEC_TX(nr_queues))
			strscpy(name, "tx", sizeof(name));
		else if (i == VSN_VEC_ERR(nr_queues))
			strscpy(name, "err", sizeof(name));
		else
			snprintf(name, sizeof(name), "q%u", i);
		err = vsensor_dev_add_vector(vdev, pci_irq_vector(pdev, i),
					     name);
		if (err)
			return err;
	}
	return 0;
}

/* The function, its BAR and bus mastering; devres undoes them. */
static int vsensor_pci_enable(struct pci_dev *pdev, void __iomem **regs)
{
	struct device *dev = &pdev->dev;
	int err;

	err = pcim_enable_device(pdev);
	if (err)
		return err;
	err = pcim_iomap_regions(pdev, BIT(VSENSOR_PCI_BAR), KBUILD_MODNAME);
	if (err)
		return err;
	*regs = pcim_iomap_table(pdev)[VSENSOR_PCI_BAR];
	pci_set_master(pdev);
	err = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64));
	if (err)
		return err;
	/*
	 * one descriptor a page: the IOMMU's DMA API must not merge the
	 * ring's pages into one segment (dma.c indexes them by page)
	 */
	return dma_set_max_seg_size(dev, PAGE_SIZE);
}

static int vsensor_pci_probe(struct pci_dev *pdev,
			     const struct pci_device_id *id)
{
	struct device *dev = &pdev->dev;
	struct vsensor_dev *vdev;
	void __iomem *regs;
	u32 nr_queues;
	int err, nvec;

	err = vsensor_pci_enable(pdev, &regs);
	if (err)
		return err;
	/* the power state it resets to; whoever had it may have left D3 */
	writel(VSN_POWER_D0, regs + VSN_REG_POWER);
	nr_queues = readl(regs + VSN_REG_NR_QUEUES);
	if (!nr_queues || nr_queues > VSN_MAX_QUEUES) {
		dev_err(dev, "inconsistent hardware: %u queues\n", nr_queues);
		return -ENODEV;
	}
	nvec = VSN_NR_VECTORS(nr_queues);
	nvec = pci_alloc_irq_vectors(pdev, nvec, nvec, PCI_IRQ_MSIX);
	if (nvec < 0)
		return nvec;

	vdev = vsensor_dev_alloc(dev, &vsensor_pci_backend,
				 VSENSOR_DEV_ID_ANY, &err);
	if (!vdev)
		goto err_free_vectors;
	vdev->regs = regs;
	vdev->present = true;
	strscpy(vdev->info.model, VSENSOR_MODEL_ID, sizeof(vdev->info.model));
	vsensor_pci_serial(pdev, vdev->info.serial, sizeof(vdev->info.serial));
	err = vsensor_pci_add_vectors(vdev, pdev, nr_queues) ?:
	      vsensor_dev_bind(vdev);
	if (err)
		goto err_put;
	dev_info(dev, "%s: %u queues, serial %s\n", vdev->name, nr_queues,
		 vdev->info.serial);
	return 0;

err_put:
	vsensor_dev_put(vdev);
err_free_vectors:
	pci_free_irq_vectors(pdev);
	return err;
}

/*
 * Orderly unbind or hot-unplug (pciehp): the core's unbind reads back
 * after its last writes, before the rings and vectors go, and takes
 * all-ones from a device already gone as no data.
 */
static void vsensor_pci_remove(struct pci_dev *pdev)
{
	struct vsensor_dev *vdev = pci_get_drvdata(pdev);

	vsensor_dev_unbind(vdev);
	/* unbind ended every access under cfg_lock (vdev->present) */
	vdev->regs = NULL;
	vsensor_dev_put(vdev);
	pci_free_irq_vectors(pdev);
}

static const struct pci_device_id vsensor_pci_ids[] = {
	{ PCI_DEVICE(VSENSOR_PCI_VENDOR, VSENSOR_PCI_DEVICE) },
	{ }
};
MODULE_DEVICE_TABLE(pci, vsensor_pci_ids);

static struct pci_driver vsensor_pci_driver = {
	.name = KBUILD_MODNAME,
	.id_table = vsensor_pci_ids,
	.probe = vsensor_pci_probe,
	.remove = vsensor_pci_remove,
	.driver.pm = &vsensor_pm_ops,
};

int vsensor_pci_init(void)
{
	return pci_register_driver(&vsensor_pci_driver);
}

void vsensor_pci_exit(void)
{
	pci_unregister_driver(&vsensor_pci_driver);
}
