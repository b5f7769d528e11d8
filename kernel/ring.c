// SPDX-License-Identifier: GPL-2.0
/*
 * Session record queue with explicit overrun marking (see ring.h).
 * Compiled into vsensor.ko and into the host unit tests.
 */
#include "ring.h"

int vsensor_ring_init(struct vsensor_ring *ring, struct vsensor_record *buf,
		      u32 size)
{
	if (!buf || !is_power_of_2(size))
		return -EINVAL;
	memset(ring, 0, sizeof(*ring));
	ring->buf = buf;
	ring->size = size;
	return 0;
}

/*
 * Discard queued records and give their sequence numbers back. A lockless
 * reader may be releasing records meanwhile: its cmpxchg then fails.
 */
void vsensor_ring_flush(struct vsensor_ring *ring)
{
	ring->next_seq -= vsensor_ring_count(ring);
	WRITE_ONCE(ring->tail, ring->head);
	/* the numbers given back are reused: nothing before may come back */
	ring->floor = ring->head;
	ring->floor_seq = ring->next_seq;
}

/* Flush, then continue in @buf of @size records; counters carry over. */
void vsensor_ring_replace(struct vsensor_ring *ring,
			  struct vsensor_record *buf, u32 size)
{
	vsensor_ring_flush(ring);
	ring->buf = buf;
	ring->size = size;
	ring->head = 0;
	ring->tail = 0;
	ring->floor = 0;
	ring->floor_seq = ring->next_seq;
}

/* OR @flags into the next record queued (for example after a reconfig). */
void vsensor_ring_mark(struct vsensor_ring *ring, u32 flags)
{
	ring->next_flags |= flags;
}

u32 vsensor_ring_count(const struct vsensor_ring *ring)
{
	/* the producer's view: head is its own, tail the reader's */
	return ring->head - READ_ONCE(ring->tail);
}

/*
 * Queue a copy of @rec, numbering it. Returns false when the queue is full:
 * the record is counted as dropped and the next one that fits is marked.
 */
bool vsensor_ring_push(struct vsensor_ring *ring,
		       const struct vsensor_record *rec)
{
	struct vsensor_record *slot;

	/* acquire: pairs with vsensor_ring_release(), the slot was read */
	if (ring->head - smp_load_acquire(&ring->tail) == ring->size) {
		vsensor_ring_skip(ring, 1);
		return false;
	}

	slot = &ring->buf[ring->head & (ring->size - 1)];
	*slot = *rec;
	slot->seq = ring->next_seq++;
	slot->flags = (rec->flags & ~VSENSOR_RECORD_F_DROPPED) | ring->next_flags;
	slot->dropped = 0;
	ring->next_flags = 0;
	if (ring->pending_drop) {
		slot->flags |= VSENSOR_RECORD_F_DROPPED;
		slot->dropped = ring->pending_drop;
		ring->pending_drop = 0;
	}
	/* publish the filled slot to a lockless consumer */
	smp_store_release(&ring->head, ring->head + 1);
	return true;
}

/*
 * Account @n records that were lost before they reached this queue (for
 * example in an overflowing hardware FIFO): they consume sequence numbers
 * and the next record that fits is marked, exactly as for a full queue.
 */
void vsensor_ring_skip(struct vsensor_ring *ring, u32 n)
{
	if (!n)
		return;
	if (!ring->pending_drop)
		ring->overruns++;
	ring->pending_drop += n;
	ring->dropped += n;
	ring->next_seq += n;
}

/*
 * The consumer's view of the queue: up to @max records from the tail, as
 * at most two spans of slots (the second one after the wrap). They stay
 * the consumer's to copy until it gives them back with
 * vsensor_ring_release(ring, sp->tail, n); a producer running meanwhile
 * only fills slots past them. Returns n, the records in both spans.
 */
u32 vsensor_ring_spans(const struct vsensor_ring *ring, u32 max,
		       struct vsensor_ring_spans *sp)
{
	u32 tail = READ_ONCE(ring->tail);
	u32 idx = tail & (ring->size - 1);
	/* acquire: the slots up to head are filled (vsensor_ring_push()) */
	u32 n = smp_load_acquire(&ring->head) - tail;

	if (n > max)
		n = max;
	sp->tail = tail;
	sp->rec[0] = &ring->buf[idx];
	sp->len[0] = n < ring->size - idx ? n : ring->size - idx;
	sp->rec[1] = ring->buf;
	sp->len[1] = n - sp->len[0];
	return n;
}

/*
 * The lockless consumer's release of @n records it read in place from
 * @tail: one atomic step, no lock. Fails (returns false, consumes nothing)
 * if the tail moved meanwhile, i.e. a flush under the producer's lock
 * emptied the queue. Fully ordered: the reads of the slots complete
 * before the producer can see them free.
 */
bool vsensor_ring_release(struct vsensor_ring *ring, u32 tail, u32 n)
{
	return cmpxchg(&ring->tail, tail, tail + n) == tail;
}

/*
 * Offer again the records from sequence number @seq on that were already
 * read, while their slots still hold them (the producer has not reused
 * them, no flush came between). Records lost on the way (the marked gaps)
 * count as present: they were never there to read. Returns 0 (the tail
 * moves back, or stays when nothing from @seq on was read) or -ENODATA
 * when some of them are gone; then nothing moves. The caller excludes
 * both the producer and the consumer.
 */
int vsensor_ring_rewind(struct vsensor_ring *ring, u64 seq)
{
	u32 mask = ring->size - 1;
	u32 lo = ring->head - ring->size;	/* the oldest slot still whole */
	u32 t = ring->tail;
	u64 first;

	if ((s32)(ring->floor - lo) > 0)
		lo = ring->floor;
	while (t != lo && ring->buf[(t - 1) & mask].seq >= seq)
		t--;
	if (t == lo) {
		/*
		 * No slot before @seq is left to show that nothing is missing:
		 * the oldest record there is tells from where on all are.
		 */
		const struct vsensor_record *rec = &ring->buf[lo & mask];

		if (lo == ring->floor)
			first = ring->floor_seq;
		else if (rec->flags & VSENSOR_RECORD_F_DROPPED)
			first = rec->seq - rec->dropped;
		else
			first = rec->seq;
		if (seq < first)
			return -ENODATA;
	}
	WRITE_ONCE(ring->tail, t);
	return 0;
}
