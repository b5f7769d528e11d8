// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of cli/stimulus.c: CSV stimulus lines (with and without a header,
 * read --format csv's own output, every malformed kind) and waveform specs
 * with the records they generate.
 */
#include <check.h>
#include <string.h>

#include "stimulus.h"
#include "vsensorctl.h"
#include "unit.h"

static struct stimulus_csv csv;
static struct vsensor_record rec;
static char err[STIMULUS_ERR_LEN];

static void values_are(const int32_t *want, unsigned int n)
{
	for (unsigned int ch = 0; ch < VSENSOR_MAX_CHANNELS; ch++)
		ck_assert_int_eq(rec.value[ch], ch < n ? want[ch] : 0);
	ck_assert_uint_eq(rec.seq, 0);
	ck_assert_uint_eq(rec.timestamp_ns, 0);
	ck_assert_uint_eq(rec.flags, 0);
	ck_assert_uint_eq(rec.channel_mask, 0);
}

START_TEST(test_csv_plain)
{
	static const int32_t want[] = { 1, -2, 2147483647, -2147483647 - 1 };

	stimulus_csv_init(&csv, 4);
	ck_assert_int_eq(stimulus_csv_line(&csv, "1,-2,2147483647,-2147483648", &rec, err), 1);
	values_are(want, 4);
	/* fewer columns than channels: the rest are 0 */
	ck_assert_int_eq(stimulus_csv_line(&csv, "7\r", &rec, err), 1);
	values_are((const int32_t[]){ 7 }, 1);
	ck_assert_int_eq(stimulus_csv_line(&csv, "", &rec, err), 0);
	ck_assert_int_eq(stimulus_csv_line(&csv, "# a comment", &rec, err), 0);
}
END_TEST

/* vsensorctl read --format csv's output goes straight back in. */
START_TEST(test_csv_read_output)
{
	stimulus_csv_init(&csv, 4);
	ck_assert_int_eq(stimulus_csv_line(&csv, "seq,timestamp_ns,flags,dropped,ch0,ch2",
					   &rec, err), 0);
	ck_assert_int_eq(stimulus_csv_line(&csv, "5,36851585040,4,0,-17,99", &rec, err), 1);
	values_are((const int32_t[]){ -17, 0, 99 }, 3);
	ck_assert_int_eq(stimulus_csv_line(&csv, "5,123456,4,0,-17", &rec, err), -1);
	ck_assert_str_eq(err, "5 values, the header has 6 columns");
	ck_assert_int_eq(stimulus_csv_line(&csv, "5,123456,4,0,1,2,3", &rec, err), -1);
	ck_assert_str_eq(err, "more values than the header's 6 columns");
}
END_TEST

static const struct bad_line {
	unsigned int nr_channels;
	const char *header, *line, *err;
} bad_lines[] = {
	{ 4, NULL, "1,2,3,4,5", "more values than the device's 4 channels" },
	{ 4, NULL, "1,,3", "column 2: \"\" is not a 32-bit integer" },
	{ 4, NULL, "1, 2", "column 2: \" 2\" is not a 32-bit integer" },
	{ 4, NULL, "2147483648", "column 1: \"2147483648\" is not a 32-bit integer" },
	{ 4, NULL, "-", "column 1: \"-\" is not a 32-bit integer" },
	{ 4, NULL, "1x", "column 1: \"1x\" is not a 32-bit integer" },
	{ 4, NULL, "0x10", "column 1: \"0x10\" is not a 32-bit integer" },
	{ 4, NULL, "1,2,", "column 3: \"\" is not a 32-bit integer" },
	{ 4, "seq,ch4", NULL, "column ch4: the device has 4 channels" },
	{ 4, "seq,flags", NULL, "the header names no channel column (ch0, ch1, ...)" },
	{ 8, "ch9,ch0", NULL, "column ch9: the device has 8 channels" },
	{ 4, "ch1,seq,ch1", NULL, "column ch1 named twice" },
};

START_TEST(test_csv_bad)
{
	const struct bad_line *b = &bad_lines[_i];

	stimulus_csv_init(&csv, b->nr_channels);
	err[0] = '\0';
	if (b->header)
		ck_assert_int_eq(stimulus_csv_line(&csv, b->header, &rec, err), -1);
	else
		ck_assert_int_eq(stimulus_csv_line(&csv, b->line, &rec, err), -1);
	ck_assert_str_eq(err, b->err);
}
END_TEST

