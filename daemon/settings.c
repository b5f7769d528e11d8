// SPDX-License-Identifier: GPL-2.0
/*
 * vsensord: the configuration (vsensord.conf and conf.d, parsed with libinih),
 * its match rules and the persisted per-device settings (the state file,
 * written atomically). See docs/vsensord.md, "Settings".
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/vsensor.h>

#include "settings.h"

/*
 * Longest line libinih reads whole: its buffer (INI_MAX_LINE, 200 bytes in
 * Debian's build) holds the line, its newline and a NUL. Longer lines are
 * an error here rather than split in two by libinih.
 */
#define SETTINGS_LINE_MAX	198

enum rule_kind {
	RULE_DEFAULTS,		/* [defaults] */
	RULE_SERIAL,		/* [match serial=GLOB] */
	RULE_NAME,		/* [match name=GLOB] */
	RULE_MODEL,		/* [match model=GLOB] */
	RULE_DEVICE,		/* [device IDENTITY], the state file only */
};

/* One section: what it applies to and what it sets. */
struct settings_rule {
	enum rule_kind kind;
	char *pattern;		/* the glob, or the identity; NULL for defaults */
	struct settings_values values;
};

struct settings {
	struct settings_rule *rules;	/* configuration sections in file order */
	size_t nr_rules;
	struct settings_rule *persisted; /* RULE_DEVICE, one per identity */
	size_t nr_persisted;
	char *state_file;		/* NULL: nothing can be persisted */
};

static const struct {
	const char *name;
	unsigned int attr;
	uint32_t min, max;
} keys[NR_SETTINGS] = {
	[SETTING_WAVEFORM] = { "waveform", VSENSOR_A_DEV_WAVEFORM,
			       VSENSOR_WAVEFORM_SINE, VSENSOR_WAVEFORM_MAX },
	[SETTING_AMPLITUDE] = { "amplitude", VSENSOR_A_DEV_AMPLITUDE,
				0, VSENSOR_AMPLITUDE_MAX },
	[SETTING_FREQUENCY] = { "frequency_mhz", VSENSOR_A_DEV_FREQUENCY,
				VSENSOR_FREQUENCY_MIN, VSENSOR_FREQUENCY_MAX },
};

/* indexed by enum vsensor_waveform */
static const char * const waveforms[] = {
	[VSENSOR_WAVEFORM_SINE] = "sine",
	[VSENSOR_WAVEFORM_SQUARE] = "square",
	[VSENSOR_WAVEFORM_RAMP] = "ramp",
	[VSENSOR_WAVEFORM_NOISE] = "noise",
};

_Static_assert(sizeof(waveforms) / sizeof(waveforms[0]) == VSENSOR_WAVEFORM_MAX + 1,
	       "a name for every waveform");

const char *settings_key_name(enum settings_key k)
{
	return (unsigned int)k < NR_SETTINGS ? keys[k].name : NULL;
}

unsigned int settings_key_attr(enum settings_key k)
{
	return (unsigned int)k < NR_SETTINGS ? keys[k].attr : VSENSOR_A_UNSPEC;
}

void settings_format(enum settings_key k, uint32_t v, char *buf, size_t len)
{
	if (k == SETTING_WAVEFORM && v >= VSENSOR_WAVEFORM_SINE &&
	    v <= VSENSOR_WAVEFORM_MAX)
		snprintf(buf, len, "%s", waveforms[v]);
	else
		snprintf(buf, len, "%u", v);
}

static int key_lookup(const char *name)
{
	for (int k = 0; k < NR_SETTINGS; k++)
		if (!strcmp(name, keys[k].name))
			return k;
	return -1;
}

/* A decimal number as the configuration writes it: "0" or [1-9][0-9]*. */
static bool parse_decimal(const char *s, uint32_t max, uint32_t *v, bool *big)
{
	uint64_t n = 0;

	if (!*s || s[strspn(s, "0123456789")] || (s[0] == '0' && s[1]))
		return false;
	*big = false;
	for (; *s; s++) {
		n = n * 10 + (uint64_t)(*s - '0');
		if (n > max) {
			*big = true;
			return true;
		}
	}
	*v = (uint32_t)n;
	return true;
}

