// SPDX-License-Identifier: GPL-2.0
/*
 * Delivery into a session, the consumer end of the data path: the queue's
 * fan-out hands each running session a batch of hardware samples (in
 * interrupt context, the device lock held); the session keeps its share
 * (decimation to its rate, its channels, its clock), counts what its ring
 * loses, and its readers are woken at the watermark or at what a sleeping
 * read() asked for. session.c is the reader's end of the same ring.
 */
#include <linux/poll.h>
#include <linux/timekeeping.h>

#include "vsensor.h"
#include "trace.h"

/* Hardware timestamps are CLOCK_MONOTONIC; convert to the session's clock. */
static u64 vsensor_session_time(u32 clock_id, u64 mono_ns)
{
	switch (clock_id) {
	case VSENSOR_CLOCK_REALTIME:
		return ktime_mono_to_any(mono_ns, TK_OFFS_REAL);
	case VSENSOR_CLOCK_BOOTTIME:
		return ktime_mono_to_any(mono_ns, TK_OFFS_BOOT);
	default:
		return mono_ns;
	}
}

/* A loss event began (any context, under s->lock): trace and notify. */
static void vsensor_session_overrun(struct vsensor_session *s)
{
	trace_vsensor_overrun(s->vdev->info.id, s->id, s->ring.dropped);
	vsensor_notify_overrun(s->vdev, s->id);
}

/*
 * One hardware sample; @rec->dropped says the hardware lost samples just
 * before it. Keeps this session's share (decimation), in its clock and
 * channels.
 */
static void __vsensor_session_deliver(struct vsensor_session *s,
				      const struct vsensor_record *rec)
{
	const struct vsensor_config *cfg = &s->config;
	struct vsensor_record out;
	u64 missed;
	u32 ch;

	lockdep_assert_held(&s->lock);
	if (!vsensor_decim_step(&s->decim, rec->timestamp_ns, cfg->rate_hz,
				&missed))
		return;
	/* due times with no sample only mean loss if the hardware lost some */
	if (missed && rec->dropped)
		vsensor_ring_skip(&s->ring, (u32)min_t(u64, missed, U32_MAX));
	out = *rec;
	out.timestamp_ns = vsensor_session_time(cfg->clock_id,
						rec->timestamp_ns);
	out.channel_mask = rec->channel_mask & cfg->channel_mask;
	for (ch = 0; ch < VSENSOR_MAX_CHANNELS; ch++)
		if (!(out.channel_mask & BIT(ch)))
			out.value[ch] = 0;
	vsensor_ring_push(&s->ring, &out);
}

/*
 * Called by the data path with the device lock held (interrupts off), for
 * a batch of hardware samples: one lock round trip per batch, and one
 * overrun event at most.
 */
void vsensor_session_deliver(struct vsensor_session *s,
			     const struct vsensor_record *recs, u32 n)
{
	u64 overruns;
	u32 i;

	lockdep_assert_held(&s->vdev->lock);
	spin_lock(&s->lock);
	if (s->revoked)
		goto out_unlock;
	overruns = s->ring.overruns;
	for (i = 0; i < n; i++)
		__vsensor_session_deliver(s, &recs[i]);
	if (s->ring.overruns != overruns)
		vsensor_session_overrun(s);
out_unlock:
	spin_unlock(&s->lock);
}

/*
 * After a batch of deliveries: wake the readers once the watermark is
 * reached, or as many records as a sleeping read() asked for if fewer
 * (SIGIO only at the watermark, as poll() reports it).
 */
void vsensor_session_notify(struct vsensor_session *s)
{
	bool mark, wake;
	u32 count;

	spin_lock(&s->lock);
	count = vsensor_ring_count(&s->ring);
	mark = count >= s->config.watermark;
	wake = mark || count >= s->wake_want;
	if (wake)
		s->wakeups++;
	spin_unlock(&s->lock);
	if (wake)
		wake_up_interruptible_poll(&s->wait, EPOLLIN | EPOLLRDNORM);
	if (mark)
		kill_fasync(&s->fasync, SIGIO, POLL_IN);
}
