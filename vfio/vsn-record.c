// SPDX-License-Identifier: GPL-2.0
/*
 * Hardware records to struct vsensor_record, as the kernel driver makes
 * them, so that `--format raw` output reads as a session's: the decode of
 * a FIFO record (kernel/queue.c, __vsensor_queue_pio_one) or of a DMA
 * record (kernel/dma.c, vsensor_dma_decode), the device clock to
 * CLOCK_MONOTONIC and the plausibility check (queue.c,
 * vsensor_queue_check), then the session's numbering from 0 with a lost
 * sample consuming its number and marking the next record (ring.c,
 * vsensor_ring_push/skip). A session at the hardware rate takes every
 * sample, so the decimator (config.c) has nothing to do here.
 */
#include <string.h>

#include "vsn-vfio.h"

#define VSN_NSEC_PER_SEC	1000000000ULL
/* the kernel driver's internal flag for a flags word with unknown bits */
#define VSN_RECORD_F_BAD	(1U << 31)

void vsn_record_conv_init(struct vsn_record_conv *c, s64 clock_offset_ns,
			  u32 nr_channels, u32 rate_max_hz)
{
	memset(c, 0, sizeof(*c));
	c->clock_offset_ns = clock_offset_ns;
	c->nr_channels = nr_channels;
	c->rate_max_hz = rate_max_hz;
	c->next_flags = VSENSOR_RECORD_F_CONFIG;
}

static u32 vsn_record_flags(u32 hw_flags)
{
	u32 flags = 0;

	if (hw_flags & VSN_FIFO_FLAG_STIMULUS)
		flags = VSENSOR_RECORD_F_INJECTED;
	if (hw_flags & ~VSN_FIFO_FLAG_STIMULUS)
		flags |= VSN_RECORD_F_BAD;
	return flags;
}

static u32 vsn_channel_mask(u32 nr_channels)
{
	return nr_channels >= 32 ? ~0U : (1U << nr_channels) - 1;
}

/* @words: VSN_FIFO_HDR_WORDS + @nr_channels words popped from Q_DATA. */
void vsn_record_from_fifo(const u32 *words, u32 nr_channels,
			  struct vsensor_record *out)
{
	u32 ch;

	memset(out, 0, sizeof(*out));
	out->seq = words[VSN_FIFO_WORD_SEQ];
	out->flags = vsn_record_flags(words[VSN_FIFO_WORD_FLAGS]);
	out->timestamp_ns = (u64)words[VSN_FIFO_WORD_TS_HI] << 32 |
			    words[VSN_FIFO_WORD_TS_LO];
	for (ch = 0; ch < nr_channels; ch++)
		out->value[ch] = (s32)words[VSN_FIFO_HDR_WORDS + ch];
	out->channel_mask = vsn_channel_mask(nr_channels);
}

void vsn_record_from_dma(const struct vsn_dma_rec *in, u32 nr_channels,
			 struct vsensor_record *out)
{
	u32 ch;

	memset(out, 0, sizeof(*out));
	out->seq = le32toh(in->seq);
	out->flags = vsn_record_flags(le32toh(in->flags));
	out->timestamp_ns = le64toh(in->timestamp);
	for (ch = 0; ch < nr_channels; ch++)
		out->value[ch] = (s32)le32toh(in->value[ch]);
	out->channel_mask = vsn_channel_mask(nr_channels);
}

/* Can the hardware have sampled @rec after the previous one it gave? */
static bool vsn_record_valid(const struct vsn_record_conv *c,
			     const struct vsensor_record *rec, u64 now,
			     u32 *gap)
{
	u64 max_gap;

	*gap = 0;
	if ((rec->flags & VSN_RECORD_F_BAD) || rec->timestamp_ns > now)
		return false;
	if (!c->nr_drained)
		return true;
	if (rec->timestamp_ns < c->last_ts)
		return false;
	*gap = (u32)rec->seq - c->next_hw_seq;
	max_gap = (u64)((unsigned __int128)(rec->timestamp_ns - c->last_ts) *
			c->rate_max_hz / VSN_NSEC_PER_SEC) + 2;
	return *gap <= max_gap;
}

/*
 * @rec from vsn_record_from_*(), its seq the hardware's: converted in
 * place to what a session reads. Returns false for a record that cannot
 * be (counted in @c->bad; the kernel drops it the same way).
 */
bool vsn_record_convert(struct vsn_record_conv *c, struct vsensor_record *rec,
			u64 now_ns)
{
	u32 gap;

	rec->timestamp_ns += (u64)c->clock_offset_ns;
	if (!vsn_record_valid(c, rec, now_ns, &gap)) {
		c->bad++;
		return false;
	}
	c->next_hw_seq = (u32)rec->seq + 1;
	c->last_ts = rec->timestamp_ns;
	c->nr_drained++;
	/* the session's numbering: a lost sample consumes its number */
	c->next_seq += gap;
	c->lost += gap;
	rec->seq = c->next_seq++;
	rec->flags |= c->next_flags;
	c->next_flags = 0;
	rec->dropped = 0;
	if (gap) {
		rec->flags |= VSENSOR_RECORD_F_DROPPED;
		rec->dropped = gap;
	}
	return true;
}
