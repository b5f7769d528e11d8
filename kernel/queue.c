// SPDX-License-Identifier: GPL-2.0
/*
 * A data queue, driver side. Its vector's top half acknowledges, completes
 * DMA transfers and, when the bottom half is late and the FIFO is above the
 * headroom mark, pulls a bounded number of records itself; the bottom half
 * (the threaded handler, on the same CPU) drains the FIFO by PIO or DMA into
 * the sessions steered to the queue. Busy-polling readers drain it too.
 */
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/log2.h>
#include <linux/percpu.h>
#include <linux/slab.h>

#include "vsensor.h"
#include "trace.h"

#define VSENSOR_Q_BATCH		256	/* records fetched and delivered at once */
#define VSENSOR_Q_BUDGET	4096	/* records per bottom-half run */
#define VSENSOR_STASH_MIN	1024	/* records the top half may set aside */
#define VSENSOR_STASH_MAX	16384	/* 1 MiB: 164 ms at RATE_MAX */
#define VSENSOR_HEADROOM_MAX_NS	(200 * NSEC_PER_USEC)	/* per top half */
#define VSENSOR_DMA_TIMEOUT_MS	100
#define VSENSOR_BH_DELAY_MAX_US	1000000U	/* the debug knob's ceiling */
#define VSENSOR_FAST_MAX	4	/* records a top half delivers itself */
#define VSENSOR_FAST_MAX_NS	(50 * NSEC_PER_USEC)	/* ... their PIO cost */
#define VSENSOR_PIO_CHUNK	4	/* records a drainer pulls per lock hold */

/* q->flags */
#define VSENSOR_Q_BH_PENDING	0	/* woken and not yet done draining */
#define VSENSOR_Q_DRAINING	1	/* a drainer owns the FIFO's records */

/* The top half lets the draining bit go: wake a drainer waiting for it. */
static void vsensor_queue_drain_release(struct vsensor_queue *q)
{
	clear_bit_unlock(VSENSOR_Q_DRAINING, &q->flags);
	if (wq_has_sleeper(&q->drain_wait))	/* a full barrier first */
		wake_up(&q->drain_wait);
}

static bool vsensor_queue_headroom_dma_reap(struct vsensor_queue *q);

/*
 * Process context: take the draining over. The top half holds the bit for
 * a fast-path delivery of a few records or for a headroom DMA transfer
 * until its DMA_DONE. When that is late (a loaded machine delays the
 * interrupt, or the queue was stopped under the transfer), the engine's
 * own status says whether the records are in memory: then they are
 * collected here, as DMA_DONE would have, and the late DMA_DONE finds no
 * top-half transfer; while the engine still moves them, the wait goes on.
 * No transfer is given up with its records in it.
 */
static void vsensor_queue_drain_lock(struct vsensor_queue *q)
{
	mutex_lock(&q->drain_lock);
	while (!wait_event_timeout(q->drain_wait,
				   !test_and_set_bit_lock(VSENSOR_Q_DRAINING,
							  &q->flags),
				   msecs_to_jiffies(VSENSOR_DMA_TIMEOUT_MS))) {
		if (vsensor_queue_headroom_dma_reap(q))
			return;		/* the bit stays set: it is ours now */
	}
}

static void vsensor_queue_drain_unlock(struct vsensor_queue *q)
{
	clear_bit_unlock(VSENSOR_Q_DRAINING, &q->flags);
	mutex_unlock(&q->drain_lock);
}

/*
 * Hand a batch of samples to every session steered to @q: from the bottom
 * half's thread, busy pollers and the top half's fast path. The device
 * lock keeps the list still (sessions join and leave under it).
 */
static void vsensor_queue_fan_out(struct vsensor_queue *q,
				  const struct vsensor_record *recs, u32 n)
{
	struct vsensor_dev *vdev = q->vdev;
	struct vsensor_session *s;
	unsigned long flags;

	spin_lock_irqsave(&vdev->lock, flags);
	list_for_each_entry(s, &q->sessions, node)
		vsensor_session_deliver(s, recs, n);
	spin_unlock_irqrestore(&vdev->lock, flags);
}

/* One wake-up per session per drained batch, not one per record. */
static void vsensor_queue_notify(struct vsensor_queue *q)
{
	struct vsensor_dev *vdev = q->vdev;
	struct vsensor_session *s;
	unsigned long flags;

	spin_lock_irqsave(&vdev->lock, flags);
	list_for_each_entry(s, &q->sessions, node)
		vsensor_session_notify(s);
	spin_unlock_irqrestore(&vdev->lock, flags);
	vsensor_led_activity(vdev);
}

static u32 vsensor_queue_read(struct vsensor_queue *q, u32 off)
{
	return vsensor_dev_read(q->vdev, VSN_REG_QUEUE(q->index) + off);
}