/* *why stays valid until the thread's next call. */
int settings_parse(const char *key, const char *value, enum settings_key *k,
		   uint32_t *v, const char **why)
{
	static _Thread_local char msg[160];
	/* a value is quoted up to this many bytes in a message */
	const int quote = 40;
	const char *more = strlen(value) > (size_t)quote ? "..." : "";
	int i = key_lookup(key);
	uint32_t n = 0;
	bool big = false;

	*why = msg;
	if (i < 0) {
		*why = "unknown key";
		return -EINVAL;
	}
	if (!*value) {
		snprintf(msg, sizeof(msg), "%s: no value", key);
		return -EINVAL;
	}
	if (i == SETTING_WAVEFORM) {
		for (n = VSENSOR_WAVEFORM_SINE; n <= VSENSOR_WAVEFORM_MAX; n++)
			if (!strcmp(value, waveforms[n]))
				break;
		if (n > VSENSOR_WAVEFORM_MAX) {
			snprintf(msg, sizeof(msg),
				 "waveform: %.*s%s is not sine, square, ramp or noise",
				 quote, value, more);
			return -EINVAL;
		}
	} else if (!parse_decimal(value, keys[i].max, &n, &big)) {
		snprintf(msg, sizeof(msg), "%s: %.*s%s is not a decimal number",
			 key, quote, value, more);
		return -EINVAL;
	} else if (big || n < keys[i].min) {
		snprintf(msg, sizeof(msg), "%s: %.*s%s is out of range %u..%u",
			 key, quote, value, more, keys[i].min, keys[i].max);
		return -EINVAL;
	}
	*k = (enum settings_key)i;
	*v = n;
	*why = NULL;
	return 0;
}

static void values_merge(struct settings_values *dst,
			 const struct settings_values *src)
{
	for (int k = 0; k < NR_SETTINGS; k++) {
		if (src->set[k]) {
			dst->set[k] = true;
			dst->value[k] = src->value[k];
		}
	}
}

static void rules_free(struct settings_rule *rules, size_t nr)
{
	for (size_t i = 0; i < nr; i++)
		free(rules[i].pattern);
	free(rules);
}

void settings_free(struct settings *settings)
{
	if (!settings)
		return;
	rules_free(settings->rules, settings->nr_rules);
	rules_free(settings->persisted, settings->nr_persisted);
	free(settings->state_file);
	free(settings);
}

static struct settings_rule *persisted_find(const struct settings *settings,
					    const char *identity)
{
	for (size_t i = 0; i < settings->nr_persisted; i++)
		if (!strcmp(settings->persisted[i].pattern, identity))
			return &settings->persisted[i];
	return NULL;
}

static bool rule_matches(const struct settings_rule *rule,
			 const struct settings_device *dev)
{
	const char *what;

	switch (rule->kind) {
	case RULE_SERIAL:
		what = dev->serial;
		break;
	case RULE_NAME:
		what = dev->name;
		break;
	case RULE_MODEL:
		what = dev->model;
		break;
	default:
		return false;
	}
	return what && !fnmatch(rule->pattern, what, 0);
}

void settings_resolve(const struct settings *settings,
		      const struct settings_device *dev,
		      struct settings_values *values)
{
	const struct settings_rule *persisted;

	memset(values, 0, sizeof(*values));
	for (size_t i = 0; i < settings->nr_rules; i++)
		if (settings->rules[i].kind == RULE_DEFAULTS)
			values_merge(values, &settings->rules[i].values);
	for (size_t i = 0; i < settings->nr_rules; i++)
		if (rule_matches(&settings->rules[i], dev))
			values_merge(values, &settings->rules[i].values);
	persisted = dev->identity ? persisted_find(settings, dev->identity) : NULL;
	if (persisted)
		values_merge(values, &persisted->values);
}

/* The parse of one file: libinih reads its lines through parse_read_line(). */
struct parse {
	struct settings *settings;
	struct settings_error *err;
	const char *path;
	FILE *file;
	bool state;		/* the state file: [device IDENTITY] only */
	char *buf;		/* the line getline() read */
	size_t cap;
	int line;		/* the line libinih is on */
	struct settings_rule *section; /* NULL before the first section */
	int key_line[NR_SETTINGS]; /* where the section set each key, or 0 */
	bool failed;
};

