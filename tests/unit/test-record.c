/*
 * Tests of cli/record.c: one record as a line of text and as a JSON object,
 * with flags (drop markers first of all), channel masks and extreme values.
 */
#include <check.h>
#include <stdint.h>

#include "capture.h"
#include "vsensorctl.h"
#include "unit.h"

static const struct vsensor_record plain = {
	.seq = 12,
	.timestamp_ns = 1234567890123ULL,
	.channel_mask = 0x3,
	.value = { 123, -45, 999, 999 },	/* 2 and 3 not in the mask */
};

static const char *record_as(bool json, const struct vsensor_record *record)
{
	capture_start(json, false);
	print_record(record);
	return capture_end();
}

START_TEST(test_plain_text)
{
	ck_assert_str_eq(record_as(false, &plain),
			 "seq 12 ts 1234.567890123 flags - ch0 123 ch1 -45\n");
}
END_TEST

START_TEST(test_plain_json)
{
	ck_assert_str_eq(record_as(true, &plain),
			 "{\"seq\":12,\"timestamp_ns\":1234567890123,\"flags\":[],"
			 "\"dropped\":0,\"values\":{\"0\":123,\"1\":-45}}\n");
}
END_TEST

static const struct vsensor_record dropped = {
	.seq = 20,
	.timestamp_ns = 5,
	.flags = VSENSOR_RECORD_F_DROPPED | VSENSOR_RECORD_F_CONFIG,
	.channel_mask = 0x1,
	.dropped = 3,
	.value = { 7 },
};

START_TEST(test_dropped_text)
{
	ck_assert_str_eq(record_as(false, &dropped),
			 "seq 20 ts 0.000000005 flags dropped(3),config ch0 7\n");
}
END_TEST

START_TEST(test_dropped_json)
{
	ck_assert_str_eq(record_as(true, &dropped),
			 "{\"seq\":20,\"timestamp_ns\":5,\"flags\":[\"dropped\",\"config\"],"
			 "\"dropped\":3,\"values\":{\"0\":7}}\n");
}
END_TEST

/* Every known flag in table order, then unknown bits in hex. */
static const struct vsensor_record all_flags = {
	.flags = 0x37,
	.dropped = 1,
	.channel_mask = 0,
};

START_TEST(test_all_flags_text)
{
	ck_assert_str_eq(record_as(false, &all_flags),
			 "seq 0 ts 0.000000000 flags dropped(1),injected,config,0x30\n");
}
END_TEST

START_TEST(test_all_flags_json)
{
	ck_assert_str_eq(record_as(true, &all_flags),
			 "{\"seq\":0,\"timestamp_ns\":0,"
			 "\"flags\":[\"dropped\",\"injected\",\"config\",\"0x30\"],"
			 "\"dropped\":1,\"values\":{}}\n");
}
END_TEST

static const struct vsensor_record unknown_only = {
	.seq = 1,
	.flags = 0x80000000,
	.channel_mask = 0x4,
	.value = { 0, 0, -1 },
};

START_TEST(test_unknown_flag_only)
{
	ck_assert_str_eq(record_as(false, &unknown_only),
			 "seq 1 ts 0.000000000 flags 0x80000000 ch2 -1\n");
}
END_TEST

/* Channels 0 and 7, the extremes of s32 and u64; mask bits past 7 ignored. */
static const struct vsensor_record extremes = {
	.seq = UINT64_MAX,
	.timestamp_ns = UINT64_MAX,
	.channel_mask = 0xffffff81,
	.value = { INT32_MIN, 1, 2, 3, 4, 5, 6, INT32_MAX },
};

START_TEST(test_extremes_text)
{
	ck_assert_str_eq(record_as(false, &extremes),
			 "seq 18446744073709551615 ts 18446744073.709551615 flags - "
			 "ch0 -2147483648 ch7 2147483647\n");
}
END_TEST

START_TEST(test_extremes_json)
{
	ck_assert_str_eq(record_as(true, &extremes),
			 "{\"seq\":18446744073709551615,"
			 "\"timestamp_ns\":18446744073709551615,\"flags\":[],"
			 "\"dropped\":0,"
			 "\"values\":{\"0\":-2147483648,\"7\":2147483647}}\n");
}
END_TEST

/* What `vsensorctl -j read` prints: one array of records. */
START_TEST(test_records_in_array)
{
	capture_start(true, false);
	print_open_array(NULL);
	print_record(&plain);
	print_record(&dropped);
	print_close_array();
	ck_assert_str_eq(capture_end(),
			 "[{\"seq\":12,\"timestamp_ns\":1234567890123,\"flags\":[],"
			 "\"dropped\":0,\"values\":{\"0\":123,\"1\":-45}},"
			 "{\"seq\":20,\"timestamp_ns\":5,\"flags\":[\"dropped\",\"config\"],"
			 "\"dropped\":3,\"values\":{\"0\":7}}]\n");
}
END_TEST

START_TEST(test_records_text_lines)
{
	capture_start(false, false);
	print_open_array(NULL);
	print_record(&plain);
	print_record(&dropped);
	print_close_array();
	ck_assert_str_eq(capture_end(),
			 "seq 12 ts 1234.567890123 flags - ch0 123 ch1 -45\n"
			 "seq 20 ts 0.000000005 flags dropped(3),config ch0 7\n");
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("record");
	TCase *tc = tcase_create("record");

	tcase_add_checked_fixture(tc, NULL, capture_free);
	tcase_add_test(tc, test_plain_text);
	tcase_add_test(tc, test_plain_json);
	tcase_add_test(tc, test_dropped_text);
	tcase_add_test(tc, test_dropped_json);
	tcase_add_test(tc, test_all_flags_text);
	tcase_add_test(tc, test_all_flags_json);
	tcase_add_test(tc, test_unknown_flag_only);
	tcase_add_test(tc, test_extremes_text);
	tcase_add_test(tc, test_extremes_json);
	tcase_add_test(tc, test_records_in_array);
	tcase_add_test(tc, test_records_text_lines);
	suite_add_tcase(suite, tc);

	return unit_run(suite);
}
