// SPDX-License-Identifier: GPL-2.0
/*
 * The VSN1000 model core (vsn-core.h): register semantics, the sampling
 * loop, the waveform generator, the stimulus FIFO, the queue FIFOs and the
 * DMA engine's descriptor walk, for both backends. Plain C: the platform
 * (vsn-plat.h, struct vsn_platform_ops) supplies time, interrupts, memory
 * access and locking.
 */
#include "vsn-core.h"

#define VSN_NSEC_PER_SEC	1000000000U
#define VSN_QUEUE_STRIDE	(VSN_REG_QUEUE(1) - VSN_REG_QUEUE(0))

/* sin(deg) for 0..90 degrees, as 1.31 fixed point: the kernel's fixp_sin32() */
static const s32 vsn_sin_table[91] = {
	0x00000000, 0x023be165, 0x04779632, 0x06b2f1d2, 0x08edc7b6, 0x0b27eb5c,
	0x0d61304d, 0x0f996a26, 0x11d06c96, 0x14060b67, 0x163a1a7d, 0x186c6ddd,
	0x1a9cd9ac, 0x1ccb3236, 0x1ef74bf2, 0x2120fb82, 0x234815ba, 0x256c6f9e,
	0x278dde6e, 0x29ac379f, 0x2bc750e8, 0x2ddf003f, 0x2ff31bdd, 0x32037a44,
	0x340ff241, 0x36185aee, 0x381c8bb5, 0x3a1c5c56, 0x3c17a4e7, 0x3e0e3ddb,
	0x3fffffff, 0x41ecc483, 0x43d464fa, 0x45b6bb5d, 0x4793a20f, 0x496af3e1,
	0x4b3c8c11, 0x4d084650, 0x4ecdfec6, 0x508d9210, 0x5246dd48, 0x53f9be04,
	0x55a6125a, 0x574bb8e5, 0x58ea90c2, 0x5a827999, 0x5c135399, 0x5d9cff82,
	0x5f1f5ea0, 0x609a52d1, 0x620dbe8a, 0x637984d3, 0x64dd894f, 0x6639b039,
	0x678dde6d, 0x68d9f963, 0x6a1de735, 0x6b598ea1, 0x6c8cd70a, 0x6db7a879,
	0x6ed9eba0, 0x6ff389de, 0x71046d3c, 0x720c8074, 0x730baeec, 0x7401e4bf,
	0x74ef0ebb, 0x75d31a5f, 0x76adf5e5, 0x777f903b, 0x7847d908, 0x7906c0af,
	0x79bc384c, 0x7a6831b8, 0x7b0a9f8c, 0x7ba3751c, 0x7c32a67c, 0x7cb82884,
	0x7d33f0c8, 0x7da5f5a3, 0x7e0e2e31, 0x7e6c924f, 0x7ec11aa3, 0x7f0bc095,
	0x7f4c7e52, 0x7f834ecf, 0x7fb02dc4, 0x7fd317b3, 0x7fec09e1, 0x7ffb025e,
	0x7fffffff
};

/* @deg in 0..359 */
static s32 vsn_sin32(u32 deg)
{
	if (deg > 180)
		return -vsn_sin32(deg - 180);
	return vsn_sin_table[deg > 90 ? 180 - deg : deg];
}

static u32 vsn_lower(u64 v)
{
	return (u32)v;
}

static u32 vsn_upper(u64 v)
{
	return (u32)(v >> 32);
}

static u32 vsn_clamp(u32 val, u32 lo, u32 hi)
{
	return val < lo ? lo : val > hi ? hi : val;
}

static u64 vsn_sample_time(const struct vsn_core *c, u64 n)
{
	return c->start_ns + vsn_mul_u64_u32_div(n, VSN_NSEC_PER_SEC, c->rate);
}

/* An MSI-X message; in D3 it stays pending until D0. */
static void vsn_fire(struct vsn_core *c, unsigned int vec)
{
	if (c->power != VSN_POWER_D0)
		return;
	c->ops->fire(c->ctx, vec);
}