static void vsensor_queue_write(struct vsensor_queue *q, u32 off, u32 val)
{
	vsensor_dev_write(q->vdev, VSN_REG_QUEUE(q->index) + off, val);
}

static u32 __vsensor_stash_pop(struct vsensor_queue *q,
			       struct vsensor_record *out, u32 max)
{
	u32 n = 0;

	lockdep_assert_held(&q->lock);
	while (n < max && q->stash_tail != q->stash_head)
		out[n++] = q->stash[q->stash_tail++ & (q->stash_size - 1)];
	return n;
}

/*
 * The stash must hold what arrives while the bottom half is late: the rate
 * times its recent latency (top-half wake-up to drained), or the debug
 * delay it sleeps (fsleep() may sleep twice that), with as much again for
 * margin. Grown in process context (the bottom half's thread before it
 * sleeps, and whoever changes the rate), never in the top half; records
 * already set aside move over in order.
 */
void vsensor_queue_fit_stash(struct vsensor_queue *q)
{
	unsigned int delay_us = min(READ_ONCE(q->vdev->bh_delay_us),
				    VSENSOR_BH_DELAY_MAX_US);
	u64 lat = max_t(u64, READ_ONCE(q->bh_latency_ns),
			2ULL * delay_us * NSEC_PER_USEC);
	u64 want = 2 * div_u64(READ_ONCE(q->vdev->rate) * lat, NSEC_PER_SEC);
	struct vsensor_record *stash = NULL, *old;
	u32 size, used, i;

	size = READ_ONCE(q->stash_size);
	if (want <= size || size >= VSENSOR_STASH_MAX)
		return;		/* the common case, without the mutex */
	mutex_lock(&q->drain_lock);	/* one resizer at a time */
	if (want <= q->stash_size || q->stash_size >= VSENSOR_STASH_MAX)
		goto out_unlock;
	size = roundup_pow_of_two(min_t(u64, want, VSENSOR_STASH_MAX));
	stash = kvmalloc_array(size, sizeof(*stash), GFP_KERNEL);
	if (!stash)	/* the FIFO overflows, counted, as before */
		goto out_unlock;
	spin_lock_irq(&q->lock);
	used = q->stash_head - q->stash_tail;
	old = q->stash;
	/* a bounded copy with interrupts off, else try again next time */
	if (used <= VSENSOR_Q_BATCH) {
		for (i = 0; i < used; i++)
			stash[i] = old[(q->stash_tail + i) & (q->stash_size - 1)];
		q->stash = stash;
		WRITE_ONCE(q->stash_size, size);
		q->stash_tail = 0;
		q->stash_head = used;
		stash = old;	/* to free */
	}
	spin_unlock_irq(&q->lock);
out_unlock:
	mutex_unlock(&q->drain_lock);
	kvfree(stash);
}

/*
 * Pop one record from the FIFO, a register read per word. The hardware
 * sequence number travels in @rec->seq until a session renumbers it.
 */
static void __vsensor_queue_pio_one(struct vsensor_queue *q,
				    struct vsensor_record *rec)
{
	u32 nr_channels = q->vdev->info.nr_channels;
	u32 ts_lo, ts_hi, ch, flags;

	lockdep_assert_held(&q->lock);
	memset(rec, 0, sizeof(*rec));
	rec->seq = vsensor_queue_read(q, VSN_Q_DATA);
	flags = vsensor_queue_read(q, VSN_Q_DATA);
	if (flags & VSN_FIFO_FLAG_STIMULUS)
		rec->flags = VSENSOR_RECORD_F_INJECTED;
	if (flags & ~VSN_FIFO_FLAG_STIMULUS)
		rec->flags |= VSENSOR_REC_F_BAD;
	ts_lo = vsensor_queue_read(q, VSN_Q_DATA);
	ts_hi = vsensor_queue_read(q, VSN_Q_DATA);
	rec->timestamp_ns = (u64)ts_hi << 32 | ts_lo;
	for (ch = 0; ch < nr_channels; ch++)
		rec->value[ch] = (s32)vsensor_queue_read(q, VSN_Q_DATA);
	rec->channel_mask = GENMASK(nr_channels - 1, 0);
}

/*
 * Pop up to @max of the records the FIFO holds now. Its level and the
 * records are read in one section under q->lock, the FIFO's lock for every
 * access by the CPU: no one else pops between the two (the top half's
 * headroom pull takes the same lock), and a level no FIFO can have is
 * bounded by the depth.
 */
static u32 __vsensor_queue_pio_pull(struct vsensor_queue *q,
				    struct vsensor_record *out, u32 max)
{
	u32 level, i;

	lockdep_assert_held(&q->lock);
	level = min(vsensor_queue_read(q, VSN_Q_LEVEL),
		    q->vdev->info.fifo_depth);
	for (i = 0; i < min(level, max); i++)
		__vsensor_queue_pio_one(q, &out[i]);
	return i;
}

