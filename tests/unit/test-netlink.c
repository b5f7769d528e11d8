/*
 * Tests of lib/netlink.c that need no kernel: parsing "KEY VALUE" device
 * settings, waveform and event names, and a clean refusal when the family
 * does not exist (the host has no vsensor module).
 */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/resource.h>

#include <vsensor/vsensor.h>
#include "unit.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static const struct good_setting {
	const char *key, *value;
	unsigned int attr;
	uint32_t val;
} good_settings[] = {
	{ "waveform", "sine", VSENSOR_A_DEV_WAVEFORM, VSENSOR_WAVEFORM_SINE },
	{ "waveform", "square", VSENSOR_A_DEV_WAVEFORM, VSENSOR_WAVEFORM_SQUARE },
	{ "waveform", "ramp", VSENSOR_A_DEV_WAVEFORM, VSENSOR_WAVEFORM_RAMP },
	{ "waveform", "noise", VSENSOR_A_DEV_WAVEFORM, VSENSOR_WAVEFORM_NOISE },
	{ "amplitude", "0", VSENSOR_A_DEV_AMPLITUDE, 0 },
	{ "amplitude", "4294967295", VSENSOR_A_DEV_AMPLITUDE, UINT32_MAX },
	/* ranges are the kernel's to check, so its message is the one seen */
	{ "amplitude", "2000000", VSENSOR_A_DEV_AMPLITUDE, 2000000 },
	{ "frequency_mhz", "250", VSENSOR_A_DEV_FREQUENCY, 250 },
};

static const struct bad_setting {
	const char *key, *value;
} bad_settings[] = {
	{ "waveform", "Sine" },
	{ "waveform", "" },
	{ "waveform", "1" },
	{ "amplitude", "" },
	{ "amplitude", "-1" },
	{ "amplitude", "+1" },
	{ "amplitude", " 1" },
	{ "amplitude", "1x" },
	{ "amplitude", "4294967296" },
	{ "amplitude", "0x10" },
	{ "frequency", "1" },
	{ "channels", "2" },
	{ "", "1" },
	{ NULL, "1" },
	{ "amplitude", NULL },
};

START_TEST(test_setting_good)
{
	const struct good_setting *t = &good_settings[_i];
	struct vsensor_nl_setting set = { 0, 0 };

	ck_assert_int_eq(vsensor_nl_setting_parse(t->key, t->value, &set), 0);
	ck_assert_uint_eq(set.attr, t->attr);
	ck_assert_uint_eq(set.value, t->val);
}
END_TEST

START_TEST(test_setting_bad)
{
	const struct bad_setting *t = &bad_settings[_i];
	struct vsensor_nl_setting set;

	errno = 0;
	ck_assert_int_eq(vsensor_nl_setting_parse(t->key, t->value, &set), -1);
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

START_TEST(test_names)
{
	ck_assert_str_eq(vsensor_waveform_name(VSENSOR_WAVEFORM_SINE), "sine");
	ck_assert_str_eq(vsensor_waveform_name(VSENSOR_WAVEFORM_NOISE), "noise");
	ck_assert_ptr_null(vsensor_waveform_name(0));
	ck_assert_ptr_null(vsensor_waveform_name(VSENSOR_WAVEFORM_MAX + 1));
	ck_assert_str_eq(vsensor_nl_event_name(VSENSOR_CMD_DEVICE_ADDED),
			 "device-added");
	ck_assert_str_eq(vsensor_nl_event_name(VSENSOR_CMD_IOMMU_FAULT),
			 "iommu-fault");
	ck_assert_ptr_null(vsensor_nl_event_name(VSENSOR_CMD_DEVICE_GET));
	ck_assert_ptr_null(vsensor_nl_event_name(VSENSOR_CMD_MAX + 1));
	ck_assert_ptr_null(vsensor_nl_get_error(NULL));
	vsensor_nl_close(NULL);
}
END_TEST

/*
 * The uapi enums start at 1, notifications follow the requests, new
 * attributes come last and the retired binary ones keep their numbers.
 */
START_TEST(test_uapi_numbers)
{
	ck_assert_int_eq(VSENSOR_CMD_DEVICE_GET, 1);
	ck_assert_int_eq(VSENSOR_A_PAD, 1);
	ck_assert_int_eq(VSENSOR_WAVEFORM_SINE, 1);
	ck_assert_int_eq(VSENSOR_CMD_IOMMU_FAULT, VSENSOR_CMD_MAX);
	ck_assert_int_eq(VSENSOR_A_SESSION_CONFIG_BINARY, 16);
	ck_assert_int_eq(VSENSOR_A_SESSION_STATS_BINARY, 17);
	ck_assert_int_eq(VSENSOR_A_IOVA, 19);
	ck_assert_int_eq(VSENSOR_A_SESSION_CONFIG_NEST, 20);
	ck_assert_int_eq(VSENSOR_A_SESSION_STATS_NEST, VSENSOR_A_MAX);
	ck_assert_int_eq(VSENSOR_CONFIG_A_RATE_HZ, 1);
	ck_assert_int_eq(VSENSOR_CONFIG_A_FLAGS, VSENSOR_CONFIG_A_MAX);
	ck_assert_int_eq(VSENSOR_STATS_A_PAD, 1);
	ck_assert_int_eq(VSENSOR_STATS_A_WRITTEN, VSENSOR_STATS_A_MAX);
}
END_TEST

/* Without the module the family is not there: NULL and ENOENT. */
START_TEST(test_open_without_module)
{
	struct vsensor_nl *nl = vsensor_nl_open();

	if (nl) {
		vsensor_nl_close(nl);
		return;	/* a host with vsensor loaded */
	}
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

/*
 * A failure keeps its errno: with no file descriptor left, socket() fails
 * with EMFILE, and so does the open (it was ECONNREFUSED whatever the cause).
 */
START_TEST(test_open_keeps_errno)
{
	struct rlimit saved, none;
	struct vsensor_nl *nl;
	int err;

	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &saved), 0);
	none = saved;
	none.rlim_cur = 0;
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &none), 0);
	errno = 0;
	nl = vsensor_nl_open();
	err = errno;
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &saved), 0);
	ck_assert_ptr_null(nl);
	ck_assert_int_eq(err, EMFILE);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("netlink");
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(tc, test_setting_good, 0, ARRAY_SIZE(good_settings));
	tcase_add_loop_test(tc, test_setting_bad, 0, ARRAY_SIZE(bad_settings));
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_uapi_numbers);
	tcase_add_test(tc, test_open_without_module);
	tcase_add_test(tc, test_open_keeps_errno);
	suite_add_tcase(suite, tc);

	return unit_run(suite);
}
