// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: vsensorctl's argument parsing. The input is an argv,
 * NUL-separated; it goes through "read"'s option parser (getopt_long, the
 * COUNT, timeout, duration, rate, mask, clock and format parsers) and every argument through the shared parsers:
 * DEV (N, vsensorN, /dev/vsensorN, a serial), the library's number parser and the library's
 * device-argument parser. Parsers must agree and never read past a string.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../../cli/cmd-read.c"

#define MAX_ARGS	16

static void check_one(const char *arg)
{
	unsigned int id;
	uint64_t v;

	if (!vsensor_parse_u64(arg, 1, 1000, &v) && (v < 1 || v > 1000))
		abort();
	/* every N, vsensorN, /dev/vsensorN is a DEV (so is a serial) */
	if (!vsensor_parse_device_arg(arg, &id) && (check_device_arg(arg) || id > INT_MAX))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size + 1), *argv[MAX_ARGS + 2];
	struct read_args args = {
		.deadline_ns = -1, .end_ns = -1, .config = SESSION_OPTS_INIT,
		.format = &read_formats[0],
	};
	int argc = 1;
	size_t i;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	argv[0] = "read";
	argv[argc++] = copy;
	for (i = 0; i < size && argc < MAX_ARGS + 1; i++)
		if (!copy[i])
			argv[argc++] = copy + i + 1;
	argv[argc] = NULL;
	for (i = 1; i < (size_t)argc; i++)
		check_one(argv[i]);
	/* parsed: a device, --timeout only with a count, a known format */
	if (!parse_args(argc, argv, &args) &&
	    (!args.device || (args.deadline_ns >= 0 && !args.count) ||
	     !args.format || args.config.clock_id > VSENSOR_CLOCK_BOOTTIME))
		abort();
	free(copy);
	return 0;
}
