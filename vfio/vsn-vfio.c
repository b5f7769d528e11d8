// SPDX-License-Identifier: GPL-2.0
/*
 * The VFIO device object of the VSN1000 userspace driver: what the kernel's
 * PCI backend (kernel/pci.c) gets from the PCI core and the DMA API, here
 * through vfio-pci (Documentation/driver-api/vfio.rst): the IOMMU group
 * and a type1 container, the device fd, BAR 0 mmap()ed, bus mastering in
 * the config region, DMA memory of the process mapped at IOVAs this file
 * chooses, MSI-X vectors routed to eventfds, and the function reset.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include "vsn-vfio.h"

#define VSN_VFIO_BAR		VFIO_PCI_BAR0_REGION_INDEX
#define VSN_VFIO_BAR_SIZE	4096
/*
 * The IOVAs this driver hands out, from 256 MiB up: below the 39 bits of
 * the emulated VT-d and away from the MSI window (0xfee00000); each area
 * has a page of unmapped IOVA space on either side.
 */
#define VSN_VFIO_IOVA_BASE	0x10000000ULL

struct vsn_vfio {
	char name[32];			/* the PCI address */
	int container, group, device;
	volatile u32 *regs;		/* BAR 0 */
	off_t config_off;		/* the config region in the device fd */
	struct vfio_device_info info;
	u64 next_iova;
	unsigned int nr_irqs;		/* MSI-X vectors of the device */
	int irq_fd[VSN_NR_VECTORS(VSN_MAX_QUEUES)];
	unsigned int nr_irq_fds;	/* routed to eventfds */
};

static int vsn_vfio_err(const struct vsn_vfio *v, int err, const char *fmt,
			...)
{
	va_list ap;

	fprintf(stderr, "vsensor-vfio: %s: ", v->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(err));
	return -err;
}

const char *vsn_vfio_name(const struct vsn_vfio *v)
{
	return v->name;
}

/* The IOMMU group's number, from /sys/bus/pci/devices/BDF/iommu_group. */
static int vsn_vfio_group_nr(struct vsn_vfio *v, int *nr)
{
	char path[PATH_MAX], link[PATH_MAX];
	const char *base;
	ssize_t len;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group",
		 v->name);
	len = readlink(path, link, sizeof(link) - 1);
	if (len < 0)
		return vsn_vfio_err(v, errno,
				    "no IOMMU group (%s; the lab's --iommu on?)",
				    path);
	link[len] = '\0';
	base = strrchr(link, '/');
	*nr = atoi(base ? base + 1 : link);
	return 0;
}

/* The group and a type1 container: the device's DMA goes through it. */
static int vsn_vfio_open_group(struct vsn_vfio *v)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	char path[32];
	int nr, err;

	err = vsn_vfio_group_nr(v, &nr);
	if (err)
		return err;
	v->container = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (v->container < 0)
		return vsn_vfio_err(v, errno, "/dev/vfio/vfio (modprobe vfio-pci)");
	if (ioctl(v->container, VFIO_GET_API_VERSION) != VFIO_API_VERSION)
		return vsn_vfio_err(v, EINVAL, "VFIO API version");
	if (!ioctl(v->container, VFIO_CHECK_EXTENSION, VFIO_TYPE1_IOMMU))
		return vsn_vfio_err(v, ENODEV, "no type1 IOMMU in the container");
	snprintf(path, sizeof(path), "/dev/vfio/%d", nr);
	v->group = open(path, O_RDWR | O_CLOEXEC);
	if (v->group < 0)
		return vsn_vfio_err(v, errno,
				    "%s (is it bound to vfio-pci? vsensor-vfio-bind)",
				    path);
	if (ioctl(v->group, VFIO_GROUP_GET_STATUS, &status))
		return vsn_vfio_err(v, errno, "VFIO_GROUP_GET_STATUS");
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE))
		return vsn_vfio_err(v, EBUSY,
				    "group %d not viable (all its devices on vfio-pci?)",
				    nr);
	if (ioctl(v->group, VFIO_GROUP_SET_CONTAINER, &v->container))
		return vsn_vfio_err(v, errno, "VFIO_GROUP_SET_CONTAINER");
	if (ioctl(v->container, VFIO_SET_IOMMU, VFIO_TYPE1_IOMMU))
		return vsn_vfio_err(v, errno, "VFIO_SET_IOMMU type1");
	return 0;
}

