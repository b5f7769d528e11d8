/*
 * vsensorctl session: list every open session (netlink dump) with its
 * owner, configuration and counters, or revoke one.
 *   session 7 dev vsensor0 pid 312 comm cat rate 100 ... delivered 12 ...
 */
#include <stdio.h>

#include <vsensor/vsensor.h>

#include "vsensorctl.h"

static int usage(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("Usage: vsensorctl session [ list | revoke ID | help ]\n");
	return EXIT_OK;
}

static int print_session(const struct vsensor_nl_session *s, void *data)
{
	(void)data;
	print_open_object(NULL);
	print_u64(PRINT_ANY, "id", "session %llu", s->id);
	print_uint(PRINT_JSON, "dev_id", NULL, s->dev_id);
	print_text(" dev vsensor%u", s->dev_id);
	print_uint(PRINT_ANY, "pid", " pid %u", s->pid);
	print_string(PRINT_ANY, "comm", " comm %s", s->comm);
	print_uint(PRINT_ANY, "rate_hz", " rate %u", s->config.rate_hz);
	print_uint(PRINT_ANY, "channel_mask", " channels 0x%x",
		   s->config.channel_mask);
	print_uint(PRINT_ANY, "watermark", " watermark %u", s->config.watermark);
	print_uint(PRINT_ANY, "ring_size", " ring %u", s->config.ring_size);
	print_uint(PRINT_ANY, "clock_id", " clock %u", s->config.clock_id);
	print_u64(PRINT_ANY, "delivered", " delivered %llu", s->stats.delivered);
	print_u64(PRINT_ANY, "dropped", " dropped %llu", s->stats.dropped);
	print_u64(PRINT_ANY, "overruns", " overruns %llu", s->stats.overruns);
	print_u64(PRINT_ANY, "queued", " queued %llu", s->stats.queued);
	print_close_object();
	print_nl();
	return 0;
}

static int do_list(int argc, char **argv)
{
	struct vsensor_nl *nl;
	int ret = EXIT_OK;

	if (argc > 1)
		return cli_error(EXIT_USAGE, "\"%s\" takes no argument", argv[0]);
	nl = cli_nl_open();
	if (!nl)
		return EXIT_REFUSED;
	print_open_array(NULL);
	if (vsensor_nl_session_list(nl, print_session, NULL))
		ret = cli_nl_error(nl, "session list");
	print_close_array();
	vsensor_nl_close(nl);
	return ret;
}

static int do_revoke(int argc, char **argv)
{
	struct vsensor_nl *nl;
	int ret = EXIT_OK;
	uint64_t id;

	if (argc != 2)
		return cli_error(EXIT_USAGE, "usage: vsensorctl session revoke ID");
	if (parse_u64(argv[1], 1, UINT64_MAX, &id))
		return cli_error(EXIT_USAGE, "\"%s\" is not a session id", argv[1]);
	nl = cli_nl_open();
	if (!nl)
		return EXIT_REFUSED;
	if (vsensor_nl_session_revoke(nl, id))
		ret = cli_nl_error(nl, "session revoke");
	vsensor_nl_close(nl);
	return ret;
}

static const struct cmd session_cmds[] = {
	{ "list", do_list },
	{ "show", do_list },
	{ "revoke", do_revoke },
	{ "help", usage },
	{ NULL, NULL },
};

int cmd_session(int argc, char **argv)
{
	if (argc < 2)
		return do_list(1, argv);
	return run_cmd(session_cmds, "session", argc - 1, argv + 1);
}
