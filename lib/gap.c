/*
 * libvsensor: where a session's record stream lost records, as libevdev
 * reports SYN_DROPPED. A lost record still consumed its sequence number
 * (docs/uapi.md), so a jump in seq is exactly how many were lost there.
 */
#include <stdlib.h>

#include "internal.h"

struct vsensor_gap {
	int started;
	uint64_t next_seq;	/* the seq the next record should have */
	uint64_t lost;
	uint64_t gaps;
};

struct vsensor_gap *vsensor_gap_new(void)
{
	return calloc(1, sizeof(struct vsensor_gap));
}

void vsensor_gap_free(struct vsensor_gap *gap)
{
	free(gap);
}

void vsensor_gap_reset(struct vsensor_gap *gap)
{
	gap->started = 0;
}

uint64_t vsensor_gap_check(struct vsensor_gap *gap,
			   const struct vsensor_record *rec)
{
	uint64_t lost = 0;

	if (!gap->started) {
		/* the first record: only its own flag can say what came before */
		if (rec->flags & VSENSOR_RECORD_F_DROPPED)
			lost = rec->dropped;
	} else if (rec->seq > gap->next_seq) {
		lost = rec->seq - gap->next_seq;
	}
	/* a seq below the next (VSENSOR_IOC_REWIND) is offered again: no loss */
	gap->started = 1;
	gap->next_seq = rec->seq + 1;
	gap->lost += lost;
	gap->gaps += lost != 0;
	return lost;
}

uint64_t vsensor_gap_get_lost(const struct vsensor_gap *gap)
{
	return gap->lost;
}

uint64_t vsensor_gap_get_gaps(const struct vsensor_gap *gap)
{
	return gap->gaps;
}