static bool vsensor_queue_use_dma(const struct vsensor_dev *vdev, u32 n)
{
	switch (READ_ONCE(vdev->xfer_mode)) {
	case VSENSOR_XFER_DMA:
		return true;
	case VSENSOR_XFER_PIO:
		return false;
	default:
		return n >= READ_ONCE(vdev->dma_threshold);
	}
}

/*
 * Can the hardware have sampled @rec after the previous record it gave? Its
 * time (CLOCK_MONOTONIC, like ours, once converted: stream.c) is not ahead
 * of now nor behind the previous record's, its flags word had no unknown
 * bits, and its sequence number is at most as far ahead as samples at the
 * device's highest rate fit in between (no earlier, no wild jump). @gap:
 * samples lost before it.
 */
static bool vsensor_queue_rec_valid(struct vsensor_queue *q,
				    const struct vsensor_record *rec, u64 now,
				    u32 *gap)
{
	u64 max_gap;

	*gap = 0;
	if ((rec->flags & VSENSOR_REC_F_BAD) || rec->timestamp_ns > now)
		return false;
	if (!q->nr_drained)
		return true;	/* the first since the queue started */
	if (rec->timestamp_ns < q->last_ts)
		return false;
	*gap = rec->seq - q->next_hw_seq;
	max_gap = mul_u64_u32_div(rec->timestamp_ns - q->last_ts,
				  q->vdev->info.rate_max_hz, NSEC_PER_SEC) + 2;
	return *gap <= max_gap;
}

/*
 * Every record from the hardware, by PIO or DMA, passes here before a
 * session sees it: one that cannot be (vsensor_queue_rec_valid()) is
 * dropped and counted (statistics/bad_records), never delivered nor used
 * as the reference for the next; a sequence gap in the others marks the
 * samples the hardware lost. Returns how many records @recs keeps, in
 * order. Called by the owner of the draining bit.
 */
static u32 vsensor_queue_check(struct vsensor_queue *q,
			       struct vsensor_record *recs, u32 n)
{
	s64 offset = READ_ONCE(q->vdev->clock_offset_ns);
	u64 now = ktime_get_ns();
	u32 i, kept = 0, gap;

	for (i = 0; i < n; i++) {
		/* device clock to CLOCK_MONOTONIC (0 on the model) */
		recs[i].timestamp_ns += offset;
		if (!vsensor_queue_rec_valid(q, &recs[i], now, &gap))
			continue;
		recs[kept] = recs[i];
		recs[kept].dropped = gap;
		q->next_hw_seq = recs[i].seq + 1;
		q->last_ts = recs[i].timestamp_ns;
		q->nr_drained++;
		kept++;
	}
	if (kept != n)
		atomic64_add(n - kept, &q->vdev->stats.bad_records);
	return kept;
}

/*
 * Headroom by DMA: ring the engine from the top half for at most @n records
 * (the stash has room for them, and it only grows meanwhile) and collect
 * them into the stash when DMA_DONE comes. The caller's draining bit passes
 * to the transfer until then, so no drainer touches the FIFO, the engine
 * or the stash's order before the records are in. Called with q->lock held.
 */
static void vsensor_queue_headroom_dma(struct vsensor_queue *q, u32 n)
{
	lockdep_assert_held(&q->lock);
	n = min(n, q->dma_capacity);
	q->dma_active = true;
	q->top_dma = n;
	vsensor_dma_arm(&q->dma);
	/* descriptors visible to the device before the doorbell */
	wmb();
	vsensor_queue_write(q, VSN_Q_DMA_START, n);
}

/* Is the engine still moving a transfer? A vanished device is not. */
static bool vsensor_queue_engine_busy(struct vsensor_queue *q)
{
	u32 st = vsensor_queue_read(q, VSN_Q_DMA_STATUS);

	return st != U32_MAX && (st & VSN_DMA_BUSY);
}

/*
 * The records of the top half's finished transfer go to the stash, after
 * what it held. Called with q->lock held; returns how many.
 */
static u32 __vsensor_queue_headroom_collect(struct vsensor_queue *q)
{
	struct vsensor_dev *vdev = q->vdev;
	u32 got, i;

	lockdep_assert_held(&q->lock);
	/* room was there at the doorbell, and the stash only grows */
	got = vsensor_dma_collect(&q->dma, vdev->info.nr_channels, q->top_buf,
				  q->top_dma);
	for (i = 0; i < got; i++)
		q->stash[q->stash_head++ & (q->stash_size - 1)] = q->top_buf[i];
	q->top_dma = 0;
	q->dma_active = false;
	WRITE_ONCE(q->headroom_dma_records, q->headroom_dma_records + got);
	return got;
}

