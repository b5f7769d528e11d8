// SPDX-License-Identifier: GPL-2.0
/*
 * A stream of records from data queue 0 of a VSN1000 held through VFIO:
 * the device programmed as the kernel driver programs it (kernel/stream.c,
 * queue.c), records moved by PIO (Q_DATA) or by the DMA engine into the
 * process's own memory, the process woken by the queue's MSI-X vector
 * (an eventfd in epoll: the kernel relays the interrupt) or busy polling
 * (the FIFO level register, or the descriptor status in its own memory).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "vsn-vfio.h"

#define VSN_STREAM_QUEUE	0
#define VSN_STREAM_BATCH	1024	/* records a callback at most */
#define VSN_CLOCK_TRIES		5
#define VSN_IRQ_TIMEOUT_MS	2000	/* no interrupt for this long: error */
#define VSN_POLL_TIMEOUT_NS	2000000000ULL
#define VSN_DMA_IDLE_TRIES	100000

struct vsn_stream {
	struct vsn_vfio *v;
	struct vsn_stream_config cfg;
	u32 nr_channels, fifo_depth, nr_queues, rate_max;
	struct vsn_record_conv conv;
	struct vsn_vfio_dma dma;	/* page 0: descriptors; then buffers */
	struct vsn_dma_desc *desc;
	bool dma_busy;
	int epfd;
	u64 interrupts;
	struct vsensor_record batch[VSN_STREAM_BATCH];
};

static u64 vsn_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
}

static u32 vsn_q_read(struct vsn_stream *s, u32 off)
{
	return vsn_vfio_readl(s->v, VSN_REG_QUEUE(VSN_STREAM_QUEUE) + off);
}

static void vsn_q_write(struct vsn_stream *s, u32 off, u32 val)
{
	vsn_vfio_writel(s->v, VSN_REG_QUEUE(VSN_STREAM_QUEUE) + off, val);
}

static int vsn_stream_err(struct vsn_stream *s, int err, const char *what)
{
	fprintf(stderr, "vsensor-vfio: %s: %s: %s\n", vsn_vfio_name(s->v), what,
		strerror(err));
	return -err;
}

/*
 * The device clock (QEMU's virtual clock) to CLOCK_MONOTONIC, as the
 * kernel driver does it (kernel/stream.c, vsensor_dev_sync_clock): TIME
 * read between two clock readings, the tightest of a few tries, the
 * earlier reading kept so a converted timestamp is never ahead of now
 * (and early by at most the window it was read in, stored in @window).
 */
static s64 vsn_stream_sync_clock(struct vsn_stream *s, u64 *window)
{
	u64 t0, t1, dev_ns, best = UINT64_MAX;
	s64 offset = 0;
	unsigned int i;
	u32 lo, hi;

	for (i = 0; i < VSN_CLOCK_TRIES; i++) {
		t0 = vsn_now_ns();
		lo = vsn_vfio_readl(s->v, VSN_REG_TIME_LO);	/* latches HI */
		hi = vsn_vfio_readl(s->v, VSN_REG_TIME_HI);
		t1 = vsn_now_ns();
		dev_ns = (u64)hi << 32 | lo;
		if (t1 - t0 < best) {
			best = t1 - t0;
			offset = (s64)(t0 - dev_ns);
		}
	}
	*window = best;
	return offset;
}

static int vsn_stream_read_limits(struct vsn_stream *s)
{
	s->nr_channels = vsn_vfio_readl(s->v, VSN_REG_CHANNELS);
	s->fifo_depth = vsn_vfio_readl(s->v, VSN_REG_FIFO_DEPTH);
	s->nr_queues = vsn_vfio_readl(s->v, VSN_REG_NR_QUEUES);
	s->rate_max = vsn_vfio_readl(s->v, VSN_REG_RATE_MAX);
	if (!s->nr_channels || s->nr_channels > VSN_MAX_VALUES ||
	    !s->fifo_depth || s->fifo_depth > VSN_STREAM_BATCH ||
	    !s->nr_queues || s->nr_queues > VSN_MAX_QUEUES)
		return vsn_stream_err(s, ENODEV, "inconsistent hardware");
	if (!s->cfg.rate_hz || s->cfg.rate_hz > s->rate_max)
		return vsn_stream_err(s, EINVAL, "rate out of 1..RATE_MAX");
	if (!s->cfg.watermark || s->cfg.watermark > s->fifo_depth)
		return vsn_stream_err(s, EINVAL, "watermark out of 1..FIFO_DEPTH");
	/* the device ignores values out of range: refuse them here */
	if (s->cfg.waveform > VSN_WAVE_NOISE ||
	    s->cfg.amplitude > VSN_AMPLITUDE_MAX ||
	    s->cfg.freq_mhz > VSN_FREQUENCY_MAX)
		return vsn_stream_err(s, EINVAL, "waveform setting out of range");
	return 0;
}

