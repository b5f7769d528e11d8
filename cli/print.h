/*
 * vsensorctl: one printer for JSON (-j) and text output, after iproute2's
 * json_print: every value is printed by a single call that knows both its
 * JSON key and its text format, so the two outputs cannot drift apart.
 */
#ifndef VSENSORCTL_PRINT_H
#define VSENSORCTL_PRINT_H

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Which output a call prints to. */
enum print_type {
	PRINT_TEXT = 1 << 0,
	PRINT_JSON = 1 << 1,
	PRINT_ANY = PRINT_TEXT | PRINT_JSON,
};

void print_start(FILE *out, bool json, bool pretty);
/* Whether JSON is printed; switch to it or to text (a command's --format). */
bool print_is_json(void);
void print_set_json(bool json);
void print_set_pretty(bool pretty);
/* Ends the JSON document with a newline and flushes: 0, or -1 with errno. */
int print_end(void);
/* Hands what was printed to the kernel: 0, or -1 with errno (EPIPE ...). */
int print_flush(void);
/* Ends a top-level value now (a streamed JSON line), then flushes. */
int print_line_end(void);

/*
 * Containers exist only in JSON; @key is NULL inside arrays and at the top.
 * In text, @fmt is a printf format taking the value (NULL: print nothing);
 * a NULL string is null in JSON and "-" in text.
 */
void print_open_object(const char *key);
void print_close_object(void);
void print_open_array(const char *key);
void print_close_array(void);
void print_string(enum print_type type, const char *key, const char *fmt,
		  const char *value);
void print_int(enum print_type type, const char *key, const char *fmt,
	       int value);
void print_uint(enum print_type type, const char *key, const char *fmt,
		unsigned int value);
void print_u64(enum print_type type, const char *key, const char *fmt,
	       uint64_t value);
/* true or false in JSON; in text @fmt takes "yes" or "no". */
void print_bool(enum print_type type, const char *key, const char *fmt,
		bool value);
/* Text only. */
void print_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void print_nl(void);

/*
 * The compiler checks each helper's text format against its value as it
 * would printf's (-Wformat): the macros below call a format-checked stub
 * that is never run, then the helper. A NULL format checks as the plain
 * one; a format built at run time is not checked, so there is none.
 */
static inline __attribute__((format(printf, 1, 2)))
int print_check_format(const char *fmt, ...)
{
	(void)fmt;
	return 0;
}

#define PRINT_CHECKED(fn, type, key, fmt, plain, checked, value)		\
	((void)(0 && print_check_format((fmt) ? (fmt) : (plain), checked)), \
	 fn(type, key, fmt, value))
#define print_string(type, key, fmt, value)				\
	PRINT_CHECKED(print_string, type, key, fmt, "%s",		\
		      (const char *)(value), value)
#define print_int(type, key, fmt, value)				\
	PRINT_CHECKED(print_int, type, key, fmt, "%d", (int)(value), value)
#define print_uint(type, key, fmt, value)				\
	PRINT_CHECKED(print_uint, type, key, fmt, "%u",			\
		      (unsigned int)(value), value)
#define print_u64(type, key, fmt, value)				\
	PRINT_CHECKED(print_u64, type, key, fmt, "%" PRIu64,		\
		      (uint64_t)(value), value)
/* in text, print_bool's format takes "yes" or "no" */
#define print_bool(type, key, fmt, value)				\
	PRINT_CHECKED(print_bool, type, key, fmt, "%s", "", value)

#endif /* VSENSORCTL_PRINT_H */
