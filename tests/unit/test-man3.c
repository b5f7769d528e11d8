// SPDX-License-Identifier: GPL-2.0
/*
 * libvsensor's API in the places that must not drift: what it exports
 * (lib/libvsensor.map), what it declares (lib/include/vsensor/vsensor.h)
 * and its man 3 pages (lib/man/PAGE.3.scd). Every exported function is
 * declared in the SYNOPSIS of exactly one page, as the header declares it
 * (whitespace aside), and named in that page's NAME; a page declares no
 * function that is not exported; the build made each page and a link
 * FUNCTION.3 to it for each function, and no other link.
 */
#include <check.h>
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "unit.h"

#define LIB_DIR		UNIT_DIR "/../../lib"
#define MAP_FILE	LIB_DIR "/libvsensor.map"
#define HEADER		LIB_DIR "/include/vsensor/vsensor.h"
#define MAN_DIR		LIB_DIR "/man"
#define BUILT_MAN_DIR	LIBVSENSOR_DIR "/man"
#define MAX_SYMBOLS	256
#define MAX_PAGES	32
#define NAME_LEN	64

/* A function a page's SYNOPSIS declares, and how. */
struct decl {
	char name[NAME_LEN];
	char *text;		/* normalised */
};

struct page {
	char name[NAME_LEN];	/* "vsensor_session" for vsensor_session.3.scd */
	char *text;
	struct decl decls[MAX_SYMBOLS];
	unsigned int num_decls;
};

static char symbols[MAX_SYMBOLS][NAME_LEN];
static unsigned int num_symbols;
static char *header;		/* comments and preprocessor lines removed */
static struct page pages[MAX_PAGES];
static unsigned int num_pages;

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long len;

	ck_assert_msg(f, "open %s", path);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	ck_assert_int_ge(len, 0);
	rewind(f);
	buf = malloc((size_t)len + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)len, f), (size_t)len);
	buf[len] = '\0';
	fclose(f);
	return buf;
}