__attribute__((format(printf, 3, 4)))
static void parse_fail(struct parse *p, int line, const char *fmt, ...)
{
	va_list ap;

	if (p->failed)
		return;
	p->failed = true;
	snprintf(p->err->file, sizeof(p->err->file), "%s", p->path);
	p->err->line = line;
	va_start(ap, fmt);
	vsnprintf(p->err->message, sizeof(p->err->message), fmt, ap);
	va_end(ap);
}

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

/* Append a rule (a persisted one merges into its identity's): NULL on ENOMEM. */
static struct settings_rule *parse_add_rule(struct parse *p, enum rule_kind kind,
					    const char *pattern)
{
	struct settings *s = p->settings;
	struct settings_rule **rules = &s->rules, *rule;
	size_t *nr = &s->nr_rules;
	char *copy = NULL;

	if (kind == RULE_DEVICE) {
		rule = persisted_find(s, pattern);
		if (rule)
			return rule;
		rules = &s->persisted;
		nr = &s->nr_persisted;
	}
	if (pattern && !(copy = strdup(pattern)))
		return NULL;
	rule = reallocarray(*rules, *nr + 1, sizeof(**rules));
	if (!rule) {
		free(copy);
		return NULL;
	}
	*rules = rule;
	rule = &rule[(*nr)++];
	memset(rule, 0, sizeof(*rule));
	rule->kind = kind;
	rule->pattern = copy;
	return rule;
}

/* What a section header names: the kind of rule and its pattern. */
static int parse_section_name(char *name, bool state, enum rule_kind *kind,
			      char **pattern, const char **why)
{
	static const struct {
		const char *field;
		enum rule_kind kind;
	} fields[] = {
		{ "serial", RULE_SERIAL }, { "name", RULE_NAME }, { "model", RULE_MODEL },
	};
	char *eq;

	*pattern = NULL;
	*why = state ? "expected [device IDENTITY]"
		     : "expected [defaults] or [match serial|name|model=GLOB]";
	if (state) {
		if (strncmp(name, "device", 6) || !isblank((unsigned char)name[6]))
			return -EINVAL;
		*kind = RULE_DEVICE;
		*pattern = trim(name + 6);
		return 0;
	}
	if (!strcmp(name, "defaults")) {
		*kind = RULE_DEFAULTS;
		return 0;
	}
	if (strncmp(name, "match", 5) || !isblank((unsigned char)name[5]))
		return -EINVAL;
	eq = strchr(name + 5, '=');
	if (!eq) {
		*why = "expected serial=, name= or model= after match";
		return -EINVAL;
	}
	*eq = '\0';
	*pattern = trim(eq + 1);
	name = trim(name + 5);
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if (!strcmp(name, fields[i].field)) {
			*kind = fields[i].kind;
			if (!**pattern)
				*why = "empty glob";
			return **pattern ? 0 : -EINVAL;
		}
	}
	*why = "match on serial, name or model";
	return -EINVAL;
}

/* Like libinih: a comment begins at ';' or '#' that follows a blank. */
static bool is_comment_start(const char *s, const char *line)
{
	return (*s == ';' || *s == '#') && s > line && isspace((unsigned char)s[-1]);
}

/*
 * A "[section]" line (@text starts at '['): start a new section. The name
 * runs to the last ']' before a comment, so that a glob may hold a
 * "[...]" set; libinih, which stops at the first, only needs one.
 */
static void parse_section(struct parse *p, char *text)
{
	char *name = text + 1, *end = NULL, *rest, *pattern;
	char copy[SETTINGS_LINE_MAX + 1];
	enum rule_kind kind;
	const char *why;

	for (rest = name; *rest && !is_comment_start(rest, name); rest++)
		if (*rest == ']')
			end = rest;
	if (!end) {
		parse_fail(p, p->line, "no ] after the section name");
		return;
	}
	*end = '\0';
	rest = end + 1;
	rest += strspn(rest, " \t\r\n\v\f");
	if (*rest && *rest != ';' && *rest != '#') {
		parse_fail(p, p->line, "[%s]: text after the section header", name);
		return;
	}
	name = trim(name);
	snprintf(copy, sizeof(copy), "%s", name);
	if (parse_section_name(copy, p->state, &kind, &pattern, &why)) {
		parse_fail(p, p->line, "[%s]: %s", name, why);
		return;
	}
	p->section = parse_add_rule(p, kind, pattern);
	if (!p->section)
		parse_fail(p, p->line, "out of memory");
	memset(p->key_line, 0, sizeof(p->key_line));
}

