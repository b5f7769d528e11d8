/* vsensorctl: helpers every command uses: errors, dispatch. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <vsensor/vsensor.h>

#include "vsensorctl.h"

volatile sig_atomic_t cli_stop_signal;
bool cli_batch_stdin;

const char *cli_bad_option(const char *word, char buf[3])
{
	if (optopt > 0 && optopt < 128 && optopt != ':' && optopt != '?') {
		buf[0] = '-';
		buf[1] = (char)optopt;
		buf[2] = '\0';
		return buf;
	}
	return word;
}

int cli_error(int exit_code, const char *fmt, ...)
{
	va_list ap;

	fputs("Error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(".\n", stderr);
	return exit_code;
}

static int device_arg_error(const char *arg)
{
	return cli_error(EXIT_USAGE,
			 "\"%s\" is not a device, expected N, vsensorN, /dev/vsensorN or a serial",
			 arg);
}

int check_device_arg(const char *arg)
{
	const char *serial;
	unsigned int id;

	if (!vsensor_parse_device_spec(arg, &id, &serial))
		return 0;
	device_arg_error(arg);
	return -1;
}

static const int not_found_errnos[] = { ENOENT, ENODEV, ENXIO };

/* Whether the vsensor module is loaded (it has a directory in sysfs). */
static bool module_loaded(void)
{
	return !access("/sys/module/vsensor", F_OK);
}

int cli_open_error(int err, const char *what)
{
	if (err == ENOENT && !module_loaded())
		return cli_error(EXIT_NOT_FOUND, "vsensor module not loaded");
	errno = err;
	return cli_error(exit_code_for_open(err), "open %s: %m", what);
}

int exit_code_for_open(int err)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(not_found_errnos); i++) {
		if (err == not_found_errnos[i])
			return EXIT_NOT_FOUND;
	}
	return EXIT_REFUSED;
}

static bool is_help(const char *word)
{
	return !strcmp(word, "-h") || !strcmp(word, "--help");
}

/* The entry @word names: itself, or the one entry it is a prefix of. */
static const struct cmd *find_cmd(const struct cmd *cmds, const char *word,
				  bool *ambiguous)
{
	const struct cmd *cmd, *found = NULL;
	size_t len = strlen(word);

	*ambiguous = false;
	for (cmd = cmds; cmd->name; cmd++) {
		if (!strcmp(cmd->name, word))
			return cmd;
	}
	for (cmd = cmds; len && cmd->name; cmd++) {
		if (strncmp(cmd->name, word, len))
			continue;
		/* aliases (show, status) are one command */
		if (found && found->run != cmd->run)
			*ambiguous = true;
		if (!found)
			found = cmd;
	}
	return *ambiguous ? NULL : found;
}

/* "a, b or c": the names in @cmds (all, or those @prefix starts). */
static void cmd_names(const struct cmd *cmds, const char *prefix, char *buf,
		      size_t size)
{
	const struct cmd *cmd;
	size_t len = strlen(prefix), n = 0, total = 0, at = 0;

	for (cmd = cmds; cmd->name; cmd++)
		total += !strncmp(cmd->name, prefix, len);
	buf[0] = '\0';
	for (cmd = cmds; cmd->name && at < size; cmd++) {
		if (strncmp(cmd->name, prefix, len))
			continue;
		n++;
		at += snprintf(buf + at, size - at, "%s%s",
			       n == 1 ? "" : n == total ? " or " : ", ",
			       cmd->name);
	}
}

/* Index of the first -h or --help in argv[1..] before "--", or 0. */
static int help_index(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		if (is_help(argv[i]))
			return i;
	}
	return 0;
}

int run_cmd(const struct cmd *cmds, const char *object, int argc,
	    char **argv)
{
	const char *word = is_help(argv[0]) ? "help" : argv[0];
	const struct cmd *cmd, *help;
	bool ambiguous;
	char names[256];

	cmd = find_cmd(cmds, word, &ambiguous);
	if (!cmd) {
		cmd_names(cmds, ambiguous ? word : "", names, sizeof(names));
		if (ambiguous)
			return cli_error(EXIT_USAGE, "\"%s\" is ambiguous: %s",
					 word, names);
		return cli_error(EXIT_USAGE, "unknown %s \"%s\"%s%s%s, expected %s",
				 object ? "command" : "object", word,
				 object ? " for \"" : "", object ?: "",
				 object ? "\"" : "", names);
	}
	argv[0] = (char *)cmd->name;
	if (!help_index(argc, argv))
		return cmd->run(argc, argv);
	/* OBJECT ... -h: that object's help; OBJECT COMMAND ... -h: the same */
	if (!object)
		return cmd->run(2, (char *[]){ argv[0], "help", NULL });
	help = find_cmd(cmds, "help", &ambiguous);
	return help ? help->run(1, (char *[]){ "help", NULL }) :
		      cmd->run(argc, argv);
}

int cli_nl_open(struct vsensor_nl **nl)
{
	*nl = vsensor_nl_open();
	if (*nl)
		return EXIT_OK;
	if (errno == ENOENT && !module_loaded())
		return cli_error(EXIT_NOT_FOUND, "vsensor module not loaded");
	return cli_error(EXIT_REFUSED,
			 "cannot reach the vsensor netlink family: %m");
}

int cli_nl_error(struct vsensor_nl *nl, const char *what)
{
	const char *msg = vsensor_nl_get_error(nl);

	if (msg)
		return cli_error(EXIT_REFUSED, "%s", msg);
	return cli_error(EXIT_REFUSED, "%s: %m", what);
}

int cli_device_id(const char *arg, unsigned int *id)
{
	struct vsensor_device *dev;
	struct vsensor_ctx *ctx;
	const char *serial;

	if (vsensor_parse_device_spec(arg, id, &serial))
		return device_arg_error(arg);
	if (!serial)
		return EXIT_OK;
	/* a serial: the device that has it now */
	ctx = vsensor_ctx_new();
	if (!ctx)
		return cli_error(EXIT_REFUSED, "cannot list vsensor devices: %m");
	dev = vsensor_ctx_find_device(ctx, arg);
	if (dev)
		*id = vsensor_device_get_id(dev);
	vsensor_ctx_free(ctx);
	if (!dev)
		return cli_error(EXIT_NOT_FOUND, "%s: no such device", arg);
	return EXIT_OK;
}

int parse_u32_any_base(const char *str, uint32_t *val)
{
	unsigned long long v;
	char *end;

	if (str[0] < '0' || str[0] > '9')
		return -1;
	errno = 0;
	v = strtoull(str, &end, 0);
	if (errno || *end || v > UINT32_MAX)
		return -1;
	*val = (uint32_t)v;
	return 0;
}

static const struct {
	const char *name;
	int id;
} clocks[] = {
	{ "monotonic", VSENSOR_CLOCK_MONOTONIC },
	{ "realtime", VSENSOR_CLOCK_REALTIME },
	{ "boottime", VSENSOR_CLOCK_BOOTTIME },
};

int clock_by_name(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(clocks); i++) {
		if (!strcmp(clocks[i].name, name))
			return clocks[i].id;
	}
	return -1;
}

const char *clock_name(uint32_t id)
{
	for (size_t i = 0; i < ARRAY_SIZE(clocks); i++) {
		if ((uint32_t)clocks[i].id == id)
			return clocks[i].name;
	}
	return NULL;
}