/* The phase of sample @seq of channel @ch, in degrees (90 apart). */
static u32 vsn_phase(const struct vsn_core *c, u32 seq, u32 ch)
{
	u32 deg;

	deg = (u32)vsn_div_u64_u32((u64)seq * 360 * c->freq_mhz,
				   c->rate * 1000U);
	return (deg + ch * 90) % 360;
}

s32 vsn_core_waveform(const struct vsn_core *c, u32 seq, u32 ch)
{
	s32 amp = (s32)c->amplitude;
	u32 deg = vsn_phase(c, seq, ch);

	switch (c->wave) {
	case VSN_WAVE_SQUARE:
		return deg < 180 ? amp : -amp;
	case VSN_WAVE_RAMP:
		/* |amp * 359| < 2^31: exact in 32 bits, truncated like div_s64 */
		return amp * (2 * (s32)deg - 359) / 359;
	default:
		return (s32)(((s64)vsn_sin32(deg) * amp) >> 31);
	}
}

static s32 vsn_sample_value(struct vsn_core *c, u32 seq, u32 ch)
{
	if (c->wave == VSN_WAVE_NOISE)
		return (s32)(c->ops->random(c->ctx) % (2 * c->amplitude + 1)) -
		       (s32)c->amplitude;
	return vsn_core_waveform(c, seq, ch);
}

static u32 vsn_tx_level(const struct vsn_core *c)
{
	return c->tx_head - c->tx_tail;
}

static u32 vsn_fifo_level(const struct vsn_core_queue *q)
{
	return q->head - q->tail;
}

static void vsn_fifo_pop(struct vsn_core *c, struct vsn_core_queue *q,
			 struct vsn_fifo_rec *rec)
{
	*rec = q->fifo[q->tail++ & (c->fifo_depth - 1)];
	q->rd_word = 0;
}

static void vsn_queue_reset(struct vsn_core_queue *q)
{
	q->tail = q->head;
	q->rd_word = 0;
}

/* Measure: the next stimulus record if one is queued, else the waveform. */
static void vsn_measure(struct vsn_core *c, struct vsn_fifo_rec *rec)
{
	const s32 *stim = NULL;
	u32 ch;

	rec->seq = c->seq++;
	rec->flags = 0;
	if (vsn_tx_level(c)) {
		stim = c->tx[c->tx_tail++ & (VSN1000_TX_DEPTH - 1)];
		rec->flags = VSN_FIFO_FLAG_STIMULUS;
		if (vsn_tx_level(c) == VSN1000_TX_DEPTH / 2)
			c->irq_status |= VSN_IRQ_TX_SPACE;
	}
	for (ch = 0; ch < VSN_MAX_VALUES; ch++) {
		if (ch >= c->nr_channels)
			rec->value[ch] = 0;
		else
			rec->value[ch] = stim ? stim[ch] :
					 vsn_sample_value(c, rec->seq, ch);
	}
}

static void vsn_queue_push(struct vsn_core *c, struct vsn_core_queue *q,
			   const struct vsn_fifo_rec *rec)
{
	if (vsn_fifo_level(q) == c->fifo_depth) {
		q->lost++;
		c->irq_status |= VSN_IRQ_OVERFLOW;
		return;
	}
	q->fifo[q->head++ & (c->fifo_depth - 1)] = *rec;
}

/* No enabled queue can take a sample. */
static bool vsn_queues_full(const struct vsn_core *c)
{
	unsigned int i;

	for (i = 0; i < c->nr_queues; i++)
		if ((c->q[i].ctrl & VSN_Q_CTRL_ENABLE) &&
		    vsn_fifo_level(&c->q[i]) < c->fifo_depth)
			return false;
	return true;
}