/* The queue's vector and the error vector, each an eventfd, in epoll. */
static int vsn_stream_irq_setup(struct vsn_stream *s)
{
	unsigned int vecs[] = { VSN_STREAM_QUEUE, VSN_VEC_ERR(s->nr_queues) };
	struct epoll_event ev = { .events = EPOLLIN };
	unsigned int i;
	int err;

	err = vsn_vfio_irq_enable(s->v, VSN_NR_VECTORS(s->nr_queues));
	if (err)
		return err;
	s->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (s->epfd < 0)
		return vsn_stream_err(s, errno, "epoll_create1");
	for (i = 0; i < sizeof(vecs) / sizeof(vecs[0]); i++) {
		ev.data.u32 = vecs[i];
		if (epoll_ctl(s->epfd, EPOLL_CTL_ADD,
			      vsn_vfio_irq_fd(s->v, vecs[i]), &ev))
			return vsn_stream_err(s, errno, "epoll_ctl");
	}
	return 0;
}

static int vsn_stream_dma_setup(struct vsn_stream *s)
{
	int err;

	err = vsn_vfio_dma_alloc(s->v, VSN_STREAM_PAGE * (1 + VSN_STREAM_DMA_BUFS),
				 &s->dma);
	if (err)
		return err;
	s->desc = s->dma.cpu;
	return 0;
}

/* Switch the sensor and the queue on, as kernel/stream.c and queue.c do. */
static void vsn_stream_hw_enable(struct vsn_stream *s)
{
	bool irq = s->cfg.mode == VSN_STREAM_IRQ;

	s->conv.clock_offset_ns = vsn_stream_sync_clock(s,
							 &s->conv.clock_window_ns);
	vsn_vfio_writel(s->v, VSN_REG_CTRL, VSN_CTRL_FIFO_RESET);
	vsn_vfio_writel(s->v, VSN_REG_RATE, s->cfg.rate_hz);
	vsn_vfio_writel(s->v, VSN_REG_IRQ_STATUS, ~0U);
	vsn_vfio_writel(s->v, VSN_REG_IRQ_MASK, irq ? VSN_IRQ_ERR_MASK : 0);
	if (s->cfg.waveform)
		vsn_vfio_writel(s->v, VSN_REG_WAVEFORM, s->cfg.waveform);
	if (s->cfg.amplitude)
		vsn_vfio_writel(s->v, VSN_REG_AMPLITUDE, s->cfg.amplitude);
	if (s->cfg.freq_mhz)
		vsn_vfio_writel(s->v, VSN_REG_FREQUENCY, s->cfg.freq_mhz);
	if (s->dma.cpu) {
		vsn_q_write(s, VSN_Q_DESC_LO, (u32)s->dma.iova);
		vsn_q_write(s, VSN_Q_DESC_HI, (u32)(s->dma.iova >> 32));
		vsn_q_write(s, VSN_Q_DESC_COUNT, VSN_STREAM_DMA_BUFS);
	}
	vsn_q_write(s, VSN_Q_WM, s->cfg.watermark);
	vsn_q_write(s, VSN_Q_STATUS, ~0U);
	vsn_q_write(s, VSN_Q_MASK, irq ? VSN_Q_IRQ_WATERMARK | VSN_Q_IRQ_DMA_DONE : 0);
	vsn_q_write(s, VSN_Q_CTRL, VSN_Q_CTRL_ENABLE);
	vsn_vfio_writel(s->v, VSN_REG_CTRL, VSN_CTRL_ENABLE);
}

