/*
 * vsensorctl: the JSON/text printer. JSON values are json-c objects, each
 * printed by json-c once it is complete: a top-level value, or an element
 * of a top-level array, which is streamed (read's records, a list), so the
 * output of a long command is never held whole. Text output escapes what
 * it prints of a string; JSON strings get U+FFFD for any byte that is not
 * valid UTF-8, so the output is always valid JSON.
 */
#include <assert.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "vsensorctl.h"

#define PRINT_MAX_DEPTH	8

static struct {
	FILE *out;
	bool json;
	bool pretty;
	unsigned int depth;	/* open containers */
	/* the open containers, outermost first (JSON) */
	json_object *open[PRINT_MAX_DEPTH];
	/* open[0] is a top-level array, streamed: not in memory */
	bool streaming;
	unsigned long streamed;	/* elements of it printed so far */
	bool top_printed;	/* a top-level value is out */
} printer;

static void json_reset(void);

void print_start(FILE *out, bool json, bool pretty)
{
	/* a closed pipe before (a batch's last command) is not this one's */
	clearerr(out);
	json_reset();
	printer.out = out;
	printer.json = json;
	printer.pretty = pretty;
	printer.top_printed = false;
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
	/* an output cut short still closes what it opened */
	while (printer.json && printer.depth)
		print_close_array();
	if (printer.json && printer.top_printed)
		fputc('\n', printer.out);
	return print_flush();
}

