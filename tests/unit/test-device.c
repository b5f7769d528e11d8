/*
 * Tests of lib/device.c and lib/ctx.c that need no vsensor hardware:
 * device arguments (every accepted form, the rejected ones with EINVAL) and
 * look-ups in a snapshot that do not find a device (ENOENT).
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>

#include <vsensor/vsensor.h>
#include "unit.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define UNTOUCHED	0xdeadbeefU

static const struct {
	const char *arg;
	unsigned int id;
} accepted[] = {
	{ "0", 0 },
	{ "7", 7 },
	{ "42", 42 },
	{ "2147483647", 2147483647 },
	{ "vsensor0", 0 },
	{ "vsensor15", 15 },
	{ "vsensor2147483647", 2147483647 },
	{ "/dev/vsensor0", 0 },
	{ "/dev/vsensor3", 3 },
	{ "/dev/vsensor123", 123 },
};

START_TEST(test_accepted)
{
	unsigned int id = UNTOUCHED;

	ck_assert_int_eq(vsensor_parse_device_arg(accepted[_i].arg, &id), 0);
	ck_assert_uint_eq(id, accepted[_i].id);
}
END_TEST

static const char *const rejected[] = {
	"", "-1", "+1", " 1", "1 ", "01", "00", "0x1", "1a", "1.0", "1\n",
	"2147483648", "4294967296", "18446744073709551616",
	"99999999999999999999999999",
	"vsensor", "vsensor-1", "vsensor+1", "vsensor 1", "vsensor01",
	"vsensor0 ", "vsensor0/", "vsensorx", "Vsensor0", "VSENSOR0",
	"vsensor2147483648", "vsensor0x1", "sensor0", "vsensor_0",
	"/dev/vsensor", "/dev/vsensor0/", "/dev/vsensor01", "/dev/0",
	"/dev//vsensor0", "/dev/vsensorx", "dev/vsensor0", "./vsensor0",
	"/dev/char/10:123", "/sys/bus/vsensor/devices/vsensor0",
	"/dev/vsensor4294967295", "/dev/", "/",
};

START_TEST(test_rejected)
{
	unsigned int id = UNTOUCHED;

	errno = 0;
	ck_assert_int_eq(vsensor_parse_device_arg(rejected[_i], &id), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_uint_eq(id, UNTOUCHED);
}
END_TEST

START_TEST(test_rejected_null)
{
	unsigned int id = UNTOUCHED;

	errno = 0;
	ck_assert_int_eq(vsensor_parse_device_arg(NULL, &id), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_uint_eq(id, UNTOUCHED);
}
END_TEST

/* Every device argument: its number, and no serial. */
START_TEST(test_spec_number)
{
	const char *serial = "untouched";
	unsigned int id = UNTOUCHED;

	ck_assert_int_eq(vsensor_parse_device_spec(accepted[_i].arg, &id, &serial), 0);
	ck_assert_uint_eq(id, accepted[_i].id);
	ck_assert_ptr_null(serial);
}
END_TEST

/* A serial: @arg itself, the number untouched. */
static const char *const spec_serials[] = {
	"VSN1000-999999", "LAB-7", "x", "a_b", "0x10", "1a", "sensor0",
	"A234567890123456789012345678901",	/* 31 characters */
};

START_TEST(test_spec_serial)
{
	const char *serial = NULL;
	unsigned int id = UNTOUCHED;

	ck_assert_int_eq(vsensor_parse_device_spec(spec_serials[_i], &id, &serial), 0);
	ck_assert_ptr_eq(serial, spec_serials[_i]);
	ck_assert_uint_eq(id, UNTOUCHED);
}
END_TEST

/* Neither: a malformed argument is not taken for a serial. */
static const char *const neither[] = {
	"", "01", "-1", "2147483648", "vsensor", "vsensor01", "vsensorX",
	"vsensor_0", "/dev/null", "/dev/vsensor01", "VSN 1", "a/b", "-VSN",
	"VSN1000-00000!", "A2345678901234567890123456789012",	/* 32 */
};

