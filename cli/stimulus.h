/*
 * vsensorctl write: stimulus records from CSV lines or a waveform spec.
 * The parsers have no I/O of their own, so the unit tests and the fuzzer
 * drive them with strings.
 */
#ifndef VSENSORCTL_STIMULUS_H
#define VSENSORCTL_STIMULUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/vsensor.h>

#define STIMULUS_ERR_LEN	128

/*
 * CSV: values separated by commas, one record a line. An optional first
 * line naming the columns (vsensorctl read --format csv's header) says
 * which column is which channel ("ch2"; other columns are skipped);
 * without it the columns are ch0, ch1, ... Empty lines and lines starting
 * with '#' are skipped.
 */
struct stimulus_csv {
	unsigned int nr_channels;	/* the device's */
	unsigned int nr_columns;	/* 0 until the first line */
	int channel_of[VSENSOR_MAX_CHANNELS * 4];	/* -1: not a channel */
};

void stimulus_csv_init(struct stimulus_csv *csv, unsigned int nr_channels);
/*
 * One line (without its newline): 1 and a stimulus record in @rec, 0 for a
 * line that holds none (header, comment, empty), -1 with a message in @err.
 */
int stimulus_csv_line(struct stimulus_csv *csv, const char *line,
		      struct vsensor_record *rec, char err[STIMULUS_ERR_LEN]);

/*
 * A waveform: KIND[:KEY=VALUE[,KEY=VALUE]...], KIND one of sine, square,
 * ramp (a sawtooth from -amp to amp) and const; keys freq (Hz, default 1),
 * amp (default 1000), offset (default 0) and rate (the sample rate the
 * stimulus is consumed at, Hz; default: the caller's).
 */
struct stimulus_wave {
	int kind;
	uint32_t freq_hz;
	uint32_t rate_hz;
	int32_t amp;
	int32_t offset;
};

/* 0, or -1 with a message in @err; @rate_hz is the default rate. */
int stimulus_wave_parse(const char *spec, uint32_t rate_hz,
			struct stimulus_wave *wave, char err[STIMULUS_ERR_LEN]);
/* Record @i of the wave, the same value on each of @nr_channels. */
void stimulus_wave_record(const struct stimulus_wave *wave, uint64_t i,
			  unsigned int nr_channels, struct vsensor_record *rec);

#endif /* VSENSORCTL_STIMULUS_H */
