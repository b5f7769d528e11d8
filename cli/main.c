/*
 * vsensorctl: inspect vsensor devices and read their records.
 * Grammar (after iproute2): vsensorctl [OPTIONS] OBJECT { COMMAND | help }
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <vsensor/vsensor.h>

#include "vsensorctl.h"

static const struct option main_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "pretty", no_argument, NULL, 'p' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static int usage(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("Usage: vsensorctl [ OPTIONS ] OBJECT { COMMAND | help }\n"
	       "       vsensorctl { -h | --help | -V | --version }\n"
	       "where  OBJECT := { device | read | write | session | monitor | daemon | help }\n"
	       "       OPTIONS := { -j | --json } [ -p | --pretty ]\n");
	return EXIT_OK;
}

static const struct cmd objects[] = {
	{ "device", cmd_device },
	{ "read", cmd_read },
	{ "write", cmd_write },
	{ "session", cmd_session },
	{ "monitor", cmd_monitor },
	{ "daemon", cmd_daemon },
	{ "help", usage },
	{ NULL, NULL },
};

/*
 * -j and -p after the object as well (vsensorctl device list -j): taken
 * out of argv up to a "--". Returns the new argc.
 */
static int late_options(int argc, char **argv, bool *json, bool *pretty)
{
	static const struct {
		const char *name;
		bool is_json;
	} late[] = {
		{ "-j", true }, { "--json", true },
		{ "-p", false }, { "--pretty", false },
	};
	int i = optind + 1, out = i;

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

int main(int argc, char **argv)
{
	bool json = false, pretty = false;
	int opt, ret;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+jphV", main_options, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json = true;
			break;
		case 'p':
			pretty = true;
			break;
		case 'h':
			return usage(0, NULL);
		case 'V':
			printf("vsensorctl, libvsensor %s\n", vsensor_api_version());
			return EXIT_OK;
		default:
			return cli_error(EXIT_USAGE,
					 "unknown option \"%s\", try \"vsensorctl help\"",
					 argv[optind - 1]);
		}
	}
	if (optind == argc)
		return cli_error(EXIT_USAGE,
				 "missing OBJECT, try \"vsensorctl help\"");
	argc = late_options(argc, argv, &json, &pretty);

	/* Writes to a closed pipe fail with EPIPE, handled as the end. */
	signal(SIGPIPE, SIG_IGN);
	print_start(stdout, json, pretty);
	ret = run_cmd(objects, NULL, argc - optind, argv + optind);
	return finish_output(ret);
}
