/*
 * The VSN1000 sensor as a QEMU PCI Express device (QEMU 7.2): BAR 0 is the
 * register window of the datasheet (kernel/sim/hw.h, copied next to this
 * file as vsn1000-hw.h by qemu/build), BAR 2 holds the MSI-X table and PBA
 * with one vector per data queue plus transmit and error.
 *
 * Implemented: the global registers, the queue registers as storage with
 * their datasheet semantics (RW1C status, clear-on-read LOST, clamped
 * watermark, all-ones from an empty FIFO), the stimulus FIFO's fill side,
 * the waveform settings, D0/D3 on POWER and the interrupt raising rules.
 * Not yet: the sampling engine (no sample ever reaches a FIFO, so STATUS
 * says RUNNING but the FIFOs stay empty), the DMA engine (the doorbell is
 * ignored) and the fault knobs. See qemu/README.md.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/module.h"
#include "qemu/units.h"
#include "hw/pci/pci.h"
#include "hw/pci/pcie.h"
#include "hw/pci/msix.h"
#include "hw/qdev-properties.h"
#include "migration/vmstate.h"
#include "qapi/error.h"
#include "qom/object.h"
#include "sysemu/dma.h"

/* The datasheet speaks the kernel's types; it declares, never defines. */
typedef uint32_t u32;
typedef uint64_t u64;
#include "vsn1000-hw.h"

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

/*
 * The product the in-kernel model (kernel/sim/bus.c, hw.c) builds; these
 * move into the model core shared by both backends.
 */
#define VSN1000_FW_VERSION	0x01010000	/* 1.1.0 */
#define VSN1000_CHANNELS	4
#define VSN1000_FIFO_DEPTH	256
#define VSN1000_RATE_MAX	100000
#define VSN1000_RATE_RESET	100
#define VSN1000_TX_DEPTH	256
#define VSN1000_AMPLITUDE_RESET	1000
#define VSN1000_FREQ_RESET	1000		/* mHz: 1 Hz */

#define VSN1000_REGS_BAR	0
#define VSN1000_REGS_SIZE	(4 * KiB)	/* the window of VSN_MAX_QUEUES */
#define VSN1000_MSIX_BAR	2

typedef struct Vsn1000Queue {
    uint32_t ctrl;
    uint32_t wm;
    uint32_t status;
    uint32_t mask;
    uint32_t lost;
    uint64_t desc_iova;
    uint32_t desc_count;
    uint32_t dma_done;
    uint32_t dma_status;
} Vsn1000Queue;

struct Vsn1000State {
    PCIDevice parent_obj;

    MemoryRegion regs;

    /* properties */
    uint32_t nr_queues;

    /* global registers */
    uint32_t ctrl;
    uint32_t rate;
    uint32_t power;
    uint32_t irq_status;
    uint32_t irq_mask;
    uint32_t wave;
    uint32_t amplitude;
    uint32_t freq_mhz;
    uint32_t iommu_faults;
    uint64_t fault_iova;

    /* the stimulus FIFO: records of one word per channel */
    int32_t tx[VSN1000_TX_DEPTH][VSN1000_CHANNELS];
    uint32_t tx_head;
    uint32_t tx_tail;
    uint32_t wr_word;

    /* accesses the driver made in D3 (a driver bug, logged) */
    uint32_t d3_accesses;

    Vsn1000Queue q[VSN_MAX_QUEUES];
};

static uint32_t vsn1000_tx_level(const Vsn1000State *s)
{
    return s->tx_head - s->tx_tail;
}

static void vsn1000_fire(Vsn1000State *s, unsigned int vector)
{
    if (msix_enabled(PCI_DEVICE(s))) {
        msix_notify(PCI_DEVICE(s), vector);
    }
}

/* Signal every vector with an enabled cause pending (MSI-X: edge messages). */
static void vsn1000_raise(Vsn1000State *s)
{
    uint32_t pending = s->irq_status & s->irq_mask;
    unsigned int i;

    if (s->power != VSN_POWER_D0) {
        return;
    }
    for (i = 0; i < s->nr_queues; i++) {
        if (s->q[i].status & s->q[i].mask) {
            vsn1000_fire(s, i);
        }
    }
    if (pending & VSN_IRQ_TX_SPACE) {
        vsn1000_fire(s, VSN_VEC_TX(s->nr_queues));
    }
    if (pending & VSN_IRQ_ERR_MASK) {
        vsn1000_fire(s, VSN_VEC_ERR(s->nr_queues));
    }
}

static void vsn1000_d3_access(Vsn1000State *s, hwaddr reg, bool write)
{
    s->d3_accesses++;
    qemu_log_mask(LOG_GUEST_ERROR,
                  "vsn1000: %s of register 0x%02" HWADDR_PRIx " in D3\n",
                  write ? "write" : "read", reg);
}

