// SPDX-License-Identifier: GPL-2.0
/*
 * vsensorctl's grammar in three places that must not drift: the usage it
 * prints (`vsensorctl OBJECT help`, from its command tables), its man page
 * (cli/vsensorctl.8.scd) and its bash completion (cli/vsensorctl.bash).
 * Every word of the usage is in the man page, in bold, and offered by the
 * completion; the completion offers no word the usage does not know; and
 * completing runs as a user types it. Likewise for the userspace driver's
 * tools (vfio/): every command, option and value their usage names is in
 * bold in their man pages.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "unit.h"

#define CLI_DIR		UNIT_DIR "/../../cli"
#define MAN_SCD		CLI_DIR "/vsensorctl.8.scd"
#define COMPLETION	CLI_DIR "/vsensorctl.bash"
#define VFIO_DIR	UNIT_DIR "/../../vfio"
#define VSENSOR_VFIO	LIBVSENSOR_DIR "/../vfio/vsensor-vfio"
#define MAX_WORDS	256
#define WORD_LEN	32

struct words {
	unsigned int n;
	char w[MAX_WORDS][WORD_LEN];
};

static int words_has(const struct words *ws, const char *w)
{
	for (unsigned int i = 0; i < ws->n; i++)
		if (!strcmp(ws->w[i], w))
			return 1;
	return 0;
}

static void words_add(struct words *ws, const char *w, size_t len)
{
	char word[WORD_LEN];

	ck_assert_uint_lt(len, WORD_LEN);
	memcpy(word, w, len);
	word[len] = '\0';
	if (words_has(ws, word))
		return;
	ck_assert_uint_lt(ws->n, MAX_WORDS);
	strcpy(ws->w[ws->n++], word);
}

/*
 * The grammar's words in @text: lower-case words and options. Placeholders
 * (DEV, vsensorN), paths (/dev/vsensorN) and the usage's own prose are not.
 */
static void words_scan(struct words *ws, const char *text)
{
	static const char *const prose[] = { "where", "vsensorctl", NULL };
	const char *p = text;

	while (*p) {
		size_t len = strspn(p, "abcdefghijklmnopqrstuvwxyz"
				       "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-/:");
		size_t dashes = strspn(p, "-");
		int word = len > 1 && dashes <= 2 && dashes < len &&
			   strspn(p + dashes, "abcdefghijklmnopqrstuvwxyz_") ==
			   len - dashes;

		for (int i = 0; word && prose[i]; i++)
			word = !(len == strlen(prose[i]) &&
				 !strncmp(p, prose[i], len));
		if (word)
			words_add(ws, p, len);
		p += len ? len : 1;
	}
}

/* Everything @cmd prints on standard output, in @buf. */
static void run(const char *cmd, char *buf, size_t len)
{
	FILE *f = popen(cmd, "r");
	size_t n;

	ck_assert_msg(f, "popen %s", cmd);
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	ck_assert_msg(pclose(f) == 0, "%s failed", cmd);
	ck_assert_uint_lt(n, len - 1);
}

static const char *const objects[] = {
	"device", "read", "write", "watch", "session", "monitor", "daemon", NULL
};

/* The words of every usage text. */
static void usage_words(struct words *ws)
{
	static char out[8192];
	char cmd[512];

	run("LD_LIBRARY_PATH=" LIBVSENSOR_DIR " " VSENSORCTL " help", out,
	    sizeof(out));
	words_scan(ws, out);
	for (int i = 0; objects[i]; i++) {
		snprintf(cmd, sizeof(cmd), "LD_LIBRARY_PATH=%s %s %s help",
			 LIBVSENSOR_DIR, VSENSORCTL, objects[i]);
		run(cmd, out, sizeof(out));
		words_scan(ws, out);
	}
}

/* What the completion offers for the words @line (the last one is typed). */
static void complete(const char *line, char *out, size_t len)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd),
		 "bash -c '. %s; COMP_WORDS=(%s); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); "
		 "_vsensorctl; echo \"${COMPREPLY[*]}\"'", COMPLETION, line);
	run(cmd, out, len);
	out[strcspn(out, "\n")] = '\0';
}

START_TEST(test_usage_has_every_object)
{
	struct words ws = { 0 };

	usage_words(&ws);
	for (int i = 0; objects[i]; i++)
		ck_assert_msg(words_has(&ws, objects[i]), "%s", objects[i]);
	/* and the words of the usage texts, a few of each kind */
	ck_assert(words_has(&ws, "frequency_mhz"));
	ck_assert(words_has(&ws, "--nonblock"));
	ck_assert(words_has(&ws, "boottime"));
	ck_assert(words_has(&ws, "--ascii"));
	ck_assert(!words_has(&ws, "DEV"));
	ck_assert(!words_has(&ws, "usage"));
}
END_TEST