/* Generate every sample due by @now into every enabled queue. */
static void vsn_sample_until(struct vsn_core *c, u64 now)
{
	struct vsn_fifo_rec rec;
	bool any = false;
	unsigned int i;
	u64 t;

	while ((t = vsn_sample_time(c, c->nr_since_start)) <= now) {
		rec.ts = t;
		if (vsn_queues_full(c)) {
			/* lost everywhere; a stimulus waits for the next one */
			rec.seq = c->seq++;
		} else {
			vsn_measure(c, &rec);
		}
		for (i = 0; i < c->nr_queues; i++)
			if (c->q[i].ctrl & VSN_Q_CTRL_ENABLE)
				vsn_queue_push(c, &c->q[i], &rec);
		c->nr_since_start++;
		any = true;
	}
	if (!any)
		return;
	for (i = 0; i < c->nr_queues; i++) {
		struct vsn_core_queue *q = &c->q[i];

		if ((q->ctrl & VSN_Q_CTRL_ENABLE) && vsn_fifo_level(q) >= q->wm)
			q->status |= VSN_Q_IRQ_WATERMARK;
	}
}

/* Signal every vector with an enabled cause pending (MSI-X: edge messages). */
static void vsn_raise(struct vsn_core *c)
{
	u32 pending = c->irq_status & c->irq_mask;
	unsigned int i;

	for (i = 0; i < c->nr_queues; i++)
		if (c->q[i].status & c->q[i].mask)
			vsn_fire(c, i);
	if (pending & VSN_IRQ_TX_SPACE)
		vsn_fire(c, VSN_VEC_TX(c->nr_queues));
	if (pending & VSN_IRQ_ERR_MASK)
		vsn_fire(c, VSN_VEC_ERR(c->nr_queues));
}

u64 vsn_core_tick_ns(const struct vsn_core *c)
{
	u32 period = VSN_NSEC_PER_SEC / c->rate;

	return period > VSN_TICK_MIN_NS ? period : VSN_TICK_MIN_NS;
}

bool vsn_core_sampling(const struct vsn_core *c)
{
	return c->ctrl & VSN_CTRL_ENABLE;
}

bool vsn_core_tick(struct vsn_core *c)
{
	/* in D3 the sensor core's clock is gated: D0 starts it again */
	bool on = (c->ctrl & VSN_CTRL_ENABLE) && c->power == VSN_POWER_D0;

	if (on)
		vsn_sample_until(c, c->ops->now_ns(c->ctx));
	vsn_raise(c);
	return on;
}

static void vsn_restart_clock(struct vsn_core *c)
{
	c->start_ns = c->ops->now_ns(c->ctx) + VSN_NSEC_PER_SEC / c->rate;
	c->nr_since_start = 0;
}

/* The DMA engine */

/* A blocked access: counted, its IOVA kept, IOMMU_FAULT pending. */
static int vsn_dma_access(struct vsn_core *c, u64 iova, void *buf, u32 len,
			  bool write)
{
	u64 fault = iova;
	int err;

	if (write)
		err = c->ops->dma_write(c->ctx, iova, buf, len, &fault);
	else
		err = c->ops->dma_read(c->ctx, iova, buf, len, &fault);
	if (err) {
		c->iommu_faults++;
		c->fault_iova = fault;
		c->irq_status |= VSN_IRQ_IOMMU_FAULT;
	}
	return err;
}

static void vsn_dma_encode(const struct vsn_core *c,
			   const struct vsn_fifo_rec *rec,
			   struct vsn_dma_rec *out)
{
	u32 ch;

	memset(out, 0, sizeof(*out));
	out->seq = vsn_cpu_to_le32(rec->seq);
	out->flags = vsn_cpu_to_le32(rec->flags);
	out->timestamp = vsn_cpu_to_le64(rec->ts);
	for (ch = 0; ch < c->nr_channels; ch++)
		out->value[ch] = vsn_cpu_to_le32((u32)rec->value[ch]);
}

/* Fill one descriptor's buffer; returns records written, -1 if blocked. */
static int vsn_dma_fill(struct vsn_core *c, struct vsn_core_queue *q,
			u64 addr, u32 room, u32 want)
{
	struct vsn_fifo_rec rec;
	struct vsn_dma_rec out;
	u32 j, n = room < want ? room : want;

	for (j = 0; j < n; j++) {
		vsn_fifo_pop(c, q, &rec);
		vsn_dma_encode(c, &rec, &out);
		/* a blocked record is gone: the driver sees the sequence gap */
		if (vsn_dma_access(c, addr + (u64)j * sizeof(out), &out,
				   sizeof(out), true))
			return -1;
	}
	return (int)j;
}

