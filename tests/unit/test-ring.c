// SPDX-License-Identifier: GPL-2.0
/* Unit tests of kernel/ring.c, the session queue with overrun marking. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ring.h"
#include "unit.h"

#define SIZE 8

static struct vsensor_record buf[SIZE];
static struct vsensor_ring ring;

static void setup(void)
{
	ck_assert_int_eq(vsensor_ring_init(&ring, buf, SIZE), 0);
}

static void push_n(unsigned int n, int first_value)
{
	struct vsensor_record rec = { 0 };

	for (unsigned int i = 0; i < n; i++) {
		rec.value[0] = first_value + (int)i;
		vsensor_ring_push(&ring, &rec);
	}
}

/*
 * The consumer as the module's read() is (session.c copy_out): the two
 * spans copied out, then released. peek copies without releasing.
 */
static uint32_t peek(struct vsensor_record *out, uint32_t max)
{
	struct vsensor_ring_spans sp;
	uint32_t n = vsensor_ring_spans(&ring, max, &sp);

	ck_assert_uint_eq(sp.len[0] + sp.len[1], n);
	memcpy(out, sp.rec[0], sp.len[0] * sizeof(*out));
	memcpy(out + sp.len[0], sp.rec[1], sp.len[1] * sizeof(*out));
	return n;
}

static void consume(uint32_t max)
{
	struct vsensor_ring_spans sp;
	uint32_t n = vsensor_ring_spans(&ring, max, &sp);

	ck_assert(vsensor_ring_release(&ring, sp.tail, n));
}

START_TEST(test_init_rejects_bad_size)
{
	struct vsensor_ring r;

	ck_assert_int_eq(vsensor_ring_init(&r, buf, 0), -EINVAL);
	ck_assert_int_eq(vsensor_ring_init(&r, buf, 6), -EINVAL);
	ck_assert_int_eq(vsensor_ring_init(&r, NULL, 8), -EINVAL);
	ck_assert_int_eq(vsensor_ring_init(&r, buf, 1), 0);
}
END_TEST

/* The wrap splits the copy in two spans, in order, none past max. */
START_TEST(test_spans_wrap)
{
	struct vsensor_ring_spans sp;

	push_n(6, 0);
	consume(5);
	push_n(5, 6);		/* slots 5..7, then 0..2 */
	ck_assert_uint_eq(vsensor_ring_spans(&ring, SIZE, &sp), 6);
	ck_assert_uint_eq(sp.len[0], 3);
	ck_assert_uint_eq(sp.len[1], 3);
	ck_assert_ptr_eq(sp.rec[0], &buf[5]);
	ck_assert_ptr_eq(sp.rec[1], &buf[0]);
	ck_assert_int_eq(sp.rec[0][0].value[0], 5);
	ck_assert_int_eq(sp.rec[1][0].value[0], 8);
	ck_assert_uint_eq(sp.rec[1][2].seq, 10);
	/* bounded by max, all in the first span */
	ck_assert_uint_eq(vsensor_ring_spans(&ring, 2, &sp), 2);
	ck_assert_uint_eq(sp.len[0], 2);
	ck_assert_uint_eq(sp.len[1], 0);
	/* bounded by max across the wrap */
	ck_assert_uint_eq(vsensor_ring_spans(&ring, 4, &sp), 4);
	ck_assert_uint_eq(sp.len[0], 3);
	ck_assert_uint_eq(sp.len[1], 1);
	/* a stale tail (a flush came between) releases nothing */
	vsensor_ring_flush(&ring);
	ck_assert(!vsensor_ring_release(&ring, sp.tail, 4));
	ck_assert_uint_eq(vsensor_ring_spans(&ring, SIZE, &sp), 0);
	ck_assert_uint_eq(sp.len[0] + sp.len[1], 0);
}
END_TEST