/*
 * libinih's reader: one whole line a call, so that libinih's line numbers
 * are ours. Section headers are handled here, because libinih (as Debian
 * builds it) calls no handler for a section and keeps only 50 bytes of its
 * name. NULL ends the parse, at the end of the file or on an error.
 */
static char *parse_read_line(char *str, int num, void *stream)
{
	struct parse *p = stream;
	ssize_t len;
	char *text;

	if (p->failed)
		return NULL;
	errno = 0;
	len = getline(&p->buf, &p->cap, p->file);
	if (len < 0) {
		if (ferror(p->file))
			parse_fail(p, 0, "cannot read: %s",
				   strerror(errno ? errno : EIO));
		return NULL;
	}
	p->line++;
	if (memchr(p->buf, '\0', (size_t)len)) {
		parse_fail(p, p->line, "NUL byte in the line");
		return NULL;
	}
	if (len > SETTINGS_LINE_MAX + 1 - (p->buf[len - 1] != '\n') ||
	    len >= num) {
		parse_fail(p, p->line, "line longer than %d characters",
			   SETTINGS_LINE_MAX);
		return NULL;
	}
	memcpy(str, p->buf, (size_t)len + 1);
	/* what libinih does too: skip a UTF-8 BOM, then blanks */
	text = p->buf;
	if (p->line == 1 && !strncmp(text, "\xef\xbb\xbf", 3))
		text += 3;
	text = trim(text);
	if (*text == '[')
		parse_section(p, text);
	return p->failed ? NULL : str;
}

/* libinih's handler: one "key = value" of the current section. */
static int parse_key_value(void *user, const char *section, const char *name,
			   const char *value)
{
	struct parse *p = user;
	enum settings_key k;
	const char *why;
	uint32_t v;
	int i;

	(void)section;	/* truncated by libinih; p->section is the whole one */
	if (!p->section) {
		parse_fail(p, p->line, "%s: not in a section", name);
		return 0;
	}
	i = key_lookup(name);
	if (i < 0) {
		parse_fail(p, p->line, *name ? "unknown key %s" : "no key before =%s",
			   name);
		return 0;
	}
	if (p->key_line[i]) {
		parse_fail(p, p->line, "%s: set twice in this section (first on line %d)",
			   name, p->key_line[i]);
		return 0;
	}
	if (settings_parse(name, value, &k, &v, &why)) {
		parse_fail(p, p->line, "%s", why);
		return 0;
	}
	p->key_line[k] = p->line;
	p->section->values.set[k] = true;
	p->section->values.value[k] = v;
	return 1;
}

/*
 * How libinih is to read our files. Debian's libinih has these as globals
 * of the library (upstream's are compile-time macros); vsensord is their
 * only user in its process.
 */
static void settings_ini_setup(void)
{
	static char comment_prefixes[] = ";#";

	ini_allow_multiline = false;	/* an indented line is a key of its own */
	ini_allow_inline_comments = true;
	ini_inline_comment_prefixes = comment_prefixes;
	ini_allow_no_value = false;
	ini_stop_on_first_error = true;
}

/* Parse one file into @settings: 0, or -1 with *err filled. Missing is fine. */
static int settings_load_file(struct settings *settings, const char *path,
			      bool state, struct settings_error *err)
{
	struct parse p = {
		.settings = settings, .err = err, .path = path, .state = state,
	};
	int ret;

	p.file = fopen(path, "re");
	if (!p.file) {
		if (errno == ENOENT)
			return 0;
		parse_fail(&p, 0, "cannot open: %s", strerror(errno));
		return -1;
	}
	settings_ini_setup();
	ret = ini_parse_stream(parse_read_line, &p, parse_key_value, &p);
	if (ret > 0)
		parse_fail(&p, ret, "expected [section] or key = value");
	else if (ret < 0)
		parse_fail(&p, 0, "out of memory");
	free(p.buf);
	fclose(p.file);
	return p.failed ? -1 : 0;
}