START_TEST(test_spec_neither)
{
	const char *serial = "untouched";
	unsigned int id = UNTOUCHED;

	errno = 0;
	ck_assert_int_eq(vsensor_parse_device_spec(neither[_i], &id, &serial), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_uint_eq(id, UNTOUCHED);
	errno = 0;
	ck_assert_int_eq(vsensor_parse_device_spec(NULL, &id, &serial), -1);
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

static struct vsensor_ctx *ctx;

static void ctx_setup(void)
{
	ctx = vsensor_ctx_new();
	ck_assert_ptr_nonnull(ctx);
}

static void ctx_teardown(void)
{
	vsensor_ctx_free(ctx);
}

/* Whatever the host has, it has no vsensor2147483647. */
START_TEST(test_find_absent)
{
	static const char *const forms[] = {
		"2147483647", "vsensor2147483647", "/dev/vsensor2147483647",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(forms); i++) {
		errno = 0;
		ck_assert_ptr_null(vsensor_ctx_find_device(ctx, forms[i]));
		ck_assert_int_eq(errno, ENOENT);
	}
}
END_TEST

/* A serial no device has: absent, not malformed. */
START_TEST(test_find_serial_absent)
{
	static const char *const serials[] = {
		"VSN1000-999999", "LAB-7", "x", "a_b", "0x10", "A234567890123456789012345678901",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(serials); i++) {
		errno = 0;
		ck_assert_ptr_null(vsensor_ctx_find_device(ctx, serials[i]));
		ck_assert_msg(errno == ENOENT, "%s: %s", serials[i], strerror(errno));
	}
}
END_TEST

/* Neither a number, name or node nor a serial. */
START_TEST(test_find_malformed)
{
	static const char *const args[] = {
		"vsensor", "vsensor01", "vsensorX", "01", "-1", "", "/dev/null",
		"VSN 1", "a/b", "VSN1000-00000!", "A2345678901234567890123456789012",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(args); i++) {
		errno = 0;
		ck_assert_ptr_null(vsensor_ctx_find_device(ctx, args[i]));
		ck_assert_msg(errno == EINVAL, "%s: %s", args[i], strerror(errno));
	}
	errno = 0;
	ck_assert_ptr_null(vsensor_ctx_find_device(ctx, NULL));
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

START_TEST(test_get_past_end)
{
	size_t n = vsensor_ctx_get_num_devices(ctx);

	errno = 0;
	ck_assert_ptr_null(vsensor_ctx_get_device(ctx, n));
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_ptr_null(vsensor_ctx_get_device(ctx, (size_t)-1));
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

/* Every device a snapshot lists can be found again by each of its names. */
START_TEST(test_listed_devices_found)
{
	char arg[64];
	size_t i;

	for (i = 0; i < vsensor_ctx_get_num_devices(ctx); i++) {
		struct vsensor_device *dev = vsensor_ctx_get_device(ctx, i);

		ck_assert_ptr_eq(vsensor_ctx_find_device(ctx,
				 vsensor_device_get_name(dev)), dev);
		snprintf(arg, sizeof(arg), "%u", vsensor_device_get_id(dev));
		ck_assert_ptr_eq(vsensor_ctx_find_device(ctx, arg), dev);
		if (vsensor_device_get_serial(dev))
			ck_assert_ptr_eq(vsensor_ctx_find_device(ctx,
					 vsensor_device_get_serial(dev)), dev);
		if (i > 0)
			ck_assert_uint_lt(vsensor_device_get_id(vsensor_ctx_get_device(ctx, i - 1)),
					  vsensor_device_get_id(dev));
	}
}
END_TEST

START_TEST(test_free_null)
{
	vsensor_ctx_free(NULL);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("device");
	TCase *tc = tcase_create("argument");

	tcase_add_loop_test(tc, test_accepted, 0, ARRAY_SIZE(accepted));
	tcase_add_loop_test(tc, test_rejected, 0, ARRAY_SIZE(rejected));
	tcase_add_test(tc, test_rejected_null);
	tcase_add_loop_test(tc, test_spec_number, 0, ARRAY_SIZE(accepted));
	tcase_add_loop_test(tc, test_spec_serial, 0, ARRAY_SIZE(spec_serials));
	tcase_add_loop_test(tc, test_spec_neither, 0, ARRAY_SIZE(neither));
	suite_add_tcase(suite, tc);

	tc = tcase_create("ctx");
	tcase_add_checked_fixture(tc, ctx_setup, ctx_teardown);
	tcase_add_test(tc, test_find_absent);
	tcase_add_test(tc, test_find_malformed);
	tcase_add_test(tc, test_find_serial_absent);
	tcase_add_test(tc, test_get_past_end);
	tcase_add_test(tc, test_listed_devices_found);
	tcase_add_test(tc, test_free_null);
	suite_add_tcase(suite, tc);

	return unit_run(suite);
}
