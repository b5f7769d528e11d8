// SPDX-License-Identifier: GPL-2.0
/* Tests of lib/gap.c: where a record stream lost records, and how many. */
#include <check.h>

#include <vsensor/vsensor.h>

#include "unit.h"

static struct vsensor_gap *gap;

static void setup(void)
{
	gap = vsensor_gap_new();
	ck_assert_ptr_nonnull(gap);
}

static void teardown(void)
{
	vsensor_gap_free(gap);
}

static uint64_t check(uint64_t seq, uint32_t dropped)
{
	struct vsensor_record rec = {
		.seq = seq,
		.flags = dropped ? VSENSOR_RECORD_F_DROPPED : 0,
		.dropped = dropped,
	};

	return vsensor_gap_check(gap, &rec);
}

START_TEST(test_no_loss)
{
	for (uint64_t seq = 0; seq < 100; seq++)
		ck_assert_uint_eq(check(seq, 0), 0);
	ck_assert_uint_eq(vsensor_gap_get_lost(gap), 0);
	ck_assert_uint_eq(vsensor_gap_get_gaps(gap), 0);
}
END_TEST

/* Each gap reported at the record after it, with its length. */
START_TEST(test_gaps)
{
	ck_assert_uint_eq(check(0, 0), 0);
	ck_assert_uint_eq(check(1, 0), 0);
	ck_assert_uint_eq(check(5, 3), 3);
	ck_assert_uint_eq(check(6, 0), 0);
	ck_assert_uint_eq(check(7, 0), 0);
	ck_assert_uint_eq(check(1007, 1000), 999);	/* seq decides */
	ck_assert_uint_eq(check(1008, 0), 0);
	ck_assert_uint_eq(vsensor_gap_get_lost(gap), 1002);
	ck_assert_uint_eq(vsensor_gap_get_gaps(gap), 2);
}
END_TEST

/* Joining mid-stream: only the first record's own count is known. */
START_TEST(test_first_record)
{
	ck_assert_uint_eq(check(40, 0), 0);
	ck_assert_uint_eq(check(41, 0), 0);
	vsensor_gap_reset(gap);
	ck_assert_uint_eq(check(9, 4), 4);
	ck_assert_uint_eq(check(12, 2), 2);
	ck_assert_uint_eq(vsensor_gap_get_lost(gap), 6);
	ck_assert_uint_eq(vsensor_gap_get_gaps(gap), 2);
}
END_TEST

/* Records offered again (VSENSOR_IOC_REWIND) lose nothing. */
START_TEST(test_rewind)
{
	for (uint64_t seq = 0; seq < 10; seq++)
		check(seq, 0);
	ck_assert_uint_eq(check(4, 0), 0);
	ck_assert_uint_eq(check(5, 0), 0);
	ck_assert_uint_eq(check(8, 0), 2);	/* a gap after the rewind */
	ck_assert_uint_eq(vsensor_gap_get_lost(gap), 2);
	ck_assert_uint_eq(vsensor_gap_get_gaps(gap), 1);
}
END_TEST

START_TEST(test_extremes)
{
	ck_assert_uint_eq(check(0, 0), 0);
	ck_assert_uint_eq(check(UINT64_MAX - 1, 0), UINT64_MAX - 2);
	ck_assert_uint_eq(check(UINT64_MAX, 0), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("gap");
	TCase *tc = tcase_create("gap");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_no_loss);
	tcase_add_test(tc, test_gaps);
	tcase_add_test(tc, test_first_record);
	tcase_add_test(tc, test_rewind);
	tcase_add_test(tc, test_extremes);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
