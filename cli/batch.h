/*
 * vsensorctl -b FILE: one command a line, as iproute2's batch mode. The
 * splitter has no I/O of its own, so the unit tests and the fuzzer drive it
 * with strings.
 */
#ifndef VSENSORCTL_BATCH_H
#define VSENSORCTL_BATCH_H

#define BATCH_MAX_ARGS	64

/*
 * Split @line in place into words: blanks separate them, "..." and '...'
 * quote (a quoted "" is an empty word), a backslash takes the next
 * character as it is (outside single quotes), a '#' starting a word starts
 * a comment. Returns the number of words (0 for an empty or comment line)
 * with @argv NULL-terminated, or -1 with *@err saying why (an open quote,
 * a trailing backslash, more than BATCH_MAX_ARGS words).
 */
int batch_split(char *line, char *argv[BATCH_MAX_ARGS + 1], const char **err);

#endif /* VSENSORCTL_BATCH_H */