static int is_ident(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

static int is_punct(char c)
{
	return c && strchr("(),*", c);
}

/*
 * @len bytes of @s with each run of whitespace made one space, none at the
 * ends or next to ( ) , or *: the declaration as a compiler reads it.
 */
static char *normalise(const char *s, size_t len)
{
	char *out = malloc(len + 1), *o = out;

	ck_assert_ptr_nonnull(out);
	for (size_t i = 0; i < len; i++) {
		if (!isspace((unsigned char)s[i])) {
			*o++ = s[i];
			continue;
		}
		while (i + 1 < len && isspace((unsigned char)s[i + 1]))
			i++;
		if (o > out && i + 1 < len && !is_punct(o[-1]) &&
		    !is_punct(s[i + 1]))
			*o++ = ' ';
	}
	*o = '\0';
	return out;
}

static void load_symbols(void)
{
	char *map = read_file(MAP_FILE), *line, *save = NULL;

	for (line = strtok_r(map, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		size_t len;

		line += strspn(line, " \t");
		len = strcspn(line, ";");
		if (strncmp(line, "vsensor_", 8) || line[len] != ';')
			continue;
		ck_assert_uint_lt(len, NAME_LEN);
		ck_assert_uint_lt(num_symbols, MAX_SYMBOLS);
		memcpy(symbols[num_symbols], line, len);
		symbols[num_symbols++][len] = '\0';
	}
	free(map);
	ck_assert_uint_gt(num_symbols, 0);
}

static void load_header(void)
{
	char *text = read_file(HEADER), *o;
	const char *p = text;
	int line_start = 1;

	header = o = calloc(1, strlen(text) + 1);
	ck_assert_ptr_nonnull(header);
	while (*p) {
		if (!strncmp(p, "/*", 2)) {
			p = strstr(p + 2, "*/");
			ck_assert_ptr_nonnull(p);
			p += 2;
		} else if (line_start && *p == '#') {
			p += strcspn(p, "\n");
		} else {
			line_start = *p == '\n';
			*o++ = *p++;
		}
	}
	*o = '\0';
	free(text);
}

/* The header's declaration of @name, normalised; NULL if it has none. */
static char *header_decl(const char *name)
{
	size_t len = strlen(name);
	const char *p = header, *start, *end;

	for (;;) {
		p = strstr(p, name);
		if (!p)
			return NULL;
		if ((p == header || !is_ident(p[-1])) && p[len] == '(')
			break;
		p += len;
	}
	for (start = p; start > header && !strchr(";{}", start[-1]); start--)
		;
	end = strchr(p, ';');
	ck_assert_ptr_nonnull(end);
	return normalise(start, (size_t)(end + 1 - start));
}

/* The section @title of @page's text, up to the next one; NULL if none. */
static const char *section(const struct page *page, const char *title,
			   size_t *len)
{
	char heading[NAME_LEN];
	const char *p, *next;

	snprintf(heading, sizeof(heading), "\n# %s\n", title);
	p = strstr(page->text, heading);
	if (!p)
		return NULL;
	p += strlen(heading);
	next = strstr(p, "\n# ");
	*len = next ? (size_t)(next - p) : strlen(p);
	return p;
}

/* Each declaration of the SYNOPSIS's code block, split at its semicolons. */
static void parse_synopsis(struct page *page)
{
	const char *syn, *code, *end, *p;
	size_t len;

	syn = section(page, "SYNOPSIS", &len);
	ck_assert_msg(syn, "%s.3.scd has no SYNOPSIS", page->name);
	code = strstr(syn, "```\n");
	ck_assert_msg(code && code < syn + len, "%s.3.scd: no code in SYNOPSIS",
		      page->name);
	code += 4;
	end = strstr(code, "\n```");
	ck_assert_ptr_nonnull(end);
	for (p = code; p < end;) {
		const char *semi, *q;
		struct decl *d;

		if (*p == '#') {	/* #include */
			p += strcspn(p, "\n");
			continue;
		}
		semi = memchr(p, ';', (size_t)(end - p));
		if (!semi) {
			while (p < end && isspace((unsigned char)*p))
				p++;
			ck_assert_msg(p == end, "%s.3.scd: no ';' after \"%.20s\"",
				      page->name, p);
			break;
		}
		ck_assert_uint_lt(page->num_decls, MAX_SYMBOLS);
		d = &page->decls[page->num_decls++];
		d->text = normalise(p, (size_t)(semi + 1 - p));
		/* the function: the first identifier followed by '(' */
		for (q = d->text; *q && !(*q == '(' && q > d->text && is_ident(q[-1])); q++)
			;
		ck_assert_msg(*q, "%s.3.scd: not a function: %s", page->name, d->text);
		for (len = 0; q - len > d->text && is_ident(q[-len - 1]); len++)
			;
		ck_assert_uint_lt(len, NAME_LEN);
		memcpy(d->name, q - len, len);
		d->name[len] = '\0';
		p = semi + 1;
	}
}

static void load_pages(void)
{
	DIR *dir = opendir(MAN_DIR);
	const struct dirent *de;
	char path[512];

	ck_assert_msg(dir, "open %s", MAN_DIR);
	/* cppcheck-suppress readdirCalled ; single-threaded */
	while ((de = readdir(dir))) {
		size_t len = strlen(de->d_name);
		struct page *page;

		if (len < 7 || strcmp(de->d_name + len - 6, ".3.scd"))
			continue;
		ck_assert_uint_lt(num_pages, MAX_PAGES);
		ck_assert_uint_lt(len - 6, NAME_LEN);
		page = &pages[num_pages++];
		memcpy(page->name, de->d_name, len - 6);
		page->name[len - 6] = '\0';
		snprintf(path, sizeof(path), "%s/%s", MAN_DIR, de->d_name);
		page->text = read_file(path);
		parse_synopsis(page);
	}
	closedir(dir);
	ck_assert_uint_gt(num_pages, 0);
}

static int exported(const char *name)
{
	for (unsigned int i = 0; i < num_symbols; i++)
		if (!strcmp(symbols[i], name))
			return 1;
	return 0;
}

/* The page whose SYNOPSIS declares @name, and how many do. */
static const struct page *page_of(const char *name, unsigned int *count)
{
	const struct page *found = NULL;

	*count = 0;
	for (unsigned int i = 0; i < num_pages; i++) {
		for (unsigned int j = 0; j < pages[i].num_decls; j++) {
			if (strcmp(pages[i].decls[j].name, name))
				continue;
			found = &pages[i];
			(*count)++;
		}
	}
	return found;
}

START_TEST(test_every_symbol_has_one_page)
{
	unsigned int count;

	for (unsigned int i = 0; i < num_symbols; i++) {
		page_of(symbols[i], &count);
		ck_assert_msg(count == 1, "%s is declared in %u man pages (lib/man/), not 1",
			      symbols[i], count);
	}
}
END_TEST

START_TEST(test_pages_declare_only_exports)
{
	for (unsigned int i = 0; i < num_pages; i++)
		for (unsigned int j = 0; j < pages[i].num_decls; j++)
			ck_assert_msg(exported(pages[i].decls[j].name),
				      "%s.3.scd declares %s, which libvsensor.map does not export",
				      pages[i].name, pages[i].decls[j].name);
}
END_TEST

START_TEST(test_synopsis_matches_header)
{
	for (unsigned int i = 0; i < num_pages; i++) {
		for (unsigned int j = 0; j < pages[i].num_decls; j++) {
			const struct decl *d = &pages[i].decls[j];
			char *want = header_decl(d->name);

			ck_assert_msg(want, "vsensor.h does not declare %s", d->name);
			ck_assert_msg(!strcmp(d->text, want),
				      "%s.3.scd: %s\n  the header: %s", pages[i].name,
				      d->text, want);
			free(want);
		}
	}
}
END_TEST

/* NAME lists every function of the page, for whatis(1) and apropos(1). */
START_TEST(test_name_lists_functions)
{
	for (unsigned int i = 0; i < num_pages; i++) {
		char *line, *dash, names[4096], word[NAME_LEN + 2];
		const char *name;
		size_t len;

		name = section(&pages[i], "NAME", &len);
		ck_assert_msg(name, "%s.3.scd has no NAME", pages[i].name);
		/* a line that begins "- " is a list item to scdoc */
		ck_assert_msg(!memmem(name, len, "\n- ", 3),
			      "%s.3.scd: the \" - \" of NAME begins a line", pages[i].name);
		line = normalise(name, len);
		dash = strstr(line, " - ");
		ck_assert_msg(dash, "%s.3.scd: NAME has no \" - \"", pages[i].name);
		*dash = '\0';
		/* ",a,b,c,": each name between commas */
		ck_assert_int_lt(snprintf(names, sizeof(names), ",%s,", line),
				 (int)sizeof(names));
		for (unsigned int j = 0; j < pages[i].num_decls; j++) {
			snprintf(word, sizeof(word), ",%s,", pages[i].decls[j].name);
			ck_assert_msg(strstr(names, word), "%s.3.scd: NAME lacks %s",
				      pages[i].name, pages[i].decls[j].name);
		}
		free(line);
	}
}
END_TEST

START_TEST(test_sections)
{
	static const char *const titles[] = {
		"NAME", "SYNOPSIS", "DESCRIPTION", "RETURN VALUE", "SEE ALSO", NULL
	};
	size_t len;

	for (unsigned int i = 0; i < num_pages; i++)
		for (int t = 0; titles[t]; t++)
			ck_assert_msg(section(&pages[i], titles[t], &len),
				      "%s.3.scd has no %s", pages[i].name, titles[t]);
}
END_TEST

/* What the build made: each page, and one link per exported function. */
START_TEST(test_built_pages_and_links)
{
	char path[512], want[NAME_LEN + 16];
	unsigned int count, links = 0;
	const struct dirent *de;
	DIR *dir;

	for (unsigned int i = 0; i < num_pages; i++) {
		snprintf(path, sizeof(path), "%s/%s.3", BUILT_MAN_DIR, pages[i].name);
		free(read_file(path));
	}
	for (unsigned int i = 0; i < num_symbols; i++) {
		const struct page *page = page_of(symbols[i], &count);
		char *text;

		if (!page)
			continue;	/* test_every_symbol_has_one_page says */
		snprintf(path, sizeof(path), "%s/links/%s.3", BUILT_MAN_DIR, symbols[i]);
		text = read_file(path);
		snprintf(want, sizeof(want), ".so man3/%s.3\n", page->name);
		ck_assert_msg(!strcmp(text, want), "%s: \"%s\", not \"%s\"", path,
			      text, want);
		free(text);
	}
	dir = opendir(BUILT_MAN_DIR "/links");
	ck_assert_ptr_nonnull(dir);
	/* cppcheck-suppress readdirCalled ; single-threaded */
	while ((de = readdir(dir))) {
		size_t len = strlen(de->d_name);

		if (len < 3 || strcmp(de->d_name + len - 2, ".3"))
			continue;
		links++;
		ck_assert_msg(len - 2 < NAME_LEN, "link %s", de->d_name);
		for (unsigned int i = 0; i < num_pages; i++)
			ck_assert_msg(strlen(pages[i].name) != len - 2 ||
				      strncmp(pages[i].name, de->d_name, len - 2),
				      "a function is named like the page %s", de->d_name);
	}
	closedir(dir);
	ck_assert_uint_eq(links, num_symbols);
}
END_TEST

/* Each test reads the files anew (a checked fixture: a failure is its own). */
static void load(void)
{
	num_symbols = num_pages = 0;
	memset(pages, 0, sizeof(pages));
	load_symbols();
	load_header();
	load_pages();
}

int main(void)
{
	Suite *s = suite_create("man3");
	TCase *tc = tcase_create("man3");

	tcase_add_checked_fixture(tc, load, NULL);
	tcase_add_test(tc, test_every_symbol_has_one_page);
	tcase_add_test(tc, test_pages_declare_only_exports);
	tcase_add_test(tc, test_synopsis_matches_header);
	tcase_add_test(tc, test_name_lists_functions);
	tcase_add_test(tc, test_sections);
	tcase_add_test(tc, test_built_pages_and_links);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
