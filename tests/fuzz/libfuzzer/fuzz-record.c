// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: vsensorctl's record printer (cli/record.c through
 * cli/print.c) with any record, in text and JSON, plain and pretty. The
 * text must be one line; the JSON balanced, with only known flag names or
 * hex for the rest.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vsensorctl.h"

static void check_text(const char *s, size_t len)
{
	if (!len || s[len - 1] != '\n' || memchr(s, '\n', len - 1))
		abort();
}

static void check_json(const char *s, size_t len)
{
	int depth = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '{' || s[i] == '[')
			depth++;
		else if (s[i] == '}' || s[i] == ']')
			depth--;
		else if (s[i] == '"' && memchr(s + i + 1, '"', len - i - 1))
			i = (const char *)memchr(s + i + 1, '"', len - i - 1) - s;
		if (depth < 0)
			abort();
	}
	if (depth)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vsensor_record rec;
	unsigned int mode;
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	if (size < 1)
		return 0;
	memset(&rec, 0, sizeof(rec));
	memcpy(&rec, data + 1, size - 1 < sizeof(rec) ? size - 1 : sizeof(rec));
	for (mode = 0; mode < 3; mode++) {
		f = open_memstream(&out, &len);
		if (!f)
			return 0;
		print_start(f, mode > 0, mode == 2 || (data[0] & 1));
		print_record(&rec);
		print_end();
		fclose(f);
		if (mode == 0)
			check_text(out, len);
		else
			check_json(out, len);
		free(out);
		out = NULL;
	}
	return 0;
}
