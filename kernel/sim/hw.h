/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "datasheet" of the simulated VSN1000 sensor: register offsets and
 * bits, the DMA descriptor and record layouts, and the few calls that stand
 * for the bus (register window access, the IOMMU's map/unmap). The driver
 * knows the hardware only through these and the interrupts it raises.
 */
#ifndef _VSENSOR_HW_H
#define _VSENSOR_HW_H

#include <linux/types.h>

/* Global registers */
#define VSN_REG_ID		0x00	/* RO: VSN_ID_MAGIC */
#define VSN_REG_VERSION		0x04	/* RO: firmware version, 0xMMmmpppp */
#define VSN_REG_CTRL		0x08	/* RW: VSN_CTRL_* */
#define VSN_REG_STATUS		0x0c	/* RO: VSN_STATUS_* */
#define VSN_REG_RATE		0x10	/* RW: sample rate in Hz */
#define VSN_REG_CHANNELS	0x14	/* RO: number of channels */
#define VSN_REG_FIFO_DEPTH	0x18	/* RO: capacity of each queue FIFO */
#define VSN_REG_POWER		0x1c	/* RW: VSN_POWER_*; reset D0 */
#define VSN_REG_IRQ_STATUS	0x24	/* RW1C: VSN_IRQ_* pending */
#define VSN_REG_IRQ_MASK	0x28	/* RW: VSN_IRQ_* enabled */
#define VSN_REG_RATE_MAX	0x30	/* RO: highest sample rate, Hz */
#define VSN_REG_TX_DEPTH	0x34	/* RO: stimulus FIFO capacity, records */
#define VSN_REG_TX_LEVEL	0x38	/* RO: stimulus records queued */
#define VSN_REG_TX_DATA		0x44	/* WO: one stimulus word a write */
#define VSN_REG_WAVEFORM	0x48	/* RW: VSN_WAVE_*; others ignored */
#define VSN_REG_AMPLITUDE	0x4c	/* RW: peak value, <= VSN_AMPLITUDE_MAX */
#define VSN_REG_FREQUENCY	0x50	/* RW: waveform frequency, mHz */
#define VSN_REG_TIME_LO		0x58	/* RO: device clock, ns; latches HI */
#define VSN_REG_TIME_HI		0x5c	/* RO: the latched high word */
#define VSN_REG_NR_QUEUES	0x80	/* RO: data queues (and their vectors) */
#define VSN_REG_IOMMU_FAULTS	0x84	/* RO: DMA writes the IOMMU blocked */
#define VSN_REG_FAULT_IOVA_LO	0x88	/* RO: IOVA of the latest fault */
#define VSN_REG_FAULT_IOVA_HI	0x8c
/*
 * Debug: the next DBG_DMA_FAULTS transfers write their first record to
 * DBG_DMA_IOVA instead of the descriptor's buffer (a stale IOVA, so the
 * IOMMU's protection can be shown). DBG_DMA_FAULTS counts down as
 * transfers start.
 */
#define VSN_REG_DBG_DMA_FAULTS	0x90	/* RW */
#define VSN_REG_DBG_DMA_IOVA_LO	0x94	/* RW */
#define VSN_REG_DBG_DMA_IOVA_HI	0x98	/* RW */

#define VSN_ID_MAGIC		0x56534e31	/* "VSN1" */

#define VSN_CTRL_ENABLE		BIT(0)	/* the sensor core samples */
#define VSN_CTRL_FIFO_RESET	BIT(1)	/* self-clearing: empty every FIFO */

#define VSN_STATUS_RUNNING	BIT(0)

/*
 * Power states. In D3 the device answers no register but POWER (reads
 * float high, writes are lost), samples nothing and signals no interrupt;
 * it keeps its registers, and back in D0 it raises what is pending.
 */
#define VSN_POWER_D0		0
#define VSN_POWER_D3		3

#define VSN_WAVE_SINE		1	/* reset value */
#define VSN_WAVE_SQUARE		2
#define VSN_WAVE_RAMP		3
#define VSN_WAVE_NOISE		4
#define VSN_AMPLITUDE_MAX	1000000	/* larger writes are ignored */
#define VSN_FREQUENCY_MIN	1	/* mHz; writes outside are ignored */
#define VSN_FREQUENCY_MAX	1000000	/* mHz */

/* Causes of the transmit (TX_SPACE) and error (the others) vectors */
#define VSN_IRQ_TX_SPACE	BIT(2)	/* stimulus FIFO drained to half */
#define VSN_IRQ_OVERFLOW	BIT(1)	/* a queue FIFO was full: see Q_LOST */
#define VSN_IRQ_IOMMU_FAULT	BIT(3)	/* a DMA write was blocked */
#define VSN_IRQ_ERR_MASK	(VSN_IRQ_OVERFLOW | VSN_IRQ_IOMMU_FAULT)

/*
 * Data queues: every sample of the sensor core goes to each enabled queue,
 * which has its own FIFO, watermark, DMA engine and interrupt vector.
 */
#define VSN_REG_QUEUE(q)	(0x100 + (q) * 0x40)
#define VSN_Q_CTRL		0x00	/* RW: VSN_Q_CTRL_* */
#define VSN_Q_LEVEL		0x04	/* RO: records in the FIFO */
#define VSN_Q_WM		0x08	/* RW: watermark interrupt level */
#define VSN_Q_STATUS		0x0c	/* RW1C: VSN_Q_IRQ_* pending */
#define VSN_Q_MASK		0x10	/* RW: VSN_Q_IRQ_* enabled */
#define VSN_Q_LOST		0x14	/* RO, clear on read: samples lost */
#define VSN_Q_DATA		0x18	/* RO: pops the FIFO one word a read */
#define VSN_Q_DESC_LO		0x1c	/* RW: IOVA of the descriptor table */
#define VSN_Q_DESC_HI		0x20
#define VSN_Q_DESC_COUNT	0x24	/* RW: descriptors in the table */
#define VSN_Q_DMA_START		0x28	/* WO doorbell: move up to N records */
#define VSN_Q_DMA_DONE		0x2c	/* RO: records the last transfer moved */
#define VSN_Q_DMA_STATUS	0x30	/* RO: VSN_DMA_* */
#define VSN_REG_WINDOW_SIZE(nq)	VSN_REG_QUEUE(nq)

#define VSN_Q_CTRL_ENABLE	BIT(0)	/* the queue receives samples */

#define VSN_Q_IRQ_WATERMARK	BIT(0)	/* level >= Q_WM after a sample */
#define VSN_Q_IRQ_DMA_DONE	BIT(1)	/* a transfer completed */

#define VSN_DMA_BUSY		BIT(0)
#define VSN_DMA_ERROR		BIT(1)	/* the last transfer hit a fault */

/*
 * A FIFO record is read by PIO as VSN_FIFO_HDR_WORDS + channels words from
 * Q_DATA: the hardware sequence number, flags, the timestamp (the device
 * clock of TIME_LO/HI in ns, low word first; the in-kernel model's clock is
 * CLOCK_MONOTONIC), then one signed value per channel.
 * Reading the last word pops the record.
 */
#define VSN_FIFO_WORD_SEQ	0
#define VSN_FIFO_WORD_FLAGS	1
#define VSN_FIFO_WORD_TS_LO	2
#define VSN_FIFO_WORD_TS_HI	3
#define VSN_FIFO_HDR_WORDS	4

#define VSN_FIFO_FLAG_STIMULUS	BIT(0)	/* measured a stimulus record */

#define VSN_MAX_VALUES		8

/* The same record as the DMA engine writes it to memory. */
struct vsn_dma_rec {
	__le32 seq;
	__le32 flags;
	__le64 timestamp;
	__le32 value[VSN_MAX_VALUES];
};

/*
 * A DMA descriptor, in memory the device reads through the IOMMU. The
 * driver fills addr/len and sets OWN; the engine writes whole records into
 * the buffer, stores the byte count in @done and clears OWN.
 */
struct vsn_dma_desc {
	__le64 addr;		/* IOVA of the buffer */
	__le32 len;		/* bytes */
	__le32 ctrl;		/* VSN_DESC_* */
	__le32 done;		/* bytes written */
	__le32 status;		/* VSN_DESC_ST_* */
};

#define VSN_DESC_OWN		BIT(0)	/* the device may use it */
#define VSN_DESC_ST_DONE	BIT(0)
#define VSN_DESC_ST_FAULT	BIT(1)

/*
 * Stimulus (loopback): a record of one word per channel written to TX_DATA
 * is what the sensor measures at its next sample instead of its waveform.
 */

/* Interrupt vectors, MSI-X style: one per data queue, then these two. */
#define VSN_VEC_TX(nq)		(nq)
#define VSN_VEC_ERR(nq)		((nq) + 1)
#define VSN_NR_VECTORS(nq)	((nq) + 2)
#define VSN_MAX_QUEUES		8

struct device;
struct vsensor_hw;
struct vsensor_irq_vec;

/* Bus-side life cycle (bus.c owns the hardware of each slot). */
struct vsensor_hw *vsensor_hw_create(struct device *dev, const char *name,
				     u32 nr_channels, u32 fifo_depth,
				     u32 rate_max, u32 nr_queues,
				     struct vsensor_irq_vec *vecs);
void vsensor_hw_destroy(struct vsensor_hw *hw);
u32 vsensor_hw_d3_accesses(struct vsensor_hw *hw);

/*
 * What the driver may call (exported by vsensor-sim.ko, namespace
 * VSENSOR_SIM). The bus: register access, each read costs a bus round trip.
 */
u32 vsensor_hw_readl(struct vsensor_hw *hw, u32 reg);
void vsensor_hw_writel(struct vsensor_hw *hw, u32 reg, u32 val);

/*
 * The IOMMU in front of the device: it may only reach memory mapped here.
 * @dma is a DMA API address; the returned IOVA is what descriptors carry.
 */
int vsensor_iommu_map(struct vsensor_hw *hw, dma_addr_t dma, size_t size,
		      u64 *iova);
void vsensor_iommu_unmap(struct vsensor_hw *hw, u64 iova, size_t size);

/* Fault injection and debug view of the model (debugfs). */
struct dentry;
void vsensor_hw_debugfs(struct vsensor_hw *hw, struct dentry *dir);

#endif /* _VSENSOR_HW_H */
