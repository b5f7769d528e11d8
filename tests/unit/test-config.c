// SPDX-License-Identifier: GPL-2.0
/* Unit tests of kernel/config.c: session config rules and decimation. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "config.h"
#include "unit.h"

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
	/* busy polling is accepted and kept; the next bit is unknown */
	req.flags = VSENSOR_CONFIG_F_BUSY_POLL;
	ck_assert_int_eq(vsensor_config_check(&req, &lim, &eff), 0);
	ck_assert_uint_eq(eff.flags, VSENSOR_CONFIG_F_BUSY_POLL);
	req.flags = VSENSOR_CONFIG_F_BUSY_POLL << 1;
	ck_assert_int_eq(vsensor_config_check(&req, &lim, &eff), -EINVAL);
}
END_TEST

/* Feed @secs of samples at @hw Hz from @t; count what a @rate session takes. */
static unsigned int feed(struct vsensor_decim *d, u64 *t, unsigned int hw,
			 unsigned int rate, unsigned int secs, u64 *missed_total)
{
	unsigned int taken = 0;
	u64 missed;

	for (unsigned int i = 0; i < hw * secs; i++) {
		*t += 1000000000ull / hw;
		if (vsensor_decim_step(d, *t, rate, &missed)) {
			taken++;
			*missed_total += missed;
		}
	}
	return taken;
}

/* Per second of hardware samples, exactly @rate pass, for many pairs. */
START_TEST(test_decimation_exact)
{
	static const unsigned int pairs[][2] = {
		{ 1000, 1 }, { 1000, 7 }, { 1000, 10 }, { 1000, 333 },
		{ 1000, 1000 }, { 100000, 100000 }, { 100000, 3 }, { 50, 50 },
	};

	for (size_t k = 0; k < sizeof(pairs) / sizeof(pairs[0]); k++) {
		struct vsensor_decim d;
		u64 t = 5000000000ull, missed = 0;
		unsigned int got;

		vsensor_decim_reset(&d);
		got = feed(&d, &t, pairs[k][0], pairs[k][1], 2, &missed);
		/* the first sample is due at once: 2 s hold 2 * rate (+1) */
		ck_assert_msg(got >= 2 * pairs[k][1] && got <= 2 * pairs[k][1] + 1,
			      "hw %u rate %u: %u", pairs[k][0], pairs[k][1], got);
		ck_assert_uint_eq(missed, 0);
	}
}
END_TEST

/* Evenly spread: 10 of 1000 Hz means every 100th sample. */
START_TEST(test_decimation_even)
{
	struct vsensor_decim d;
	u64 missed;
	unsigned int last = 0;

	vsensor_decim_reset(&d);
	for (unsigned int i = 0; i < 1000; i++) {
		if (vsensor_decim_step(&d, 1000000ull * i, 10, &missed)) {
			if (i)
				ck_assert_uint_eq(i - last, 100);
			last = i;
		}
	}
	ck_assert_uint_eq(last, 900);
}
END_TEST

/* The hardware rate changing does not change the session's rate. */
START_TEST(test_decimation_hw_rate_change)
{
	struct vsensor_decim d;
	u64 t = 0, missed = 0;
	unsigned int got;

	vsensor_decim_reset(&d);
	got = feed(&d, &t, 1000, 10, 3, &missed);
	got += feed(&d, &t, 10, 10, 3, &missed);
	got += feed(&d, &t, 100000, 10, 1, &missed);
	ck_assert_uint_ge(got, 70);
	ck_assert_uint_le(got, 71);
	ck_assert_uint_eq(missed, 0);
}
END_TEST

/* A gap in the samples: due times that passed are reported missed. */
START_TEST(test_decimation_gap_reports_missed)
{
	struct vsensor_decim d;
	u64 missed;

	vsensor_decim_reset(&d);
	ck_assert(vsensor_decim_step(&d, 1000, 100, &missed));
	ck_assert_uint_eq(missed, 0);
	ck_assert(!vsensor_decim_step(&d, 1000 + 5000000, 100, &missed));
	/* next sample 55 ms later: due times 10..50 ms passed, 4 missed */
	ck_assert(vsensor_decim_step(&d, 1000 + 55000000, 100, &missed));
	ck_assert_uint_eq(missed, 4);
	ck_assert(vsensor_decim_step(&d, 1000 + 60000000, 100, &missed));
	ck_assert_uint_eq(missed, 0);
	/* a gap of a year does not loop for a year */
	ck_assert(vsensor_decim_step(&d, 1000 + 31536000000000000ull, 100000,
				     &missed));
	ck_assert_uint_gt(missed, 1000000000000ull);
}
END_TEST

/*
 * Times that cannot be (the driver drops such records before, this is the
 * second line): no division by a zero rate, no overflowing due time, no
 * endless loop; the decimator starts afresh instead.
 */
START_TEST(test_decimation_impossible_times)
{
	struct vsensor_decim d;
	u64 missed;

	vsensor_decim_reset(&d);
	ck_assert(!vsensor_decim_step(&d, 1000, 0, &missed));
	ck_assert_uint_eq(missed, 0);
	ck_assert(vsensor_decim_step(&d, 1000, 25000, &missed));
	ck_assert(vsensor_decim_step(&d, UINT64_MAX, 25000, &missed));
	ck_assert_uint_eq(missed, 0);
	ck_assert_uint_eq(d.t0, UINT64_MAX);
	/* back in time: afresh again */
	ck_assert(vsensor_decim_step(&d, 2000, 25000, &missed));
	ck_assert_uint_eq(missed, 0);
	ck_assert_uint_eq(d.t0, 2000);
	ck_assert(vsensor_decim_step(&d, 2000 + 40000, 25000, &missed));
	ck_assert_uint_eq(missed, 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("config");

	tcase_add_test(tc, test_good_config_is_effective_as_is);
	tcase_add_test(tc, test_ring_rounds_up_to_power_of_two);
	tcase_add_loop_test(tc, test_bad_field_rejected, 0,
			    sizeof(bad_cases) / sizeof(bad_cases[0]));
	tcase_add_test(tc, test_every_clock_accepted);
	tcase_add_test(tc, test_decimation_exact);
	tcase_add_test(tc, test_decimation_even);
	tcase_add_test(tc, test_decimation_hw_rate_change);
	tcase_add_test(tc, test_decimation_gap_reports_missed);
	tcase_add_test(tc, test_decimation_impossible_times);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