int print_line_end(void)
{
	if (printer.json && printer.top_printed)
		fputc('\n', printer.out);
	printer.top_printed = false;
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

static void *xmalloc(size_t size)
{
	void *p = malloc(size);

	if (!p) {
		fputs("vsensorctl: out of memory\n", stderr);
		abort();
	}
	return p;
}

/* json-c fails only for want of memory: nothing to print then. */
static json_object *json_checked(json_object *value)
{
	if (!value) {
		fputs("vsensorctl: out of memory\n", stderr);
		abort();
	}
	return value;
}

/*
 * @str with U+FFFD for each byte that begins no valid UTF-8 sequence
 * (json-c copies bytes as they are): @str itself when it is valid, else a
 * copy in *@copy to be freed.
 */
static const char *utf8_valid(const char *str, char **copy)
{
	static const char replacement[] = "\xef\xbf\xbd";
	const unsigned char *s = (const unsigned char *)str;
	char *out;
	size_t n = 0;

	*copy = NULL;
	while (*s && (*s < 0x80 || utf8_sequence_len(s)))
		s += *s < 0x80 ? 1 : utf8_sequence_len(s);
	if (!*s)
		return str;

	out = xmalloc(3 * strlen(str) + 1);
	for (s = (const unsigned char *)str; *s;) {
		unsigned int len = *s < 0x80 ? 1 : utf8_sequence_len(s);

		if (!len) {
			memcpy(out + n, replacement, 3);
			n += 3;
			s++;
			continue;
		}
		memcpy(out + n, s, len);
		n += len;
		s += len;
	}
	out[n] = '\0';
	*copy = out;
	return out;
}

static json_object *json_string_new(const char *str)
{
	json_object *value;
	char *copy;

	value = json_object_new_string(utf8_valid(str, &copy));
	free(copy);
	return json_checked(value);
}

static int json_flags(void)
{
	return JSON_C_TO_STRING_NOSLASHESCAPE | (printer.pretty ?
		JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED :
		JSON_C_TO_STRING_PLAIN);
}

/* Whether a value now is top-level, or an element of the streamed array. */
static bool json_printed_alone(void)
{
	return !printer.depth || (printer.depth == 1 && printer.streaming);
}

/* Print a complete value that json_printed_alone(), and free it. */
static void json_print(json_object *value)
{
	const char *str = json_object_to_json_string_ext(value, json_flags());

	if (!printer.depth) {
		if (printer.top_printed)
			fputc('\n', printer.out);
		fputs(str, printer.out);
		printer.top_printed = true;
	} else if (!printer.pretty) {
		if (printer.streamed++)
			fputc(',', printer.out);
		fputs(str, printer.out);
	} else {
		/* indented one level more than json-c did */
		fputs(printer.streamed++ ? ",\n  " : "\n  ", printer.out);
		for (; *str; str++) {
			fputc(*str, printer.out);
			if (*str == '\n')
				fputs("  ", printer.out);
		}
	}
	json_object_put(value);
}

/* Put @value (NULL: null) into the open container, or print it. */
static void json_add(const char *key, json_object *value)
{
	json_object *parent;
	char *copy;

	if (json_printed_alone()) {
		json_print(value);
		return;
	}
	parent = printer.open[printer.depth - 1];
	if (json_object_is_type(parent, json_type_array)) {
		json_object_array_add(parent, value);
		return;
	}
	json_object_object_add(parent, utf8_valid(key ? key : "", &copy),
			       value);
	free(copy);
}

static void json_open(const char *key, json_object *container)
{
	assert(printer.depth < PRINT_MAX_DEPTH);
	if (!printer.depth && json_object_is_type(container, json_type_array)) {
		/* streamed: its elements are printed as they complete */
		json_object_put(container);
		if (printer.top_printed)
			fputc('\n', printer.out);
		fputc('[', printer.out);
		printer.streaming = true;
		printer.streamed = 0;
		printer.open[printer.depth++] = NULL;
		return;
	}
	/* the parent holds it: printed with it, or on its close if alone */
	if (!json_printed_alone())
		json_add(key, json_object_get(container));
	printer.open[printer.depth++] = container;
}

static void json_close(void)
{
	json_object *container;

	assert(printer.depth > 0);
	container = printer.open[--printer.depth];
	if (printer.depth || !printer.streaming) {
		if (json_printed_alone())
			json_print(container);
		else
			json_object_put(container);
		return;
	}
	printer.streaming = false;
	fputs(printer.pretty && printer.streamed ? "\n]" : "]", printer.out);
	printer.top_printed = true;
}

/* Forget what is open (a previous command's output cut short). */
static void json_reset(void)
{
	while (printer.depth) {
		json_object *container = printer.open[--printer.depth];

		/* each open container holds a reference of its own */
		json_object_put(container);
	}
	printer.streaming = false;
}

void print_open_object(const char *key)
{
	if (printer.json)
		json_open(key, json_checked(json_object_new_object()));
}

void print_close_object(void)
{
	if (printer.json)
		json_close();
}

void print_open_array(const char *key)
{
	if (printer.json)
		json_open(key, json_checked(json_object_new_array()));
}

void print_close_array(void)
{
	if (printer.json)
		json_close();
}

/*
 * @str as a terminal may show it: control characters, backslashes and
 * bytes that are not UTF-8 (and C1 controls, which are) as C escapes, \n
 * or \x1b. @str itself when there is none, else a copy in *@copy.
 */
static const char *text_escaped(const char *str, char **copy)
{
	static const char short_forms[] = "\n\t\r\\";
	static const char short_names[] = "ntr\\";
	const unsigned char *s = (const unsigned char *)str;
	char *out, *at;

	*copy = NULL;
	while (*s >= 0x20 && *s != 0x7f && *s != '\\' &&
	       (*s < 0x80 || (*s != 0xc2 && utf8_sequence_len(s))))
		s += *s < 0x80 ? 1 : utf8_sequence_len(s);
	if (!*s)
		return str;

	at = out = xmalloc(4 * strlen(str) + 1);
	for (s = (const unsigned char *)str; *s;) {
		unsigned int len = *s < 0x80 ? 1 : utf8_sequence_len(s);
		const char *in = *s ? strchr(short_forms, *s) : NULL;

		if (in) {
			at += sprintf(at, "\\%c", short_names[in - short_forms]);
		} else if (*s < 0x20 || *s == 0x7f || !len ||
			   (*s == 0xc2 && s[1] < 0xa0)) {
			/* a C1 control is two bytes: both escaped */
			len = len ? len : 1;
			for (unsigned int i = 0; i < len; i++)
				at += sprintf(at, "\\x%02x", s[i]);
		} else {
			memcpy(at, s, len);
			at += len;
		}
		s += len;
	}
	*at = '\0';
	*copy = out;
	return out;
}

static bool text_wanted(enum print_type type, const char *fmt)
{
	return !printer.json && (type & PRINT_TEXT) && fmt;
}

static bool json_wanted(enum print_type type)
{
	return printer.json && (type & PRINT_JSON);
}

void (print_string)(enum print_type type, const char *key, const char *fmt,
		  const char *value)
{
	char *copy;

	if (text_wanted(type, fmt)) {
		fprintf(printer.out, fmt,
			value ? text_escaped(value, &copy) : "-");
		if (value)
			free(copy);
	} else if (json_wanted(type)) {
		json_add(key, value ? json_string_new(value) : NULL);
	}
}

void (print_int)(enum print_type type, const char *key, const char *fmt,
	       int value)
{
	if (text_wanted(type, fmt))
		fprintf(printer.out, fmt, value);
	else if (json_wanted(type))
		json_add(key, json_checked(json_object_new_int(value)));
}

void (print_uint)(enum print_type type, const char *key, const char *fmt,
		unsigned int value)
{
	if (text_wanted(type, fmt))
		fprintf(printer.out, fmt, value);
	else if (json_wanted(type))
		json_add(key, json_checked(json_object_new_int64(value)));
}

void (print_u64)(enum print_type type, const char *key, const char *fmt,
	       uint64_t value)
{
	if (text_wanted(type, fmt))
		fprintf(printer.out, fmt, value);
	else if (json_wanted(type))
		json_add(key, json_checked(json_object_new_uint64(value)));
}

void (print_bool)(enum print_type type, const char *key, const char *fmt,
		bool value)
{
	if (text_wanted(type, fmt))
		fprintf(printer.out, fmt, value ? "yes" : "no");
	else if (json_wanted(type))
		json_add(key, json_checked(json_object_new_boolean(value)));
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