/* A file from Windows: CR LF ends the header's last column too. */
START_TEST(test_csv_crlf)
{
	stimulus_csv_init(&csv, 4);
	ck_assert_int_eq(stimulus_csv_line(&csv, "seq,ch0,ch1\r", &rec, err), 0);
	ck_assert_int_eq(stimulus_csv_line(&csv, "1,10,20\r", &rec, err), 1);
	values_are((const int32_t[]){ 10, 20 }, 2);
	stimulus_csv_init(&csv, 4);
	ck_assert_int_eq(stimulus_csv_line(&csv, "ch3\r", &rec, err), 0);
	ck_assert_int_eq(stimulus_csv_line(&csv, "-5\r", &rec, err), 1);
	values_are((const int32_t[]){ 0, 0, 0, -5 }, 4);
}
END_TEST

START_TEST(test_wave_parse)
{
	struct stimulus_wave w;

	ck_assert_int_eq(stimulus_wave_parse("sine:freq=5,amp=800", 100, &w, err), 0);
	ck_assert_uint_eq(w.freq_hz, 5);
	ck_assert_int_eq(w.amp, 800);
	ck_assert_uint_eq(w.rate_hz, 100);
	ck_assert_int_eq(w.offset, 0);
	ck_assert_int_eq(stimulus_wave_parse("const:offset=-7,rate=1000", 100, &w, err), 0);
	ck_assert_int_eq(w.offset, -7);
	ck_assert_uint_eq(w.rate_hz, 1000);
	ck_assert_int_eq(stimulus_wave_parse("square", 50, &w, err), 0);
	ck_assert_uint_eq(w.freq_hz, 1);
	ck_assert_int_eq(w.amp, 1000);
}
END_TEST

static const struct bad_spec {
	const char *spec, *err;
} bad_specs[] = {
	{ "triangle", "unknown waveform \"triangle\", expected sine, square, ramp or const" },
	{ "", "unknown waveform \"\", expected sine, square, ramp or const" },
	{ "sine:", "unknown key \"\", expected freq, amp, offset or rate" },
	{ "sine:freq", "freq wants a number from 1 to 1000000" },
	{ "sine:freq=0", "freq wants a number from 1 to 1000000" },
	{ "sine:freq=5,", "unknown key \"\", expected freq, amp, offset or rate" },
	{ "sine:amp=-1", "amp wants a number from 0 to 1073741823" },
	{ "ramp:phase=3", "unknown key \"phase\", expected freq, amp, offset or rate" },
	{ "const:offset=1073741824", "offset wants a number from -1073741823 to 1073741823" },
	{ "sine:rate=", "rate wants a number from 1 to 100000000" },
};

START_TEST(test_wave_bad)
{
	const struct bad_spec *b = &bad_specs[_i];
	struct stimulus_wave w;

	ck_assert_int_eq(stimulus_wave_parse(b->spec, 100, &w, err), -1);
	ck_assert_str_eq(err, b->err);
}
END_TEST

/* Records of a 1 Hz wave at 4 Hz: a quarter period apart. */
START_TEST(test_wave_records)
{
	static const struct {
		const char *spec;
		int32_t v[5];
	} waves[] = {
		{ "sine:amp=100", { 0, 100, 0, -100, 0 } },
		{ "square:amp=100,offset=5", { 105, 105, -95, -95, 105 } },
		{ "ramp:amp=100", { -100, -50, 0, 50, -100 } },
		{ "const:offset=-3", { -3, -3, -3, -3, -3 } },
		{ "sine:amp=100,freq=2", { 0, 0, 0, 0, 0 } },
	};
	struct stimulus_wave w;

	for (size_t k = 0; k < ARRAY_SIZE(waves); k++) {
		ck_assert_int_eq(stimulus_wave_parse(waves[k].spec, 4, &w, err), 0);
		for (uint64_t i = 0; i < 5; i++) {
			stimulus_wave_record(&w, i, 3, &rec);
			ck_assert_msg(rec.value[0] == waves[k].v[i],
				      "%s record %llu: %d, want %d", waves[k].spec,
				      (unsigned long long)i, rec.value[0], waves[k].v[i]);
			/* the same on every channel the device has, 0 beyond */
			ck_assert_int_eq(rec.value[2], rec.value[0]);
			ck_assert_int_eq(rec.value[3], 0);
		}
	}
	/* far into the stream the phase still counts from record 0 */
	ck_assert_int_eq(stimulus_wave_parse("square:amp=1", 4, &w, err), 0);
	stimulus_wave_record(&w, 4000000002ULL, 1, &rec);
	ck_assert_int_eq(rec.value[0], -1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("stimulus");
	TCase *tc = tcase_create("stimulus");

	tcase_add_test(tc, test_csv_plain);
	tcase_add_test(tc, test_csv_read_output);
	tcase_add_test(tc, test_csv_crlf);
	tcase_add_loop_test(tc, test_csv_bad, 0, ARRAY_SIZE(bad_lines));
	tcase_add_test(tc, test_wave_parse);
	tcase_add_loop_test(tc, test_wave_bad, 0, ARRAY_SIZE(bad_specs));
	tcase_add_test(tc, test_wave_records);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