struct vsn_stream *vsn_stream_start(struct vsn_vfio *v,
				    const struct vsn_stream_config *cfg)
{
	struct vsn_stream *s;
	int err;

	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->v = v;
	s->cfg = *cfg;
	s->epfd = -1;
	/* the function reset: whatever the last owner left, gone */
	err = vsn_vfio_reset(v);
	if (!err)
		err = vsn_stream_read_limits(s);
	if (!err && cfg->transfer == VSN_STREAM_DMA)
		err = vsn_stream_dma_setup(s);
	if (!err && cfg->mode == VSN_STREAM_IRQ)
		err = vsn_stream_irq_setup(s);
	if (err) {
		vsn_stream_stop(s);
		errno = -err;
		return NULL;
	}
	vsn_record_conv_init(&s->conv, 0, s->nr_channels, s->rate_max);
	vsn_stream_hw_enable(s);
	return s;
}

/* Wait (bounded) for the queue's engine to finish a transfer in flight. */
static void vsn_stream_dma_idle(struct vsn_stream *s)
{
	unsigned int i;

	for (i = 0; i < VSN_DMA_IDLE_TRIES; i++)
		if (!(vsn_q_read(s, VSN_Q_DMA_STATUS) & VSN_DMA_BUSY))
			return;
}

/* Reverse of start: quiet device, engine idle, then its memory goes. */
void vsn_stream_stop(struct vsn_stream *s)
{
	if (!s)
		return;
	if (s->nr_queues) {
		vsn_q_write(s, VSN_Q_MASK, 0);
		vsn_q_write(s, VSN_Q_CTRL, 0);
		vsn_vfio_writel(s->v, VSN_REG_CTRL, 0);
		vsn_vfio_writel(s->v, VSN_REG_IRQ_MASK, 0);
		vsn_stream_dma_idle(s);
	}
	if (s->epfd >= 0)
		close(s->epfd);
	vsn_vfio_irq_disable(s->v);
	vsn_vfio_dma_free(s->v, &s->dma);
	free(s);
}

const struct vsn_record_conv *vsn_stream_conv(const struct vsn_stream *s)
{
	return &s->conv;
}

struct vsn_vfio_dma *vsn_stream_dma(struct vsn_stream *s)
{
	return &s->dma;
}

u64 vsn_stream_interrupts(const struct vsn_stream *s)
{
	return s->interrupts;
}

/* Convert @n records of the batch in place; returns those kept. */
static u32 vsn_stream_convert(struct vsn_stream *s, u32 n)
{
	u64 now = vsn_now_ns();
	u32 i, kept = 0;

	for (i = 0; i < n; i++)
		if (vsn_record_convert(&s->conv, &s->batch[i], now))
			s->batch[kept++] = s->batch[i];
	return kept;
}

/* PIO: the FIFO's level, then that many records, a register read a word. */
static u32 vsn_stream_pio(struct vsn_stream *s)
{
	u32 words[VSN_FIFO_HDR_WORDS + VSN_MAX_VALUES];
	u32 level, i, w;

	level = vsn_q_read(s, VSN_Q_LEVEL);
	if (level > s->fifo_depth)
		level = s->fifo_depth;	/* never trust the device */
	for (i = 0; i < level; i++) {
		for (w = 0; w < VSN_FIFO_HDR_WORDS + s->nr_channels; w++)
			words[w] = vsn_q_read(s, VSN_Q_DATA);
		vsn_record_from_fifo(words, s->nr_channels, &s->batch[i]);
	}
	return level;
}

/* Every buffer to the device: addr and len first, then OWN. */
static void vsn_stream_dma_arm(struct vsn_stream *s, u64 first_buf_iova)
{
	unsigned int i;

	for (i = 0; i < VSN_STREAM_DMA_BUFS; i++) {
		struct vsn_dma_desc *d = &s->desc[i];

		d->addr = htole64(first_buf_iova + (u64)i * VSN_STREAM_PAGE);
		d->len = htole32(VSN_STREAM_PAGE);
		d->done = 0;
		d->status = 0;
		__atomic_store_n(&d->ctrl, htole32(VSN_DESC_OWN),
				 __ATOMIC_RELEASE);
	}
}

static u32 vsn_stream_dma_capacity(void)
{
	return VSN_STREAM_DMA_BUFS *
	       (VSN_STREAM_PAGE / (u32)sizeof(struct vsn_dma_rec));
}

