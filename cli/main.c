/*
 * vsensorctl: inspect vsensor devices and read their records.
 * Grammar (after iproute2): vsensorctl [OPTIONS] OBJECT { COMMAND | help }
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vsensor/vsensor.h>

#include "batch.h"
#include "vsensorctl.h"

static const struct option main_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "pretty", no_argument, NULL, 'p' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "batch", required_argument, NULL, 'b' },
	{ "force", no_argument, NULL, 'f' },
	{ NULL, 0, NULL, 0 },
};

static int usage(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("Usage: vsensorctl [ OPTIONS ] OBJECT { COMMAND | help }\n"
	       "       vsensorctl [ OPTIONS ] { -b | --batch } FILE [ --force ]\n"
	       "       vsensorctl { -h | --help | -V | --version }\n"
	       "where  OBJECT := { device | read | write | watch | session | monitor | daemon |\n"
	       "                  help }\n"
	       "       OPTIONS := { -j | --json } [ -p | --pretty ]\n");
	return EXIT_OK;
}

static const struct cmd objects[] = {
	{ "device", cmd_device },
	{ "read", cmd_read },
	{ "write", cmd_write },
	{ "watch", cmd_watch },
	{ "session", cmd_session },
	{ "monitor", cmd_monitor },
	{ "daemon", cmd_daemon },
	{ "help", usage },
	{ NULL, NULL },
};

/*
 * -j and -p after the object as well (vsensorctl device list -j): taken
 * out of argv from @first (after the object) up to a "--". Returns the new
 * argc.
 */
static int late_options(int argc, char **argv, int first, bool *json,
			bool *pretty)
{
	static const struct {
		const char *name;
		bool is_json;
	} late[] = {
		{ "-j", true }, { "--json", true },
		{ "-p", false }, { "--pretty", false },
	};
	int i = first, out = i;

	for (; i < argc && strcmp(argv[i], "--"); i++) {
		size_t k;

		for (k = 0; k < ARRAY_SIZE(late); k++) {
			if (!strcmp(argv[i], late[k].name))
				break;
		}
		if (k == ARRAY_SIZE(late))
			argv[out++] = argv[i];
		else
			*(late[k].is_json ? json : pretty) = true;
	}
	while (i < argc)
		argv[out++] = argv[i++];
	argv[out] = NULL;
	return out;
}

/* What is left to say once the output is complete. */
static int finish_output(int ret)
{
	if (!print_end())
		return ret;
	/* The reader went away (| head): not an error of ours. */
	if (errno == EPIPE)
		return ret;
	return cli_error(ret ? ret : EXIT_REFUSED, "writing output: %m");
}

/* One command, OBJECT and what follows, with its own output document. */
static int run_command(int argc, char **argv, bool json, bool pretty)
{
	argc = late_options(argc, argv, 1, &json, &pretty);
	print_start(stdout, json, pretty);
	return finish_output(run_cmd(objects, NULL, argc, argv));
}

/*
 * -b FILE ("-": stdin): a command a line (batch.h), each run as if given
 * on the command line. The first failure stops the batch (with --force
 * the rest still runs) and is the exit status.
 */
static int run_batch(const char *file, bool force, bool json, bool pretty)
{
	char *line = NULL, *argv[BATCH_MAX_ARGS + 1];
	const char *name = "<stdin>";
	FILE *in = stdin;
	unsigned long lineno = 0;
	size_t cap = 0;
	int first = EXIT_OK;

	if (strcmp(file, "-")) {
		in = fopen(file, "re");
		if (!in)
			return cli_error(exit_code_for_open(errno), "open %s: %m",
					 file);
		name = file;
	} else {
		cli_batch_stdin = true;
	}
	while (getline(&line, &cap, in) >= 0) {
		const char *err;
		int argc, ret;

		lineno++;
		line[strcspn(line, "\n")] = '\0';
		argc = batch_split(line, argv, &err);
		if (!argc)
			continue;
		if (argc < 0) {
			ret = cli_error(EXIT_USAGE, "%s:%lu: %s%s", name, lineno,
					err, force ? "" : ", batch stopped");
		} else {
			ret = run_command(argc, argv, json, pretty);
			if (ret)
				cli_error(ret, "%s:%lu: the command failed (exit status %d)%s",
					  name, lineno, ret,
					  force ? "" : ", batch stopped");
		}
		if (cli_stop_signal) {
			/* Ctrl-C ended a read: the batch too */
			if (!first)
				first = 128 + cli_stop_signal;
			break;
		}
		if (!ret)
			continue;
		if (!first)
			first = ret;
		if (!force)
			break;
	}
	if (ferror(in) && !first)
		first = cli_error(EXIT_REFUSED, "read %s: %m", name);
	free(line);
	if (in != stdin)
		fclose(in);
	return first;
}

/* iproute2's spellings among the options: -batch FILE, -force. */
static void iproute2_options(int argc, char **argv)
{
	for (int i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-batch"))
			argv[i] = "--batch";
		else if (!strcmp(argv[i], "-force"))
			argv[i] = "--force";
		if (!strcmp(argv[i], "--batch") || !strcmp(argv[i], "-b"))
			i++;	/* FILE */
	}
}

int main(int argc, char **argv)
{
	bool json = false, pretty = false, force = false;
	const char *batch = NULL;
	char bad[3];
	int opt;

	iproute2_options(argc, argv);
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+:jphVb:", main_options, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json = true;
			break;
		case 'p':
			pretty = true;
			break;
		case 'b':
			batch = optarg;
			break;
		case 'f':
			force = true;
			break;
		case 'h':
			return usage(0, NULL);
		case 'V':
			printf("vsensorctl, libvsensor %s\n", vsensor_api_version());
			return EXIT_OK;
		case ':':
			return cli_error(EXIT_USAGE, "option \"%s\" needs a value",
					 argv[optind - 1]);
		default:
			return cli_error(EXIT_USAGE,
					 "unknown option \"%s\", try \"vsensorctl help\"",
					 cli_bad_option(argv[optind - 1], bad));
		}
	}
	/* Writes to a closed pipe fail with EPIPE, handled as the end. */
	signal(SIGPIPE, SIG_IGN);
	if (batch) {
		if (optind != argc)
			return cli_error(EXIT_USAGE,
					 "-b FILE takes its commands from FILE, not \"%s\"",
					 argv[optind]);
		return run_batch(batch, force, json, pretty);
	}
	if (force)
		return cli_error(EXIT_USAGE, "--force goes with -b FILE");
	if (optind == argc)
		return cli_error(EXIT_USAGE,
				 "missing OBJECT, try \"vsensorctl help\"");
	return run_command(argc - optind, argv + optind, json, pretty);
}
