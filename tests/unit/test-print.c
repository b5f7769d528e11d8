/*
 * Tests of cli/print.c: JSON escaping, nesting and separators, pretty
 * output, streamed top-level arrays, text output and its escaping, and
 * that each call prints in its own mode only.
 */
#include <check.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <stdint.h>
#include <unistd.h>

#include "capture.h"
#include "unit.h"

/* Invalid UTF-8: each byte that starts no valid sequence becomes U+FFFD. */
#define FFFD "\xef\xbf\xbd"
static const struct escape_case {
	const char *in;
	const char *out;
} invalid_utf8[] = {
	{ "\xff", FFFD },				/* never valid */
	{ "a\x80z", "a" FFFD "z" },			/* lone continuation */
	{ "\xc0\xaf", FFFD FFFD },			/* overlong '/' */
	{ "\xe0\x80\xaf", FFFD FFFD FFFD },		/* overlong */
	{ "\xed\xa0\x80", FFFD FFFD FFFD },		/* surrogate D800 */
	{ "\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD },	/* > 10FFFF */
	{ "\xe2\x82", FFFD FFFD },			/* cut short by the end */
	{ "\xe2\x82z", FFFD FFFD "z" },		/* cut short */
	{ "\xc2", FFFD },
};

/* {"k":<value>} for one string value, compact. */
static const char *json_string(const char *value)
{
	capture_start(true, false);
	print_open_object(NULL);
	print_string(PRINT_ANY, "k", "%s", value);
	print_close_object();
	return capture_end();
}

START_TEST(test_escape_quote_backslash)
{
	ck_assert_str_eq(json_string("a\"b\\c"), "{\"k\":\"a\\\"b\\\\c\"}\n");
}
END_TEST

START_TEST(test_escape_short_forms)
{
	ck_assert_str_eq(json_string("\b\f\n\r\t"),
			 "{\"k\":\"\\b\\f\\n\\r\\t\"}\n");
}
END_TEST

START_TEST(test_escape_other_control_chars)
{
	ck_assert_str_eq(json_string("\x01-\x1f-\x0b-\x7f"),
			 "{\"k\":\"\\u0001-\\u001f-\\u000b-\x7f\"}\n");
}
END_TEST

START_TEST(test_plain_and_slash_unescaped)
{
	ck_assert_str_eq(json_string("/dev/vsensor0 ~'"),
			 "{\"k\":\"/dev/vsensor0 ~'\"}\n");
}
END_TEST

START_TEST(test_valid_utf8_kept)
{
	/* 2, 3 and 4 byte sequences: U+00B5, U+20AC, U+1F600, U+10FFFF */
	ck_assert_str_eq(json_string("\xc2\xb5\xe2\x82\xac\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf"),
			 "{\"k\":\"\xc2\xb5\xe2\x82\xac\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf\"}\n");
}
END_TEST

START_TEST(test_invalid_utf8_replaced)
{
	char expected[64];

	snprintf(expected, sizeof(expected), "{\"k\":\"%s\"}\n",
		 invalid_utf8[_i].out);
	ck_assert_str_eq(json_string(invalid_utf8[_i].in), expected);
}
END_TEST

START_TEST(test_key_escaped)
{
	capture_start(true, false);
	print_open_object(NULL);
	print_uint(PRINT_ANY, "a\"\n", "%u", 1);
	print_close_object();
	ck_assert_str_eq(capture_end(), "{\"a\\\"\\n\":1}\n");
}
END_TEST

/* {"a":[1,-2,{"b":null,"c":"x"}],"d":{},"e":[]} */
static void print_nested(void)
{
	print_open_object(NULL);
	print_open_array("a");
	print_uint(PRINT_ANY, NULL, "%u", 1);
	print_int(PRINT_ANY, NULL, " %d", -2);
	print_open_object(NULL);
	print_string(PRINT_ANY, "b", " b %s", NULL);
	print_string(PRINT_ANY, "c", " c %s", "x");
	print_close_object();
	print_close_array();
	print_open_object("d");
	print_close_object();
	print_open_array("e");
	print_close_array();
	print_close_object();
}

START_TEST(test_nesting_compact)
{
	capture_start(true, false);
	print_nested();
	ck_assert_str_eq(capture_end(),
			 "{\"a\":[1,-2,{\"b\":null,\"c\":\"x\"}],\"d\":{},\"e\":[]}\n");
}
END_TEST

START_TEST(test_nesting_pretty)
{
	capture_start(true, true);
	print_nested();
	ck_assert_str_eq(capture_end(),
			 "{\n"
			 "  \"a\": [\n"
			 "    1,\n"
			 "    -2,\n"
			 "    {\n"
			 "      \"b\": null,\n"
			 "      \"c\": \"x\"\n"
			 "    }\n"
			 "  ],\n"
			 "  \"d\": {\n"
			 "  },\n"
			 "  \"e\": [\n"
			 "  ]\n"
			 "}\n");
}
END_TEST

START_TEST(test_nesting_text)
{
	capture_start(false, false);
	print_nested();
	ck_assert_str_eq(capture_end(), "1 -2 b - c x");
}
END_TEST

START_TEST(test_number_limits)
{
	capture_start(true, false);
	print_open_array(NULL);
	print_int(PRINT_ANY, NULL, NULL, INT_MIN);
	print_int(PRINT_ANY, NULL, NULL, INT_MAX);
	print_uint(PRINT_ANY, NULL, NULL, UINT_MAX);
	print_u64(PRINT_ANY, NULL, NULL, UINT64_MAX);
	print_u64(PRINT_ANY, NULL, NULL, 0);
	print_close_array();
	ck_assert_str_eq(capture_end(),
			 "[-2147483648,2147483647,4294967295,18446744073709551615,0]\n");
}
END_TEST

/* Each call prints in its own mode only; no format means no text. */
static void print_mixed(void)
{
	print_open_object(NULL);
	print_string(PRINT_ANY, "any", "any=%s", "A");
	print_string(PRINT_JSON, "json", " json=%s", "J");
	print_string(PRINT_TEXT, "text", " text=%s", "T");
	print_uint(PRINT_ANY, "nofmt", NULL, 7);
	print_u64(PRINT_TEXT, "u64", " u64=%" PRIu64, 9);
	print_bool(PRINT_ANY, "yes", " yes=%s", true);
	print_bool(PRINT_JSON, "no", NULL, false);
	print_text(" free %d", 3);
	print_nl();
	print_close_object();
}

START_TEST(test_modes_json)
{
	capture_start(true, false);
	print_mixed();
	ck_assert_str_eq(capture_end(),
			 "{\"any\":\"A\",\"json\":\"J\",\"nofmt\":7,\"yes\":true,"
			 "\"no\":false}\n");
}
END_TEST

START_TEST(test_modes_text)
{
	capture_start(false, false);
	print_mixed();
	ck_assert_str_eq(capture_end(), "any=A text=T u64=9 yes=yes free 3\n");
}
END_TEST

START_TEST(test_empty_outputs)
{
	capture_start(true, false);
	print_open_array(NULL);
	print_close_array();
	ck_assert_str_eq(capture_end(), "[]\n");
	capture_free();

	/* Nothing printed: not even the newline. */
	capture_start(true, true);
	ck_assert_str_eq(capture_end(), "");
	capture_free();

	capture_start(false, false);
	print_open_array(NULL);
	print_close_array();
	ck_assert_str_eq(capture_end(), "");
}
END_TEST

/* A list: each element printed when complete, indented as if nested. */
static void print_list(void)
{
	print_open_array(NULL);
	print_open_object(NULL);
	print_u64(PRINT_ANY, "id", "id %" PRIu64, 1);
	print_open_array("flags");
	print_string(PRINT_ANY, NULL, " %s", "x");
	print_close_array();
	print_close_object();
	print_uint(PRINT_ANY, NULL, " %u", 2);
	print_close_array();
}

START_TEST(test_top_array_compact)
{
	capture_start(true, false);
	print_list();
	print_list();
	ck_assert_str_eq(capture_end(),
			 "[{\"id\":1,\"flags\":[\"x\"]},2]\n"
			 "[{\"id\":1,\"flags\":[\"x\"]},2]\n");
}
END_TEST

START_TEST(test_top_array_pretty)
{
	capture_start(true, true);
	print_list();
	ck_assert_str_eq(capture_end(),
			 "[\n"
			 "  {\n"
			 "    \"id\": 1,\n"
			 "    \"flags\": [\n"
			 "      \"x\"\n"
			 "    ]\n"
			 "  },\n"
			 "  2\n"
			 "]\n");
}
END_TEST

/* The elements go out as they complete: a reader sees each at once. */
START_TEST(test_top_array_streamed)
{
	capture_start(true, false);
	print_open_array(NULL);
	print_open_object(NULL);
	print_int(PRINT_ANY, "seq", NULL, 0);
	print_close_object();
	ck_assert_int_eq(print_flush(), 0);
	ck_assert_str_eq(capture_buf, "[{\"seq\":0}");
	print_open_object(NULL);
	print_int(PRINT_ANY, "seq", NULL, 1);
	/* cut short (a read interrupted): print_end() closes it all */
	ck_assert_str_eq(capture_end(), "[{\"seq\":0},{\"seq\":1}]\n");
}
END_TEST

/* One value a line (monitor, read --format jsonl). */
START_TEST(test_line_end)
{
	capture_start(true, true);
	print_open_object(NULL);
	print_int(PRINT_ANY, "a", NULL, 1);
	print_close_object();
	ck_assert_int_eq(print_line_end(), 0);
	ck_assert_str_eq(capture_buf, "{\n  \"a\": 1\n}\n");
	print_string(PRINT_ANY, NULL, NULL, "b");
	ck_assert_str_eq(capture_end(), "{\n  \"a\": 1\n}\n\"b\"\n");
}
END_TEST

/* What reaches a terminal from a string is never a control character. */
static const struct escape_case text_escapes[] = {
	{ "cat", "cat" },
	{ "a b/~'\"", "a b/~'\"" },
	{ "\n\t\r\\", "\\n\\t\\r\\\\" },
	{ "\x1b[2J\x07", "\\x1b[2J\\x07" },
	{ "\x01\x7f", "\\x01\\x7f" },
	{ "\xc2\xb5\xe2\x82\xac\xf0\x9f\x98\x80", "\xc2\xb5\xe2\x82\xac\xf0\x9f\x98\x80" },
	{ "\xc2\x9b" "1m", "\\xc2\\x9b" "1m" },		/* C1 CSI */
	{ "a\xff" "b\xe2\x82", "a\\xff" "b\\xe2\\x82" },	/* not UTF-8 */
};

START_TEST(test_text_escaped)
{
	char expected[64];

	capture_start(false, false);
	print_string(PRINT_ANY, "k", "<%s>", text_escapes[_i].in);
	snprintf(expected, sizeof(expected), "<%s>", text_escapes[_i].out);
	ck_assert_str_eq(capture_end(), expected);
}
END_TEST

START_TEST(test_write_error_reported)
{
	FILE *full = fopen("/dev/full", "w");

	ck_assert_ptr_nonnull(full);
	print_start(full, true, false);
	print_open_array(NULL);
	print_close_array();
	errno = 0;
	ck_assert_int_eq(print_end(), -1);
	ck_assert_int_eq(errno, ENOSPC);
	fclose(full);
}
END_TEST

/* What `vsensorctl ... | head` meets: EPIPE, with SIGPIPE ignored. */
START_TEST(test_closed_pipe_reported)
{
	FILE *out;
	int fds[2];

	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(close(fds[0]), 0);
	signal(SIGPIPE, SIG_IGN);
	out = fdopen(fds[1], "w");
	ck_assert_ptr_nonnull(out);

	print_start(out, false, false);
	print_text("record\n");
	errno = 0;
	ck_assert_int_eq(print_flush(), -1);
	ck_assert_int_eq(errno, EPIPE);
	fclose(out);
}
END_TEST

/*
 * Each helper's text format is checked by the compiler against the value's
 * type: a call compiles (cc -Wall -Werror on print.h) only when they agree.
 */
static const struct format_call {
	const char *call;
	bool compiles;
} format_calls[] = {
	{ "print_u64(PRINT_ANY, \"k\", \" k %\" PRIu64, (uint64_t)1)", true },
	{ "print_u64(PRINT_ANY, \"k\", \" k %llu\", (uint64_t)1)", false },
	{ "print_u64(PRINT_JSON, \"k\", NULL, (uint64_t)1)", true },
	{ "print_uint(PRINT_ANY, \"k\", \" k %u\", 1u)", true },
	{ "print_uint(PRINT_ANY, \"k\", \" k %s\", 1u)", false },
	{ "print_int(PRINT_ANY, \"k\", \" k %d %d\", 1)", false },
	{ "print_string(PRINT_ANY, \"k\", \" k %s\", \"v\")", true },
	{ "print_string(PRINT_ANY, \"k\", \" k %d\", \"v\")", false },
	{ "print_string(PRINT_JSON, \"k\", NULL, NULL)", true },
	{ "print_bool(PRINT_ANY, \"k\", \" k %s\", true)", true },
	{ "print_bool(PRINT_ANY, \"k\", \" k %d\", true)", false },
	{ "print_text(\" %s\", 1)", false },
};

START_TEST(test_format_checked)
{
	const struct format_call *t = &format_calls[_i];
	char path[] = "/tmp/test-print-XXXXXX.c", cmd[512];
	FILE *src;
	int fd, status;

	fd = mkstemps(path, 2);
	ck_assert_int_ge(fd, 0);
	src = fdopen(fd, "w");
	ck_assert_ptr_nonnull(src);
	fprintf(src, "#include \"print.h\"\nvoid f(void);\nvoid f(void) { %s; }\n",
		t->call);
	ck_assert_int_eq(fclose(src), 0);
	snprintf(cmd, sizeof(cmd),
		 "cc -std=c11 -Wall -Wextra -Werror -fsyntax-only -I%s/../../cli %s "
		 "2>/dev/null", UNIT_DIR, path);
	status = system(cmd);
	unlink(path);
	ck_assert(WIFEXITED(status));
	ck_assert_msg((WEXITSTATUS(status) == 0) == t->compiles,
		      "%s: exit status %d", t->call, WEXITSTATUS(status));
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("print");
	TCase *tc = tcase_create("json");

	tcase_add_checked_fixture(tc, NULL, capture_free);
	tcase_add_test(tc, test_escape_quote_backslash);
	tcase_add_test(tc, test_escape_short_forms);
	tcase_add_test(tc, test_escape_other_control_chars);
	tcase_add_test(tc, test_plain_and_slash_unescaped);
	tcase_add_test(tc, test_valid_utf8_kept);
	tcase_add_loop_test(tc, test_invalid_utf8_replaced, 0,
			    sizeof(invalid_utf8) / sizeof(invalid_utf8[0]));
	tcase_add_test(tc, test_key_escaped);
	tcase_add_test(tc, test_nesting_compact);
	tcase_add_test(tc, test_nesting_pretty);
	tcase_add_test(tc, test_number_limits);
	tcase_add_test(tc, test_empty_outputs);
	tcase_add_test(tc, test_top_array_compact);
	tcase_add_test(tc, test_top_array_pretty);
	tcase_add_test(tc, test_top_array_streamed);
	tcase_add_test(tc, test_line_end);
	suite_add_tcase(suite, tc);

	tc = tcase_create("modes");
	tcase_add_checked_fixture(tc, NULL, capture_free);
	tcase_add_test(tc, test_nesting_text);
	tcase_add_test(tc, test_modes_json);
	tcase_add_test(tc, test_modes_text);
	tcase_add_loop_test(tc, test_text_escaped, 0,
			    sizeof(text_escapes) / sizeof(text_escapes[0]));
	tcase_add_test(tc, test_write_error_reported);
	tcase_add_test(tc, test_closed_pipe_reported);
	suite_add_tcase(suite, tc);

	tc = tcase_create("formats");
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_format_checked, 0,
			    sizeof(format_calls) / sizeof(format_calls[0]));
	suite_add_tcase(suite, tc);

	return unit_run(suite);
}
