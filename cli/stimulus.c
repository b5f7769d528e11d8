/* vsensorctl write: the CSV and waveform parsers (see stimulus.h). */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vsensor/vsensor.h>

#include "stimulus.h"
#include "vsensorctl.h"

#define AMP_MAX		(INT32_MAX / 2)

/* A whole decimal int32 ("-12", "7"): 0, or -1. */
static int parse_s32(const char *str, size_t len, int32_t *val)
{
	char buf[16];
	char *end;
	long v;

	if (!len || len >= sizeof(buf))
		return -1;
	memcpy(buf, str, len);
	buf[len] = '\0';
	if (buf[0] != '-' && (buf[0] < '0' || buf[0] > '9'))
		return -1;
	errno = 0;
	v = strtol(buf, &end, 10);
	if (errno || *end || v < INT32_MIN || v > INT32_MAX)
		return -1;
	*val = (int32_t)v;
	return 0;
}

void stimulus_csv_init(struct stimulus_csv *csv, unsigned int nr_channels)
{
	memset(csv, 0, sizeof(*csv));
	csv->nr_channels = nr_channels;
}

/* "ch3" is channel 3 (and "ch12" channel 12); anything else -1. */
static int column_channel(const char *name, size_t len)
{
	int ch = 0;

	if (len < 3 || len > 5 || strncmp(name, "ch", 2))
		return -1;
	for (size_t i = 2; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		ch = ch * 10 + name[i] - '0';
	}
	return ch;
}

static int csv_header(struct stimulus_csv *csv, const char *line,
		      char err[STIMULUS_ERR_LEN])
{
	unsigned int channels = 0;
	const char *p = line;

	for (;;) {
		size_t len = strcspn(p, ",\r");
		int ch = column_channel(p, len);

		if (csv->nr_columns == ARRAY_SIZE(csv->channel_of)) {
			snprintf(err, STIMULUS_ERR_LEN, "more than %zu columns",
				 ARRAY_SIZE(csv->channel_of));
			return -1;
		}
		if (ch >= (int)csv->nr_channels) {
			snprintf(err, STIMULUS_ERR_LEN,
				 "column ch%d: the device has %u channels", ch,
				 csv->nr_channels);
			return -1;
		}
		for (unsigned int i = 0; ch >= 0 && i < csv->nr_columns; i++) {
			if (csv->channel_of[i] == ch) {
				snprintf(err, STIMULUS_ERR_LEN,
					 "column ch%d named twice", ch);
				return -1;
			}
		}
		channels += ch >= 0;
		csv->channel_of[csv->nr_columns++] = ch;
		if (p[len] != ',')
			break;
		p += len + 1;
	}
	if (!channels) {
		snprintf(err, STIMULUS_ERR_LEN,
			 "the header names no channel column (ch0, ch1, ...)");
		return -1;
	}
	return 0;
}

int stimulus_csv_line(struct stimulus_csv *csv, const char *line,
		      struct vsensor_record *rec, char err[STIMULUS_ERR_LEN])
{
	unsigned int col = 0;
	const char *p = line;
	size_t end = strcspn(line, "\r");

	if (!end || line[0] == '#')
		return 0;
	if (!csv->nr_columns && ((line[0] >= 'a' && line[0] <= 'z') ||
				 (line[0] >= 'A' && line[0] <= 'Z')))
		return csv_header(csv, line, err) ? -1 : 0;
	memset(rec, 0, sizeof(*rec));
	for (;;) {
		size_t len = strcspn(p, ",\r");
		int32_t v;
		int ch;

		if (!csv->nr_columns && col >= csv->nr_channels) {
			snprintf(err, STIMULUS_ERR_LEN,
				 "more values than the device's %u channels",
				 csv->nr_channels);
			return -1;
		}
		if (csv->nr_columns && col >= csv->nr_columns) {
			snprintf(err, STIMULUS_ERR_LEN,
				 "more values than the header's %u columns",
				 csv->nr_columns);
			return -1;
		}
		ch = csv->nr_columns ? csv->channel_of[col] : (int)col;
		/* other columns (seq, timestamp_ns...) are skipped as they are */
		if (ch >= 0 && parse_s32(p, len, &v)) {
			snprintf(err, STIMULUS_ERR_LEN,
				 "column %u: \"%.*s\" is not a 32-bit integer",
				 col + 1, (int)(len < 24 ? len : 24), p);
			return -1;
		}
		if (ch >= 0)
			rec->value[ch] = v;
		col++;
		if (p[len] != ',')
			break;
		p += len + 1;
	}
	if (csv->nr_columns && col != csv->nr_columns) {
		snprintf(err, STIMULUS_ERR_LEN, "%u values, the header has %u columns",
			 col, csv->nr_columns);
		return -1;
	}
	return 1;
}