static void vsensor_queue_headroom_account(struct vsensor_queue *q, u32 got)
{
	struct vsensor_dev *vdev = q->vdev;

	atomic64_inc(&vdev->stats.dma_transfers);
	atomic64_add(got, &vdev->stats.dma_records);
	atomic64_add(got, &vdev->stats.headroom_records);
	trace_vsensor_dma_xfer(vdev->info.id, q->index,
			       got * sizeof(struct vsn_dma_rec), q->dma.nr_bufs);
}

/*
 * DMA_DONE of a transfer the top half started: its records go to the stash
 * and the draining bit is free again. False if the transfer was the bottom
 * half's (or a drainer collected ours already).
 */
static bool vsensor_queue_headroom_dma_done(struct vsensor_queue *q)
{
	u32 got;

	spin_lock(&q->lock);
	if (!q->top_dma) {
		spin_unlock(&q->lock);
		return false;
	}
	got = __vsensor_queue_headroom_collect(q);
	spin_unlock(&q->lock);
	vsensor_queue_headroom_account(q, got);
	vsensor_queue_drain_release(q);
	return true;
}

/*
 * A drainer waited long for the top half's transfer: if the engine has
 * finished it (its interrupt is only late) or the queue died under it,
 * collect it now and keep the draining bit. False while the engine runs,
 * or when the bit's holder is no transfer.
 */
static bool vsensor_queue_headroom_dma_reap(struct vsensor_queue *q)
{
	bool reaped = false;
	u32 got = 0;

	spin_lock_irq(&q->lock);
	if (q->top_dma && (q->dead || !vsensor_queue_engine_busy(q))) {
		got = __vsensor_queue_headroom_collect(q);
		reaped = true;
	}
	spin_unlock_irq(&q->lock);
	if (reaped) {
		atomic64_inc(&q->vdev->stats.dma_late);
		vsensor_queue_headroom_account(q, got);
	}
	return reaped;
}

/*
 * Headroom: the bottom half is late and the FIFO is filling up. Set aside
 * what takes the FIFO back to the headroom mark by the next watermark
 * interrupt, counting as many records to arrive until then as arrived since
 * the previous one, so the FIFO stays below the mark instead of overflowing
 * between interrupts. Bounded by the stash's room, by headroom_budget and,
 * by PIO, in time: each record costs a few register reads in hard interrupt
 * context, and on a slow bus that alone could fill the CPU; when more are
 * due than that allows and the transfer mode would use DMA for them, the
 * engine moves them instead.
 */
static void vsensor_queue_headroom(struct vsensor_queue *q)
{
	u64 end = ktime_get_ns() + VSENSOR_HEADROOM_MAX_NS;
	struct vsensor_dev *vdev = q->vdev;
	u32 level, arrived, room, n, i;
	bool by_dma = false;

	/*
	 * Only while no one drains, and as the FIFO's owner meanwhile: a
	 * drainer (the bottom half, or a busy poller on any CPU) owns its
	 * records and the stash's order until it lets the bit go.
	 */
	if (!READ_ONCE(vdev->headroom) ||
	    test_and_set_bit_lock(VSENSOR_Q_DRAINING, &q->flags))
		return;
	spin_lock(&q->lock);
	if (q->dma_active || q->dead)	/* the engine owns the FIFO */
		goto out_unlock;
	level = min(vsensor_queue_read(q, VSN_Q_LEVEL), vdev->info.fifo_depth);
	/*
	 * none known at the first pull of a late spell; fewer when the
	 * bottom half drained meanwhile, but then it is running
	 */
	arrived = level > q->headroom_left ? level - q->headroom_left : 0;
	n = level + arrived;
	n = n > READ_ONCE(vdev->headroom_mark) ?
	    min(n - READ_ONCE(vdev->headroom_mark), level) : 0;
	room = q->stash_size - (q->stash_head - q->stash_tail);
	n = min3(n, room, READ_ONCE(vdev->headroom_budget));
	/* more than PIO moves in the time bound, and worth the engine */
	if (n > div64_u64(VSENSOR_HEADROOM_MAX_NS,
			  max_t(u64, READ_ONCE(vdev->pio_record_ns), 1)) &&
	    vsensor_queue_use_dma(vdev, n)) {
		vsensor_queue_headroom_dma(q, n);
		by_dma = true;	/* the bit is the transfer's now */
		q->headroom_left = level - min(n, q->dma_capacity);
		goto out_unlock;
	}
	for (i = 0; i < n && (!i || ktime_get_ns() < end); i++)
		__vsensor_queue_pio_one(q, &q->stash[q->stash_head++ &
						     (q->stash_size - 1)]);
	q->headroom_left = level - i;
	atomic64_add(i, &vdev->stats.headroom_records);
	atomic64_add(i, &vdev->stats.pio_records);
out_unlock:
	spin_unlock(&q->lock);
	if (!by_dma)
		vsensor_queue_drain_release(q);
}

