// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of daemon/settings.c: the configuration and its errors, conf.d,
 * match rules and the persisted settings, on files in a temporary directory.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/vsensor.h>

#include "settings.h"
#include "unit.h"

#define EXAMPLE_CONF	UNIT_DIR "/../../systemd/vsensord.conf"
#define NOBODY		65534

static char dir[] = "/tmp/test-settings.XXXXXX";
static char conf[256], confd[256], state[256];

static void setup(void)
{
	strcpy(dir, "/tmp/test-settings.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(conf, sizeof(conf), "%s/vsensord.conf", dir);
	snprintf(confd, sizeof(confd), "%s/vsensord.conf.d", dir);
	snprintf(state, sizeof(state), "%s/settings.conf", dir);
}

static int remove_one(const char *path, const struct stat *st, int flag,
		      struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(path);
}

static void teardown(void)
{
	if (geteuid() != getuid())
		ck_assert_int_eq(seteuid(getuid()), 0);
	nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(text, 1, strlen(text), f), strlen(text));
	ck_assert_int_eq(fclose(f), 0);
}

/* @name in conf.d, which is created */
static void write_confd(const char *name, const char *text)
{
	char path[PATH_MAX];

	if (mkdir(confd, 0755))
		ck_assert_int_eq(errno, EEXIST);
	snprintf(path, sizeof(path), "%s/%s", confd, name);
	write_file(path, text);
}

