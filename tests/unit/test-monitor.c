// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of lib/monitor.c that need no vsensor module: what it refuses
 * before starting, and ENOENT without the family (the guest's t-netlink
 * drives the real events and the overflow).
 */
#include <check.h>
#include <errno.h>
#include <limits.h>
#include <unistd.h>

#include <vsensor/vsensor.h>
#include "unit.h"

START_TEST(test_unknown_flags)
{
	static const int flags[] = { 1 << 1, INT_MIN, -1,
				     VSENSOR_MONITOR_NONBLOCK | 1 << 4 };
	size_t i;

	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		errno = 0;
		ck_assert_ptr_null(vsensor_monitor_new(flags[i]));
		ck_assert_int_eq(errno, EINVAL);
	}
}
END_TEST

/* The host has no vsensor module: no family to subscribe to. */
START_TEST(test_no_module)
{
	if (!access("/sys/module/vsensor", F_OK))
		return;		/* a host with the module: the guest tests */
	errno = 0;
	ck_assert_ptr_null(vsensor_monitor_new(0));
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

START_TEST(test_free_null)
{
	vsensor_monitor_free(NULL);
	vsensor_monitor_event_free(NULL);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("monitor");
	TCase *tc = tcase_create("new");

	tcase_add_test(tc, test_unknown_flags);
	tcase_add_test(tc, test_no_module);
	tcase_add_test(tc, test_free_null);
	suite_add_tcase(suite, tc);
	return unit_run(suite);
}