static int strcmp_ptr(const void *a, const void *b)
{
	return strcmp(*(char * const *)a, *(char * const *)b);
}

/* Every regular *.conf in @dir in strcmp() order: 0, or -1 with *err filled. */
static int settings_load_dir(struct settings *settings, const char *dir,
			     struct settings_error *err)
{
	char **names = NULL, *path = NULL;
	size_t nr = 0, i;
	struct dirent *de;
	struct stat st;
	int ret = -1;
	DIR *d;

	d = opendir(dir);
	if (!d) {
		if (errno == ENOENT)
			return 0;
		snprintf(err->file, sizeof(err->file), "%s", dir);
		snprintf(err->message, sizeof(err->message),
			 "cannot open the directory: %s", strerror(errno));
		return -1;
	}
	/* cppcheck-suppress readdirCalled ; this DIR is ours alone */
	while ((errno = 0, de = readdir(d))) {
		char **more;

		if (fnmatch("*.conf", de->d_name, FNM_PERIOD))
			continue;
		more = reallocarray(names, nr + 1, sizeof(*names));
		if (!more)
			goto out_of_memory;
		names = more;
		if (!(names[nr] = strdup(de->d_name)))
			goto out_of_memory;
		nr++;
	}
	if (errno) {
		snprintf(err->file, sizeof(err->file), "%s", dir);
		snprintf(err->message, sizeof(err->message),
			 "cannot read the directory: %s", strerror(errno));
		goto free_names;
	}
	if (nr)
		qsort(names, nr, sizeof(*names), strcmp_ptr);
	for (i = 0; i < nr; i++) {
		if (asprintf(&path, "%s/%s", dir, names[i]) < 0) {
			path = NULL;
			goto out_of_memory;
		}
		/* what stat() cannot see, the open reports (missing is fine) */
		if ((stat(path, &st) || S_ISREG(st.st_mode)) &&
		    settings_load_file(settings, path, false, err))
			goto free_names;
		free(path);
		path = NULL;
	}
	ret = 0;
	goto free_names;

out_of_memory:
	snprintf(err->file, sizeof(err->file), "%s", dir);
	snprintf(err->message, sizeof(err->message), "out of memory");
free_names:
	free(path);
	for (i = 0; i < nr; i++)
		free(names[i]);
	free(names);
	closedir(d);
	return ret;
}

struct settings *settings_load(const char *conf_file, const char *conf_dir,
			       const char *state_file,
			       struct settings_error *err)
{
	struct settings *settings;

	memset(err, 0, sizeof(*err));
	settings = calloc(1, sizeof(*settings));
	if (!settings || (state_file && !(settings->state_file = strdup(state_file)))) {
		snprintf(err->message, sizeof(err->message), "out of memory");
		goto free_settings;
	}
	if (conf_file && settings_load_file(settings, conf_file, false, err))
		goto free_settings;
	if (conf_dir && settings_load_dir(settings, conf_dir, err))
		goto free_settings;
	if (state_file && settings_load_file(settings, state_file, true, err))
		goto free_settings;
	return settings;

free_settings:
	settings_free(settings);
	errno = EINVAL;
	return NULL;
}

/*
 * Whether "[device @identity]" reads back as @identity: printable, no ']',
 * no comment start, no blanks at either end, and the line short enough.
 */
static bool identity_valid(const char *identity)
{
	size_t len = strlen(identity);

	if (!len || len > SETTINGS_LINE_MAX - strlen("[device ]") ||
	    isspace((unsigned char)identity[0]) ||
	    isspace((unsigned char)identity[len - 1]) ||
	    identity[0] == ';' || identity[0] == '#')
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)identity[i];

		if (c < 0x20 || c == 0x7f || c == ']' ||
		    is_comment_start(&identity[i], identity))
			return false;
	}
	return true;
}

