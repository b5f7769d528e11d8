/*
 * Tests of lib/session.c that need no vsensor hardware: what opening
 * refuses before the kernel is asked, and what the kernel says when the
 * device does not exist.
 */
#include <check.h>
#include <errno.h>
#include <limits.h>

#include <vsensor/vsensor.h>
#include "unit.h"

START_TEST(test_open_malformed)
{
	static const char *const args[] = { "", "vsensor", "/dev/null", "-1",
					    "01", "VSN 1" };
	size_t i;

	for (i = 0; i < sizeof(args) / sizeof(args[0]); i++) {
		errno = 0;
		ck_assert_ptr_null(vsensor_session_open(args[i], 0));
		ck_assert_int_eq(errno, EINVAL);
	}
	errno = 0;
	ck_assert_ptr_null(vsensor_session_open(NULL, 0));
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

START_TEST(test_open_unknown_flags)
{
	static const int flags[] = { 1 << 1, INT_MIN, -1,
				     VSENSOR_SESSION_NONBLOCK | 1 << 4 };
	size_t i;

	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		errno = 0;
		ck_assert_ptr_null(vsensor_session_open("vsensor0", flags[i]));
		ck_assert_int_eq(errno, EINVAL);
	}
}
END_TEST

/* Whatever the host has, it has no /dev/vsensor2147483647. */
START_TEST(test_open_absent)
{
	static const char *const args[] = {
		"2147483647", "vsensor2147483647", "/dev/vsensor2147483647",
		"VSN1000-999999",
	};
	size_t i;

	for (i = 0; i < sizeof(args) / sizeof(args[0]); i++) {
		errno = 0;
		ck_assert_ptr_null(vsensor_session_open(args[i],
						VSENSOR_SESSION_NONBLOCK));
		ck_assert_int_eq(errno, ENOENT);
	}
}
END_TEST

START_TEST(test_close_null)
{
	vsensor_session_close(NULL);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("session");
	TCase *tc = tcase_create("open");

	tcase_add_test(tc, test_open_malformed);
	tcase_add_test(tc, test_open_unknown_flags);
	tcase_add_test(tc, test_open_absent);
	tcase_add_test(tc, test_close_null);
	suite_add_tcase(suite, tc);

	return unit_run(suite);
}
