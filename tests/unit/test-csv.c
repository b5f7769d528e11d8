// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of lib/record.c: a record as a CSV line and the header naming its
 * columns, for vsensorctl read --format csv and vsensord's csv recordings.
 */
#include <check.h>
#include <errno.h>
#include <string.h>

#include <vsensor/vsensor.h>

#include "unit.h"

static const struct vsensor_record rec = {
	.seq = 18446744073709551615ULL,
	.timestamp_ns = 1234567890123ULL,
	.flags = VSENSOR_RECORD_F_DROPPED | VSENSOR_RECORD_F_CONFIG,
	.dropped = 4294967295U,
	.channel_mask = 0xff,
	.value = { 0, -1, 2147483647, -2147483647 - 1, 5, 6, 7, 8 },
};

START_TEST(test_header)
{
	char buf[128];

	ck_assert_int_eq(vsensor_record_csv_header(0x5, buf, sizeof(buf)), 39);
	ck_assert_str_eq(buf, "seq,timestamp_ns,flags,dropped,ch0,ch2\n");
	ck_assert_int_eq(vsensor_record_csv_header(0x80, buf, sizeof(buf)), 35);
	ck_assert_str_eq(buf, "seq,timestamp_ns,flags,dropped,ch7\n");
	ck_assert_int_eq(vsensor_record_csv_header(0, buf, sizeof(buf)), 31);
	ck_assert_str_eq(buf, "seq,timestamp_ns,flags,dropped\n");
	/* bits beyond the last channel name nothing */
	ck_assert_int_eq(vsensor_record_csv_header(0xffffff00, buf, sizeof(buf)), 31);
}
END_TEST

/* The columns of the mask given, not the record's own (it may differ). */
START_TEST(test_line)
{
	char buf[256];

	ck_assert_int_eq(vsensor_record_csv(&rec, 0x6, buf, sizeof(buf)),
			 (ssize_t)strlen(buf));
	ck_assert_str_eq(buf, "18446744073709551615,1234567890123,5,4294967295,-1,2147483647\n");
	ck_assert_int_gt(vsensor_record_csv(&rec, 0xff, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "18446744073709551615,1234567890123,5,4294967295,"
			      "0,-1,2147483647,-2147483648,5,6,7,8\n");
}
END_TEST

/* Too small a buffer: ENOSPC, never a cut line; the exact size fits. */
START_TEST(test_no_space)
{
	static const char whole[] = "18446744073709551615,1234567890123,5,4294967295,-1\n";
	char buf[sizeof(whole)];

	for (size_t len = 0; len < sizeof(whole); len++) {
		errno = 0;
		ck_assert_int_eq(vsensor_record_csv(&rec, 0x2, buf, len), -1);
		ck_assert_int_eq(errno, ENOSPC);
	}
	for (size_t len = 0; len < sizeof("seq,timestamp_ns,flags,dropped,ch1\n"); len++) {
		errno = 0;
		ck_assert_int_eq(vsensor_record_csv_header(0x2, buf, len), -1);
		ck_assert_int_eq(errno, ENOSPC);
	}
	ck_assert_int_eq(vsensor_record_csv_header(0x2, buf, 36), 35);
	ck_assert_int_eq(vsensor_record_csv(&rec, 0x2, buf, sizeof(whole)),
			 (ssize_t)sizeof(whole) - 1);
	ck_assert_str_eq(buf, whole);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("csv");
	TCase *tc = tcase_create("csv");

	tcase_add_test(tc, test_header);
	tcase_add_test(tc, test_line);
	tcase_add_test(tc, test_no_space);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