START_TEST(test_man_page_has_every_word)
{
	static char page[65536];
	struct words ws = { 0 };
	char bold[WORD_LEN + 2];
	FILE *f = fopen(MAN_SCD, "r");
	size_t n;

	ck_assert_msg(f, "open %s", MAN_SCD);
	n = fread(page, 1, sizeof(page) - 1, f);
	fclose(f);
	ck_assert_uint_lt(n, sizeof(page) - 1);
	page[n] = '\0';
	usage_words(&ws);
	for (unsigned int i = 0; i < ws.n; i++) {
		snprintf(bold, sizeof(bold), "*%s", ws.w[i]);
		ck_assert_msg(strstr(page, bold), "%s lacks *%s*", MAN_SCD,
			      ws.w[i]);
	}
}
END_TEST

START_TEST(test_completion_matches_usage)
{
	static char out[8192];
	struct words usage = { 0 }, offered = { 0 };

	usage_words(&usage);
	run("bash -c '. " COMPLETION "; for k in \"${!_vsensorctl_words[@]}\"; do "
	    "echo \"${_vsensorctl_words[$k]}\"; done'", out, sizeof(out));
	words_scan(&offered, out);
	for (unsigned int i = 0; i < usage.n; i++)
		ck_assert_msg(words_has(&offered, usage.w[i]),
			      "the completion does not offer %s", usage.w[i]);
	for (unsigned int i = 0; i < offered.n; i++)
		ck_assert_msg(words_has(&usage, offered.w[i]),
			      "the completion offers %s, which no usage names",
			      offered.w[i]);
}
END_TEST

/* The whole of the file at @path in @buf, a string. */
static void read_text(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	ck_assert_msg(f, "open %s", path);
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	ck_assert_uint_lt(n, len - 1);
	buf[n] = '\0';
}

/*
 * The grammar's words in a usage of the vfio tools: each command (the
 * first word of a line indented by two spaces), each option (-n, --rate)
 * and each value of a list (irq|poll). The prose beside them is not.
 */
static void vfio_usage_words(struct words *ws, char *text)
{
	char *line, *word, *alt, *save_line, *save_word, *save_alt;

	for (line = strtok_r(text, "\n", &save_line); line;
	     line = strtok_r(NULL, "\n", &save_line)) {
		if (!strncmp(line, "  ", 2) && line[2] >= 'a' && line[2] <= 'z')
			words_add(ws, line + 2, strcspn(line + 2, " "));
		for (word = strtok_r(line, " []{}(),;", &save_word); word;
		     word = strtok_r(NULL, " []{}(),;", &save_word)) {
			if (word[0] == '-' && word[1])
				words_add(ws, word, strlen(word));
			else if (strchr(word, '|'))
				for (alt = strtok_r(word, "|", &save_alt); alt;
				     alt = strtok_r(NULL, "|", &save_alt))
					words_add(ws, alt, strlen(alt));
		}
	}
}

/* Every word @cmd's usage names is in bold in the page @scd. */
static void check_vfio_page(const char *cmd, const char *scd,
			    unsigned int min_words)
{
	static char out[8192], page[32768];
	struct words ws = { 0 };
	char bold[WORD_LEN + 2];

	run(cmd, out, sizeof(out));
	vfio_usage_words(&ws, out);
	ck_assert_uint_ge(ws.n, min_words);
	read_text(scd, page, sizeof(page));
	for (unsigned int i = 0; i < ws.n; i++) {
		snprintf(bold, sizeof(bold), "*%s*", ws.w[i]);
		ck_assert_msg(strstr(page, bold), "%s lacks *%s*", scd, ws.w[i]);
	}
}

START_TEST(test_vfio_man_page_has_every_word)
{
	/* stream dma-escape info help, 10 options, 11 values */
	check_vfio_page(VSENSOR_VFIO " help", VFIO_DIR "/vsensor-vfio.8.scd", 25);
}
END_TEST

START_TEST(test_vfio_bind_man_page_has_every_word)
{
	/* the usage is an error: stderr, exit status 1 */
	check_vfio_page("sh " VFIO_DIR "/vsensor-vfio-bind 2>&1; true",
			VFIO_DIR "/vsensor-vfio-bind.8.scd", 2);
}
END_TEST

/*
 * A bad argument of vsensor-vfio: the one line it prints and exit status 1,
 * before it touches any device (the BDF need not exist).
 */
struct bad_argument {
	const char *args, *says;
};