static bool values_valid(const struct settings_values *values)
{
	for (int k = 0; k < NR_SETTINGS; k++)
		if (values->set[k] && (values->value[k] < keys[k].min ||
				       values->value[k] > keys[k].max))
			return false;
	return true;
}

static int state_print(FILE *f, const struct settings_rule *persisted, size_t nr)
{
	char value[32];

	fprintf(f, "# vsensord: the settings `vsensorctl device set --persist` stored.\n"
		"# Written by vsensord; edit it only while vsensord is stopped.\n");
	for (size_t i = 0; i < nr; i++) {
		const struct settings_values *values = &persisted[i].values;
		bool any = false;

		for (int k = 0; k < NR_SETTINGS; k++)
			any |= values->set[k];
		if (!any)
			continue;
		fprintf(f, "\n[device %s]\n", persisted[i].pattern);
		for (int k = 0; k < NR_SETTINGS; k++) {
			if (!values->set[k])
				continue;
			settings_format(k, values->value[k], value, sizeof(value));
			fprintf(f, "%s = %s\n", keys[k].name, value);
		}
	}
	return fflush(f) ? -errno : 0;
}

/*
 * Write @persisted to @path: a temporary file in its directory, fsync,
 * rename, fsync of the directory. 0 or -errno; *renamed tells whether the
 * new file took the old one's place.
 */
static int state_write(const char *path, const struct settings_rule *persisted,
		       size_t nr, bool *renamed)
{
	const char *slash = strrchr(path, '/');
	char *dir, *tmp;
	int fd, dirfd, ret;
	FILE *f;

	*renamed = false;
	if (slash)
		dir = strndup(path, slash == path ? 1 : (size_t)(slash - path));
	else
		dir = strdup(".");
	if (!dir)
		return -ENOMEM;
	if (asprintf(&tmp, "%s/.%s.XXXXXX", dir, slash ? slash + 1 : path) < 0) {
		ret = -ENOMEM;
		goto free_dir;
	}
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		goto free_tmp;
	}
	f = fdopen(fd, "w");
	if (!f) {
		ret = -errno;
		close(fd);
		goto unlink_tmp;
	}
	ret = fchmod(fd, 0644) ? -errno : state_print(f, persisted, nr);
	if (!ret && fsync(fd))
		ret = -errno;
	if (fclose(f) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret)
		goto unlink_tmp;
	*renamed = true;
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0 || fsync(dirfd))
		ret = -errno;
	if (dirfd >= 0)
		close(dirfd);
	goto free_tmp;

unlink_tmp:
	unlink(tmp);
free_tmp:
	free(tmp);
free_dir:
	free(dir);
	return ret;
}

/*
 * -EINVAL without a state file, for an identity that would not read back
 * (see identity_valid()) or a value out of range. The new table is built
 * beside the old one and takes its place only once the file is renamed
 * into place. The one failure after that point, the fsync of the
 * directory, returns -errno with the memory following the file that is
 * now there.
 */
int settings_persist(struct settings *settings, const char *identity,
		     const struct settings_values *values)
{
	size_t nr = settings->nr_persisted;
	struct settings_rule *table, *entry;
	bool renamed;
	int ret;

	if (!settings->state_file || !identity_valid(identity) ||
	    !values_valid(values))
		return -EINVAL;
	table = calloc(nr + 1, sizeof(*table));
	if (!table)
		return -ENOMEM;
	if (nr)
		memcpy(table, settings->persisted, nr * sizeof(*table));
	entry = NULL;
	for (size_t i = 0; i < nr && !entry; i++)
		if (!strcmp(table[i].pattern, identity))
			entry = &table[i];
	if (!entry) {
		entry = &table[nr++];
		entry->kind = RULE_DEVICE;
		entry->pattern = strdup(identity);
		if (!entry->pattern) {
			free(table);
			return -ENOMEM;
		}
	}
	values_merge(&entry->values, values);
	ret = state_write(settings->state_file, table, nr, &renamed);
	if (!renamed) {
		if (nr > settings->nr_persisted)
			free(table[nr - 1].pattern);
		free(table);
		return ret;
	}
	/* the patterns now belong to the new table */
	free(settings->persisted);
	settings->persisted = table;
	settings->nr_persisted = nr;
	return ret;
}
