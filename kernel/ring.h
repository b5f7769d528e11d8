/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A session's record queue: single producer (the interrupt bottom half),
 * single consumer (read()), power-of-two size. Loss is never silent: when the
 * queue is full the incoming record is dropped, its sequence number is still
 * consumed, and the next record that fits carries VSENSOR_RECORD_F_DROPPED
 * with the number lost, like evdev's SYN_DROPPED. Flushed records were
 * never offered, so a flush gives their sequence numbers back: a gap in the
 * numbers always means loss. Records already read stay in their slots
 * until the producer reuses them: a consumer that lost what it read (it
 * crashed before storing it) can rewind to them (vsensor_ring_rewind()).
 * Kernel-independent: the caller provides locking and storage.
 */
#ifndef _VSENSOR_RING_H
#define _VSENSOR_RING_H

#include "compat.h"
#include <linux/vsensor.h>

struct vsensor_ring {
	struct vsensor_record *buf;
	u32 size;		/* records, power of two */
	u32 head;		/* next slot to fill (free-running) */
	u32 tail;		/* next slot to read (free-running) */
	u32 floor;		/* first slot a rewind may return to */
	u32 pending_drop;	/* lost since the last record that fit */
	u32 next_flags;		/* VSENSOR_RECORD_F_* for the next record */
	u64 next_seq;		/* sequence number of the next record */
	u64 floor_seq;		/* no record below it is at or after floor */
	u64 dropped;		/* records lost, total */
	u64 overruns;		/* loss events, total (one marker each) */
};

int vsensor_ring_init(struct vsensor_ring *ring, struct vsensor_record *buf,
		      u32 size);
void vsensor_ring_flush(struct vsensor_ring *ring);
void vsensor_ring_replace(struct vsensor_ring *ring,
			  struct vsensor_record *buf, u32 size);
void vsensor_ring_mark(struct vsensor_ring *ring, u32 flags);
u32 vsensor_ring_count(const struct vsensor_ring *ring);
bool vsensor_ring_push(struct vsensor_ring *ring,
		       const struct vsensor_record *rec);
void vsensor_ring_skip(struct vsensor_ring *ring, u32 n);

/* what a consumer may copy out: two spans, the second after the wrap */
struct vsensor_ring_spans {
	const struct vsensor_record *rec[2];
	u32 len[2];
	u32 tail;		/* for vsensor_ring_release() */
};

u32 vsensor_ring_spans(const struct vsensor_ring *ring, u32 max,
		       struct vsensor_ring_spans *sp);
bool vsensor_ring_release(struct vsensor_ring *ring, u32 tail, u32 n);
int vsensor_ring_rewind(struct vsensor_ring *ring, u64 seq);

#endif /* _VSENSOR_RING_H */
