/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VSN1000 model core, shared by both backends: the in-kernel model
 * (kernel/sim/hw.c, hw-dma.c) and the QEMU PCI device (qemu/hw/vsn1000.c,
 * which qemu/build gives a copy). It holds the register semantics, the
 * sampling loop, the waveform generator, the stimulus FIFO, the queue
 * FIFOs and the DMA engine's descriptor walk; it knows nothing of either
 * platform, which it reaches only through struct vsn_platform_ops.
 *
 * No kernel or QEMU headers here: "vsn-plat.h", one per side
 * (kernel/sim/vsn-plat.h, qemu/hw/vsn-plat.h), gives the fixed-size types,
 * the datasheet (hw.h) and the few helpers (64-bit division, byte order).
 *
 * Locking: none. The platform serialises every call into the core (the
 * in-kernel model holds its spinlock, QEMU its big lock), and the
 * callbacks are called with that lock held.
 */
#ifndef _VSN_CORE_H
#define _VSN_CORE_H

#include "vsn-plat.h"

/* The product: what both backends build and report. */
#define VSN1000_FW_VERSION	0x01010000	/* 1.1.0 */
#define VSN1000_CHANNELS	4
#define VSN1000_FIFO_DEPTH	256
#define VSN1000_RATE_MAX	100000
#define VSN1000_TX_DEPTH	256		/* stimulus records */
#define VSN1000_RATE_RESET	100		/* Hz */
#define VSN1000_AMPLITUDE_RESET	1000
#define VSN1000_FREQ_RESET	1000		/* mHz: 1 Hz */
#define VSN_TICK_MIN_NS		1000000U	/* the sampler batches above 1 kHz */
#define VSN_DMA_SETUP_NS	2000		/* a transfer's setup time */
#define VSN_DMA_RECORD_NS	20		/* and its time per record */

/* A FIFO record as the device holds it. */
struct vsn_fifo_rec {
	u32 seq;
	u32 flags;
	u64 ts;
	s32 value[VSN_MAX_VALUES];
};

struct vsn_core_queue {
	u32 ctrl, wm, status, mask, lost;
	struct vsn_fifo_rec *fifo;	/* fifo_depth records, the platform's */
	u32 head, tail;			/* free-running */
	u32 rd_word;			/* next Q_DATA word of the head */
	u64 desc_iova;
	u32 desc_count;
	u32 dma_req, dma_done, dma_status;
};

/*
 * What the core asks of its platform, all called with the platform's lock
 * held. The DMA accessors return 0 or a negative error, and on an error
 * store the IOVA the IOMMU blocked in @fault_iova. The in-kernel IOMMU
 * translates the whole range before a byte moves; QEMU's pci_dma_write()
 * goes page by page, so there a write crossing into a blocked page may
 * have written its first part.
 */
struct vsn_platform_ops {
	u64 (*now_ns)(void *ctx);		/* the device clock */
	void (*fire)(void *ctx, unsigned int vec);	/* an MSI-X message */
	int (*dma_read)(void *ctx, u64 iova, void *buf, u32 len,
			u64 *fault_iova);
	int (*dma_write)(void *ctx, u64 iova, const void *buf, u32 len,
			 u64 *fault_iova);
	u32 (*random)(void *ctx);		/* the noise waveform */
	/* a transfer of @nr records was started: call dma_complete later */
	void (*dma_arm)(void *ctx, unsigned int q, u32 nr);
	/* a register was accessed in D3 (refused): a driver bug */
	void (*d3_access)(void *ctx, u32 reg, bool write);
};

/*
 * The device. The platform fills in the first block (ops, ctx, the
 * configuration and the buffers), then calls vsn_core_reset().
 */
struct vsn_core {
	const struct vsn_platform_ops *ops;
	void *ctx;
	u32 nr_channels;		/* 1..VSN_MAX_VALUES */
	u32 fifo_depth;			/* power of two */
	u32 rate_max;
	u32 nr_queues;			/* 1..VSN_MAX_QUEUES */
	s32 (*tx)[VSN_MAX_VALUES];	/* VSN1000_TX_DEPTH stimulus records */
	u64 stale_iova;			/* where DBG_DMA_IOVA 0 points */

	/* registers and engines */
	u32 ctrl, rate, irq_status, irq_mask;
	u32 power;			/* VSN_POWER_* */
	u32 d3_accesses;		/* registers accessed in D3 */
	u32 wave, amplitude, freq_mhz;	/* waveform generator */
	u32 tx_head, tx_tail;		/* free-running */
	u32 wr_word;			/* next TX_DATA word of the tail */
	u32 seq;			/* sensor sample counter */
	u64 start_ns;			/* time of sample 0 since (re)start */
	u64 nr_since_start;		/* samples generated since start_ns */
	u32 time_hi;			/* TIME_HI, latched by TIME_LO */
	u32 iommu_faults;
	u64 fault_iova;
	u32 dbg_dma_faults;		/* transfers still to misdirect */
	u64 dbg_dma_iova;		/* where to (0: stale_iova) */
	struct vsn_core_queue q[VSN_MAX_QUEUES];
};

/* What a register write asks of the platform's sampler timer. */
#define VSN_CORE_SAMPLER_START	BIT(0)	/* arm it in vsn_core_tick_ns() */
#define VSN_CORE_SAMPLER_STOP	BIT(1)	/* cancel it */
#define VSN_CORE_SAMPLER_REARM	BIT(2)	/* cancel it, then arm it if running */

void vsn_core_reset(struct vsn_core *c);
u32 vsn_core_read(struct vsn_core *c, u32 reg);
unsigned int vsn_core_write(struct vsn_core *c, u32 reg, u32 val);

/* The sampler: the timer's period, and its expiry (true: keep ticking). */
u64 vsn_core_tick_ns(const struct vsn_core *c);
bool vsn_core_tick(struct vsn_core *c);
bool vsn_core_sampling(const struct vsn_core *c);

/* The DMA engine: the transfer's time is up, or the platform aborts it. */
void vsn_core_dma_complete(struct vsn_core *c, unsigned int qi);
void vsn_core_dma_abort(struct vsn_core *c, unsigned int qi);

/* Sample @seq of channel @ch of the waveform as configured (not noise). */
s32 vsn_core_waveform(const struct vsn_core *c, u32 seq, u32 ch);

#endif /* _VSN_CORE_H */