/*
 * Walk the descriptor table: each descriptor the device owns takes whole
 * records up to its length; its byte count and status are written back
 * and OWN cleared. A descriptor not owned ends the walk.
 */
static void vsn_dma_run(struct vsn_core *c, struct vsn_core_queue *q)
{
	u32 level = vsn_fifo_level(q);
	u32 want = q->dma_req < level ? q->dma_req : level;
	bool misdirect = false;
	struct vsn_dma_desc desc;
	u32 moved = 0, d, room;
	u64 desc_iova, addr;
	int n;

	if (c->dbg_dma_faults) {
		c->dbg_dma_faults--;
		misdirect = true;
	}
	q->dma_status = 0;
	for (d = 0; d < q->desc_count && moved < want; d++) {
		desc_iova = q->desc_iova + (u64)d * sizeof(desc);
		if (vsn_dma_access(c, desc_iova, &desc, sizeof(desc), false)) {
			q->dma_status = VSN_DMA_ERROR;
			break;
		}
		if (!(vsn_le32_to_cpu(desc.ctrl) & VSN_DESC_OWN))
			break;
		addr = vsn_le64_to_cpu(desc.addr);
		if (misdirect)	/* the debug registers: a wild write */
			addr = c->dbg_dma_iova ? c->dbg_dma_iova : c->stale_iova;
		misdirect = false;
		room = vsn_le32_to_cpu(desc.len) / sizeof(struct vsn_dma_rec);
		n = vsn_dma_fill(c, q, addr, room, want - moved);
		desc.done = vsn_cpu_to_le32(n > 0 ? n * sizeof(struct vsn_dma_rec) : 0);
		desc.status = vsn_cpu_to_le32(VSN_DESC_ST_DONE |
					      (n < 0 ? VSN_DESC_ST_FAULT : 0));
		desc.ctrl = vsn_cpu_to_le32(vsn_le32_to_cpu(desc.ctrl) &
					    ~VSN_DESC_OWN);
		vsn_dma_access(c, desc_iova, &desc, sizeof(desc), true);
		if (n < 0) {
			q->dma_status = VSN_DMA_ERROR;
			break;
		}
		moved += n;
	}
	q->dma_done = moved;
}

/* Doorbell: move up to @max records; the platform times the transfer. */
static void vsn_dma_start(struct vsn_core *c, unsigned int qi, u32 max)
{
	struct vsn_core_queue *q = &c->q[qi];
	u32 level = vsn_fifo_level(q);

	if (q->dma_status & VSN_DMA_BUSY)
		return;		/* a doorbell during a transfer is ignored */
	q->dma_req = max;
	q->dma_done = 0;
	q->dma_status = VSN_DMA_BUSY;
	c->ops->dma_arm(c->ctx, qi, max < level ? max : level);
}

void vsn_core_dma_complete(struct vsn_core *c, unsigned int qi)
{
	struct vsn_core_queue *q = &c->q[qi];

	if (!(q->dma_status & VSN_DMA_BUSY))
		return;
	vsn_dma_run(c, q);
	/*
	 * Records and descriptors are in memory before the completion
	 * message, as PCIe orders a device's posted writes before its MSI
	 * write.
	 */
	q->status |= VSN_Q_IRQ_DMA_DONE;
	if (q->status & q->mask)
		vsn_fire(c, qi);
	if (c->irq_status & c->irq_mask & VSN_IRQ_IOMMU_FAULT)
		vsn_fire(c, VSN_VEC_ERR(c->nr_queues));
}

void vsn_core_dma_abort(struct vsn_core *c, unsigned int qi)
{
	c->q[qi].dma_status &= ~VSN_DMA_BUSY;
}

/* Registers */

