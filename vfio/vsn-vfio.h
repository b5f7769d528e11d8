/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VSN1000 userspace driver (docs/vfio.md): the device as a process sees
 * it through vfio-pci. Three objects, one file each:
 *   vsn-vfio.c    the VFIO device: IOMMU group, type1 container, device fd,
 *                 BAR 0 mapped, DMA memory mapped at IOVAs it chooses,
 *                 MSI-X vectors routed to eventfds, reset, bus mastering
 *   vsn-stream.c  a stream of records from one data queue: PIO or DMA,
 *                 woken by the interrupt (epoll) or by busy polling
 *   vsn-record.c  hardware records to struct vsensor_record, exactly as the
 *                 kernel driver makes them (seq, loss, clock, flags)
 * Functions return 0 or -errno (pointers: NULL with errno); the library
 * prints one line on stderr saying what failed, as a driver's dev_err().
 */
#ifndef _VSN_VFIO_H
#define _VSN_VFIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/vsensor.h>

#include "vsn-plat.h"	/* u32/u64, the datasheet (kernel/sim/hw.h) */

/* --- the VFIO device (vsn-vfio.c) --- */

struct vsn_vfio;

/*
 * A DMA area: @size bytes of the process's memory the device reaches at
 * @iova, between two guard pages (@guard_before, @guard_after, filled with
 * VSN_VFIO_GUARD_BYTE) that are never mapped for the device: their IOVAs
 * are the next ones below and above.
 */
struct vsn_vfio_dma {
	void *cpu;
	u64 iova;
	size_t size;
	unsigned char *guard_before, *guard_after;
	size_t guard_size;
};

#define VSN_VFIO_GUARD_BYTE	0xa5

struct vsn_vfio *vsn_vfio_open(const char *bdf);
void vsn_vfio_close(struct vsn_vfio *v);
const char *vsn_vfio_name(const struct vsn_vfio *v);

u32 vsn_vfio_readl(struct vsn_vfio *v, u32 reg);
void vsn_vfio_writel(struct vsn_vfio *v, u32 reg, u32 val);

bool vsn_vfio_can_reset(const struct vsn_vfio *v);
int vsn_vfio_reset(struct vsn_vfio *v);

int vsn_vfio_dma_alloc(struct vsn_vfio *v, size_t size,
		       struct vsn_vfio_dma *dma);
void vsn_vfio_dma_free(struct vsn_vfio *v, struct vsn_vfio_dma *dma);
bool vsn_vfio_dma_guard_intact(const struct vsn_vfio_dma *dma);

/* MSI-X: vector i signals eventfd i (vsn_vfio_irq_fd()). */
unsigned int vsn_vfio_nr_irqs(const struct vsn_vfio *v);
int vsn_vfio_irq_enable(struct vsn_vfio *v, unsigned int nr);
int vsn_vfio_irq_fd(const struct vsn_vfio *v, unsigned int vec);
void vsn_vfio_irq_disable(struct vsn_vfio *v);

/* --- hardware records to uapi records (vsn-record.c) --- */

/*
 * What the kernel driver keeps per stream to number records: the queue's
 * reference (last hardware seq and time) and the session's numbering.
 */
struct vsn_record_conv {
	s64 clock_offset_ns;	/* device clock to CLOCK_MONOTONIC */
	u64 clock_window_ns;	/* ... read within this: timestamps early by <= */
	u32 nr_channels;
	u32 rate_max_hz;
	u64 nr_drained;		/* records kept since the start */
	u32 next_hw_seq;
	u64 last_ts;
	u64 next_seq;		/* session numbering */
	u32 next_flags;		/* VSENSOR_RECORD_F_CONFIG on the first */
	u64 bad;		/* records that cannot be, dropped */
	u64 lost;		/* samples the hardware lost */
};

void vsn_record_conv_init(struct vsn_record_conv *c, s64 clock_offset_ns,
			  u32 nr_channels, u32 rate_max_hz);
void vsn_record_from_fifo(const u32 *words, u32 nr_channels,
			  struct vsensor_record *out);
void vsn_record_from_dma(const struct vsn_dma_rec *in, u32 nr_channels,
			 struct vsensor_record *out);
bool vsn_record_convert(struct vsn_record_conv *c, struct vsensor_record *rec,
			u64 now_ns);

/* --- a stream (vsn-stream.c) --- */

enum vsn_stream_mode { VSN_STREAM_IRQ, VSN_STREAM_POLL };
enum vsn_stream_transfer { VSN_STREAM_PIO, VSN_STREAM_DMA };

struct vsn_stream_config {
	u32 rate_hz;
	u32 watermark;		/* records; the interrupt's FIFO level */
	enum vsn_stream_mode mode;
	enum vsn_stream_transfer transfer;
	/* the waveform generator; 0 keeps the reset value */
	u32 waveform;		/* VSN_WAVE_* */
	u32 amplitude;
	u32 freq_mhz;
};

struct vsn_stream;

/*
 * Called with each batch of converted records; a non-zero return stops
 * the stream and is what vsn_stream_run() returns.
 */
typedef int (*vsn_stream_cb)(const struct vsensor_record *recs, u32 n,
			     void *arg);

struct vsn_stream *vsn_stream_start(struct vsn_vfio *v,
				    const struct vsn_stream_config *cfg);
int vsn_stream_run(struct vsn_stream *s, vsn_stream_cb cb, void *arg);
void vsn_stream_stop(struct vsn_stream *s);
const struct vsn_record_conv *vsn_stream_conv(const struct vsn_stream *s);
struct vsn_vfio_dma *vsn_stream_dma(struct vsn_stream *s);
u64 vsn_stream_interrupts(const struct vsn_stream *s);

/* What one transfer aimed outside the mapped IOVAs did (dma-escape). */
struct vsn_escape_result {
	u32 faults_before;	/* IOMMU_FAULTS before the transfer */
	u32 faults;		/* blocked writes the device counted */
	u64 fault_iova;		/* FAULT_IOVA after it */
	u32 dma_status;		/* Q_DMA_STATUS */
	u32 desc_status;	/* the descriptor's status word */
	bool guard_intact;	/* the guard pages around the area unchanged */
};

int vsn_stream_dma_escape(struct vsn_stream *s, u64 iova,
			  struct vsn_escape_result *r);

/* Descriptor and buffer layout of a stream's DMA area. */
#define VSN_STREAM_DMA_BUFS	8		/* one page each */
#define VSN_STREAM_PAGE		4096u

#endif /* _VSN_VFIO_H */