static int vsn_vfio_region(struct vsn_vfio *v, unsigned int index,
			   struct vfio_region_info *reg)
{
	memset(reg, 0, sizeof(*reg));
	reg->argsz = sizeof(*reg);
	reg->index = index;
	if (ioctl(v->device, VFIO_DEVICE_GET_REGION_INFO, reg))
		return vsn_vfio_err(v, errno, "region %u info", index);
	return 0;
}

/* BAR 0 mapped; the config region's offset for bus mastering. */
static int vsn_vfio_map_regions(struct vsn_vfio *v)
{
	struct vfio_region_info reg;
	void *p;
	int err;

	err = vsn_vfio_region(v, VSN_VFIO_BAR, &reg);
	if (err)
		return err;
	if (!(reg.flags & VFIO_REGION_INFO_FLAG_MMAP) ||
	    reg.size < VSN_VFIO_BAR_SIZE)
		return vsn_vfio_err(v, ENXIO, "BAR 0 not mappable (size %llu)",
				    (unsigned long long)reg.size);
	p = mmap(NULL, VSN_VFIO_BAR_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		 v->device, (off_t)reg.offset);
	if (p == MAP_FAILED)
		return vsn_vfio_err(v, errno, "mmap of BAR 0");
	v->regs = p;
	err = vsn_vfio_region(v, VFIO_PCI_CONFIG_REGION_INDEX, &reg);
	if (err)
		return err;
	v->config_off = (off_t)reg.offset;
	return 0;
}

static int vsn_vfio_irq_count(struct vsn_vfio *v)
{
	struct vfio_irq_info irq = {
		.argsz = sizeof(irq),
		.index = VFIO_PCI_MSIX_IRQ_INDEX,
	};

	if (ioctl(v->device, VFIO_DEVICE_GET_IRQ_INFO, &irq))
		return vsn_vfio_err(v, errno, "MSI-X info");
	if (!(irq.flags & VFIO_IRQ_INFO_EVENTFD) || !irq.count)
		return vsn_vfio_err(v, ENODEV, "no MSI-X vectors");
	v->nr_irqs = irq.count;
	return 0;
}

/* Memory decoding and bus mastering on (PCI_COMMAND, config region). */
static int vsn_vfio_bus_master(struct vsn_vfio *v)
{
	off_t off = v->config_off + PCI_COMMAND;
	uint16_t cmd;

	if (pread(v->device, &cmd, sizeof(cmd), off) != sizeof(cmd))
		return vsn_vfio_err(v, errno ?: EIO, "reading PCI_COMMAND");
	cmd |= PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	if (pwrite(v->device, &cmd, sizeof(cmd), off) != sizeof(cmd))
		return vsn_vfio_err(v, errno ?: EIO, "writing PCI_COMMAND");
	return 0;
}

static int vsn_vfio_open_device(struct vsn_vfio *v)
{
	int err;

	v->device = ioctl(v->group, VFIO_GROUP_GET_DEVICE_FD, v->name);
	if (v->device < 0)
		return vsn_vfio_err(v, errno, "VFIO_GROUP_GET_DEVICE_FD");
	v->info.argsz = sizeof(v->info);
	if (ioctl(v->device, VFIO_DEVICE_GET_INFO, &v->info))
		return vsn_vfio_err(v, errno, "VFIO_DEVICE_GET_INFO");
	if (!(v->info.flags & VFIO_DEVICE_FLAGS_PCI))
		return vsn_vfio_err(v, ENODEV, "not a PCI device");
	err = vsn_vfio_map_regions(v);
	if (err)
		return err;
	err = vsn_vfio_irq_count(v);
	if (err)
		return err;
	return vsn_vfio_bus_master(v);
}