/* The doorbell for what the FIFO holds; false when it is empty. */
static bool vsn_stream_dma_start(struct vsn_stream *s)
{
	u32 level = vsn_q_read(s, VSN_Q_LEVEL), cap = vsn_stream_dma_capacity();

	if (!level || level > s->fifo_depth)
		return false;
	vsn_stream_dma_arm(s, s->dma.iova + VSN_STREAM_PAGE);
	vsn_q_write(s, VSN_Q_DMA_START, level < cap ? level : cap);
	s->dma_busy = true;
	return true;
}

/* The records the engine wrote, in descriptor order (kernel/dma.c). */
static u32 vsn_stream_dma_collect(struct vsn_stream *s)
{
	const unsigned char *bufs = (unsigned char *)s->dma.cpu + VSN_STREAM_PAGE;
	const struct vsn_dma_rec *rec;
	u32 n = 0, i, j, recs, done;

	for (i = 0; i < VSN_STREAM_DMA_BUFS; i++) {
		const struct vsn_dma_desc *d = &s->desc[i];

		if (le32toh(__atomic_load_n(&d->ctrl, __ATOMIC_ACQUIRE)) &
		    VSN_DESC_OWN)
			break;
		done = le32toh(d->done);
		recs = (done < VSN_STREAM_PAGE ? done : VSN_STREAM_PAGE) /
		       sizeof(*rec);
		rec = (const void *)(bufs + (size_t)i * VSN_STREAM_PAGE);
		for (j = 0; j < recs; j++)
			vsn_record_from_dma(&rec[j], s->nr_channels,
					    &s->batch[n++]);
		if (le32toh(d->status) & VSN_DESC_ST_FAULT)
			break;
	}
	s->dma_busy = false;
	return n;
}

/*
 * Busy polling for the transfer's end: the first descriptor's status in
 * our memory (no bus access); then one read of the engine's status, which
 * the device answers only once its whole descriptor walk is done.
 */
static bool vsn_stream_dma_polled_done(struct vsn_stream *s)
{
	u32 st = le32toh(__atomic_load_n(&s->desc[0].status, __ATOMIC_ACQUIRE));

	if (!(st & VSN_DESC_ST_DONE))
		return false;
	return !(vsn_q_read(s, VSN_Q_DMA_STATUS) & VSN_DMA_BUSY);
}

/* One pass of the data path; returns the records moved into the batch. */
static u32 vsn_stream_service(struct vsn_stream *s)
{
	bool irq = s->cfg.mode == VSN_STREAM_IRQ;
	u32 status = 0, n = 0;

	if (irq) {
		status = vsn_q_read(s, VSN_Q_STATUS);
		vsn_q_write(s, VSN_Q_STATUS, status);	/* RW1C, before draining */
	}
	if (s->cfg.transfer == VSN_STREAM_PIO)
		return vsn_stream_pio(s);
	if (s->dma_busy) {
		if (irq ? !(status & VSN_Q_IRQ_DMA_DONE) :
			  !vsn_stream_dma_polled_done(s))
			return 0;
		n = vsn_stream_dma_collect(s);
	}
	/* the next transfer: at the watermark by interrupt, at once polling */
	if (!irq || n || (status & VSN_Q_IRQ_WATERMARK))
		vsn_stream_dma_start(s);
	return n;
}

/* The error vector: a blocked DMA write is reported, loss shows in seq. */
static void vsn_stream_errors(struct vsn_stream *s)
{
	u32 st = vsn_vfio_readl(s->v, VSN_REG_IRQ_STATUS);
	u64 iova;

	vsn_vfio_writel(s->v, VSN_REG_IRQ_STATUS, st);
	if (st & VSN_IRQ_IOMMU_FAULT) {
		iova = (u64)vsn_vfio_readl(s->v, VSN_REG_FAULT_IOVA_HI) << 32 |
		       vsn_vfio_readl(s->v, VSN_REG_FAULT_IOVA_LO);
		fprintf(stderr, "vsensor-vfio: %s: IOMMU fault: DMA write to unmapped IOVA 0x%llx blocked\n",
			vsn_vfio_name(s->v), (unsigned long long)iova);
	}
	if (st & VSN_IRQ_OVERFLOW)
		vsn_q_read(s, VSN_Q_LOST);	/* clear on read */
}