static u32 vsn_q_data(struct vsn_core *c, struct vsn_core_queue *q)
{
	const struct vsn_fifo_rec *rec;
	u32 word = q->rd_word;
	u32 val;

	if (!vsn_fifo_level(q))
		return ~0U;	/* an empty FIFO reads as all ones */
	rec = &q->fifo[q->tail & (c->fifo_depth - 1)];
	switch (word) {
	case VSN_FIFO_WORD_SEQ:
		val = rec->seq;
		break;
	case VSN_FIFO_WORD_FLAGS:
		val = rec->flags;
		break;
	case VSN_FIFO_WORD_TS_LO:
		val = vsn_lower(rec->ts);
		break;
	case VSN_FIFO_WORD_TS_HI:
		val = vsn_upper(rec->ts);
		break;
	default:
		val = (u32)rec->value[word - VSN_FIFO_HDR_WORDS];
		break;
	}
	if (++q->rd_word == VSN_FIFO_HDR_WORDS + c->nr_channels) {
		q->rd_word = 0;
		q->tail++;
	}
	return val;
}

static u32 vsn_q_read(struct vsn_core *c, struct vsn_core_queue *q, u32 off)
{
	u32 val;

	switch (off) {
	case VSN_Q_CTRL:
		return q->ctrl;
	case VSN_Q_LEVEL:
		return vsn_fifo_level(q);
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
		return vsn_q_data(c, q);
	case VSN_Q_DESC_LO:
		return vsn_lower(q->desc_iova);
	case VSN_Q_DESC_HI:
		return vsn_upper(q->desc_iova);
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

static u32 vsn_read_time(struct vsn_core *c)
{
	u64 now = c->ops->now_ns(c->ctx);

	c->time_hi = vsn_upper(now);
	return vsn_lower(now);
}

static u32 vsn_read_global(struct vsn_core *c, u32 reg)
{
	switch (reg) {
	case VSN_REG_POWER:
		return c->power;
	case VSN_REG_ID:
		return VSN_ID_MAGIC;
	case VSN_REG_VERSION:
		return VSN1000_FW_VERSION;
	case VSN_REG_CTRL:
		return c->ctrl;
	case VSN_REG_STATUS:
		return (c->ctrl & VSN_CTRL_ENABLE) ? VSN_STATUS_RUNNING : 0;
	case VSN_REG_RATE:
		return c->rate;
	case VSN_REG_CHANNELS:
		return c->nr_channels;
	case VSN_REG_FIFO_DEPTH:
		return c->fifo_depth;
	case VSN_REG_IRQ_STATUS:
		return c->irq_status;
	case VSN_REG_IRQ_MASK:
		return c->irq_mask;
	case VSN_REG_RATE_MAX:
		return c->rate_max;
	case VSN_REG_TX_DEPTH:
		return VSN1000_TX_DEPTH;
	case VSN_REG_TX_LEVEL:
		return vsn_tx_level(c);
	case VSN_REG_TIME_LO:
		return vsn_read_time(c);
	case VSN_REG_TIME_HI:
		return c->time_hi;
	case VSN_REG_NR_QUEUES:
		return c->nr_queues;
	case VSN_REG_IOMMU_FAULTS:
		return c->iommu_faults;
	case VSN_REG_FAULT_IOVA_LO:
		return vsn_lower(c->fault_iova);
	case VSN_REG_FAULT_IOVA_HI:
		return vsn_upper(c->fault_iova);
	case VSN_REG_DBG_DMA_FAULTS:
		return c->dbg_dma_faults;
	case VSN_REG_DBG_DMA_IOVA_LO:
		return vsn_lower(c->dbg_dma_iova);
	case VSN_REG_DBG_DMA_IOVA_HI:
		return vsn_upper(c->dbg_dma_iova);
	case VSN_REG_WAVEFORM:
		return c->wave;
	case VSN_REG_AMPLITUDE:
		return c->amplitude;
	case VSN_REG_FREQUENCY:
		return c->freq_mhz;
	default:
		return ~0U;	/* unimplemented registers float high */
	}
}

static bool vsn_queue_reg(const struct vsn_core *c, u32 reg, unsigned int *qi)
{
	if (reg < VSN_REG_QUEUE(0) || reg >= VSN_REG_WINDOW_SIZE(c->nr_queues))
		return false;
	*qi = (reg - VSN_REG_QUEUE(0)) / VSN_QUEUE_STRIDE;
	return true;
}

/* A register read; in D3 only POWER answers. */
u32 vsn_core_read(struct vsn_core *c, u32 reg)
{
	unsigned int qi;

	if (c->power != VSN_POWER_D0 && reg != VSN_REG_POWER) {
		c->d3_accesses++;
		c->ops->d3_access(c->ctx, reg, false);
		return ~0U;
	}
	if (vsn_queue_reg(c, reg, &qi))
		return vsn_q_read(c, &c->q[qi], reg - VSN_REG_QUEUE(qi));
	return vsn_read_global(c, reg);
}

static unsigned int vsn_write_power(struct vsn_core *c, u32 val)
{
	bool wake = c->power != VSN_POWER_D0 && val == VSN_POWER_D0;

	if (val != VSN_POWER_D0 && val != VSN_POWER_D3)
		return 0;	/* D1, D2: not supported, ignored */
	c->power = val;
	if (!wake)
		return 0;
	vsn_raise(c);		/* what came up meanwhile */
	if (!(c->ctrl & VSN_CTRL_ENABLE))
		return 0;
	vsn_restart_clock(c);
	return VSN_CORE_SAMPLER_REARM;
}

/* A stimulus record is queued when its last channel word is written. */
static void vsn_tx_data(struct vsn_core *c, u32 val)
{
	if (vsn_tx_level(c) == VSN1000_TX_DEPTH)
		return;		/* writes to a full FIFO are lost */
	c->tx[c->tx_head & (VSN1000_TX_DEPTH - 1)][c->wr_word] = (s32)val;
	if (++c->wr_word == c->nr_channels) {
		c->wr_word = 0;
		c->tx_head++;
	}
}

static unsigned int vsn_write_ctrl(struct vsn_core *c, u32 val)
{
	bool was_on = c->ctrl & VSN_CTRL_ENABLE;
	unsigned int i;

	if (val & VSN_CTRL_FIFO_RESET) {
		for (i = 0; i < c->nr_queues; i++)
			vsn_queue_reset(&c->q[i]);
		c->tx_tail = c->tx_head;
		c->wr_word = 0;
	}
	c->ctrl = val & VSN_CTRL_ENABLE;	/* FIFO_RESET clears itself */
	if (!was_on && (val & VSN_CTRL_ENABLE)) {
		vsn_restart_clock(c);
		return VSN_CORE_SAMPLER_START;
	}
	return was_on && !(val & VSN_CTRL_ENABLE) ? VSN_CORE_SAMPLER_STOP : 0;
}

/* Disabling a queue stops its samples; a transfer in flight completes. */
static void vsn_q_write(struct vsn_core *c, unsigned int qi, u32 off, u32 val)
{
	struct vsn_core_queue *q = &c->q[qi];

	switch (off) {
	case VSN_Q_CTRL:
		if (!(q->ctrl & VSN_Q_CTRL_ENABLE) && (val & VSN_Q_CTRL_ENABLE))
			vsn_queue_reset(q);
		q->ctrl = val & VSN_Q_CTRL_ENABLE;
		break;
	case VSN_Q_WM:
		q->wm = vsn_clamp(val, 1, c->fifo_depth);
		break;
	case VSN_Q_STATUS:
		q->status &= ~val;
		break;
	case VSN_Q_MASK:
		q->mask = val & (VSN_Q_IRQ_WATERMARK | VSN_Q_IRQ_DMA_DONE);
		if (q->status & q->mask)
			vsn_fire(c, qi);
		break;
	case VSN_Q_DESC_LO:
		q->desc_iova = (q->desc_iova & ~0xffffffffULL) | val;
		break;
	case VSN_Q_DESC_HI:
		q->desc_iova = (u64)val << 32 | vsn_lower(q->desc_iova);
		break;
	case VSN_Q_DESC_COUNT:
		q->desc_count = val;
		break;
	case VSN_Q_DMA_START:
		vsn_dma_start(c, qi, val);
		break;
	default:
		break;	/* read-only or unimplemented: ignored */
	}
}

/* Waveform registers ignore values outside their range. */
static void vsn_write_wave(struct vsn_core *c, u32 reg, u32 val)
{
	if (reg == VSN_REG_WAVEFORM && val >= VSN_WAVE_SINE &&
	    val <= VSN_WAVE_NOISE)
		c->wave = val;
	else if (reg == VSN_REG_AMPLITUDE && val <= VSN_AMPLITUDE_MAX)
		c->amplitude = val;
	else if (reg == VSN_REG_FREQUENCY && val >= VSN_FREQUENCY_MIN &&
		 val <= VSN_FREQUENCY_MAX)
		c->freq_mhz = val;
}

static unsigned int vsn_write_global(struct vsn_core *c, u32 reg, u32 val)
{
	switch (reg) {
	case VSN_REG_CTRL:
		return vsn_write_ctrl(c, val);
	case VSN_REG_RATE:
		c->rate = vsn_clamp(val, 1, c->rate_max);
		vsn_restart_clock(c);
		return (c->ctrl & VSN_CTRL_ENABLE) ? VSN_CORE_SAMPLER_REARM : 0;
	case VSN_REG_IRQ_STATUS:
		c->irq_status &= ~val;
		break;
	case VSN_REG_IRQ_MASK:
		c->irq_mask = val & (VSN_IRQ_TX_SPACE | VSN_IRQ_ERR_MASK);
		vsn_raise(c);
		break;
	case VSN_REG_TX_DATA:
		vsn_tx_data(c, val);
		break;
	case VSN_REG_WAVEFORM:
	case VSN_REG_AMPLITUDE:
	case VSN_REG_FREQUENCY:
		vsn_write_wave(c, reg, val);
		break;
	case VSN_REG_DBG_DMA_FAULTS:
		c->dbg_dma_faults = val;
		break;
	case VSN_REG_DBG_DMA_IOVA_LO:
		c->dbg_dma_iova = (c->dbg_dma_iova & ~0xffffffffULL) | val;
		break;
	case VSN_REG_DBG_DMA_IOVA_HI:
		c->dbg_dma_iova = (u64)val << 32 | vsn_lower(c->dbg_dma_iova);
		break;
	default:
		break;
	}
	return 0;
}

/*
 * A register write (posted); in D3 only POWER takes one. Returns what the
 * platform must do with its sampler timer (VSN_CORE_SAMPLER_*).
 */
unsigned int vsn_core_write(struct vsn_core *c, u32 reg, u32 val)
{
	unsigned int qi;

	if (reg == VSN_REG_POWER)
		return vsn_write_power(c, val);
	if (c->power != VSN_POWER_D0) {
		c->d3_accesses++;
		c->ops->d3_access(c->ctx, reg, true);
		return 0;
	}
	if (vsn_queue_reg(c, reg, &qi)) {
		vsn_q_write(c, qi, reg - VSN_REG_QUEUE(qi), val);
		return 0;
	}
	return vsn_write_global(c, reg, val);
}

/* The datasheet's reset values; the FIFOs and the engines empty and idle. */
void vsn_core_reset(struct vsn_core *c)
{
	unsigned int i;

	c->ctrl = 0;
	c->rate = c->rate_max < VSN1000_RATE_RESET ? c->rate_max :
						      VSN1000_RATE_RESET;
	c->irq_status = 0;
	c->irq_mask = 0;
	c->power = VSN_POWER_D0;
	c->wave = VSN_WAVE_SINE;
	c->amplitude = VSN1000_AMPLITUDE_RESET;
	c->freq_mhz = VSN1000_FREQ_RESET;
	c->tx_head = 0;
	c->tx_tail = 0;
	c->wr_word = 0;
	c->seq = 0;
	c->start_ns = 0;
	c->nr_since_start = 0;
	c->time_hi = 0;
	c->iommu_faults = 0;
	c->fault_iova = 0;
	c->dbg_dma_faults = 0;
	c->dbg_dma_iova = 0;
	for (i = 0; i < VSN_MAX_QUEUES; i++) {
		struct vsn_core_queue *q = &c->q[i];
		struct vsn_fifo_rec *fifo = q->fifo;

		memset(q, 0, sizeof(*q));
		q->fifo = fifo;
		q->wm = 1;
	}
}
