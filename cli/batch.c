/* vsensorctl -b FILE: a batch line into words (see batch.h). */
#include <stdbool.h>
#include <stddef.h>

#include "batch.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int batch_split(char *line, char *argv[BATCH_MAX_ARGS + 1], const char **err)
{
	char *in = line, *out = line;
	int argc = 0;

	for (;;) {
		char quote = 0;

		while (is_blank(*in))
			in++;
		if (!*in || *in == '#')
			break;
		if (argc == BATCH_MAX_ARGS) {
			*err = "more than 64 words";
			return -1;
		}
		argv[argc++] = out;
		/* one word: copied down over its quotes and backslashes */
		while (*in && (quote || !is_blank(*in))) {
			if (quote && *in == quote) {
				quote = 0;
				in++;
			} else if (!quote && (*in == '"' || *in == '\'')) {
				quote = *in++;
			} else if (*in == '\\' && quote != '\'') {
				if (!in[1]) {
					*err = "a backslash at the end of the line";
					return -1;
				}
				*out++ = in[1];
				in += 2;
			} else {
				*out++ = *in++;
			}
		}
		if (quote) {
			*err = quote == '"' ? "an open \" quote" : "an open ' quote";
			return -1;
		}
		if (*in)
			in++;	/* the blank after the word */
		*out++ = '\0';
	}
	argv[argc] = NULL;
	return argc;
}
