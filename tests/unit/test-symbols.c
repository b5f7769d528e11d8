// SPDX-License-Identifier: GPL-2.0
/*
 * libvsensor's ABI as it was built: the shared library exports exactly the
 * symbols lib/libvsensor.map lists, each with its version node, and
 * nothing else (nm -D --defined-only); debian/libvsensor0.symbols lists
 * the same set. A mismatch names each symbol that differs, and the last
 * tests show that one extra or missing symbol is caught.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "unit.h"

#define MAP_FILE	UNIT_DIR "/../../lib/libvsensor.map"
#define DEBIAN_SYMBOLS	UNIT_DIR "/../../debian/libvsensor0.symbols"
#define SHARED_LIB	LIBVSENSOR_DIR "/libvsensor.so"
#define MAX_SYMBOLS	512
#define SYM_LEN		96

/* A set of "name@NODE"; the version nodes themselves as "NODE". */
struct symset {
	char sym[MAX_SYMBOLS][SYM_LEN];
	unsigned int n;
};

static void set_add(struct symset *set, const char *name, const char *node)
{
	ck_assert_uint_lt(set->n, MAX_SYMBOLS);
	if (node)
		snprintf(set->sym[set->n++], SYM_LEN, "%s@%s", name, node);
	else
		snprintf(set->sym[set->n++], SYM_LEN, "%s", name);
}

static int set_has(const struct symset *set, const char *sym)
{
	unsigned int i;

	for (i = 0; i < set->n; i++)
		if (!strcmp(set->sym[i], sym))
			return 1;
	return 0;
}

/*
 * The map: "NODE {" opens a node, "global:" and "local:" switch lists, a
 * name ends with ";", "}" closes the node. Comments are C style.
 */
static void read_map(const char *path, struct symset *set)
{
	char line[256], node[SYM_LEN] = "", name[SYM_LEN];
	int in_comment = 0, global = 0;
	FILE *f = fopen(path, "r");

	ck_assert_msg(f, "open %s", path);
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, "/*"))
			in_comment = 1;
		if (in_comment) {
			in_comment = !strstr(line, "*/");
			continue;
		}
		if (strchr(line, '{') &&
		    sscanf(line, " %95[A-Za-z0-9_.]", node) == 1) {
			set_add(set, node, NULL);
			global = 0;
		} else if (strstr(line, "global:")) {
			global = 1;
		} else if (strstr(line, "local:") || strchr(line, '}')) {
			global = 0;
		} else if (global && sscanf(line, " %95[A-Za-z0-9_] ;", name) == 1) {
			set_add(set, name, node);
		}
	}
	fclose(f);
}

/* What the library exports: "T name@@NODE", and "A NODE" per node. */
static void read_exports(const char *lib, struct symset *set)
{
	char cmd[512], line[256], type, sym[SYM_LEN], *at;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "nm -D --defined-only '%s'", lib);
	p = popen(cmd, "r");
	ck_assert_msg(p, "%s", cmd);
	while (fgets(line, sizeof(line), p)) {
		ck_assert_msg(sscanf(line, "%*s %c %95s", &type, sym) == 2,
			      "nm: %s", line);
		at = strstr(sym, "@@");
		if (type == 'A' && !at) {
			set_add(set, sym, NULL);	/* a version node */
			continue;
		}
		if (at)
			memmove(at, at + 1, strlen(at + 1) + 1);
		set_add(set, sym, NULL);	/* unversioned: stays as it is */
	}
	ck_assert_int_eq(pclose(p), 0);
}

/* debian/libvsensor0.symbols: " name@NODE MINVER"; the node as " NODE@NODE". */
static void read_debian(const char *path, struct symset *set)
{
	char line[256], sym[SYM_LEN], *at;
	FILE *f = fopen(path, "r");

	ck_assert_msg(f, "open %s", path);
	while (fgets(line, sizeof(line), f)) {
		if (line[0] != ' ' || sscanf(line, " %95s", sym) != 1)
			continue;
		at = strchr(sym, '@');
		if (at && strlen(at + 1) == (size_t)(at - sym) &&
		    !strncmp(sym, at + 1, (size_t)(at - sym)))
			*at = '\0';	/* NODE@NODE: the version node */
		set_add(set, sym, NULL);
	}
	fclose(f);
}

