/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsensor-capcheck FILE: check a binary recording of vsensord (docs/
 * vsensord.md): the header, then every entry. Prints one line
 *   records R gaps G first F next N breaks B dropped D gap_ms M
 * where a break is a record whose seq is not the one expected (loss or
 * disorder), dropped counts the records the kernel flagged lost, and gap_ms
 * sums the spans of the gap markers. Exit 0 when the file is well formed.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <linux/vsensor.h>

#define CAP_F_GAP	(1U << 31)

int main(int argc, char **argv)
{
	struct vsensor_record r;
	unsigned char hdr[64];
	uint64_t records = 0, gaps = 0, breaks = 0, dropped = 0, gap_ns = 0;
	uint64_t first = 0, next = 0;
	int status;
	FILE *f;

	if (argc != 2) {
		fprintf(stderr, "usage: vsensor-capcheck FILE\n");
		return 2;
	}
	f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	if (fread(hdr, sizeof(hdr), 1, f) != 1 || memcmp(hdr, "VSNCAP1", 8)) {
		fprintf(stderr, "%s: no VSNCAP1 header\n", argv[1]);
		fclose(f);
		return 1;
	}
	while (fread(&r, sizeof(r), 1, f) == 1) {
		if (r.flags & CAP_F_GAP) {
			uint64_t start = (uint32_t)r.value[0] | (uint64_t)(uint32_t)r.value[1] << 32;
			uint64_t end = (uint32_t)r.value[2] | (uint64_t)(uint32_t)r.value[3] << 32;

			gaps++;
			if ((records || gaps > 1) && r.seq != next)
				breaks++;
			gap_ns += end > start ? end - start : 0;
			next = r.seq;
			continue;
		}
		if (!records && !gaps)
			first = r.seq;
		else if (r.seq != next)
			breaks++;
		if (r.flags & VSENSOR_RECORD_F_DROPPED)
			dropped += r.dropped;
		next = r.seq + 1;
		records++;
	}
	printf("records %" PRIu64 " gaps %" PRIu64 " first %" PRIu64 " next %" PRIu64
	       " breaks %" PRIu64 " dropped %" PRIu64 " gap_ms %" PRIu64 "\n",
	       records, gaps, first, next, breaks, dropped, gap_ns / 1000000);
	status = ferror(f) ? 1 : 0;
	fclose(f);
	return status;
}