/*
 * The fast path, as evdev delivers input events from the interrupt handler:
 * when the FIFO holds only a few records, cheap to read by PIO, the top half
 * reads, delivers and wakes the readers itself, one wake-up instead of the
 * thread's and then the reader's. Only if no one drains (the bit), nothing
 * set aside is older, the engine is idle and the transfer mode would move
 * that many by PIO; else, or when the knob is off, the thread does it.
 */
static bool vsensor_queue_fast(struct vsensor_queue *q)
{
	struct vsensor_record recs[VSENSOR_FAST_MAX];
	struct vsensor_dev *vdev = q->vdev;
	bool done = false;
	u32 level, max;

	if (!READ_ONCE(vdev->irq_fast) ||
	    test_and_set_bit_lock(VSENSOR_Q_DRAINING, &q->flags))
		return false;
	if (q->dead)
		goto out_clear;
	max = div64_u64(VSENSOR_FAST_MAX_NS,
			max_t(u64, READ_ONCE(vdev->pio_record_ns), 1));
	max = min_t(u32, max, VSENSOR_FAST_MAX);
	level = vsensor_queue_read(q, VSN_Q_LEVEL);
	if (level > max || (level && vsensor_queue_use_dma(vdev, level)))
		goto out_clear;
	spin_lock(&q->lock);
	if (q->dma_active || q->stash_head != q->stash_tail) {
		spin_unlock(&q->lock);
		goto out_clear;
	}
	level = __vsensor_queue_pio_pull(q, recs, level);
	spin_unlock(&q->lock);
	done = true;
	if (!level)	/* drained meanwhile: nothing to wake the thread for */
		goto out_clear;
	atomic64_inc(&vdev->stats.pio_transfers);
	atomic64_add(level, &vdev->stats.pio_records);
	level = vsensor_queue_check(q, recs, level);
	vsensor_queue_fan_out(q, recs, level);
	vsensor_queue_notify(q);
	WRITE_ONCE(q->fast_records, q->fast_records + level);
	trace_vsensor_irq_bottom(vdev->info.id, q->index, smp_processor_id(),
				 level);
out_clear:
	vsensor_queue_drain_release(q);
	return done;
}

/* Top half: hard interrupt context, on the CPU the vector is steered to. */
static irqreturn_t vsensor_queue_irq(int irq, void *data)
{
	struct vsensor_queue *q = data;
	u32 status;

	this_cpu_inc(*q->vec->top);
	status = vsensor_queue_read(q, VSN_Q_STATUS);
	trace_vsensor_irq_top(q->vdev->info.id, q->index, smp_processor_id(),
			      status);
	/* all-ones: the device is gone (surprise removal), not a cause */
	if (!status || status == VSENSOR_REG_GONE)
		return IRQ_NONE;
	/* acknowledge first: an event after this sends a new message */
	vsensor_queue_write(q, VSN_Q_STATUS, status);
	if (status & VSN_Q_IRQ_DMA_DONE) {
		if (!vsensor_queue_headroom_dma_done(q))
			complete(&q->dma_done);
		/* ours: the bottom half may still be late, keep pace */
		else if (!(status & VSN_Q_IRQ_WATERMARK) &&
			 test_bit(VSENSOR_Q_BH_PENDING, &q->flags))
			vsensor_queue_headroom(q);
	}
	if (!(status & VSN_Q_IRQ_WATERMARK))
		return IRQ_HANDLED;
	if (test_and_set_bit(VSENSOR_Q_BH_PENDING, &q->flags)) {
		vsensor_queue_headroom(q);
		return IRQ_WAKE_THREAD;
	}
	if (vsensor_queue_fast(q)) {
		clear_bit(VSENSOR_Q_BH_PENDING, &q->flags);
		return IRQ_HANDLED;
	}
	WRITE_ONCE(q->bh_wake_ns, ktime_get_ns());
	return IRQ_WAKE_THREAD;
}

/*
 * Up to @n records by PIO, a few per lock hold (interrupts stay off for a
 * bounded time); fewer if the FIFO holds fewer.
 */
static u32 vsensor_queue_pio(struct vsensor_queue *q,
			     struct vsensor_record *out, u32 n)
{
	struct vsensor_dev *vdev = q->vdev;
	u32 got = 0, k;

	while (got < n) {
		spin_lock_irq(&q->lock);
		k = __vsensor_queue_pio_pull(q, out + got,
					     min(n - got, VSENSOR_PIO_CHUNK));
		spin_unlock_irq(&q->lock);
		if (!k)
			break;
		got += k;
	}
	atomic64_inc(&vdev->stats.pio_transfers);
	atomic64_add(got, &vdev->stats.pio_records);
	return got;
}

static u32 vsensor_queue_dma(struct vsensor_queue *q,
			     struct vsensor_record *out, u32 n)
{
	struct vsensor_dev *vdev = q->vdev;
	bool late = false;
	u32 got = 0;

