/*
 * The VSN1000 sensor as a QEMU PCI Express device (QEMU 7.2): the platform
 * of the model core (kernel/sim/vsn-core.c, which holds the registers, the
 * sampling loop, the waveforms, the FIFOs and the DMA descriptor walk, and
 * which qemu/build copies next to this file with the datasheet as
 * vsn-hw.h). Here: BAR 0, the register window; BAR 2, the MSI-X table and
 * PBA (one vector per data queue, then transmit and error); the sampler and
 * the DMA engines' transfer times on QEMU_CLOCK_VIRTUAL timers; the device
 * clock (TIME, record timestamps) is QEMU_CLOCK_VIRTUAL in ns; DMA through
 * pci_dma_read/write, so through the vIOMMU when there is one.
 * The big QEMU lock serialises everything that calls into the core.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/module.h"
#include "qemu/timer.h"
#include "qemu/units.h"
#include "hw/pci/pci.h"
#include "hw/pci/pcie.h"
#include "hw/pci/msix.h"
#include "hw/qdev-properties.h"
#include "migration/vmstate.h"
#include "qapi/error.h"
#include "qom/object.h"
#include "sysemu/dma.h"

#include "vsn-core.h"

#define TYPE_VSN1000		"vsn1000"
OBJECT_DECLARE_SIMPLE_TYPE(Vsn1000State, VSN1000)

/*
 * Project-experimental PCI IDs: Red Hat's 1af4:10f0-10ff range is "available
 * for experimental usage without registration" (QEMU's
 * docs/specs/pci-ids.txt); it must get an official ID before it leaves the
 * lab. The class is "signal processing controller, other".
 */
#define VSN1000_VENDOR_ID	0x1af4
#define VSN1000_DEVICE_ID	0x10f0
#define VSN1000_REVISION	0x01
#define VSN1000_CLASS		0x1180

#define VSN1000_REGS_BAR	0
#define VSN1000_REGS_SIZE	(4 * KiB)	/* the window of VSN_MAX_QUEUES */
#define VSN1000_MSIX_BAR	2

/*
 * DBG_DMA_IOVA 0 misdirects to here: above any IOMMU's address width and
 * any RAM, so the write fails (MEMTX error) with or without a vIOMMU.
 */
#define VSN1000_STALE_IOVA	0xfffffffffffff000ULL

/* A queue's DMA engine: the transfer in flight takes its time. */
typedef struct Vsn1000Dma {
    struct Vsn1000State *s;
    unsigned int qi;
    QEMUTimer *timer;
} Vsn1000Dma;

struct Vsn1000State {
    PCIDevice parent_obj;

    MemoryRegion regs;

    /* properties */
    uint32_t nr_queues;

    struct vsn_core core;
    QEMUTimer *sampler;
    int64_t next_tick;          /* when the sampler's timer expires, ns */
    Vsn1000Dma dma[VSN_MAX_QUEUES];

    /* the core's buffers */
    s32 tx[VSN1000_TX_DEPTH][VSN_MAX_VALUES];
    struct vsn_fifo_rec fifo[VSN_MAX_QUEUES][VSN1000_FIFO_DEPTH];
};

/* The core's platform */

static u64 vsn1000_now_ns(void *ctx)
{
    return qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
}

/*
 * QEMU's MSI-X code keeps a masked vector's message pending (PBA). With
 * MSI-X off the device would use INTx, which it has not: it signals nothing.
 */
static void vsn1000_fire(void *ctx, unsigned int vec)
{
    PCIDevice *pdev = PCI_DEVICE(ctx);

    if (msix_enabled(pdev)) {
        msix_notify(pdev, vec);
    }
}

static int vsn1000_dma_read(void *ctx, u64 iova, void *buf, u32 len,
                            u64 *fault_iova)
{
    Vsn1000State *s = ctx;

    if (pci_dma_read(PCI_DEVICE(s), iova, buf, len) != MEMTX_OK) {
        *fault_iova = iova;
        return -1;
    }
    return 0;
}

