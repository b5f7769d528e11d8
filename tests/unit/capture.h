/*
 * Unit test helper: run the CLI printer into memory and hand back what it
 * printed. Used from a checked fixture, so each test gets a fresh buffer.
 */
#ifndef TEST_CAPTURE_H
#define TEST_CAPTURE_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "print.h"

static char *capture_buf;
static size_t capture_len;
static FILE *capture_file;

static inline void capture_start(bool json, bool pretty)
{
	capture_file = open_memstream(&capture_buf, &capture_len);
	ck_assert_ptr_nonnull(capture_file);
	print_start(capture_file, json, pretty);
}

/* Ends the output (print_end()) and returns all of it. */
static inline const char *capture_end(void)
{
	ck_assert_int_eq(print_end(), 0);
	ck_assert_int_eq(fclose(capture_file), 0);
	capture_file = NULL;
	return capture_buf;
}

static inline void capture_free(void)
{
	if (capture_file)
		fclose(capture_file);
	free(capture_buf);
	capture_buf = NULL;
}

#endif /* TEST_CAPTURE_H */
