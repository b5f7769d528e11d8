/*
 * vsensorctl: the JSON/text printer. JSON strings are escaped completely:
 * quotes, backslashes and control characters, and any byte that is not part
 * of valid UTF-8 becomes U+FFFD, so the output is always valid JSON.
 */
#include <assert.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>

#include "vsensorctl.h"

#define PRINT_MAX_DEPTH	8

static struct {
	FILE *out;
	bool json;
	bool pretty;
	unsigned int depth;
	/* has_member[d]: the container at depth d holds a value already */
	bool has_member[PRINT_MAX_DEPTH + 1];
} printer;

void print_start(FILE *out, bool json, bool pretty)
{
	/* a closed pipe before (a batch's last command) is not this one's */
	clearerr(out);
	printer.out = out;
	printer.json = json;
	printer.pretty = pretty;
	printer.depth = 0;
	printer.has_member[0] = false;
}

bool print_is_json(void)
{
	return printer.json;
}

void print_set_json(bool json)
{
	printer.json = json;
}

void print_set_pretty(bool pretty)
{
	printer.pretty = pretty;
}

int print_flush(void)
{
	if (fflush(printer.out) == EOF || ferror(printer.out))
		return -1;
	return 0;
}

int print_end(void)
{
	if (printer.json && printer.has_member[0])
		fputc('\n', printer.out);
	return print_flush();
}

int print_line_end(void)
{
	if (printer.json && printer.has_member[0])
		fputc('\n', printer.out);
	printer.has_member[0] = false;
	return print_flush();
}

static const struct {
	unsigned char first_min, first_max;
	unsigned char second_min, second_max;
	unsigned int len;
} utf8_sequences[] = {
	{ 0xc2, 0xdf, 0x80, 0xbf, 2 },
	{ 0xe0, 0xe0, 0xa0, 0xbf, 3 },	/* no overlong forms */
	{ 0xe1, 0xec, 0x80, 0xbf, 3 },
	{ 0xed, 0xed, 0x80, 0x9f, 3 },	/* no surrogates */
	{ 0xee, 0xef, 0x80, 0xbf, 3 },
	{ 0xf0, 0xf0, 0x90, 0xbf, 4 },
	{ 0xf1, 0xf3, 0x80, 0xbf, 4 },
	{ 0xf4, 0xf4, 0x80, 0x8f, 4 },	/* nothing above U+10FFFF */
};

/* Length of the valid multi-byte UTF-8 sequence at @s, or 0. */
static unsigned int utf8_sequence_len(const unsigned char *s)
{
	unsigned int i, k;

	for (i = 0; i < ARRAY_SIZE(utf8_sequences); i++) {
		if (s[0] < utf8_sequences[i].first_min ||
		    s[0] > utf8_sequences[i].first_max)
			continue;
		if (s[1] < utf8_sequences[i].second_min ||
		    s[1] > utf8_sequences[i].second_max)
			return 0;
		for (k = 2; k < utf8_sequences[i].len; k++) {
			if (s[k] < 0x80 || s[k] > 0xbf)
				return 0;
		}
		return utf8_sequences[i].len;
	}
	return 0;
}

static const char *const json_escapes[0x20] = {
	['\b'] = "\\b", ['\t'] = "\\t", ['\n'] = "\\n",
	['\f'] = "\\f", ['\r'] = "\\r",
};

/* Write the character at @s as JSON needs it; returns its length in bytes. */
static unsigned int json_write_char(const unsigned char *s)
{
	if (*s >= 0x80) {
		unsigned int len = utf8_sequence_len(s);

		if (!len) {
			fputs("\\ufffd", printer.out);
			return 1;
		}
		fwrite(s, 1, len, printer.out);
		return len;
	}

	if (*s == '"' || *s == '\\')
		fprintf(printer.out, "\\%c", *s);
	else if (*s < 0x20 && json_escapes[*s])
		fputs(json_escapes[*s], printer.out);
	else if (*s < 0x20)
		fprintf(printer.out, "\\u%04x", *s);
	else
		fputc(*s, printer.out);
	return 1;
}

static void json_write_string(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	fputc('"', printer.out);
	while (*s)
		s += json_write_char(s);
	fputc('"', printer.out);
}

static void json_newline(void)
{
	if (printer.pretty)
		fprintf(printer.out, "\n%*s", (int)printer.depth * 2, "");
}

/* Separator, indentation and key before a value at the current depth. */
static void json_begin_value(const char *key)
{
	bool *has_member = &printer.has_member[printer.depth];

	if (*has_member)
		fputc(printer.depth ? ',' : '\n', printer.out);
	*has_member = true;
	if (printer.depth)
		json_newline();

	if (key && printer.depth) {
		json_write_string(key);
		fputs(printer.pretty ? ": " : ":", printer.out);
	}
}

static void json_open(const char *key, char bracket)
{
	if (!printer.json)
		return;

	assert(printer.depth < PRINT_MAX_DEPTH);
	json_begin_value(key);
	fputc(bracket, printer.out);
	printer.has_member[++printer.depth] = false;
}

static void json_close(char bracket)
{
	if (!printer.json)
		return;

	assert(printer.depth > 0);
	printer.depth--;
	if (printer.has_member[printer.depth + 1])
		json_newline();
	fputc(bracket, printer.out);
}

void print_open_object(const char *key)
{
	json_open(key, '{');
}

void print_close_object(void)
{
	json_close('}');
}

void print_open_array(const char *key)
{
	json_open(key, '[');
}

void print_close_array(void)
{
	json_close(']');
}

static bool text_wanted(enum print_type type, const char *fmt)
{
	return !printer.json && (type & PRINT_TEXT) && fmt;
}

static bool json_wanted(enum print_type type, const char *key)
{
	if (!printer.json || !(type & PRINT_JSON))
		return false;

	json_begin_value(key);
	return true;
}

void (print_string)(enum print_type type, const char *key, const char *fmt,
		  const char *value)
{
	if (text_wanted(type, fmt))
		fprintf(printer.out, fmt, value ? value : "-");
	if (!json_wanted(type, key))
		return;

	if (value)
		json_write_string(value);
	else
		fputs("null", printer.out);
}

void (print_int)(enum print_type type, const char *key, const char *fmt,
	       int value)
{
	if (text_wanted(type, fmt))
		fprintf(printer.out, fmt, value);
	else if (json_wanted(type, key))
		fprintf(printer.out, "%d", value);
}

void (print_uint)(enum print_type type, const char *key, const char *fmt,
		unsigned int value)
{
	if (text_wanted(type, fmt))
		fprintf(printer.out, fmt, value);
	else if (json_wanted(type, key))
		fprintf(printer.out, "%u", value);
}

void (print_u64)(enum print_type type, const char *key, const char *fmt,
	       uint64_t value)
{
	if (text_wanted(type, fmt))
		fprintf(printer.out, fmt, value);
	else if (json_wanted(type, key))
		fprintf(printer.out, "%" PRIu64, value);
}

void (print_bool)(enum print_type type, const char *key, const char *fmt,
		bool value)
{
	if (text_wanted(type, fmt))
		fprintf(printer.out, fmt, value ? "yes" : "no");
	else if (json_wanted(type, key))
		fputs(value ? "true" : "false", printer.out);
}

void print_text(const char *fmt, ...)
{
	va_list ap;

	if (printer.json)
		return;

	va_start(ap, fmt);
	vfprintf(printer.out, fmt, ap);
	va_end(ap);
}

void print_nl(void)
{
	print_text("\n");
}