START_TEST(test_fifo_order_and_numbering)
{
	struct vsensor_record out[SIZE];

	push_n(5, 100);
	ck_assert_uint_eq(vsensor_ring_count(&ring), 5);
	ck_assert_uint_eq(peek(out, SIZE), 5);
	for (int i = 0; i < 5; i++) {
		ck_assert_uint_eq(out[i].seq, i);
		ck_assert_int_eq(out[i].value[0], 100 + i);
		ck_assert_uint_eq(out[i].flags, 0);
	}
	/* peek does not consume */
	ck_assert_uint_eq(vsensor_ring_count(&ring), 5);
	consume(3);
	ck_assert_uint_eq(peek(out, 1), 1);
	ck_assert_uint_eq(out[0].seq, 3);
	/* consuming more than is queued stops at empty */
	consume(100);
	ck_assert_uint_eq(vsensor_ring_count(&ring), 0);
}
END_TEST

/*
 * The lockless reader's release: it moves tail by the records read from
 * the tail it saw, and fails, consuming nothing, if a flush moved it.
 */
START_TEST(test_release_after_reading_in_place)
{
	struct vsensor_record out[SIZE];
	u32 tail;

	push_n(5, 100);
	tail = ring.tail;
	ck_assert(vsensor_ring_release(&ring, tail, 2));
	ck_assert_uint_eq(vsensor_ring_count(&ring), 3);
	ck_assert_uint_eq(peek(out, 1), 1);
	ck_assert_uint_eq(out[0].seq, 2);
	/* a flush between the read and the release wins */
	tail = ring.tail;
	vsensor_ring_flush(&ring);
	ck_assert(!vsensor_ring_release(&ring, tail, 3));
	ck_assert_uint_eq(vsensor_ring_count(&ring), 0);
	ck_assert_uint_eq(ring.tail, ring.head);
	/* the freed slots take new records: a full ring again after SIZE */
	push_n(SIZE + 1, 0);
	ck_assert_uint_eq(vsensor_ring_count(&ring), SIZE);
	ck_assert_uint_eq(ring.dropped, 1);
	tail = ring.tail;
	ck_assert(vsensor_ring_release(&ring, tail, SIZE));
	ck_assert_uint_eq(vsensor_ring_count(&ring), 0);
}
END_TEST

/* Overrun: the marker sits on the first record after the gap. */
START_TEST(test_overrun_marks_the_gap)
{
	struct vsensor_record out[SIZE];

	push_n(SIZE + 3, 0);	/* 3 lost */
	ck_assert_uint_eq(ring.dropped, 3);
	ck_assert_uint_eq(ring.overruns, 1);
	ck_assert_uint_eq(peek(out, SIZE), SIZE);
	for (int i = 0; i < SIZE; i++)
		ck_assert_uint_eq(out[i].flags, 0);
	consume(2);
	push_n(1, 500);
	consume(SIZE - 2);
	ck_assert_uint_eq(peek(out, SIZE), 1);
	ck_assert_uint_eq(out[0].seq, SIZE + 3);	/* gap of 3 */
	ck_assert_uint_eq(out[0].flags, VSENSOR_RECORD_F_DROPPED);
	ck_assert_uint_eq(out[0].dropped, 3);
	ck_assert_int_eq(out[0].value[0], 500);
	/* a second overrun is a second event */
	push_n(SIZE + 1, 0);
	ck_assert_uint_eq(ring.overruns, 2);
	ck_assert_uint_eq(ring.dropped, 5);
}
END_TEST

START_TEST(test_skip_counts_as_loss)
{
	struct vsensor_record out[2];

	push_n(1, 0);
	vsensor_ring_skip(&ring, 4);
	vsensor_ring_skip(&ring, 0);
	push_n(1, 7);
	ck_assert_uint_eq(peek(out, 2), 2);
	ck_assert_uint_eq(out[1].seq, 5);
	ck_assert_uint_eq(out[1].dropped, 4);
	ck_assert_uint_eq(out[1].flags, VSENSOR_RECORD_F_DROPPED);
	ck_assert_uint_eq(ring.overruns, 1);
}
END_TEST

/* A flush gives the numbers back: gaps only ever mean loss. */
START_TEST(test_flush_rewinds_sequence)
{
	struct vsensor_record out[1];

	push_n(4, 0);
	consume(1);
	vsensor_ring_flush(&ring);
	ck_assert_uint_eq(vsensor_ring_count(&ring), 0);
	push_n(1, 0);
	ck_assert_uint_eq(peek(out, 1), 1);
	ck_assert_uint_eq(out[0].seq, 1);
	ck_assert_uint_eq(ring.dropped, 0);
}
END_TEST

