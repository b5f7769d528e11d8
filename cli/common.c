/* vsensorctl: helpers every command uses: errors, dispatch. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vsensor/vsensor.h>

#include "vsensorctl.h"

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

int check_device_arg(const char *arg)
{
	unsigned int id;

	if (!vsensor_parse_device_arg(arg, &id))
		return 0;

	cli_error(EXIT_USAGE,
		  "\"%s\" is not a device, expected N, vsensorN or /dev/vsensorN",
		  arg);
	return -1;
}

static const int not_found_errnos[] = { ENOENT, ENODEV, ENXIO };

int exit_code_for_open(int err)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(not_found_errnos); i++) {
		if (err == not_found_errnos[i])
			return EXIT_NOT_FOUND;
	}
	return EXIT_REFUSED;
}

int run_cmd(const struct cmd *cmds, const char *object, int argc,
	    char **argv)
{
	const struct cmd *cmd;

	for (cmd = cmds; cmd->name; cmd++) {
		if (!strcmp(cmd->name, argv[0]))
			return cmd->run(argc, argv);
	}

	if (!object)
		return cli_error(EXIT_USAGE,
				 "unknown object \"%s\", try \"vsensorctl help\"",
				 argv[0]);
	return cli_error(EXIT_USAGE,
			 "unknown command \"%s\", try \"vsensorctl %s help\"",
			 argv[0], object);
}

struct vsensor_nl *cli_nl_open(void)
{
	struct vsensor_nl *nl = vsensor_nl_open();

	if (!nl)
		cli_error(EXIT_REFUSED, "cannot reach the vsensor netlink family: %m");
	return nl;
}

int cli_nl_error(struct vsensor_nl *nl, const char *what)
{
	const char *msg = vsensor_nl_get_error(nl);

	if (msg)
		return cli_error(EXIT_REFUSED, "%s", msg);
	return cli_error(EXIT_REFUSED, "%s: %m", what);
}

int parse_device_id(const char *arg, unsigned int *id)
{
	if (check_device_arg(arg))
		return -1;
	return vsensor_parse_device_arg(arg, id);
}