static uint32_t vsn1000_q_read(Vsn1000Queue *q, hwaddr off)
{
    uint32_t val;

    switch (off) {
    case VSN_Q_CTRL:
        return q->ctrl;
    case VSN_Q_LEVEL:
        return 0;               /* no sampling engine yet: always empty */
    case VSN_Q_WM:
        return q->wm;
    case VSN_Q_STATUS:
        return q->status;
    case VSN_Q_MASK:
        return q->mask;
    case VSN_Q_LOST:
        val = q->lost;
        q->lost = 0;
        return val;
    case VSN_Q_DATA:
        return ~0U;             /* an empty FIFO reads as all ones */
    case VSN_Q_DESC_LO:
        return (uint32_t)q->desc_iova;
    case VSN_Q_DESC_HI:
        return q->desc_iova >> 32;
    case VSN_Q_DESC_COUNT:
        return q->desc_count;
    case VSN_Q_DMA_DONE:
        return q->dma_done;
    case VSN_Q_DMA_STATUS:
        return q->dma_status;
    default:
        return ~0U;
    }
}

static uint32_t vsn1000_reg_read(Vsn1000State *s, hwaddr reg)
{
    unsigned int qi;

    if (reg >= VSN_REG_QUEUE(0) && reg < VSN_REG_WINDOW_SIZE(s->nr_queues)) {
        qi = (reg - VSN_REG_QUEUE(0)) / (VSN_REG_QUEUE(1) - VSN_REG_QUEUE(0));
        return vsn1000_q_read(&s->q[qi], reg - VSN_REG_QUEUE(qi));
    }
    switch (reg) {
    case VSN_REG_POWER:
        return s->power;
    case VSN_REG_ID:
        return VSN_ID_MAGIC;
    case VSN_REG_VERSION:
        return VSN1000_FW_VERSION;
    case VSN_REG_CTRL:
        return s->ctrl;
    case VSN_REG_STATUS:
        return (s->ctrl & VSN_CTRL_ENABLE) ? VSN_STATUS_RUNNING : 0;
    case VSN_REG_RATE:
        return s->rate;
    case VSN_REG_CHANNELS:
        return VSN1000_CHANNELS;
    case VSN_REG_FIFO_DEPTH:
        return VSN1000_FIFO_DEPTH;
    case VSN_REG_IRQ_STATUS:
        return s->irq_status;
    case VSN_REG_IRQ_MASK:
        return s->irq_mask;
    case VSN_REG_RATE_MAX:
        return VSN1000_RATE_MAX;
    case VSN_REG_TX_DEPTH:
        return VSN1000_TX_DEPTH;
    case VSN_REG_TX_LEVEL:
        return vsn1000_tx_level(s);
    case VSN_REG_NR_QUEUES:
        return s->nr_queues;
    case VSN_REG_IOMMU_FAULTS:
        return s->iommu_faults;
    case VSN_REG_FAULT_IOVA_LO:
        return (uint32_t)s->fault_iova;
    case VSN_REG_FAULT_IOVA_HI:
        return s->fault_iova >> 32;
    case VSN_REG_WAVEFORM:
        return s->wave;
    case VSN_REG_AMPLITUDE:
        return s->amplitude;
    case VSN_REG_FREQUENCY:
        return s->freq_mhz;
    default:
        return ~0U;     /* unimplemented registers float high */
    }
}

static uint64_t vsn1000_mmio_read(void *opaque, hwaddr reg, unsigned size)
{
    Vsn1000State *s = opaque;

    if (s->power != VSN_POWER_D0 && reg != VSN_REG_POWER) {
        vsn1000_d3_access(s, reg, false);
        return ~0U;
    }
    return vsn1000_reg_read(s, reg);
}

static void vsn1000_queue_reset(Vsn1000Queue *q)
{
    /* empties the FIFO; with no sampling engine it is always empty */
}

static void vsn1000_write_power(Vsn1000State *s, uint32_t val)
{
    bool wake = s->power != VSN_POWER_D0 && val == VSN_POWER_D0;

    if (val != VSN_POWER_D0 && val != VSN_POWER_D3) {
        return;         /* D1, D2: not supported, ignored */
    }
    s->power = val;
    if (wake) {
        vsn1000_raise(s);       /* what came up meanwhile */
    }
}

static void vsn1000_write_ctrl(Vsn1000State *s, uint32_t val)
{
    unsigned int i;

    if (val & VSN_CTRL_FIFO_RESET) {
        for (i = 0; i < s->nr_queues; i++) {
            vsn1000_queue_reset(&s->q[i]);
        }
        s->tx_tail = s->tx_head;
        s->wr_word = 0;
    }
    s->ctrl = val & VSN_CTRL_ENABLE;   /* FIFO_RESET clears itself */
}

/* A stimulus record is queued when its last channel word is written. */
static void vsn1000_tx_data(Vsn1000State *s, uint32_t val)
{
    if (vsn1000_tx_level(s) == VSN1000_TX_DEPTH) {
        return;         /* writes to a full FIFO are lost */
    }
    s->tx[s->tx_head % VSN1000_TX_DEPTH][s->wr_word] = (int32_t)val;
    if (++s->wr_word == VSN1000_CHANNELS) {
        s->wr_word = 0;
        s->tx_head++;
    }
}