START_TEST(test_mark_applies_once)
{
	struct vsensor_record out[2];

	vsensor_ring_mark(&ring, VSENSOR_RECORD_F_CONFIG);
	push_n(2, 0);
	ck_assert_uint_eq(peek(out, 2), 2);
	ck_assert_uint_eq(out[0].flags, VSENSOR_RECORD_F_CONFIG);
	ck_assert_uint_eq(out[1].flags, 0);
}
END_TEST

START_TEST(test_replace_keeps_counters)
{
	static struct vsensor_record big[32];
	struct vsensor_record out[1];

	push_n(SIZE + 2, 0);
	vsensor_ring_replace(&ring, big, 32);
	ck_assert_uint_eq(vsensor_ring_count(&ring), 0);
	ck_assert_uint_eq(ring.size, 32);
	push_n(1, 9);
	ck_assert_uint_eq(peek(out, 1), 1);
	/* 8 flushed numbers given back, 2 lost numbers kept */
	ck_assert_uint_eq(out[0].seq, 2);
	ck_assert_uint_eq(out[0].dropped, 2);
	ck_assert_uint_eq(ring.dropped, 2);
}
END_TEST

/* The input's own DROPPED bit never leaks through; other flags pass. */
START_TEST(test_input_flags)
{
	struct vsensor_record rec = { .flags = VSENSOR_RECORD_F_DROPPED |
					       VSENSOR_RECORD_F_INJECTED,
				      .dropped = 9 };
	struct vsensor_record out[1];

	vsensor_ring_push(&ring, &rec);
	ck_assert_uint_eq(peek(out, 1), 1);
	ck_assert_uint_eq(out[0].flags, VSENSOR_RECORD_F_INJECTED);
	ck_assert_uint_eq(out[0].dropped, 0);
}
END_TEST

START_TEST(test_wraparound)
{
	struct vsensor_record out[SIZE];

	for (int round = 0; round < 100; round++) {
		push_n(5, round * 5);
		ck_assert_uint_eq(peek(out, SIZE), 5);
		for (int i = 0; i < 5; i++) {
			ck_assert_uint_eq(out[i].seq, (unsigned int)(round * 5 + i));
			ck_assert_int_eq(out[i].value[0], round * 5 + i);
		}
		consume(5);
	}
	ck_assert_uint_eq(ring.dropped, 0);
}
END_TEST

/* The first record offered next, or UINT64_MAX if none is queued. */
static uint64_t next_seq_offered(void)
{
	struct vsensor_record out[1];

	return peek(out, 1) ? out[0].seq : UINT64_MAX;
}

/* Records read and lost by the reader come back while their slots hold. */
START_TEST(test_rewind_offers_read_records_again)
{
	struct vsensor_record out[SIZE];

	push_n(6, 100);
	consume(4);
	ck_assert_int_eq(vsensor_ring_rewind(&ring, 1), 0);
	ck_assert_uint_eq(vsensor_ring_count(&ring), 5);
	ck_assert_uint_eq(peek(out, SIZE), 5);
	for (int i = 0; i < 5; i++) {
		ck_assert_uint_eq(out[i].seq, 1 + i);
		ck_assert_int_eq(out[i].value[0], 101 + i);
	}
	/* a number not read yet, or past the end: nothing moves */
	ck_assert_int_eq(vsensor_ring_rewind(&ring, 3), 0);
	ck_assert_uint_eq(next_seq_offered(), 1);
	ck_assert_int_eq(vsensor_ring_rewind(&ring, 1000), 0);
	ck_assert_uint_eq(next_seq_offered(), 1);
	/* back to the very first record */
	ck_assert_int_eq(vsensor_ring_rewind(&ring, 0), 0);
	ck_assert_uint_eq(next_seq_offered(), 0);
	ck_assert_uint_eq(vsensor_ring_count(&ring), 6);
}
END_TEST