static char *read_file(const char *path)
{
	static char buf[4096];
	FILE *f = fopen(path, "r");
	size_t n;

	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static struct settings *load_ok(void)
{
	struct settings_error err;
	struct settings *s = settings_load(conf, confd, state, &err);

	ck_assert_msg(s, "%s:%d: %s", err.file, err.line, err.message);
	return s;
}

/* The values as "waveform=square amplitude=5", only those set. */
static const char *show(const struct settings_values *v)
{
	static char buf[256];
	size_t len = 0;

	buf[0] = '\0';
	for (int k = 0; k < NR_SETTINGS; k++) {
		char value[32];

		if (!v->set[k])
			continue;
		settings_format(k, v->value[k], value, sizeof(value));
		len += snprintf(buf + len, sizeof(buf) - len, "%s%s=%s",
				len ? " " : "", settings_key_name(k), value);
	}
	return buf;
}

static const char *resolve(const struct settings *s, const char *identity,
			   const char *serial, const char *name, const char *model)
{
	struct settings_device dev = {
		.identity = identity, .serial = serial, .name = name, .model = model,
	};
	struct settings_values v;

	memset(&v, 0x5a, sizeof(v));
	settings_resolve(s, &dev, &v);
	return show(&v);
}

START_TEST(test_key_names_attrs_format)
{
	char buf[32];

	ck_assert_str_eq(settings_key_name(SETTING_WAVEFORM), "waveform");
	ck_assert_str_eq(settings_key_name(SETTING_AMPLITUDE), "amplitude");
	ck_assert_str_eq(settings_key_name(SETTING_FREQUENCY), "frequency_mhz");
	ck_assert_ptr_null(settings_key_name(NR_SETTINGS));
	ck_assert_uint_eq(settings_key_attr(SETTING_WAVEFORM), VSENSOR_A_DEV_WAVEFORM);
	ck_assert_uint_eq(settings_key_attr(SETTING_AMPLITUDE), VSENSOR_A_DEV_AMPLITUDE);
	ck_assert_uint_eq(settings_key_attr(SETTING_FREQUENCY), VSENSOR_A_DEV_FREQUENCY);
	ck_assert_uint_eq(settings_key_attr(NR_SETTINGS), VSENSOR_A_UNSPEC);
	settings_format(SETTING_WAVEFORM, VSENSOR_WAVEFORM_SQUARE, buf, sizeof(buf));
	ck_assert_str_eq(buf, "square");
	settings_format(SETTING_WAVEFORM, VSENSOR_WAVEFORM_NOISE, buf, sizeof(buf));
	ck_assert_str_eq(buf, "noise");
	settings_format(SETTING_WAVEFORM, 0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "0");
	settings_format(SETTING_AMPLITUDE, 500, buf, sizeof(buf));
	ck_assert_str_eq(buf, "500");
	settings_format(SETTING_FREQUENCY, 1000000, buf, sizeof(buf));
	ck_assert_str_eq(buf, "1000000");
}
END_TEST

struct good_value {
	const char *key, *value;
	enum settings_key k;
	uint32_t v;
};

static const struct good_value good_values[] = {
	{ "waveform", "sine", SETTING_WAVEFORM, VSENSOR_WAVEFORM_SINE },
	{ "waveform", "square", SETTING_WAVEFORM, VSENSOR_WAVEFORM_SQUARE },
	{ "waveform", "ramp", SETTING_WAVEFORM, VSENSOR_WAVEFORM_RAMP },
	{ "waveform", "noise", SETTING_WAVEFORM, VSENSOR_WAVEFORM_NOISE },
	{ "amplitude", "0", SETTING_AMPLITUDE, 0 },
	{ "amplitude", "1000000", SETTING_AMPLITUDE, VSENSOR_AMPLITUDE_MAX },
	{ "frequency_mhz", "1", SETTING_FREQUENCY, VSENSOR_FREQUENCY_MIN },
	{ "frequency_mhz", "2000", SETTING_FREQUENCY, 2000 },
	{ "frequency_mhz", "1000000", SETTING_FREQUENCY, VSENSOR_FREQUENCY_MAX },
};

START_TEST(test_parse_good)
{
	enum settings_key k = NR_SETTINGS;
	const char *why = "unset";
	uint32_t v = 12345;

	ck_assert_int_eq(settings_parse(good_values[_i].key, good_values[_i].value,
					&k, &v, &why), 0);
	ck_assert_int_eq(k, good_values[_i].k);
	ck_assert_uint_eq(v, good_values[_i].v);
	ck_assert_ptr_null(why);
}
END_TEST

struct bad_value {
	const char *key, *value, *why;
};

static const struct bad_value bad_values[] = {
	{ "color", "red", "unknown key" },
	{ "Waveform", "sine", "unknown key" },
	{ "", "1", "unknown key" },
	{ "waveform", "triangle", "waveform: triangle is not sine, square, ramp or noise" },
	{ "waveform", "Sine", "waveform: Sine is not sine, square, ramp or noise" },
	{ "waveform", "1", "waveform: 1 is not sine, square, ramp or noise" },
	{ "waveform", "", "waveform: no value" },
	{ "amplitude", "2000000", "amplitude: 2000000 is out of range 0..1000000" },
	{ "amplitude", "1000001", "amplitude: 1000001 is out of range 0..1000000" },
	{ "amplitude", "99999999999999999999999",
	  "amplitude: 99999999999999999999999 is out of range 0..1000000" },
	{ "amplitude", "05", "amplitude: 05 is not a decimal number" },
	{ "amplitude", "00", "amplitude: 00 is not a decimal number" },
	{ "amplitude", "+5", "amplitude: +5 is not a decimal number" },
	{ "amplitude", "-1", "amplitude: -1 is not a decimal number" },
	{ "amplitude", "0x10", "amplitude: 0x10 is not a decimal number" },
	{ "amplitude", " 5", "amplitude:  5 is not a decimal number" },
	{ "amplitude", "5 ", "amplitude: 5  is not a decimal number" },
	{ "amplitude", "1e3", "amplitude: 1e3 is not a decimal number" },
	{ "amplitude", "", "amplitude: no value" },
	{ "frequency_mhz", "0", "frequency_mhz: 0 is out of range 1..1000000" },
	{ "frequency_mhz", "1000001", "frequency_mhz: 1000001 is out of range 1..1000000" },
	{ "frequency_mhz", "12345678901234567890123456789012345678901234567890",
	  "frequency_mhz: 1234567890123456789012345678901234567890... is out of range 1..1000000" },
};

START_TEST(test_parse_bad)
{
	enum settings_key k = NR_SETTINGS;
	uint32_t v = 12345;
	const char *why = NULL;

	ck_assert_int_eq(settings_parse(bad_values[_i].key, bad_values[_i].value,
					&k, &v, &why), -EINVAL);
	ck_assert_str_eq(why, bad_values[_i].why);
	ck_assert_int_eq(k, NR_SETTINGS);
	ck_assert_uint_eq(v, 12345);
}
END_TEST

/* A configuration file and the error it must give, in vsensord.conf. */
struct conf_error {
	const char *text;
	int line;
	const char *message;
};

static const struct conf_error conf_errors[] = {
	{ "[bogus]\n", 1,
	  "[bogus]: expected [defaults] or [match serial|name|model=GLOB]" },
	{ "# one\n\n[defaults]\nwaveform = sine\n[Defaults]\n", 5,
	  "[Defaults]: expected [defaults] or [match serial|name|model=GLOB]" },
	{ "[device LAB-1]\namplitude = 5\n", 1,
	  "[device LAB-1]: expected [defaults] or [match serial|name|model=GLOB]" },
	{ "[matchserial=x]\n", 1,
	  "[matchserial=x]: expected [defaults] or [match serial|name|model=GLOB]" },
	{ "[match serial]\n", 1,
	  "[match serial]: expected serial=, name= or model= after match" },
	{ "[match color=red]\n", 1, "[match color=red]: match on serial, name or model" },
	{ "[match serial=]\n", 1, "[match serial=]: empty glob" },
	{ "[match model=  ]\n", 1, "[match model=]: empty glob" },
	{ "[defaults\n", 1, "no ] after the section name" },
	{ "[match serial=A ;x]\n", 1, "no ] after the section name" },
	{ "[defaults] amplitude = 5\n", 1, "[defaults]: text after the section header" },
	{ "amplitude = 5\n", 1, "amplitude: not in a section" },
	{ "[defaults]\ncolor = red\n", 2, "unknown key color" },
	{ "[defaults]\n= 5\n", 2, "no key before =" },
	{ "[match name=vsensor[0-3]] x\n", 1,
	  "[match name=vsensor[0-3]]: text after the section header" },
	{ "[defaults]\nwaveform\n", 2, "expected [section] or key = value" },
	{ "[defaults]\nwaveform ;= sine\n", 2, "expected [section] or key = value" },
	{ "[defaults]\namplitude = 2000000\n", 2,
	  "amplitude: 2000000 is out of range 0..1000000" },
	{ "[defaults]\nfrequency_mhz = 0 # none\n", 2,
	  "frequency_mhz: 0 is out of range 1..1000000" },
	{ "[defaults]\namplitude = 007\n", 2, "amplitude: 007 is not a decimal number" },
	{ "[defaults]\namplitude = 5;x\n", 2, "amplitude: 5;x is not a decimal number" },
	{ "[defaults]\namplitude = 5 5\n", 2, "amplitude: 5 5 is not a decimal number" },
	{ "[defaults]\namplitude =\n", 2, "amplitude: no value" },
	{ "[match name=vsensor*]\nwaveform = saw\n", 2,
	  "waveform: saw is not sine, square, ramp or noise" },
	/* the same key twice in one section; indented is no continuation */
	{ "[defaults]\nwaveform = sine\namplitude = 1\nwaveform = square\n", 4,
	  "waveform: set twice in this section (first on line 2)" },
	{ "[defaults]\n  amplitude = 5\n  amplitude = 6\n", 3,
	  "amplitude: set twice in this section (first on line 2)" },
	/* the first error wins */
	{ "[defaults]\namplitude = x\n[bogus]\n", 2, "amplitude: x is not a decimal number" },
	{ "[defaults]\n# a comment\n\0amplitude = 5\n", 3, "NUL byte in the line" },
};

START_TEST(test_conf_error)
{
	struct settings_error err;
	FILE *f = fopen(conf, "w");
	/* the NUL case: the text runs on after it */
	const char *text = conf_errors[_i].text;
	size_t len = strlen(text);

	if (!strcmp(conf_errors[_i].message, "NUL byte in the line"))
		len += 1 + strlen(text + len + 1);
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(text, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
	memset(&err, 0x5a, sizeof(err));
	ck_assert_ptr_null(settings_load(conf, confd, state, &err));
	ck_assert_str_eq(err.file, conf);
	ck_assert_int_eq(err.line, conf_errors[_i].line);
	ck_assert_str_eq(err.message, conf_errors[_i].message);
}
END_TEST

/* 198 characters and a newline is the longest line. */
START_TEST(test_long_line)
{
	char text[512], glob[256];
	struct settings_error err;
	struct settings *s;

	/* "[match serial=" + glob + "]" = 198 */
	memset(glob, 'x', 183);
	glob[183] = '\0';
	glob[0] = 'L';
	glob[182] = '*';
	snprintf(text, sizeof(text), "[match serial=%s]\namplitude = 9\n", glob);
	ck_assert_uint_eq(strchr(text, '\n') - text, 198);
	write_file(conf, text);
	s = load_ok();
	/* the whole glob counts, not the 50 bytes libinih keeps */
	memcpy(glob, "Lxxx", 4);
	ck_assert_str_eq(resolve(s, "x", glob, "vsensor0", NULL), "amplitude=9");
	glob[100] = 'y';
	ck_assert_str_eq(resolve(s, "x", glob, "vsensor0", NULL), "");
	settings_free(s);

	snprintf(text, sizeof(text), "# x\n[match serial=%sx]\namplitude = 9\n", glob);
	write_file(conf, text);
	ck_assert_ptr_null(settings_load(conf, NULL, NULL, &err));
	ck_assert_str_eq(err.file, conf);
	ck_assert_int_eq(err.line, 2);
	ck_assert_str_eq(err.message, "line longer than 198 characters");
}
END_TEST

START_TEST(test_comments_and_blanks)
{
	struct settings *s;

	write_file(conf,
		   "\xef\xbb\xbf# a comment\n"
		   "; another\n"
		   "\n"
		   "   [defaults]   # after a section\n"
		   "waveform = ramp # inline\n"
		   "\tamplitude=7 ; inline too\n"
		   "  \n"
		   "[match serial=LAB#1]\n"
		   "frequency_mhz = 3\r\n");
	s = load_ok();
	ck_assert_str_eq(resolve(s, "LAB#1", "LAB#1", "vsensor1", NULL),
			 "waveform=ramp amplitude=7 frequency_mhz=3");
	ck_assert_str_eq(resolve(s, "LAB", "LAB", "vsensor1", NULL),
			 "waveform=ramp amplitude=7");
	settings_free(s);
}
END_TEST

START_TEST(test_missing_files)
{
	struct settings_error err;
	struct settings *s;

	/* nothing exists */
	s = load_ok();
	ck_assert_str_eq(resolve(s, "A", "A", "vsensor0", "VSN1000"), "");
	settings_free(s);
	/* nothing given */
	s = settings_load(NULL, NULL, NULL, &err);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(resolve(s, "A", "A", "vsensor0", "VSN1000"), "");
	ck_assert_int_eq(settings_persist(s, "A", &(struct settings_values){ 0 }),
			 -EINVAL);
	settings_free(s);
	settings_free(NULL);
	/* an empty conf.d, a missing directory on the way */
	ck_assert_int_eq(mkdir(confd, 0755), 0);
	snprintf(conf, sizeof(conf), "%s/none/vsensord.conf", dir);
	s = load_ok();
	settings_free(s);
}
END_TEST

/* Exists but cannot be read: an error for the file as a whole (line 0). */
START_TEST(test_unreadable)
{
	struct settings_error err;
	char path[PATH_MAX];

	/* conf.d is a file */
	write_file(confd, "[defaults]\n");
	ck_assert_ptr_null(settings_load(conf, confd, state, &err));
	ck_assert_str_eq(err.file, confd);
	ck_assert_int_eq(err.line, 0);
	ck_assert_str_eq(err.message, "cannot open the directory: Not a directory");
	ck_assert_int_eq(unlink(confd), 0);

	/* the file is a directory */
	ck_assert_int_eq(mkdir(conf, 0755), 0);
	ck_assert_ptr_null(settings_load(conf, confd, state, &err));
	ck_assert_str_eq(err.file, conf);
	ck_assert_int_eq(err.line, 0);
	ck_assert_str_eq(err.message, "cannot read: Is a directory");
	ck_assert_int_eq(rmdir(conf), 0);

	/* the state file is under a file */
	snprintf(path, sizeof(path), "%s/settings.conf", conf);
	write_file(conf, "[defaults]\n");
	ck_assert_ptr_null(settings_load(conf, confd, path, &err));
	ck_assert_str_eq(err.file, path);
	ck_assert_int_eq(err.line, 0);
	ck_assert_str_eq(err.message, "cannot open: Not a directory");

	/* a conf.d file nobody may read, read by nobody */
	write_confd("50-secret.conf", "[defaults]\n");
	snprintf(path, sizeof(path), "%s/50-secret.conf", confd);
	ck_assert_int_eq(chmod(path, 0), 0);
	ck_assert_int_eq(chmod(dir, 0755), 0);
	if (geteuid() == 0)
		ck_assert_int_eq(seteuid(NOBODY), 0);
	ck_assert_ptr_null(settings_load(conf, confd, state, &err));
	ck_assert_str_eq(err.file, path);
	ck_assert_int_eq(err.line, 0);
	ck_assert_str_eq(err.message, "cannot open: Permission denied");
}
END_TEST

START_TEST(test_confd_order)
{
	struct settings_error err;
	char path[PATH_MAX];
	struct settings *s;

	write_file(conf, "[defaults]\nwaveform = sine\namplitude = 1\nfrequency_mhz = 1\n");
	/* strcmp order: "10-" before "2-" before "a"; not "A" before "a" */
	write_confd("2-mid.conf", "[defaults]\namplitude = 2\nfrequency_mhz = 2\n");
	write_confd("10-first.conf", "[defaults]\namplitude = 10\nfrequency_mhz = 10\n"
		    "waveform = ramp\n");
	write_confd("a-last.conf", "[defaults]\nfrequency_mhz = 3\n");
	write_confd("Z-upper.conf", "[defaults]\nwaveform = noise\n");
	/* not read: not *.conf, hidden, not a regular file, dangling */
	write_confd("b.conf~", "[defaults]\namplitude = 99\n");
	write_confd("b.conf.dpkg-old", "[bogus]\n");
	write_confd(".hidden.conf", "[bogus]\n");
	write_confd("README", "[bogus]\n");
	snprintf(path, sizeof(path), "%s/dir.conf", confd);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/dangling.conf", confd);
	ck_assert_int_eq(symlink("/nonexistent/x.conf", path), 0);
	s = load_ok();
	ck_assert_str_eq(resolve(s, "A", "A", "vsensor0", NULL),
			 "waveform=noise amplitude=2 frequency_mhz=3");
	settings_free(s);

	/* an error in conf.d names its file; conf.d comes after the file */
	write_confd("3-bad.conf", "\n\n[defaults]\namplitude = 1 000\n");
	ck_assert_ptr_null(settings_load(conf, confd, state, &err));
	snprintf(path, sizeof(path), "%s/3-bad.conf", confd);
	ck_assert_str_eq(err.file, path);
	ck_assert_int_eq(err.line, 4);
	ck_assert_str_eq(err.message, "amplitude: 1 000 is not a decimal number");
}
END_TEST

START_TEST(test_resolve_globs)
{
	struct settings *s;

	write_file(conf,
		   "[match serial=LAB-*]\n"
		   "amplitude = 500\n"
		   "[match name=vsensor[0-3]]\n"
		   "frequency_mhz = 2000\n"
		   "[match model=VSN1000]\n"
		   "waveform = square\n"
		   "[match serial=LAB-7]\n"
		   "amplitude = 700\n"
		   "[defaults]          ; defaults come first wherever they are\n"
		   "waveform = sine\n"
		   "amplitude = 1\n");
	write_confd("50-lab.conf",
		    "[match  serial = LAB-?? ]\n"
		    "amplitude = 42\n"
		    "[match name=*]\n"
		    "frequency_mhz = 5\n");
	s = load_ok();
	/* defaults, then every match in order: conf.d after the file */
	ck_assert_str_eq(resolve(s, "LAB-7", "LAB-7", "vsensor2", "VSN1000"),
			 "waveform=square amplitude=700 frequency_mhz=5");
	ck_assert_str_eq(resolve(s, "LAB-12", "LAB-12", "vsensor9", "VSN2000"),
			 "waveform=sine amplitude=42 frequency_mhz=5");
	ck_assert_str_eq(resolve(s, "LAB-123", "LAB-123", "vsensor9", "VSN2000"),
			 "waveform=sine amplitude=500 frequency_mhz=5");
	/* no serial, no model: those rules do not match */
	ck_assert_str_eq(resolve(s, "pci-0000:00:05.0", NULL, "vsensor3", NULL),
			 "waveform=sine amplitude=1 frequency_mhz=5");
	/* globs are whole-string and case-sensitive */
	ck_assert_str_eq(resolve(s, "lab-7", "lab-7", "vsensor", "vsn1000"),
			 "waveform=sine amplitude=1 frequency_mhz=5");
	settings_free(s);
}
END_TEST

START_TEST(test_persist_round_trip)
{
	struct settings_values v = { 0 };
	struct settings *s, *again;
	struct stat st;

	umask(077);
	write_file(conf, "[defaults]\nwaveform = sine\namplitude = 1\n"
		   "[match serial=LAB-*]\namplitude = 500\n");
	s = load_ok();
	v.set[SETTING_AMPLITUDE] = true;
	v.value[SETTING_AMPLITUDE] = 1000000;
	v.set[SETTING_WAVEFORM] = true;
	v.value[SETTING_WAVEFORM] = VSENSOR_WAVEFORM_NOISE;
	ck_assert_int_eq(settings_persist(s, "LAB-1", &v), 0);
	/* a merge: frequency added, waveform kept, amplitude replaced */
	memset(&v, 0, sizeof(v));
	v.set[SETTING_FREQUENCY] = true;
	v.value[SETTING_FREQUENCY] = 1;
	v.set[SETTING_AMPLITUDE] = true;
	v.value[SETTING_AMPLITUDE] = 0;
	ck_assert_int_eq(settings_persist(s, "LAB-1", &v), 0);
	memset(&v, 0, sizeof(v));
	v.set[SETTING_WAVEFORM] = true;
	v.value[SETTING_WAVEFORM] = VSENSOR_WAVEFORM_RAMP;
	ck_assert_int_eq(settings_persist(s, "pci 0000:00:05.0#2", &v), 0);
	/* persisting nothing for a new identity writes no section */
	memset(&v, 0, sizeof(v));
	ck_assert_int_eq(settings_persist(s, "EMPTY", &v), 0);

	ck_assert_str_eq(resolve(s, "LAB-1", "LAB-1", "vsensor0", NULL),
			 "waveform=noise amplitude=0 frequency_mhz=1");
	ck_assert_str_eq(resolve(s, "LAB-2", "LAB-2", "vsensor1", NULL),
			 "waveform=sine amplitude=500");
	ck_assert_str_eq(resolve(s, "pci 0000:00:05.0#2", NULL, "vsensor2", NULL),
			 "waveform=ramp amplitude=1");
	ck_assert_str_eq(read_file(state),
		"# vsensord: the settings `vsensorctl device set --persist` stored.\n"
		"# Written by vsensord; edit it only while vsensord is stopped.\n"
		"\n[device LAB-1]\nwaveform = noise\namplitude = 0\nfrequency_mhz = 1\n"
		"\n[device pci 0000:00:05.0#2]\nwaveform = ramp\n");
	ck_assert_int_eq(stat(state, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0644);

	/* read back, the same */
	again = load_ok();
	ck_assert_str_eq(resolve(again, "LAB-1", "LAB-1", "vsensor0", NULL),
			 "waveform=noise amplitude=0 frequency_mhz=1");
	ck_assert_str_eq(resolve(again, "pci 0000:00:05.0#2", NULL, "vsensor2", NULL),
			 "waveform=ramp amplitude=1");
	ck_assert_str_eq(resolve(again, "EMPTY", "EMPTY", "vsensor3", NULL),
			 "waveform=sine amplitude=1");
	settings_free(again);
	settings_free(s);
}
END_TEST

/* Identities and values that would not read back are refused. */
START_TEST(test_persist_invalid)
{
	static const char * const bad[] = {
		"", " A", "A ", "A]", "[A]", "A\nB", "A\tB", "A ;B", "A #B", ";A", "#A",
		"A\x7f",
	};
	struct settings_values v = { 0 };
	char longest[200];
	struct settings *s = load_ok();

	v.set[SETTING_AMPLITUDE] = true;
	v.value[SETTING_AMPLITUDE] = 3;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(settings_persist(s, bad[i], &v) == -EINVAL, "%s", bad[i]);
	/* "[device " + 189 + "]" fits, one more does not */
	memset(longest, 'i', 190);
	longest[190] = '\0';
	ck_assert_int_eq(settings_persist(s, longest, &v), -EINVAL);
	longest[189] = '\0';
	ck_assert_int_eq(settings_persist(s, longest, &v), 0);
	v.value[SETTING_AMPLITUDE] = VSENSOR_AMPLITUDE_MAX + 1;
	ck_assert_int_eq(settings_persist(s, "A", &v), -EINVAL);
	memset(&v, 0, sizeof(v));
	v.set[SETTING_FREQUENCY] = true;
	ck_assert_int_eq(settings_persist(s, "A", &v), -EINVAL);
	v.value[SETTING_FREQUENCY] = 1;
	v.set[SETTING_WAVEFORM] = true;
	v.value[SETTING_WAVEFORM] = VSENSOR_WAVEFORM_MAX + 1;
	ck_assert_int_eq(settings_persist(s, "A", &v), -EINVAL);
	ck_assert_str_eq(resolve(s, "A", "A", "vsensor0", NULL), "");
	ck_assert_str_eq(resolve(s, longest, NULL, "vsensor0", NULL), "amplitude=3");
	settings_free(s);
	/* and it reads back */
	s = load_ok();
	ck_assert_str_eq(resolve(s, longest, NULL, "vsensor0", NULL), "amplitude=3");
	settings_free(s);
}
END_TEST

/* Whether @name is all that @path holds (no temporary file was left). */
static bool only_entry(const char *path, const char *name)
{
	struct dirent *de;
	bool only = true, seen = false;
	DIR *d = opendir(path);

	ck_assert_ptr_nonnull(d);
	/* cppcheck-suppress readdirCalled ; single-threaded */
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (strcmp(de->d_name, name))
			only = false;
		else
			seen = true;
	}
	closedir(d);
	return only && seen;
}

/* A failed write changes nothing, in memory or on disk, and leaves no file. */
START_TEST(test_persist_failure)
{
	struct settings_values v = { 0 }, w = { 0 };
	struct settings_error err;
	char sdir[256], spath[PATH_MAX];
	struct settings *s;
	const char *before;

	snprintf(sdir, sizeof(sdir), "%s/state", dir);
	snprintf(spath, sizeof(spath), "%s/settings.conf", sdir);
	ck_assert_int_eq(mkdir(sdir, 0755), 0);
	write_file(conf, "[defaults]\namplitude = 1\n");
	s = settings_load(conf, NULL, spath, &err);
	ck_assert_ptr_nonnull(s);
	v.set[SETTING_AMPLITUDE] = true;
	v.value[SETTING_AMPLITUDE] = 2;
	ck_assert_int_eq(settings_persist(s, "A", &v), 0);
	before = "amplitude=2";
	ck_assert_str_eq(resolve(s, "A", "A", "vsensor0", NULL), before);
	w.set[SETTING_AMPLITUDE] = true;
	w.value[SETTING_AMPLITUDE] = 3;

	/* the directory cannot be written (by nobody) */
	ck_assert_int_eq(chmod(dir, 0755), 0);
	if (geteuid() == 0)
		ck_assert_int_eq(seteuid(NOBODY), 0);
	ck_assert_int_eq(settings_persist(s, "A", &w), -EACCES);
	ck_assert_int_eq(settings_persist(s, "B", &w), -EACCES);
	ck_assert_str_eq(resolve(s, "A", "A", "vsensor0", NULL), before);
	ck_assert_str_eq(resolve(s, "B", "B", "vsensor1", NULL), "amplitude=1");
	if (getuid() == 0)
		ck_assert_int_eq(seteuid(0), 0);

	/* the state file's place is taken by a directory: rename fails */
	ck_assert_int_eq(unlink(spath), 0);
	ck_assert_int_eq(mkdir(spath, 0755), 0);
	ck_assert_int_eq(settings_persist(s, "A", &w), -EISDIR);
	ck_assert_int_eq(settings_persist(s, "B", &w), -EISDIR);
	ck_assert_str_eq(resolve(s, "A", "A", "vsensor0", NULL), before);
	ck_assert_str_eq(resolve(s, "B", "B", "vsensor1", NULL), "amplitude=1");
	ck_assert(only_entry(sdir, "settings.conf"));
	ck_assert_int_eq(rmdir(spath), 0);

	/* the directory is gone */
	ck_assert_int_eq(rmdir(sdir), 0);
	ck_assert_int_eq(settings_persist(s, "A", &w), -ENOENT);
	ck_assert_str_eq(resolve(s, "A", "A", "vsensor0", NULL), before);

	/* and back: what is written is the old table plus this change */
	ck_assert_int_eq(mkdir(sdir, 0755), 0);
	ck_assert_int_eq(settings_persist(s, "B", &w), 0);
	ck_assert_str_eq(read_file(spath),
		"# vsensord: the settings `vsensorctl device set --persist` stored.\n"
		"# Written by vsensord; edit it only while vsensord is stopped.\n"
		"\n[device A]\namplitude = 2\n\n[device B]\namplitude = 3\n");
	ck_assert(only_entry(sdir, "settings.conf"));
	settings_free(s);
}
END_TEST

START_TEST(test_state_file)
{
	struct settings_error err;
	struct settings *s;

	/* repeated sections of one identity merge; a later one wins */
	write_file(state, "# comment\n[device A]\namplitude = 5\nwaveform = ramp\n"
		   "[device B]\namplitude = 6\n[device A]\namplitude = 7\n");
	write_file(conf, "[defaults]\nfrequency_mhz = 9\n");
	s = load_ok();
	ck_assert_str_eq(resolve(s, "A", "X", "vsensor0", NULL),
			 "waveform=ramp amplitude=7 frequency_mhz=9");
	ck_assert_str_eq(resolve(s, "B", NULL, "vsensor1", NULL),
			 "amplitude=6 frequency_mhz=9");
	ck_assert_str_eq(resolve(s, "X", "A", "vsensor2", NULL), "frequency_mhz=9");
	ck_assert_str_eq(resolve(s, NULL, "A", "vsensor2", NULL), "frequency_mhz=9");
	settings_free(s);

	/* only [device IDENTITY] there */
	write_file(state, "[device A]\namplitude = 5\n[defaults]\namplitude = 1\n");
	ck_assert_ptr_null(settings_load(conf, confd, state, &err));
	ck_assert_str_eq(err.file, state);
	ck_assert_int_eq(err.line, 3);
	ck_assert_str_eq(err.message, "[defaults]: expected [device IDENTITY]");
	write_file(state, "[device  ]\n");
	ck_assert_ptr_null(settings_load(conf, confd, state, &err));
	ck_assert_int_eq(err.line, 1);
	ck_assert_str_eq(err.message, "[device]: expected [device IDENTITY]");
	write_file(state, "[device A]\namplitude = 5\namplitude = 6\n");
	ck_assert_ptr_null(settings_load(conf, confd, state, &err));
	ck_assert_int_eq(err.line, 3);
	ck_assert_str_eq(err.message,
			 "amplitude: set twice in this section (first on line 2)");
}
END_TEST

/* The example installed as /etc/vsensor/vsensord.conf applies nothing. */
START_TEST(test_example_config)
{
	struct settings_error err;
	struct settings *s = settings_load(EXAMPLE_CONF, NULL, NULL, &err);

	ck_assert_msg(s, "%s:%d: %s", err.file, err.line, err.message);
	ck_assert_str_eq(resolve(s, "LAB-1", "LAB-1", "vsensor3", "VSN1000"), "");
	settings_free(s);
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

int main(void)
{
	Suite *s = suite_create("settings");
	TCase *tc = tcase_create("settings");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_key_names_attrs_format);
	tcase_add_loop_test(tc, test_parse_good, 0, N(good_values));
	tcase_add_loop_test(tc, test_parse_bad, 0, N(bad_values));
	tcase_add_loop_test(tc, test_conf_error, 0, N(conf_errors));
	tcase_add_test(tc, test_long_line);
	tcase_add_test(tc, test_comments_and_blanks);
	tcase_add_test(tc, test_missing_files);
	tcase_add_test(tc, test_unreadable);
	tcase_add_test(tc, test_confd_order);
	tcase_add_test(tc, test_resolve_globs);
	tcase_add_test(tc, test_persist_round_trip);
	tcase_add_test(tc, test_persist_invalid);
	tcase_add_test(tc, test_persist_failure);
	tcase_add_test(tc, test_state_file);
	tcase_add_test(tc, test_example_config);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