/* Wait for the queue's interrupt; 0, or -ETIMEDOUT, -EINTR. */
static int vsn_stream_wait_irq(struct vsn_stream *s)
{
	struct epoll_event evs[2];
	uint64_t count;
	int i, n;

	n = epoll_wait(s->epfd, evs, 2, VSN_IRQ_TIMEOUT_MS);
	if (n < 0)
		return -errno;
	if (!n)
		return vsn_stream_err(s, ETIMEDOUT, "no interrupt in 2 s");
	for (i = 0; i < n; i++) {
		if (read(vsn_vfio_irq_fd(s->v, evs[i].data.u32), &count,
			 sizeof(count)) == sizeof(count))
			s->interrupts += count;
		if (evs[i].data.u32 != VSN_STREAM_QUEUE)
			vsn_stream_errors(s);
	}
	return 0;
}

/*
 * Stream until @cb returns non-zero (that value is returned), an error
 * (-errno), or -EINTR from a signal when waiting for an interrupt.
 * Polling never sleeps; if nothing comes for 2 s it gives up (-ETIMEDOUT).
 */
int vsn_stream_run(struct vsn_stream *s, vsn_stream_cb cb, void *arg)
{
	u64 last = vsn_now_ns();
	int ret;
	u32 n;

	for (;;) {
		if (s->cfg.mode == VSN_STREAM_IRQ) {
			ret = vsn_stream_wait_irq(s);
			if (ret)
				return ret;
		}
		n = vsn_stream_service(s);
		if (!n) {
			if (s->cfg.mode == VSN_STREAM_POLL &&
			    vsn_now_ns() - last > VSN_POLL_TIMEOUT_NS)
				return vsn_stream_err(s, ETIMEDOUT,
						      "no record in 2 s of polling");
			__builtin_ia32_pause();
			continue;
		}
		last = vsn_now_ns();
		n = vsn_stream_convert(s, n);
		ret = n ? cb(s->batch, n, arg) : 0;
		if (ret)
			return ret;
	}
}

/*
 * The out-of-window test: one transfer whose only descriptor points at
 * @iova, which this process never mapped (the guard page after its DMA
 * area). The IOMMU must block the write; what the device saw is returned.
 */
int vsn_stream_dma_escape(struct vsn_stream *s, u64 iova,
			  struct vsn_escape_result *r)
{
	struct vsn_dma_desc *d = &s->desc[0];
	u64 t0 = vsn_now_ns();

	if (!s->dma.cpu)
		return vsn_stream_err(s, EINVAL, "the escape needs --transfer dma");
	memset(r, 0, sizeof(*r));
	r->faults_before = vsn_vfio_readl(s->v, VSN_REG_IOMMU_FAULTS);
	while (!vsn_q_read(s, VSN_Q_LEVEL))
		if (vsn_now_ns() - t0 > VSN_POLL_TIMEOUT_NS)
			return vsn_stream_err(s, ETIMEDOUT, "no sample");
	memset(s->desc, 0, VSN_STREAM_PAGE);
	d->addr = htole64(iova);
	d->len = htole32(VSN_STREAM_PAGE);
	__atomic_store_n(&d->ctrl, htole32(VSN_DESC_OWN), __ATOMIC_RELEASE);
	vsn_q_write(s, VSN_Q_DESC_COUNT, 1);
	vsn_q_write(s, VSN_Q_DMA_START, 1);
	vsn_stream_dma_idle(s);
	r->dma_status = vsn_q_read(s, VSN_Q_DMA_STATUS);
	r->desc_status = le32toh(__atomic_load_n(&d->status, __ATOMIC_ACQUIRE));
	r->faults = vsn_vfio_readl(s->v, VSN_REG_IOMMU_FAULTS) - r->faults_before;
	r->fault_iova = (u64)vsn_vfio_readl(s->v, VSN_REG_FAULT_IOVA_HI) << 32 |
			vsn_vfio_readl(s->v, VSN_REG_FAULT_IOVA_LO);
	r->guard_intact = vsn_vfio_dma_guard_intact(&s->dma);
	vsn_q_write(s, VSN_Q_DESC_COUNT, VSN_STREAM_DMA_BUFS);
	return 0;
}
