// SPDX-License-Identifier: GPL-2.0
/* Unit tests of kernel/config.c: session config rules and decimation. */
#include <check.h>
#include <stdlib.h>

#include "config.h"

static const struct vsensor_limits lim = {
	.nr_channels = 4, .rate_min = 1, .rate_max = 100000,
	.ring_min = 2, .ring_max = 65536,
};

static struct vsensor_config good(void)
{
	struct vsensor_config c = {
		.rate_hz = 1000, .channel_mask = 0x5, .watermark = 10,
		.ring_size = 256, .clock_id = VSENSOR_CLOCK_BOOTTIME,
	};
	return c;
}

START_TEST(test_good_config_is_effective_as_is)
{
	struct vsensor_config req = good(), eff;

	ck_assert_int_eq(vsensor_config_check(&req, &lim, &eff), 0);
	ck_assert(vsensor_config_equal(&req, &eff));
}
END_TEST

START_TEST(test_ring_rounds_up_to_power_of_two)
{
	struct vsensor_config req = good(), eff;

	req.ring_size = 1000;
	ck_assert_int_eq(vsensor_config_check(&req, &lim, &eff), 0);
	ck_assert_uint_eq(eff.ring_size, 1024);
	req.ring_size = 65535;
	ck_assert_int_eq(vsensor_config_check(&req, &lim, &eff), 0);
	ck_assert_uint_eq(eff.ring_size, 65536);
	req.ring_size = 65537;
	ck_assert_int_eq(vsensor_config_check(&req, &lim, &eff), -EINVAL);
}
END_TEST

/* Each bad field, one at a time: -EINVAL and @eff untouched. */
struct bad_case {
	const char *what;
	void (*spoil)(struct vsensor_config *c);
};

static void rate0(struct vsensor_config *c) { c->rate_hz = 0; }
static void rate_high(struct vsensor_config *c) { c->rate_hz = 100001; }
static void mask0(struct vsensor_config *c) { c->channel_mask = 0; }
static void mask_high(struct vsensor_config *c) { c->channel_mask = 0x10; }
static void ring0(struct vsensor_config *c) { c->ring_size = 0; }
static void ring1(struct vsensor_config *c) { c->ring_size = 1; }
static void ring_huge(struct vsensor_config *c) { c->ring_size = 1u << 31; }
static void wm0(struct vsensor_config *c) { c->watermark = 0; }
static void wm_big(struct vsensor_config *c) { c->watermark = 257; }
static void clock_bad(struct vsensor_config *c) { c->clock_id = 2; }
static void clock_huge(struct vsensor_config *c) { c->clock_id = ~0u; }
static void flags_bad(struct vsensor_config *c) { c->flags = 1u << 5; }
static void reserved0(struct vsensor_config *c) { c->reserved[0] = 1; }
static void reserved9(struct vsensor_config *c) { c->reserved[9] = 0x80000000u; }

static const struct bad_case bad_cases[] = {
	{ "rate 0", rate0 }, { "rate above max", rate_high },
	{ "empty mask", mask0 }, { "mask beyond channels", mask_high },
	{ "ring 0", ring0 }, { "ring 1", ring1 }, { "ring huge", ring_huge },
	{ "watermark 0", wm0 }, { "watermark above ring", wm_big },
	{ "bad clock", clock_bad }, { "huge clock", clock_huge },
	{ "unknown flag", flags_bad },
	{ "reserved[0]", reserved0 }, { "reserved[9]", reserved9 },
};

START_TEST(test_bad_field_rejected)
{
	const struct bad_case *bc = &bad_cases[_i];
	struct vsensor_config req = good(), eff, before;

	memset(&eff, 0x5a, sizeof(eff));
	before = eff;
	bc->spoil(&req);
	ck_assert_msg(vsensor_config_check(&req, &lim, &eff) == -EINVAL,
		      "%s accepted", bc->what);
	ck_assert_msg(vsensor_config_equal(&eff, &before), "%s wrote eff",
		      bc->what);
}
END_TEST

START_TEST(test_every_clock_accepted)
{
	static const unsigned int clocks[] = { VSENSOR_CLOCK_REALTIME,
		VSENSOR_CLOCK_MONOTONIC, VSENSOR_CLOCK_BOOTTIME };
	struct vsensor_config req = good(), eff;

	for (size_t i = 0; i < 3; i++) {
		req.clock_id = clocks[i];
		ck_assert_int_eq(vsensor_config_check(&req, &lim, &eff), 0);
	}
	req.flags = VSENSOR_CONFIG_F_BUSY_POLL;
	ck_assert_int_eq(vsensor_config_check(&req, &lim, &eff), 0);
}
END_TEST

/* Over one second of input, exactly rate_out samples pass, evenly. */
START_TEST(test_decimation_exact)
{
	static const unsigned int outs[] = { 1, 7, 10, 333, 999, 1000 };

	for (size_t k = 0; k < sizeof(outs) / sizeof(outs[0]); k++) {
		struct vsensor_decim d = { 0 };
		unsigned int passed = 0, last = 0, max_gap = 0;

		for (unsigned int i = 1; i <= 1000; i++) {
			if (vsensor_decim_step(&d, outs[k], 1000)) {
				passed++;
				if (i - last > max_gap)
					max_gap = i - last;
				last = i;
			}
		}
		ck_assert_uint_eq(passed, outs[k]);
		/* evenly spread: gaps differ by at most one input sample */
		ck_assert_uint_le(max_gap, 1000 / outs[k] + 1);
	}
}
END_TEST

START_TEST(test_decimation_skip_matches_steps)
{
	struct vsensor_decim a = { 0 }, b = { 0 };
	unsigned int stepped = 0;

	for (unsigned int i = 0; i < 12345; i++)
		stepped += vsensor_decim_step(&a, 10, 1000);
	ck_assert_uint_eq(vsensor_decim_skip(&b, 12345, 10, 1000), stepped);
	ck_assert_uint_eq(a.acc, b.acc);
}
END_TEST

/* The input rate dropping below the accumulator does not burst. */
START_TEST(test_decimation_input_rate_drop)
{
	struct vsensor_decim d = { .acc = 900 };

	ck_assert(!vsensor_decim_step(&d, 10, 100) || d.acc < 100);
	ck_assert_uint_lt(d.acc, 100);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("config");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_good_config_is_effective_as_is);
	tcase_add_test(tc, test_ring_rounds_up_to_power_of_two);
	tcase_add_loop_test(tc, test_bad_field_rejected, 0,
			    sizeof(bad_cases) / sizeof(bad_cases[0]));
	tcase_add_test(tc, test_every_clock_accepted);
	tcase_add_test(tc, test_decimation_exact);
	tcase_add_test(tc, test_decimation_skip_matches_steps);
	tcase_add_test(tc, test_decimation_input_rate_drop);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