static const struct bad_argument vfio_bad[] = {
	{ "stream 0000:01:00.0 --priority 0", "--priority: 1..99, not '0'" },
	{ "stream 0000:01:00.0 --priority 100", "--priority: 1..99, not '100'" },
	{ "stream 0000:01:00.0 -p 5x", "--priority: 1..99, not '5x'" },
	{ "stream 0000:01:00.0 --rate fast", "--rate: 'fast' is not a number" },
	{ "stream 0000:01:00.0 --mode sleep", "--mode: irq or poll, not 'sleep'" },
	{ "stream 0000:01:00.0 --format json", "--format: raw, text or none, not 'json'" },
	{ "stream", "stream: one PCI address (BDF) expected" },
	{ "frobnicate", "unknown command 'frobnicate'" },
};

START_TEST(test_vfio_bad_argument)
{
	char cmd[256], out[512], want[256];

	snprintf(cmd, sizeof(cmd), VSENSOR_VFIO " %s 2>&1; echo \"exit $?\"",
		 vfio_bad[_i].args);
	run(cmd, out, sizeof(out));
	snprintf(want, sizeof(want),
		 "vsensor-vfio: %s (vsensor-vfio help)\nexit 1\n", vfio_bad[_i].says);
	ck_assert_str_eq(out, want);
}
END_TEST

/* A line typed so far, and what the completion must offer for it. */
struct typed_line {
	const char *line, *offers;
};

static const struct typed_line typed[] = {
	{ "vsensorctl dev", "device" },
	{ "vsensorctl -j d", "device daemon" },
	{ "vsensorctl --", "--json --pretty --batch --force --help --version" },
	{ "vsensorctl device \"\"", "list show add del set help" },
	{ "vsensorctl device set vsensor0 \"\"",
	  "waveform amplitude frequency_mhz persist" },
	{ "vsensorctl device set vsensor0 waveform s", "sine square" },
	{ "vsensorctl device set vsensor0 amplitude \"\"", "" },
	{ "vsensorctl session start vsensor0 clock \"\"",
	  "monotonic realtime boottime" },
	{ "vsensorctl session start vsensor0 format \"\"", "bin csv" },
	{ "vsensorctl read vsensor0 --n", "--nonblock" },
	{ "vsensorctl read vsensor0 --format j", "json jsonl" },
	{ "vsensorctl read vsensor0 --clock r", "realtime" },
	{ "vsensorctl read vsensor0 --rate \"\"", "" },
	{ "vsensorctl daemon r", "reload" },
	{ "vsensorctl w", "write watch" },
	{ "vsensorctl wa", "watch" },
	{ "vsensorctl watch vsensor0 --", "--rate --channels --ascii" },
	{ "vsensorctl watch vsensor0 --rate \"\"", "" },
	{ "vsensorctl write vsensor0 --", "--format --wave" },
	{ "vsensorctl write vsensor0 --format \"\"", "csv raw" },
	{ "vsensorctl write vsensor0 --wave s", "sine square" },
	{ "vsensorctl write vsensor0 --wave sine:f", "sine:freq=" },
	{ "vsensorctl write vsensor0 --wave sine:freq=5,a", "sine:freq=5,amp=" },
	{ "vsensorctl monitor \"\"", "help" },
	{ "vsensorctl -b /nonexistent/x", "" },	/* a file name, not a word */
	/* DEV is a device name, never the word (the host has none) */
	{ "vsensorctl device show \"\"", "" },
};

START_TEST(test_completion_as_typed)
{
	const struct typed_line *t = &typed[_i];
	char out[512];

	complete(t->line, out, sizeof(out));
	ck_assert_msg(!strcmp(out, t->offers), "%s: got \"%s\", want \"%s\"",
		      t->line, out, t->offers);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("grammar");
	TCase *tc = tcase_create("grammar");

	/*
	 * Each test runs vsensorctl or bash a dozen times or more: under
	 * ASan on a machine busy with a kernel build that took over Check's
	 * default 4 s.
	 */
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_usage_has_every_object);
	tcase_add_test(tc, test_man_page_has_every_word);
	tcase_add_test(tc, test_vfio_man_page_has_every_word);
	tcase_add_test(tc, test_vfio_bind_man_page_has_every_word);
	tcase_add_loop_test(tc, test_vfio_bad_argument, 0,
			    sizeof(vfio_bad) / sizeof(vfio_bad[0]));
	tcase_add_test(tc, test_completion_matches_usage);
	tcase_add_loop_test(tc, test_completion_as_typed, 0,
			    sizeof(typed) / sizeof(typed[0]));
	suite_add_tcase(s, tc);
	return unit_run(s);
}