	vsensor_dma_arm(&q->dma);
	reinit_completion(&q->dma_done);
	/*
	 * The descriptors (coherent memory) must be visible to the device
	 * before the doorbell write that makes it fetch them.
	 */
	wmb();
	vsensor_queue_write(q, VSN_Q_DMA_START, n);
	/*
	 * DMA_DONE may be late (a loaded machine), or stale (a transfer of
	 * before whose interrupt came after its waiter had looked at the
	 * engine): the engine's status decides. Its records are collected
	 * once it is idle, never given up while it still moves them.
	 */
	while (!wait_for_completion_timeout(&q->dma_done,
					    msecs_to_jiffies(VSENSOR_DMA_TIMEOUT_MS)) ||
	       vsensor_queue_engine_busy(q)) {
		if (!late) {
			late = true;
			atomic64_inc(&vdev->stats.dma_late);
		}
		if (READ_ONCE(q->dead) || !vsensor_queue_engine_busy(q))
			break;
		reinit_completion(&q->dma_done);
		if (!vsensor_queue_engine_busy(q))
			break;
	}
	got = vsensor_dma_collect(&q->dma, vdev->info.nr_channels, out, n);
	trace_vsensor_dma_xfer(vdev->info.id, q->index,
			       got * sizeof(struct vsn_dma_rec), q->dma.nr_bufs);
	spin_lock_irq(&q->lock);
	q->dma_active = false;
	spin_unlock_irq(&q->lock);
	atomic64_inc(&vdev->stats.dma_transfers);
	atomic64_add(got, &vdev->stats.dma_records);
	return got;
}

/*
 * Fetch up to @max records, oldest first: set-aside ones, then the FIFO.
 * The caller owns the draining bit. The level read here only sizes the
 * transfer: PIO pulls read it again under q->lock, and the engine moves
 * no more than the FIFO holds.
 */
static u32 vsensor_queue_fetch(struct vsensor_queue *q,
			       struct vsensor_record *out, u32 max)
{
	u32 level, k, n;
	bool dma;

	level = vsensor_queue_read(q, VSN_Q_LEVEL);
	spin_lock_irq(&q->lock);
	k = __vsensor_stash_pop(q, out, max);
	n = min(level, max - k);
	dma = n && vsensor_queue_use_dma(q->vdev, n);
	if (dma) {
		n = min(n, q->dma_capacity);
		q->dma_active = true;
	}
	spin_unlock_irq(&q->lock);
	if (!n)
		return k;
	return k + (dma ? vsensor_queue_dma(q, out + k, n) :
			  vsensor_queue_pio(q, out + k, n));
}

/* Drain into the sessions; returns records delivered or -ENODEV. */
static int __vsensor_queue_drain(struct vsensor_queue *q, u32 budget)
{
	u32 total = 0, n;

	lockdep_assert_held(&q->drain_lock);
	if (q->dead)
		return -ENODEV;
	while (total < budget) {
		n = vsensor_queue_fetch(q, q->batch, VSENSOR_Q_BATCH);
		if (!n)
			break;
		total += n;
		n = vsensor_queue_check(q, q->batch, n);
		vsensor_queue_fan_out(q, q->batch, n);
	}
	if (total)
		vsensor_queue_notify(q);
	return total;
}

/* Bottom half: a kernel thread that follows the vector's affinity. */
static irqreturn_t vsensor_queue_thread(int irq, void *data)
{
	struct vsensor_queue *q = data;
	/* capped: removal waits for a running bottom half */
	unsigned int delay = min(READ_ONCE(q->vdev->bh_delay_us),
				 VSENSOR_BH_DELAY_MAX_US);
	u64 woken = READ_ONCE(q->bh_wake_ns), start = ktime_get_ns(), now, lat;
	int n;

	this_cpu_inc(*q->vec->bottom);
	vsensor_queue_fit_stash(q);
	if (delay)	/* debug knob: a late bottom half */
		fsleep(delay);
	vsensor_queue_drain_lock(q);
	n = __vsensor_queue_drain(q, VSENSOR_Q_BUDGET);
	vsensor_queue_drain_unlock(q);
	trace_vsensor_irq_bottom(q->vdev->info.id, q->index,
				 raw_smp_processor_id(), max(n, 0));
	/*
	 * Latency, top-half wake-up to drained, a maximum that decays by
	 * 1/16 a run; none for a re-run without a wake-up since the last one
	 * (a wake-up after the clear_bit() is later than bh_done_ns).
	 */
	now = ktime_get_ns();
	spin_lock_irq(&q->lock);
	q->headroom_left = U32_MAX;	/* the next late spell starts afresh */
	spin_unlock_irq(&q->lock);
	clear_bit(VSENSOR_Q_BH_PENDING, &q->flags);
	if (woken > q->bh_done_ns) {
		lat = now - woken;
		WRITE_ONCE(q->bh_latency_ns,
			   max(lat, q->bh_latency_ns - (q->bh_latency_ns >> 4)));
	}
	q->bh_done_ns = now;
	/* for debugfs: what a bottom half costs, without a tracer's patching */
	WRITE_ONCE(q->bh_runs, q->bh_runs + 1);
	WRITE_ONCE(q->bh_ns, q->bh_ns + now - start);
	return IRQ_HANDLED;
}

