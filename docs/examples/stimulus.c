// SPDX-License-Identifier: GPL-2.0
/*
 * stimulus: write COUNT stimulus records (a ramp, the same on every
 * channel) to a device through one session and read them back through
 * another: each comes back with the injected flag, bit-exact. Records
 * the reading session lost (F_DROPPED) may have been stimulus: then it
 * stops once the lost and the returned add up to COUNT and says so.
 *   stimulus [DEV [COUNT]]           (default: vsensor0, 100)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vsensor/vsensor.h>

int main(int argc, char **argv)
{
	const char *dev = argc > 1 ? argv[1] : "vsensor0";
	unsigned long count = argc > 2 ? strtoul(argv[2], NULL, 10) : 100;
	struct vsensor_session *in, *out = NULL;
	struct vsensor_record rec, got[64];
	struct vsensor_info info;
	unsigned long sent = 0, back = 0, wrong = 0, lost = 0;

	/*
	 * The reader first, and started: a session streams from its first
	 * read, write, wait or ioctl (here GET_INFO), not from open(), and
	 * the sensor measures the stimulus whether anyone reads or not.
	 */
	in = vsensor_session_open(dev, 0);
	if (in && !vsensor_session_get_info(in, &info))
		out = vsensor_session_open(dev, 0);
	if (!out) {
		fprintf(stderr, "%s: %s\n", dev, strerror(errno));
		return 1;
	}
	while (sent < count) {
		memset(&rec, 0, sizeof(rec));	/* only value[] may be set */
		for (unsigned int ch = 0; ch < info.nr_channels; ch++)
			rec.value[ch] = (int32_t)(sent * 10) - 500;
		if (vsensor_session_write(out, &rec, 1) != 1) {
			fprintf(stderr, "write %s: %s\n", dev, strerror(errno));
			return 1;
		}
		sent++;
	}
	while (back + lost < count) {
		ssize_t n = vsensor_session_read(in, got, 64);

		if (n < 0) {
			fprintf(stderr, "read %s: %s\n", dev, strerror(errno));
			return 1;
		}
		for (ssize_t i = 0; i < n; i++) {
			if (got[i].flags & VSENSOR_RECORD_F_DROPPED)
				lost += got[i].dropped;
			if (!(got[i].flags & VSENSOR_RECORD_F_INJECTED))
				continue;	/* the sensor's own waveform */
			wrong += got[i].value[0] != (int32_t)(back * 10) - 500;
			back++;
		}
	}
	printf("%lu sent, %lu back, %lu wrong", sent, back, wrong);
	if (lost)
		printf(", %lu lost by the reader", lost);
	printf("\n");
	vsensor_session_close(out);
	vsensor_session_close(in);
	return wrong || back < count ? 1 : 0;
}