struct vsn_vfio *vsn_vfio_open(const char *bdf)
{
	struct vsn_vfio *v;
	u32 id;
	int err;

	v = calloc(1, sizeof(*v));
	if (!v)
		return NULL;
	v->container = v->group = v->device = -1;
	v->next_iova = VSN_VFIO_IOVA_BASE;
	snprintf(v->name, sizeof(v->name), "%s", bdf);
	err = vsn_vfio_open_group(v);
	if (!err)
		err = vsn_vfio_open_device(v);
	if (!err) {
		id = vsn_vfio_readl(v, VSN_REG_ID);
		if (id != VSN_ID_MAGIC)
			err = vsn_vfio_err(v, ENODEV, "ID 0x%08x, not a VSN1000",
					   id);
	}
	if (err) {
		vsn_vfio_close(v);
		errno = -err;
		return NULL;
	}
	/* the power state it resets to; whoever had it may have left D3 */
	vsn_vfio_writel(v, VSN_REG_POWER, VSN_POWER_D0);
	return v;
}

/* Reverse of open; closing the device fd lets vfio-pci reset it. */
void vsn_vfio_close(struct vsn_vfio *v)
{
	if (!v)
		return;
	vsn_vfio_irq_disable(v);
	if (v->regs)
		munmap((void *)v->regs, VSN_VFIO_BAR_SIZE);
	if (v->device >= 0)
		close(v->device);
	if (v->group >= 0)
		close(v->group);
	if (v->container >= 0)
		close(v->container);
	free(v);
}

/*
 * Registers: 32-bit accesses through the mapping, as readl()/writel();
 * the compiler barrier keeps them in program order, x86 keeps them
 * ordered after the stores to DMA memory before them.
 */
u32 vsn_vfio_readl(struct vsn_vfio *v, u32 reg)
{
	u32 val = v->regs[reg / 4];

	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return val;
}

void vsn_vfio_writel(struct vsn_vfio *v, u32 reg, u32 val)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	v->regs[reg / 4] = val;
}

bool vsn_vfio_can_reset(const struct vsn_vfio *v)
{
	return v->info.flags & VFIO_DEVICE_FLAGS_RESET;
}

/* Function reset: the datasheet's reset values, FIFOs and engines idle. */
int vsn_vfio_reset(struct vsn_vfio *v)
{
	if (!vsn_vfio_can_reset(v))
		return vsn_vfio_err(v, ENOTTY, "no function reset (VFIO_DEVICE_FLAGS_RESET)");
	if (ioctl(v->device, VFIO_DEVICE_RESET))
		return vsn_vfio_err(v, errno, "VFIO_DEVICE_RESET");
	/* a reset may clear the command register */
	return vsn_vfio_bus_master(v);
}

/*
 * DMA memory: the process's own pages (pinned by the type1 map),
 * mapped for the device with VFIO_IOMMU_MAP_DMA at the next free IOVA.
 * Whole pages; the guard pages either side stay the process's alone.
 */
int vsn_vfio_dma_alloc(struct vsn_vfio *v, size_t size,
		       struct vsn_vfio_dma *dma)
{
	struct vfio_iommu_type1_dma_map map = { .argsz = sizeof(map) };
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	unsigned char *p;

	memset(dma, 0, sizeof(*dma));
	size = (size + page - 1) / page * page;
	p = aligned_alloc(page, size + 2 * page);
	if (!p)
		return vsn_vfio_err(v, errno, "DMA memory (%zu bytes)", size);
	memset(p, VSN_VFIO_GUARD_BYTE, page);
	memset(p + page, 0, size);
	memset(p + page + size, VSN_VFIO_GUARD_BYTE, page);
	map.vaddr = (uintptr_t)(p + page);
	map.size = size;
	map.iova = v->next_iova + page;
	map.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE;
	if (ioctl(v->container, VFIO_IOMMU_MAP_DMA, &map)) {
		int err = errno;

		free(p);
		return vsn_vfio_err(v, err, "VFIO_IOMMU_MAP_DMA at 0x%llx",
				    (unsigned long long)map.iova);
	}
	v->next_iova += size + 2 * page;
	dma->cpu = p + page;
	dma->iova = map.iova;
	dma->size = size;
	dma->guard_before = p;
	dma->guard_after = p + page + size;
	dma->guard_size = page;
	return 0;
}