/*
 * Busy polling, as NAPI does it: while a reader polls, the queue's
 * watermark interrupt is masked and the poller drains for every session on
 * the queue; the interrupt comes back when the last poller stops.
 */
void vsensor_queue_busy_poll_begin(struct vsensor_queue *q)
{
	mutex_lock(&q->vdev->cfg_lock);
	if (!q->nr_pollers++ && q->nr_running && vsensor_dev_present(q->vdev))
		vsensor_queue_write(q, VSN_Q_MASK, VSN_Q_IRQ_DMA_DONE);
	mutex_unlock(&q->vdev->cfg_lock);
}

void vsensor_queue_busy_poll_end(struct vsensor_queue *q)
{
	mutex_lock(&q->vdev->cfg_lock);
	if (!--q->nr_pollers && q->nr_running && vsensor_dev_present(q->vdev)) {
		/* the poller drained: an event raised meanwhile is stale */
		vsensor_queue_write(q, VSN_Q_STATUS, VSN_Q_IRQ_WATERMARK);
		vsensor_queue_write(q, VSN_Q_MASK, VSN_Q_IRQ_WATERMARK |
				    VSN_Q_IRQ_DMA_DONE);
	}
	mutex_unlock(&q->vdev->cfg_lock);
}

/* One busy-poll pass: drain what the FIFO holds now. */
int vsensor_queue_poll(struct vsensor_queue *q)
{
	int ret;

	vsensor_queue_drain_lock(q);
	ret = __vsensor_queue_drain(q, VSENSOR_Q_BATCH);
	vsensor_queue_drain_unlock(q);
	return ret < 0 ? ret : 0;
}

/* Called with vdev->cfg_lock held: the first session on the queue. */
void vsensor_queue_enable(struct vsensor_queue *q, u32 wm)
{
	lockdep_assert_held(&q->vdev->cfg_lock);
	vsensor_queue_drain_lock(q);
	q->nr_drained = 0;
	q->last_ts = 0;
	/*
	 * what the top half set aside for sessions that have all gone is
	 * nobody's, like the FIFO the enable below resets
	 */
	spin_lock_irq(&q->lock);
	q->stash_tail = q->stash_head;
	q->headroom_left = U32_MAX;
	spin_unlock_irq(&q->lock);
	vsensor_queue_drain_unlock(q);
	vsensor_queue_write(q, VSN_Q_WM, wm);
	vsensor_queue_write(q, VSN_Q_CTRL, VSN_Q_CTRL_ENABLE);
	vsensor_queue_write(q, VSN_Q_MASK, VSN_Q_IRQ_DMA_DONE |
			    (q->nr_pollers ? 0 : VSN_Q_IRQ_WATERMARK));
}

/* The last session left: no samples, no watermark interrupts. */
void vsensor_queue_disable(struct vsensor_queue *q)
{
	lockdep_assert_held(&q->vdev->cfg_lock);
	/* a transfer in flight still completes */
	vsensor_queue_write(q, VSN_Q_MASK, VSN_Q_IRQ_DMA_DONE);
	vsensor_queue_write(q, VSN_Q_CTRL, 0);
}

void vsensor_queue_set_wm(struct vsensor_queue *q, u32 wm)
{
	lockdep_assert_held(&q->vdev->cfg_lock);
	vsensor_queue_write(q, VSN_Q_WM, wm);
}

/*
 * The PIO/DMA crossover's two costs, each timed on the path the bottom half
 * takes. One record by PIO: the lock round trip and the record's register
 * reads (at probe the FIFO is empty, and reading Q_DATA then changes
 * nothing).
 */
u64 vsensor_queue_time_pio(struct vsensor_queue *q)
{
	struct vsensor_record rec;
	u64 t0 = ktime_get_ns();

	spin_lock_irq(&q->lock);
	__vsensor_queue_pio_one(q, &rec);
	spin_unlock_irq(&q->lock);
	return ktime_get_ns() - t0;
}

/*
 * One (empty) DMA transfer as vsensor_queue_fetch() starts it: descriptors
 * armed, doorbell, then asleep until the top half completes DMA_DONE.
 */
u64 vsensor_queue_time_dma(struct vsensor_queue *q)
{
	struct vsensor_record rec;
	u64 t0 = ktime_get_ns();

	spin_lock_irq(&q->lock);
	q->dma_active = true;
	spin_unlock_irq(&q->lock);
	vsensor_queue_dma(q, &rec, 1);
	return ktime_get_ns() - t0;
}