/* A slot the producer reused is gone: -ENODATA, and nothing moves. */
START_TEST(test_rewind_refuses_overwritten_records)
{
	push_n(SIZE, 0);
	consume(3);
	push_n(2, 50);		/* seq 8, 9 in the slots of 0 and 1 */
	ck_assert_int_eq(vsensor_ring_rewind(&ring, 1), -ENODATA);
	ck_assert_int_eq(vsensor_ring_rewind(&ring, 0), -ENODATA);
	ck_assert_uint_eq(next_seq_offered(), 3);
	ck_assert_int_eq(vsensor_ring_rewind(&ring, 2), 0);
	ck_assert_uint_eq(next_seq_offered(), 2);
	ck_assert_uint_eq(vsensor_ring_count(&ring), SIZE);
	/* the ring is full again: the producer counts the next one lost */
	push_n(1, 0);
	ck_assert_uint_eq(ring.dropped, 1);
}
END_TEST

/* A flush reuses the numbers it gives back: nothing before it returns. */
START_TEST(test_rewind_stops_at_a_flush)
{
	push_n(4, 0);
	consume(2);
	vsensor_ring_flush(&ring);	/* 2 and 3 given back */
	ck_assert_int_eq(vsensor_ring_rewind(&ring, 1), -ENODATA);
	ck_assert_int_eq(vsensor_ring_rewind(&ring, 2), 0);
	push_n(3, 10);			/* seq 2, 3, 4 */
	consume(3);
	ck_assert_int_eq(vsensor_ring_rewind(&ring, 1), -ENODATA);
	ck_assert_uint_eq(vsensor_ring_count(&ring), 0);
	ck_assert_int_eq(vsensor_ring_rewind(&ring, 2), 0);
	ck_assert_uint_eq(next_seq_offered(), 2);
	ck_assert_uint_eq(vsensor_ring_count(&ring), 3);
}
END_TEST

/* Numbers lost before a marked record count as present: it is offered. */
START_TEST(test_rewind_over_a_marked_gap)
{
	struct vsensor_record out[1];

	push_n(SIZE + 2, 0);		/* 0..7 queued, 8 and 9 lost */
	consume(SIZE);
	push_n(SIZE, 20);		/* 10 (marked, dropped 2) .. 17 */
	consume(SIZE);
	ck_assert_int_eq(vsensor_ring_rewind(&ring, 8), 0);
	ck_assert_uint_eq(peek(out, 1), 1);
	ck_assert_uint_eq(out[0].seq, 10);
	ck_assert_uint_eq(out[0].flags, VSENSOR_RECORD_F_DROPPED);
	ck_assert_uint_eq(out[0].dropped, 2);
	ck_assert_int_eq(vsensor_ring_rewind(&ring, 7), -ENODATA);
	ck_assert_uint_eq(vsensor_ring_count(&ring), SIZE);
}
END_TEST

/* After a replace only what the new buffer holds can come back. */
START_TEST(test_rewind_after_replace)
{
	static struct vsensor_record big[32];

	push_n(3, 0);
	consume(3);
	vsensor_ring_replace(&ring, big, 32);
	ck_assert_int_eq(vsensor_ring_rewind(&ring, 0), -ENODATA);
	push_n(2, 0);			/* seq 3, 4 */
	consume(2);
	ck_assert_int_eq(vsensor_ring_rewind(&ring, 3), 0);
	ck_assert_uint_eq(vsensor_ring_count(&ring), 2);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ring");
	TCase *tc = tcase_create("ring");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_init_rejects_bad_size);
	tcase_add_test(tc, test_spans_wrap);
	tcase_add_test(tc, test_fifo_order_and_numbering);
	tcase_add_test(tc, test_release_after_reading_in_place);
	tcase_add_test(tc, test_overrun_marks_the_gap);
	tcase_add_test(tc, test_skip_counts_as_loss);
	tcase_add_test(tc, test_flush_rewinds_sequence);
	tcase_add_test(tc, test_mark_applies_once);
	tcase_add_test(tc, test_replace_keeps_counters);
	tcase_add_test(tc, test_input_flags);
	tcase_add_test(tc, test_wraparound);
	tcase_add_test(tc, test_rewind_offers_read_records_again);
	tcase_add_test(tc, test_rewind_refuses_overwritten_records);
	tcase_add_test(tc, test_rewind_stops_at_a_flush);
	tcase_add_test(tc, test_rewind_over_a_marked_gap);
	tcase_add_test(tc, test_rewind_after_replace);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
