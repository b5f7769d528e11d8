// SPDX-License-Identifier: GPL-2.0
/* Tests of cli/batch.c: a batch line into words, quotes, escapes, limits. */
#include <check.h>
#include <string.h>

#include "batch.h"
#include "vsensorctl.h"
#include "unit.h"

static const struct split_case {
	const char *line;
	int argc;
	const char *words[6];	/* or the error */
} splits[] = {
	{ "device show 0\n", 3, { "device", "show", "0" } },
	{ "  \t read\tvsensor0  -n 5 \r\n", 4, { "read", "vsensor0", "-n", "5" } },
	{ "", 0, { NULL } },
	{ "   \n", 0, { NULL } },
	{ "# all comment", 0, { NULL } },
	{ "monitor # the rest", 1, { "monitor" } },
	{ "a#b", 1, { "a#b" } },
	{ "set \"a b\" 'c d' e\\ f", 4, { "set", "a b", "c d", "e f" } },
	{ "x\"y z\"w", 1, { "xy zw" } },
	{ "\"\" ''", 2, { "", "" } },
	{ "'a\\b' \"a\\\"b\"", 2, { "a\\b", "a\"b" } },
	{ "\"# not a comment\"", 1, { "# not a comment" } },
	{ "read \"x", -1, { "an open \" quote" } },
	{ "read 'x", -1, { "an open ' quote" } },
	{ "read x\\", -1, { "a backslash at the end of the line" } },
};

START_TEST(test_split)
{
	const struct split_case *t = &splits[_i];
	char line[128], *argv[BATCH_MAX_ARGS + 1];
	const char *err = NULL;
	int argc;

	strcpy(line, t->line);
	argc = batch_split(line, argv, &err);
	ck_assert_int_eq(argc, t->argc);
	if (argc < 0) {
		ck_assert_str_eq(err, t->words[0]);
		return;
	}
	for (int i = 0; i < argc; i++)
		ck_assert_str_eq(argv[i], t->words[i]);
	ck_assert_ptr_null(argv[argc]);
}
END_TEST

/* @n words "ab" in @line. */
static char *words(char *line, int n)
{
	line[0] = '\0';
	for (int i = 0; i < n; i++)
		strcat(line, "ab ");
	return line;
}

START_TEST(test_too_many_words)
{
	char line[3 * (BATCH_MAX_ARGS + 1) + 1], *argv[BATCH_MAX_ARGS + 1];
	const char *err = NULL;

	ck_assert_int_eq(batch_split(words(line, BATCH_MAX_ARGS), argv, &err),
			 BATCH_MAX_ARGS);
	ck_assert_str_eq(argv[BATCH_MAX_ARGS - 1], "ab");
	ck_assert_int_eq(batch_split(words(line, BATCH_MAX_ARGS + 1), argv, &err), -1);
	ck_assert_str_eq(err, "more than 64 words");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("batch");
	TCase *tc = tcase_create("batch");

	tcase_add_loop_test(tc, test_split, 0, ARRAY_SIZE(splits));
	tcase_add_test(tc, test_too_many_words);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