void vsn_vfio_dma_free(struct vsn_vfio *v, struct vsn_vfio_dma *dma)
{
	struct vfio_iommu_type1_dma_unmap unmap = { .argsz = sizeof(unmap) };

	if (!dma->cpu)
		return;
	unmap.iova = dma->iova;
	unmap.size = dma->size;
	if (ioctl(v->container, VFIO_IOMMU_UNMAP_DMA, &unmap))
		vsn_vfio_err(v, errno, "VFIO_IOMMU_UNMAP_DMA");
	free(dma->guard_before);
	memset(dma, 0, sizeof(*dma));
}

static bool vsn_vfio_filled(const unsigned char *p, size_t n)
{
	while (n--)
		if (*p++ != VSN_VFIO_GUARD_BYTE)
			return false;
	return true;
}

/* Nothing the device did reached the pages either side of the area. */
bool vsn_vfio_dma_guard_intact(const struct vsn_vfio_dma *dma)
{
	return vsn_vfio_filled(dma->guard_before, dma->guard_size) &&
	       vsn_vfio_filled(dma->guard_after, dma->guard_size);
}

unsigned int vsn_vfio_nr_irqs(const struct vsn_vfio *v)
{
	return v->nr_irqs;
}

/* MSI-X vectors 0..@nr-1, each to an eventfd of its own (VFIO_DEVICE_SET_IRQS). */
int vsn_vfio_irq_enable(struct vsn_vfio *v, unsigned int nr)
{
	struct vfio_irq_set *set;
	size_t len = sizeof(*set) + nr * sizeof(int);
	unsigned int i;
	int err;

	if (nr > v->nr_irqs || nr > VSN_NR_VECTORS(VSN_MAX_QUEUES))
		return vsn_vfio_err(v, EINVAL, "%u vectors (the device has %u)",
				    nr, v->nr_irqs);
	set = calloc(1, len);
	if (!set)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		v->irq_fd[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (v->irq_fd[i] < 0) {
			err = vsn_vfio_err(v, errno, "eventfd");
			goto err_close;
		}
		memcpy(set->data + i * sizeof(int), &v->irq_fd[i], sizeof(int));
	}
	set->argsz = len;
	set->flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
	set->index = VFIO_PCI_MSIX_IRQ_INDEX;
	set->start = 0;
	set->count = nr;
	if (ioctl(v->device, VFIO_DEVICE_SET_IRQS, set)) {
		err = vsn_vfio_err(v, errno, "VFIO_DEVICE_SET_IRQS (MSI-X, %u)", nr);
		goto err_close;
	}
	v->nr_irq_fds = nr;
	free(set);
	return 0;

err_close:
	while (i--)
		close(v->irq_fd[i]);
	free(set);
	return err;
}

int vsn_vfio_irq_fd(const struct vsn_vfio *v, unsigned int vec)
{
	return vec < v->nr_irq_fds ? v->irq_fd[vec] : -1;
}

/* MSI-X off (DATA_NONE, count 0), then the eventfds closed. */
void vsn_vfio_irq_disable(struct vsn_vfio *v)
{
	struct vfio_irq_set set = {
		.argsz = sizeof(set),
		.flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
		.index = VFIO_PCI_MSIX_IRQ_INDEX,
	};
	unsigned int i;

	if (!v->nr_irq_fds)
		return;
	if (ioctl(v->device, VFIO_DEVICE_SET_IRQS, &set))
		vsn_vfio_err(v, errno, "disabling MSI-X");
	for (i = 0; i < v->nr_irq_fds; i++)
		close(v->irq_fd[i]);
	v->nr_irq_fds = 0;
}