static int vsn1000_dma_write(void *ctx, u64 iova, const void *buf, u32 len,
                             u64 *fault_iova)
{
    Vsn1000State *s = ctx;

    if (pci_dma_write(PCI_DEVICE(s), iova, buf, len) != MEMTX_OK) {
        *fault_iova = iova;
        return -1;
    }
    return 0;
}

static u32 vsn1000_random(void *ctx)
{
    return g_random_int();
}

static void vsn1000_dma_arm(void *ctx, unsigned int qi, u32 nr)
{
    Vsn1000State *s = ctx;

    timer_mod(s->dma[qi].timer, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) +
              VSN_DMA_SETUP_NS + (int64_t)nr * VSN_DMA_RECORD_NS);
}

static void vsn1000_d3_access(void *ctx, u32 reg, bool write)
{
    qemu_log_mask(LOG_GUEST_ERROR, "vsn1000: %s of register 0x%03x in D3\n",
                  write ? "write" : "read", reg);
}

static const struct vsn_platform_ops vsn1000_ops = {
    .now_ns = vsn1000_now_ns,
    .fire = vsn1000_fire,
    .dma_read = vsn1000_dma_read,
    .dma_write = vsn1000_dma_write,
    .random = vsn1000_random,
    .dma_arm = vsn1000_dma_arm,
    .d3_access = vsn1000_d3_access,
};

/* The sampler: a tick every max(1 / RATE, 1 ms), batching above 1 kHz. */
static void vsn1000_sampler_start(Vsn1000State *s)
{
    s->next_tick = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) +
                   vsn_core_tick_ns(&s->core);
    timer_mod(s->sampler, s->next_tick);
}

static void vsn1000_sampler_tick(void *opaque)
{
    Vsn1000State *s = opaque;
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    int64_t tick = vsn_core_tick_ns(&s->core);

    if (!vsn_core_tick(&s->core)) {
        return;
    }
    /* as hrtimer_forward_now(): the next period boundary after now */
    s->next_tick += tick;
    if (s->next_tick <= now) {
        s->next_tick += ((now - s->next_tick) / tick + 1) * tick;
    }
    timer_mod(s->sampler, s->next_tick);
}

static void vsn1000_dma_done(void *opaque)
{
    Vsn1000Dma *dma = opaque;

    vsn_core_dma_complete(&dma->s->core, dma->qi);
}

static uint64_t vsn1000_mmio_read(void *opaque, hwaddr reg, unsigned size)
{
    Vsn1000State *s = opaque;

    return vsn_core_read(&s->core, reg);
}

static void vsn1000_mmio_write(void *opaque, hwaddr reg, uint64_t val,
                               unsigned size)
{
    Vsn1000State *s = opaque;
    unsigned int act = vsn_core_write(&s->core, reg, val);

    if (act & VSN_CORE_SAMPLER_START) {
        vsn1000_sampler_start(s);
    }
    if (act & (VSN_CORE_SAMPLER_STOP | VSN_CORE_SAMPLER_REARM)) {
        timer_del(s->sampler);
    }
    if ((act & VSN_CORE_SAMPLER_REARM) && vsn_core_sampling(&s->core)) {
        vsn1000_sampler_start(s);
    }
}

/* All registers are 32 bits wide, naturally aligned. */
static const MemoryRegionOps vsn1000_mmio_ops = {
    .read = vsn1000_mmio_read,
    .write = vsn1000_mmio_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {
        .min_access_size = 4,
        .max_access_size = 4,
    },
    .impl = {
        .min_access_size = 4,
        .max_access_size = 4,
    },
};

/* The register reset values of the datasheet; the engines stop. */
static void vsn1000_reset(DeviceState *dev)
{
    Vsn1000State *s = VSN1000(dev);
    unsigned int i;

    timer_del(s->sampler);
    for (i = 0; i < s->nr_queues; i++) {
        timer_del(s->dma[i].timer);
    }
    vsn_core_reset(&s->core);
    msix_reset(PCI_DEVICE(s));
}