enum { WAVE_SINE, WAVE_SQUARE, WAVE_RAMP, WAVE_CONST };

static const char *const wave_kinds[] = {
	[WAVE_SINE] = "sine", [WAVE_SQUARE] = "square",
	[WAVE_RAMP] = "ramp", [WAVE_CONST] = "const",
};

/* The keys of a spec, each with its field and range. */
static const struct {
	const char *key;
	size_t offset;	/* of a 32-bit field */
	int64_t min, max;
} wave_keys[] = {
	{ "freq", offsetof(struct stimulus_wave, freq_hz), 1, 1000000 },
	{ "rate", offsetof(struct stimulus_wave, rate_hz), 1, 100000000 },
	{ "amp", offsetof(struct stimulus_wave, amp), 0, AMP_MAX },
	{ "offset", offsetof(struct stimulus_wave, offset), -AMP_MAX, AMP_MAX },
};

static int wave_key(struct stimulus_wave *wave, const char *p, size_t len,
		    char err[STIMULUS_ERR_LEN])
{
	const char *eq = memchr(p, '=', len);
	size_t klen = eq ? (size_t)(eq - p) : len;
	int32_t v;

	for (size_t k = 0; k < ARRAY_SIZE(wave_keys); k++) {
		if (strlen(wave_keys[k].key) != klen ||
		    strncmp(wave_keys[k].key, p, klen))
			continue;
		if (!eq || parse_s32(eq + 1, len - klen - 1, &v) ||
		    v < wave_keys[k].min || v > wave_keys[k].max) {
			snprintf(err, STIMULUS_ERR_LEN,
				 "%s wants a number from %lld to %lld",
				 wave_keys[k].key, (long long)wave_keys[k].min,
				 (long long)wave_keys[k].max);
			return -1;
		}
		memcpy((char *)wave + wave_keys[k].offset, &v, sizeof(v));
		return 0;
	}
	snprintf(err, STIMULUS_ERR_LEN,
		 "unknown key \"%.*s\", expected freq, amp, offset or rate",
		 (int)(klen < 24 ? klen : 24), p);
	return -1;
}

int stimulus_wave_parse(const char *spec, uint32_t rate_hz,
			struct stimulus_wave *wave, char err[STIMULUS_ERR_LEN])
{
	size_t len = strcspn(spec, ":");
	const char *p;

	*wave = (struct stimulus_wave){
		.kind = -1, .freq_hz = 1, .rate_hz = rate_hz, .amp = 1000,
	};
	for (size_t k = 0; k < ARRAY_SIZE(wave_kinds); k++) {
		if (strlen(wave_kinds[k]) == len && !strncmp(wave_kinds[k], spec, len))
			wave->kind = (int)k;
	}
	if (wave->kind < 0) {
		snprintf(err, STIMULUS_ERR_LEN,
			 "unknown waveform \"%.*s\", expected sine, square, ramp or const",
			 (int)(len < 24 ? len : 24), spec);
		return -1;
	}
	for (p = spec + len; *p; ) {
		size_t klen;

		p++;	/* the ':' or ',' */
		klen = strcspn(p, ",");
		if (wave_key(wave, p, klen, err))
			return -1;
		p += klen;
	}
	if (!wave->rate_hz) {
		snprintf(err, STIMULUS_ERR_LEN, "rate must be at least 1 Hz");
		return -1;
	}
	return 0;
}

void stimulus_wave_record(const struct stimulus_wave *wave, uint64_t i,
			  unsigned int nr_channels, struct vsensor_record *rec)
{
	/* the phase in [0, rate): where record @i falls in its period */
	uint64_t phase = (i % wave->rate_hz) * wave->freq_hz % wave->rate_hz;
	int64_t v = 0;

	switch (wave->kind) {
	case WAVE_SINE:
		v = lround(wave->amp * sin(2 * M_PI * (double)phase / wave->rate_hz));
		break;
	case WAVE_SQUARE:
		v = 2 * phase < wave->rate_hz ? wave->amp : -wave->amp;
		break;
	case WAVE_RAMP:
		v = -(int64_t)wave->amp + (int64_t)(2 * (uint64_t)wave->amp * phase /
						      wave->rate_hz);
		break;
	}
	memset(rec, 0, sizeof(*rec));
	for (unsigned int ch = 0; ch < nr_channels && ch < VSENSOR_MAX_CHANNELS; ch++)
		rec->value[ch] = (int32_t)(v + wave->offset);
}