/* Each of @a not in @b, said in @why; how many. */
static unsigned int missing(const struct symset *a, const struct symset *b,
			    const char *what, char *why, size_t len)
{
	unsigned int i, n = 0;
	size_t used;

	for (i = 0; i < a->n; i++) {
		if (set_has(b, a->sym[i]))
			continue;
		used = strlen(why);
		snprintf(why + used, len - used, "%s: %s\n", what, a->sym[i]);
		n++;
	}
	return n;
}

/* The differences between the map, the library and the Debian symbols. */
static unsigned int compare(const char *map, const char *lib,
			    const char *debian, char *why, size_t len)
{
	static struct symset in_map, in_lib, in_debian;
	unsigned int n = 0;

	in_map.n = in_lib.n = in_debian.n = 0;
	why[0] = '\0';
	read_map(map, &in_map);
	read_exports(lib, &in_lib);
	read_debian(debian, &in_debian);
	ck_assert_uint_gt(in_map.n, 1);
	n += missing(&in_lib, &in_map, "exported, not in the map", why, len);
	n += missing(&in_map, &in_lib, "in the map, not exported", why, len);
	n += missing(&in_debian, &in_map, "in the Debian symbols, not in the map",
		     why, len);
	n += missing(&in_map, &in_debian, "in the map, not in the Debian symbols",
		     why, len);
	return n;
}

START_TEST(test_exports_are_the_map)
{
	char why[2048];	/* Check carries messages up to 4 KiB */

	ck_assert_msg(!compare(MAP_FILE, SHARED_LIB, DEBIAN_SYMBOLS, why,
			       sizeof(why)), "%s", why);
}
END_TEST

/* A copy of @src with @line added after the line holding @after. */
static void copy_with(const char *src, const char *dst, const char *after,
		      const char *line)
{
	FILE *in = fopen(src, "r"), *out = fopen(dst, "w");
	char buf[256];
	int added = 0;

	ck_assert_ptr_nonnull(in);
	ck_assert_ptr_nonnull(out);
	while (fgets(buf, sizeof(buf), in)) {
		fputs(buf, out);
		if (!added && strstr(buf, after)) {
			fputs(line, out);
			added = 1;
		}
	}
	ck_assert(added);
	fclose(in);
	fclose(out);
}

/* A symbol the library does not export, named in the map: caught. */
START_TEST(test_detects_unexported)
{
	char map[] = "/tmp/test-symbols-map-XXXXXX", why[2048];
	int fd = mkstemp(map);

	ck_assert_int_ge(fd, 0);
	close(fd);
	copy_with(MAP_FILE, map, "global:", "\tvsensor_not_there;\n");
	ck_assert_uint_eq(compare(map, SHARED_LIB, DEBIAN_SYMBOLS, why,
				  sizeof(why)), 2);
	ck_assert_str_eq(why, "in the map, not exported: vsensor_not_there@VSENSOR_0\n"
			 "in the map, not in the Debian symbols: "
			 "vsensor_not_there@VSENSOR_0\n");
	unlink(map);
}
END_TEST

/* The Debian symbols with one more, or with a version node of its own. */
START_TEST(test_detects_debian_extra)
{
	char deb[] = "/tmp/test-symbols-deb-XXXXXX", why[2048];
	int fd = mkstemp(deb);

	ck_assert_int_ge(fd, 0);
	close(fd);
	copy_with(DEBIAN_SYMBOLS, deb, "Build-Depends-Package",
		  " vsensor_gone@VSENSOR_0 0.1.0\n");
	ck_assert_uint_eq(compare(MAP_FILE, SHARED_LIB, deb, why, sizeof(why)), 1);
	ck_assert_str_eq(why, "in the Debian symbols, not in the map: "
			 "vsensor_gone@VSENSOR_0\n");
	unlink(deb);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("symbols");
	TCase *tc = tcase_create("abi");

	tcase_add_test(tc, test_exports_are_the_map);
	tcase_add_test(tc, test_detects_unexported);
	tcase_add_test(tc, test_detects_debian_extra);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