static void vsn1000_realize(PCIDevice *pdev, Error **errp)
{
    Vsn1000State *s = VSN1000(pdev);
    struct vsn_core *c = &s->core;
    unsigned int nr_vectors, i;

    if (s->nr_queues < 1 || s->nr_queues > VSN_MAX_QUEUES) {
        error_setg(errp, "vsn1000: queues must be 1..%d", VSN_MAX_QUEUES);
        return;
    }
    nr_vectors = VSN_NR_VECTORS(s->nr_queues);

    memory_region_init_io(&s->regs, OBJECT(s), &vsn1000_mmio_ops, s,
                          "vsn1000-regs", VSN1000_REGS_SIZE);
    pci_register_bar(pdev, VSN1000_REGS_BAR, PCI_BASE_ADDRESS_SPACE_MEMORY,
                     &s->regs);

    if (msix_init_exclusive_bar(pdev, nr_vectors, VSN1000_MSIX_BAR, errp)) {
        return;
    }
    for (i = 0; i < nr_vectors; i++) {
        msix_vector_use(pdev, i);
    }

    if (pcie_endpoint_cap_init(pdev, 0x80) < 0) {
        error_setg(errp, "vsn1000: cannot add the PCI Express capability");
        msix_uninit_exclusive_bar(pdev);
        return;
    }

    c->ops = &vsn1000_ops;
    c->ctx = s;
    c->nr_channels = VSN1000_CHANNELS;
    c->fifo_depth = VSN1000_FIFO_DEPTH;
    c->rate_max = VSN1000_RATE_MAX;
    c->nr_queues = s->nr_queues;
    c->tx = s->tx;
    c->stale_iova = VSN1000_STALE_IOVA;
    for (i = 0; i < VSN_MAX_QUEUES; i++) {
        c->q[i].fifo = s->fifo[i];
    }
    vsn_core_reset(c);

    s->sampler = timer_new_ns(QEMU_CLOCK_VIRTUAL, vsn1000_sampler_tick, s);
    for (i = 0; i < s->nr_queues; i++) {
        s->dma[i].s = s;
        s->dma[i].qi = i;
        s->dma[i].timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, vsn1000_dma_done,
                                       &s->dma[i]);
    }
}

static void vsn1000_exit(PCIDevice *pdev)
{
    Vsn1000State *s = VSN1000(pdev);
    unsigned int i;

    for (i = 0; i < s->nr_queues; i++) {
        timer_free(s->dma[i].timer);
    }
    timer_free(s->sampler);
    pcie_cap_exit(pdev);
    msix_uninit_exclusive_bar(pdev);
}

static Property vsn1000_properties[] = {
    DEFINE_PROP_UINT32("queues", Vsn1000State, nr_queues, 2),
    DEFINE_PROP_END_OF_LIST(),
};

/* Not migratable yet: the state has no vmstate description. */
static const VMStateDescription vsn1000_vmstate = {
    .name = TYPE_VSN1000,
    .unmigratable = 1,
};

static void vsn1000_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    PCIDeviceClass *k = PCI_DEVICE_CLASS(klass);

    k->realize = vsn1000_realize;
    k->exit = vsn1000_exit;
    k->vendor_id = VSN1000_VENDOR_ID;
    k->device_id = VSN1000_DEVICE_ID;
    k->revision = VSN1000_REVISION;
    k->class_id = VSN1000_CLASS;
    dc->desc = "VSN1000 sensor (vsensor project, experimental PCI ID)";
    dc->reset = vsn1000_reset;
    dc->vmsd = &vsn1000_vmstate;
    device_class_set_props(dc, vsn1000_properties);
    set_bit(DEVICE_CATEGORY_MISC, dc->categories);
}

static const TypeInfo vsn1000_info = {
    .name = TYPE_VSN1000,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(Vsn1000State),
    .class_init = vsn1000_class_init,
    .interfaces = (InterfaceInfo[]) {
        { INTERFACE_PCIE_DEVICE },
        { },
    },
};

static void vsn1000_register_types(void)
{
    type_register_static(&vsn1000_info);
}

type_init(vsn1000_register_types)
