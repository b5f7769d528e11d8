/*
 * Tests of lib/number.c, the one number parser of the library and of
 * vsensorctl: what it accepts, what it rejects and with which errno, and
 * that the device arguments, the netlink settings and vsensorctl's options
 * all go through it (the same rule for a leading zero everywhere).
 */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include <vsensor/vsensor.h>
#include "unit.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define UNTOUCHED	12345

static const struct good_number {
	const char *str;
	uint64_t min, max, val;
} good_numbers[] = {
	{ "0", 0, 10, 0 },
	{ "10", 0, 10, 10 },
	{ "1", 1, UINT64_MAX, 1 },
	{ "18446744073709551615", 0, UINT64_MAX, UINT64_MAX },
	{ "2147483647", 0, 2147483647, 2147483647 },
	{ "4294967295", 0, UINT32_MAX, UINT32_MAX },
};

static const struct bad_number {
	const char *str;
	uint64_t min, max;
	int err;
} bad_numbers[] = {
	{ NULL, 0, 10, EINVAL },
	{ "", 0, 10, EINVAL },
	{ "-1", 0, 10, EINVAL },
	{ "+1", 0, 10, EINVAL },
	{ " 1", 0, 10, EINVAL },
	{ "1 ", 0, 10, EINVAL },
	{ "1\n", 0, 10, EINVAL },
	{ "1x", 0, 10, EINVAL },
	{ "0x10", 0, 100, EINVAL },
	{ "1.5", 0, 10, EINVAL },
	{ "007", 0, 10, EINVAL },
	{ "00", 0, 10, EINVAL },
	{ "01", 0, 10, EINVAL },
	{ "11", 0, 10, ERANGE },
	{ "0", 1, 10, ERANGE },
	{ "2147483648", 0, 2147483647, ERANGE },
	{ "4294967296", 0, UINT32_MAX, ERANGE },
	{ "18446744073709551616", 0, UINT64_MAX, ERANGE },
	{ "99999999999999999999999999", 0, UINT64_MAX, ERANGE },
};

START_TEST(test_parse_good)
{
	const struct good_number *t = &good_numbers[_i];
	uint64_t val = UNTOUCHED;

	ck_assert_int_eq(vsensor_parse_u64(t->str, t->min, t->max, &val), 0);
	ck_assert_uint_eq(val, t->val);
}
END_TEST

START_TEST(test_parse_bad)
{
	const struct bad_number *t = &bad_numbers[_i];
	uint64_t val = UNTOUCHED;

	errno = 0;
	ck_assert_int_eq(vsensor_parse_u64(t->str, t->min, t->max, &val), -1);
	ck_assert_int_eq(errno, t->err);
	ck_assert_uint_eq(val, UNTOUCHED);
}
END_TEST

/* The callers agree: a leading zero is refused by each of them. */
START_TEST(test_callers_agree)
{
	struct vsensor_nl_setting set = { 0, UNTOUCHED };
	unsigned int id = UNTOUCHED;

	errno = 0;
	ck_assert_int_eq(vsensor_parse_device_arg("01", &id), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_uint_eq(id, UNTOUCHED);
	errno = 0;
	ck_assert_int_eq(vsensor_nl_setting_parse("amplitude", "01", &set), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(vsensor_nl_setting_parse("amplitude", "10", &set), 0);
	ck_assert_uint_eq(set.value, 10);
	errno = 0;
	ck_assert_int_eq(vsensor_nl_setting_parse("frequency_mhz", "4294967296",
						  &set), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_uint_eq(set.value, 10);
	/* vsensorctl read -n 010: a usage error (1) before any device */
	ck_assert_int_eq(system("LD_LIBRARY_PATH=" LIBVSENSOR_DIR " " VSENSORCTL
				" read vsensor0 -n 010 2>/dev/null"), 1 << 8);
	ck_assert_int_eq(system("LD_LIBRARY_PATH=" LIBVSENSOR_DIR " " VSENSORCTL
				" device add 07 2>/dev/null"), 1 << 8);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("number");
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(tc, test_parse_good, 0, ARRAY_SIZE(good_numbers));
	tcase_add_loop_test(tc, test_parse_bad, 0, ARRAY_SIZE(bad_numbers));
	tcase_add_test(tc, test_callers_agree);
	suite_add_tcase(suite, tc);

	return unit_run(suite);
}