/* Waveform registers ignore values outside their range. */
static void vsn1000_write_wave(Vsn1000State *s, hwaddr reg, uint32_t val)
{
    if (reg == VSN_REG_WAVEFORM && val >= VSN_WAVE_SINE &&
        val <= VSN_WAVE_NOISE) {
        s->wave = val;
    } else if (reg == VSN_REG_AMPLITUDE && val <= VSN_AMPLITUDE_MAX) {
        s->amplitude = val;
    } else if (reg == VSN_REG_FREQUENCY && val >= VSN_FREQUENCY_MIN &&
               val <= VSN_FREQUENCY_MAX) {
        s->freq_mhz = val;
    }
}

static void vsn1000_q_write(Vsn1000State *s, Vsn1000Queue *q, unsigned int qi,
                            hwaddr off, uint32_t val)
{
    switch (off) {
    case VSN_Q_CTRL:
        if (!(q->ctrl & VSN_Q_CTRL_ENABLE) && (val & VSN_Q_CTRL_ENABLE)) {
            vsn1000_queue_reset(q);
        }
        q->ctrl = val & VSN_Q_CTRL_ENABLE;
        break;
    case VSN_Q_WM:
        q->wm = MIN(MAX(val, 1), VSN1000_FIFO_DEPTH);
        break;
    case VSN_Q_STATUS:
        q->status &= ~val;
        break;
    case VSN_Q_MASK:
        q->mask = val & (VSN_Q_IRQ_WATERMARK | VSN_Q_IRQ_DMA_DONE);
        if (q->status & q->mask) {
            vsn1000_fire(s, qi);
        }
        break;
    case VSN_Q_DESC_LO:
        q->desc_iova = deposit64(q->desc_iova, 0, 32, val);
        break;
    case VSN_Q_DESC_HI:
        q->desc_iova = deposit64(q->desc_iova, 32, 32, val);
        break;
    case VSN_Q_DESC_COUNT:
        q->desc_count = val;
        break;
    case VSN_Q_DMA_START:
        qemu_log_mask(LOG_UNIMP, "vsn1000: q%u: DMA engine not implemented\n",
                      qi);
        break;
    default:
        break;  /* read-only or unimplemented: ignored */
    }
}

static void vsn1000_mmio_write(void *opaque, hwaddr reg, uint64_t val64,
                               unsigned size)
{
    Vsn1000State *s = opaque;
    uint32_t val = val64;
    unsigned int qi;

    if (reg == VSN_REG_POWER) {
        vsn1000_write_power(s, val);
        return;
    }
    if (s->power != VSN_POWER_D0) {
        vsn1000_d3_access(s, reg, true);
        return;
    }
    if (reg >= VSN_REG_QUEUE(0) && reg < VSN_REG_WINDOW_SIZE(s->nr_queues)) {
        qi = (reg - VSN_REG_QUEUE(0)) / (VSN_REG_QUEUE(1) - VSN_REG_QUEUE(0));
        vsn1000_q_write(s, &s->q[qi], qi, reg - VSN_REG_QUEUE(qi), val);
        return;
    }
    switch (reg) {
    case VSN_REG_CTRL:
        vsn1000_write_ctrl(s, val);
        break;
    case VSN_REG_RATE:
        s->rate = MIN(MAX(val, 1), VSN1000_RATE_MAX);
        break;
    case VSN_REG_IRQ_STATUS:
        s->irq_status &= ~val;
        break;
    case VSN_REG_IRQ_MASK:
        s->irq_mask = val & (VSN_IRQ_TX_SPACE | VSN_IRQ_ERR_MASK);
        vsn1000_raise(s);
        break;
    case VSN_REG_TX_DATA:
        vsn1000_tx_data(s, val);
        break;
    case VSN_REG_WAVEFORM:
    case VSN_REG_AMPLITUDE:
    case VSN_REG_FREQUENCY:
        vsn1000_write_wave(s, reg, val);
        break;
    default:
        break;
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

/* The register reset values of the datasheet (hw.c's vsensor_hw_create). */
static void vsn1000_reset(DeviceState *dev)
{
    Vsn1000State *s = VSN1000(dev);
    unsigned int i;

    s->ctrl = 0;
    s->rate = VSN1000_RATE_RESET;
    s->power = VSN_POWER_D0;
    s->irq_status = 0;
    s->irq_mask = 0;
    s->wave = VSN_WAVE_SINE;
    s->amplitude = VSN1000_AMPLITUDE_RESET;
    s->freq_mhz = VSN1000_FREQ_RESET;
    s->iommu_faults = 0;
    s->fault_iova = 0;
    s->tx_head = s->tx_tail = s->wr_word = 0;
    memset(s->q, 0, sizeof(s->q));
    for (i = 0; i < VSN_MAX_QUEUES; i++) {
        s->q[i].wm = 1;
    }
    msix_reset(PCI_DEVICE(s));
}

static void vsn1000_realize(PCIDevice *pdev, Error **errp)
{
    Vsn1000State *s = VSN1000(pdev);
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
}

static void vsn1000_exit(PCIDevice *pdev)
{
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
