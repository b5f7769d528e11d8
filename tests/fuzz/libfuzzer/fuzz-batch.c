// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: vsensorctl -b's line splitter (cli/batch.c). Words are
 * split in place: each must lie inside the line, end before the line's end
 * and come in order; at most BATCH_MAX_ARGS of them; an error is one of
 * the splitter's messages.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1), *argv[BATCH_MAX_ARGS + 1];
	const char *err = NULL;
	int argc;

	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	argc = batch_split(line, argv, &err);
	if (argc < 0) {
		if (!err || !*err)
			abort();
	} else {
		if (argc > BATCH_MAX_ARGS || argv[argc])
			abort();
		for (int i = 0; i < argc; i++) {
			if (argv[i] < line || argv[i] + strlen(argv[i]) > line + size ||
			    (i && argv[i] <= argv[i - 1]))
				abort();
		}
	}
	free(line);
	return 0;
}