int vsensor_queue_init(struct vsensor_queue *q, struct vsensor_dev *vdev,
		       unsigned int index, struct vsensor_vec *vec)
{
	struct device *dev = vdev->misc.parent;
	int err;

	q->vdev = vdev;
	q->index = index;
	q->vec = vec;
	INIT_LIST_HEAD(&q->sessions);
	spin_lock_init(&q->lock);
	mutex_init(&q->drain_lock);
	init_waitqueue_head(&q->drain_wait);
	init_completion(&q->dma_done);
	q->stash_size = VSENSOR_STASH_MIN;
	q->headroom_left = U32_MAX;
	q->stash = vsensor_fault_alloc(kvcalloc(q->stash_size,
						sizeof(*q->stash), GFP_KERNEL));
	q->batch = kvcalloc(VSENSOR_Q_BATCH, sizeof(*q->batch), GFP_KERNEL);
	q->top_buf = kvcalloc(VSENSOR_Q_BATCH, sizeof(*q->top_buf),
			      GFP_KERNEL);
	if (!q->stash || !q->batch || !q->top_buf) {
		err = -ENOMEM;
		goto err_free;
	}
	err = vsensor_dma_create(&q->dma, dev, vdev);
	if (err)
		goto err_free;
	q->dma_capacity = min_t(u32, vsensor_dma_capacity(&q->dma),
				VSENSOR_Q_BATCH);
	vsensor_queue_write(q, VSN_Q_DESC_LO, lower_32_bits(q->dma.desc_iova));
	vsensor_queue_write(q, VSN_Q_DESC_HI, upper_32_bits(q->dma.desc_iova));
	vsensor_queue_write(q, VSN_Q_DESC_COUNT, q->dma.nr_bufs);
	vsensor_queue_write(q, VSN_Q_MASK, VSN_Q_IRQ_DMA_DONE);

	err = request_threaded_irq(vec->virq, vsensor_queue_irq,
				   vsensor_queue_thread, 0, vec->name, q);
	if (err)
		goto err_dma_destroy;
	/*
	 * spread the queues over the CPUs, as managed MSI-X affinity would,
	 * but as a hint: managed vectors (PCI_IRQ_AFFINITY) refuse writes to
	 * /proc/irq/N/smp_affinity_list, and steering must stay movable
	 */
	irq_set_affinity_and_hint(vec->virq,
				  cpumask_of(cpumask_local_spread(index,
								  NUMA_NO_NODE)));
	q->irq_requested = true;
	return 0;

err_dma_destroy:
	vsensor_queue_write(q, VSN_Q_MASK, 0);
	vsensor_dma_destroy(&q->dma);
err_free:
	kvfree(q->top_buf);
	kvfree(q->batch);
	kvfree(q->stash);
	q->top_buf = NULL;
	q->batch = NULL;
	q->stash = NULL;
	return err;
}

/*
 * Removal: no more draining (busy pollers see -ENODEV), no more interrupts,
 * then the DMA ring goes. The memory stays until the device's last put.
 */
void vsensor_queue_shutdown(struct vsensor_queue *q)
{
	if (!q->irq_requested)
		return;
	vsensor_queue_drain_lock(q);
	q->dead = true;
	vsensor_queue_drain_unlock(q);
	vsensor_queue_write(q, VSN_Q_CTRL, 0);
	vsensor_queue_write(q, VSN_Q_MASK, 0);
	/* flush the posted writes: the queue is stopped before its ring goes */
	vsensor_queue_read(q, VSN_Q_CTRL);
	irq_set_affinity_hint(q->vec->virq, NULL);
	free_irq(q->vec->virq, q);
	vsensor_dma_destroy(&q->dma);
	q->irq_requested = false;
}

void vsensor_queue_free(struct vsensor_queue *q)
{
	kvfree(q->top_buf);
	kvfree(q->batch);
	kvfree(q->stash);
}

/* Every queue of @vdev: created at probe, shut down at remove. */
void vsensor_dev_queues_shutdown(struct vsensor_dev *vdev)
{
	unsigned int i;

	for (i = vdev->nr_queues; i--; )
		vsensor_queue_shutdown(&vdev->queues[i]);
}

int vsensor_dev_queues_init(struct vsensor_dev *vdev)
{
	unsigned int i;
	int err;

	vdev->queues = vsensor_fault_alloc(kcalloc(vdev->nr_queues,
						   sizeof(*vdev->queues), GFP_KERNEL));
	if (!vdev->queues)
		return -ENOMEM;
	for (i = 0; i < vdev->nr_queues; i++) {
		err = vsensor_queue_init(&vdev->queues[i], vdev, i,
					 &vdev->vecs[i]);
		if (err) {
			vsensor_dev_queues_shutdown(vdev);
			return err;
		}
	}
	return 0;
}
