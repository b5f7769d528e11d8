// SPDX-License-Identifier: GPL-2.0
/*
 * reader: list the vsensor devices, then read COUNT records from one at
 * RATE Hz and print them as CSV, with every gap in the stream reported on
 * stderr where it happened.
 *   reader [DEV [COUNT [RATE]]]      (default: vsensor0, 10, 100)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vsensor/vsensor.h>

int main(int argc, char **argv)
{
	const char *dev = argc > 1 ? argv[1] : "vsensor0";
	unsigned long count = argc > 2 ? strtoul(argv[2], NULL, 10) : 10;
	unsigned long rate = argc > 3 ? strtoul(argv[3], NULL, 10) : 100;
	struct vsensor_record recs[64];
	struct vsensor_session *session;
	struct vsensor_config config;
	struct vsensor_ctx *ctx;
	struct vsensor_gap *gap;
	char line[256];
	unsigned long done = 0;

	ctx = vsensor_ctx_new();
	if (!ctx) {
		perror("vsensor_ctx_new");
		return 1;
	}
	for (size_t i = 0; i < vsensor_ctx_get_num_devices(ctx); i++) {
		struct vsensor_device *d = vsensor_ctx_get_device(ctx, i);
		const char *serial = vsensor_device_get_serial(d);

		fprintf(stderr, "# %s serial %s\n", vsensor_device_get_name(d),
			serial ? serial : "-");
	}
	vsensor_ctx_free(ctx);

	session = vsensor_session_open(dev, 0);
	if (!session) {
		fprintf(stderr, "open %s: %s\n", dev, strerror(errno));
		return 1;
	}
	/* one SET_CONFIG: the kernel writes back what it applied */
	if (vsensor_session_get_config(session, &config)) {
		fprintf(stderr, "%s: get configuration: %s\n", dev, strerror(errno));
		return 1;
	}
	config.rate_hz = (unsigned int)rate;
	if (vsensor_session_set_config(session, &config)) {
		fprintf(stderr, "%s: rate %lu Hz refused: %s\n", dev, rate,
			strerror(errno));
		return 1;
	}
	gap = vsensor_gap_new();
	if (!gap)
		return 1;
	if (vsensor_record_csv_header(config.channel_mask, line, sizeof(line)) > 0)
		fputs(line, stdout);
	while (done < count) {
		size_t want = count - done < 64 ? count - done : 64;
		ssize_t n = vsensor_session_read(session, recs, want);

		if (n < 0) {
			fprintf(stderr, "read %s: %s\n", dev, strerror(errno));
			break;
		}
		for (ssize_t i = 0; i < n; i++) {
			uint64_t lost = vsensor_gap_check(gap, &recs[i]);

			if (lost)
				fprintf(stderr, "# %llu records lost before seq %llu\n",
					(unsigned long long)lost,
					(unsigned long long)recs[i].seq);
			if (vsensor_record_csv(&recs[i], config.channel_mask, line,
					       sizeof(line)) > 0)
				fputs(line, stdout);
		}
		done += (unsigned long)n;
	}
	fprintf(stderr, "# %lu records, %llu lost in %llu gaps\n", done,
		(unsigned long long)vsensor_gap_get_lost(gap),
		(unsigned long long)vsensor_gap_get_gaps(gap));
	vsensor_gap_free(gap);
	vsensor_session_close(session);
	return done == count ? 0 : 1;
}
