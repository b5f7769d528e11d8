// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: vsensorctl write's parsers (cli/stimulus.c). The input
 * is a waveform spec, then after a NUL CSV lines for a device of 1 to 8
 * channels (the first byte). A spec that parses has its keys in range and
 * its records are finite on every channel and 0 beyond; a CSV line that
 * parses is a valid stimulus record (value[] only, channels in range).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stimulus.h"

static void check_record(const struct vsensor_record *rec, unsigned int nr)
{
	if (rec->seq || rec->timestamp_ns || rec->flags || rec->channel_mask ||
	    rec->dropped || rec->reserved)
		abort();
	for (unsigned int ch = nr; ch < VSENSOR_MAX_CHANNELS; ch++)
		if (rec->value[ch])
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[STIMULUS_ERR_LEN], *copy = malloc(size + 1), *line, *next;
	struct vsensor_record rec;
	struct stimulus_csv csv;
	struct stimulus_wave w;
	unsigned int nr;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	nr = size ? (unsigned char)copy[0] % VSENSOR_MAX_CHANNELS + 1 : 4;
	if (!stimulus_wave_parse(copy, 100, &w, err)) {
		if (!w.rate_hz || !w.freq_hz || w.amp < 0)
			abort();
		for (uint64_t i = 0; i < 8; i++) {
			stimulus_wave_record(&w, i * 977 + (uint64_t)w.amp, nr, &rec);
			check_record(&rec, nr);
		}
	} else if (!memchr(err, '\0', sizeof(err))) {
		abort();
	}
	line = copy + strlen(copy);
	if (line < copy + size) {
		stimulus_csv_init(&csv, nr);
		for (line++; line <= copy + size; line = next + 1) {
			next = strchr(line, '\n');
			if (!next)
				next = line + strlen(line);
			*next = '\0';
			if (stimulus_csv_line(&csv, line, &rec, err) == 1)
				check_record(&rec, nr);
		}
	}
	free(copy);
	return 0;
}
