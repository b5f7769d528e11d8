// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of vfio/vsn-record.c: the userspace driver turns hardware
 * records into struct vsensor_record exactly as the kernel driver does
 * (the decode of kernel/queue.c and kernel/dma.c, the clock offset and
 * plausibility check of queue.c, the numbering of ring.c).
 */
#include <check.h>
#include <string.h>

#include "vsn-vfio.h"
#include "unit.h"

#define NCH		4
#define RATE_MAX	100000
#define OFFSET		1000000000LL	/* device clock + 1 s = monotonic */
#define NOW		(10ULL * 1000000000ULL)
#define PERIOD		1000000ULL	/* 1 kHz */

static struct vsn_record_conv conv;

static void setup(void)
{
	vsn_record_conv_init(&conv, OFFSET, NCH, RATE_MAX);
}

/* A hardware record as PIO reads it: seq, flags, ts, values seq*10+ch. */
static void fifo_rec(u32 seq, u32 flags, u64 ts, struct vsensor_record *out)
{
	u32 w[VSN_FIFO_HDR_WORDS + NCH] = {
		seq, flags, (u32)ts, (u32)(ts >> 32),
	};
	u32 ch;

	for (ch = 0; ch < NCH; ch++)
		w[VSN_FIFO_HDR_WORDS + ch] = (u32)(-(s32)(seq * 10 + ch));
	vsn_record_from_fifo(w, NCH, out);
}

START_TEST(test_fifo_decode)
{
	struct vsensor_record r;

	memset(&r, 0xff, sizeof(r));
	fifo_rec(7, VSN_FIFO_FLAG_STIMULUS, 0x100000002ULL, &r);
	ck_assert_uint_eq(r.seq, 7);
	ck_assert_uint_eq(r.flags, VSENSOR_RECORD_F_INJECTED);
	ck_assert_uint_eq(r.timestamp_ns, 0x100000002ULL);
	ck_assert_uint_eq(r.channel_mask, 0xf);
	ck_assert_int_eq(r.value[0], -70);
	ck_assert_int_eq(r.value[3], -73);
	ck_assert_int_eq(r.value[4], 0);	/* zeroed beyond the channels */
	ck_assert_uint_eq(r.dropped, 0);
	ck_assert_uint_eq(r.reserved, 0);
}
END_TEST

START_TEST(test_dma_decode_equals_fifo)
{
	struct vsensor_record a, b;
	struct vsn_dma_rec d;
	u32 ch;

	memset(&d, 0, sizeof(d));
	d.seq = htole32(7);
	d.flags = htole32(VSN_FIFO_FLAG_STIMULUS);
	d.timestamp = htole64(0x100000002ULL);
	for (ch = 0; ch < NCH; ch++)
		d.value[ch] = htole32((u32)(-(s32)(70 + ch)));
	vsn_record_from_dma(&d, NCH, &a);
	fifo_rec(7, VSN_FIFO_FLAG_STIMULUS, 0x100000002ULL, &b);
	ck_assert_mem_eq(&a, &b, sizeof(a));
}
END_TEST

START_TEST(test_numbering_from_zero_config_then_plain)
{
	struct vsensor_record r;
	u32 i;

	for (i = 0; i < 3; i++) {
		fifo_rec(500 + i, 0, 1000 + i * PERIOD, &r);
		ck_assert(vsn_record_convert(&conv, &r, NOW));
		ck_assert_uint_eq(r.seq, i);
		ck_assert_uint_eq(r.timestamp_ns, OFFSET + 1000 + i * PERIOD);
		ck_assert_uint_eq(r.flags, i ? 0 : VSENSOR_RECORD_F_CONFIG);
	}
	ck_assert_uint_eq(conv.lost, 0);
	ck_assert_uint_eq(conv.bad, 0);
}
END_TEST

START_TEST(test_hardware_loss_consumes_numbers)
{
	struct vsensor_record r;

	fifo_rec(10, 0, 1000, &r);
	ck_assert(vsn_record_convert(&conv, &r, NOW));
	fifo_rec(14, 0, 1000 + 4 * PERIOD, &r);	/* 11..13 lost */
	ck_assert(vsn_record_convert(&conv, &r, NOW));
	ck_assert_uint_eq(r.seq, 4);
	ck_assert_uint_eq(r.flags, VSENSOR_RECORD_F_DROPPED);
	ck_assert_uint_eq(r.dropped, 3);
	ck_assert_uint_eq(conv.lost, 3);
	fifo_rec(15, 0, 1000 + 5 * PERIOD, &r);
	ck_assert(vsn_record_convert(&conv, &r, NOW));
	ck_assert_uint_eq(r.seq, 5);
	ck_assert_uint_eq(r.flags, 0);
}
END_TEST

START_TEST(test_impossible_records_dropped)
{
	struct vsensor_record r;

	fifo_rec(10, 0, 5 * PERIOD, &r);
	ck_assert(vsn_record_convert(&conv, &r, NOW));
	fifo_rec(11, 0x80, 6 * PERIOD, &r);		/* unknown flag bit */
	ck_assert(!vsn_record_convert(&conv, &r, NOW));
	fifo_rec(11, 0, NOW, &r);			/* ahead of now */
	ck_assert(!vsn_record_convert(&conv, &r, NOW));
	fifo_rec(11, 0, 4 * PERIOD, &r);		/* behind the last */
	ck_assert(!vsn_record_convert(&conv, &r, NOW));
	fifo_rec(1000, 0, 6 * PERIOD, &r);		/* more than 1 ms allows */
	ck_assert(!vsn_record_convert(&conv, &r, NOW));
	ck_assert_uint_eq(conv.bad, 4);
	fifo_rec(11, 0, 6 * PERIOD, &r);
	ck_assert(vsn_record_convert(&conv, &r, NOW));
	ck_assert_uint_eq(r.seq, 1);
	ck_assert_uint_eq(r.dropped, 0);
}
END_TEST

static Suite *vfio_record_suite(void)
{
	Suite *s = suite_create("vfio-record");
	TCase *tc = tcase_create("record");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_fifo_decode);
	tcase_add_test(tc, test_dma_decode_equals_fifo);
	tcase_add_test(tc, test_numbering_from_zero_config_then_plain);
	tcase_add_test(tc, test_hardware_loss_consumes_numbers);
	tcase_add_test(tc, test_impossible_records_dropped);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return unit_run(vfio_record_suite());
}
