/*
 * vsensorctl session: list every open session (netlink dump) with its
 * owner, configuration and counters, and the sessions vsensord holds;
 * revoke a kernel session; start and stop held ones (Varlink).
 *   session 7 dev vsensor0 pid 312 comm cat rate 100 ... delivered 12 ...
 *   held 3 dev vsensor0 serial S1 state running ... records 120 gaps 0 ...
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vsensor/vsensor.h>

#include "vsensorctl.h"

static int usage(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("Usage: vsensorctl session [ list | revoke ID | help ]\n"
	       "       vsensorctl session start DEV [ rate HZ ] [ channels MASK ]\n"
	       "               [ watermark N ] [ clock { monotonic | realtime | boottime } ]\n"
	       "               [ output FILE ] [ format { bin | csv } ] [ rotate SIZE ]\n"
	       "       vsensorctl session stop ID\n"
	       "where  DEV := { N | vsensorN | /dev/vsensorN | SERIAL }\n"
	       "       SIZE := N[K|M|G]\n");
	return EXIT_OK;
}

void print_nl_session(const struct vsensor_nl_session *s,
		      enum session_detail detail)
{
	const struct vsensor_config *config = vsensor_nl_session_get_config(s);
	const struct vsensor_stats *stats = vsensor_nl_session_get_stats(s);

	print_u64(PRINT_ANY, "id", "session %" PRIu64,
		  vsensor_nl_session_get_id(s));
	print_bool(PRINT_JSON, "held", NULL, false);
	print_dev_id(vsensor_nl_session_get_dev_id(s));
	if (detail == SESSION_ID)
		return;
	print_uint(PRINT_ANY, "pid", " pid %u", vsensor_nl_session_get_pid(s));
	print_string(PRINT_ANY, "comm", " comm %s",
		     vsensor_nl_session_get_comm(s));
	if (detail == SESSION_OWNER)
		return;
	print_uint(PRINT_ANY, "rate_hz", " rate %u", config->rate_hz);
	print_uint(PRINT_ANY, "channel_mask", " channels 0x%x",
		   config->channel_mask);
	print_uint(PRINT_ANY, "watermark", " watermark %u", config->watermark);
	print_uint(PRINT_ANY, "ring_size", " ring %u", config->ring_size);
	print_uint(PRINT_ANY, "clock_id", " clock %u", config->clock_id);
	print_u64(PRINT_ANY, "delivered", " delivered %" PRIu64, stats->delivered);
	print_u64(PRINT_ANY, "dropped", " dropped %" PRIu64, stats->dropped);
	print_u64(PRINT_ANY, "overruns", " overruns %" PRIu64, stats->overruns);
	print_u64(PRINT_ANY, "queued", " queued %" PRIu64, stats->queued);
}

static int print_session(const struct vsensor_nl_session *s, void *data)
{
	(void)data;
	print_open_object(NULL);
	print_nl_session(s, SESSION_ALL);
	print_close_object();
	print_nl();
	return 0;
}

/* A number the daemon may leave null (-1 here): null in JSON, - in text. */
static void print_optional(const char *key, const char *text_key,
			   int64_t value)
{
	print_text(" %s", text_key);
	if (value < 0)
		print_string(PRINT_ANY, key, " %s", NULL);
	else
		print_u64(PRINT_ANY, key, " %" PRIu64, (uint64_t)value);
}

static const struct {
	const char *key;
	const char *fmt;
	const char *(*get)(const struct vsensor_daemon_session *s);
} held_strings[] = {
	{ "clock", " clock %s", vsensor_daemon_session_get_clock },
	{ "output", " output %s", vsensor_daemon_session_get_output },
	{ "format", " format %s", vsensor_daemon_session_get_format },
};

static const struct {
	const char *key;
	const char *text_key;
	int64_t (*get)(const struct vsensor_daemon_session *s);
} held_counts[] = {
	{ "records", "records", vsensor_daemon_session_get_records },
	{ "gaps", "gaps", vsensor_daemon_session_get_gaps },
	{ "kernel_session", "kernel_session",
	  vsensor_daemon_session_get_kernel_session },
};

/* A session of vsensord; the same keys as its Varlink type Session. */
static void print_held(const struct vsensor_daemon_session *s)
{
	size_t i;

	print_open_object(NULL);
	print_u64(PRINT_ANY, "id", "held %" PRIu64, vsensor_daemon_session_get_id(s));
	print_bool(PRINT_JSON, "held", NULL, vsensor_daemon_session_is_held(s));
	print_string(PRINT_ANY, "device", " dev %s",
		     vsensor_daemon_session_get_device(s));
	print_string(PRINT_ANY, "serial", " serial %s",
		     vsensor_daemon_session_get_serial(s));
	print_string(PRINT_ANY, "state", " state %s",
		     vsensor_daemon_session_get_state(s));
	print_optional("uid", "uid", vsensor_daemon_session_get_uid(s));
	print_uint(PRINT_ANY, "pid", " pid %u", vsensor_daemon_session_get_pid(s));
	print_string(PRINT_ANY, "comm", " comm %s",
		     vsensor_daemon_session_get_comm(s));
	print_uint(PRINT_ANY, "rate_hz", " rate %u",
		   vsensor_daemon_session_get_rate_hz(s));
	print_uint(PRINT_ANY, "channel_mask", " channels 0x%x",
		   vsensor_daemon_session_get_channel_mask(s));
	print_uint(PRINT_ANY, "watermark", " watermark %u",
		   vsensor_daemon_session_get_watermark(s));
	for (i = 0; i < ARRAY_SIZE(held_strings); i++)
		print_string(PRINT_ANY, held_strings[i].key, held_strings[i].fmt,
			     held_strings[i].get(s));
	for (i = 0; i < ARRAY_SIZE(held_counts); i++)
		print_optional(held_counts[i].key, held_counts[i].text_key,
			       held_counts[i].get(s));
	print_close_object();
	print_nl();
}

/* Only the held ones: the kernel's own list has the others. */
static int print_if_held(const struct vsensor_daemon_session *s, void *data)
{
	(void)data;
	if (vsensor_daemon_session_is_held(s))
		print_held(s);
	return 0;
}

/* The held sessions, if vsensord runs; nothing if it does not. */
static int list_held(void)
{
	struct vsensor_client *client;
	int ret;

	ret = cli_client_open(&client, true);
	if (ret)
		return ret == EXIT_NOT_FOUND ? EXIT_OK : ret;
	if (vsensor_client_list_sessions(client, print_if_held, NULL))
		ret = cli_client_error(client);
	vsensor_client_free(client);
	return ret;
}

static int do_list(int argc, char **argv)
{
	struct vsensor_nl *nl;
	int ret = EXIT_OK, held_ret;

	if (argc > 1)
		return cli_error(EXIT_USAGE, "\"%s\" takes no argument", argv[0]);
	ret = cli_nl_open(&nl);
	if (ret)
		return ret;
	print_open_array(NULL);
	if (vsensor_nl_session_list(nl, print_session, NULL))
		ret = cli_nl_error(nl, "session list");
	vsensor_nl_close(nl);
	held_ret = list_held();
	print_close_array();
	return ret ? ret : held_ret;
}

static int do_revoke(int argc, char **argv)
{
	struct vsensor_nl *nl;
	int ret = EXIT_OK;
	uint64_t id;

	if (argc != 2)
		return cli_error(EXIT_USAGE, "usage: vsensorctl session revoke ID");
	if (vsensor_parse_u64(argv[1], 1, UINT64_MAX, &id))
		return cli_error(EXIT_USAGE, "\"%s\" is not a session id", argv[1]);
	ret = cli_nl_open(&nl);
	if (ret)
		return ret;
	if (vsensor_nl_session_revoke(nl, id))
		ret = cli_nl_error(nl, "session revoke");
	vsensor_nl_close(nl);
	return ret;
}

/* "4096", "64K", "10M", "1G" (powers of 1024): 0, or -1. */
static int parse_size(const char *str, uint64_t *bytes)
{
	static const char suffixes[] = "KMG";
	size_t len = strlen(str);
	const char *suffix;
	char digits[32];
	unsigned int shift = 0;
	uint64_t v;

	if (!len || len >= sizeof(digits))
		return -1;
	memcpy(digits, str, len + 1);
	suffix = strchr(suffixes, digits[len - 1]);
	if (suffix && *suffix) {
		shift = 10 * (unsigned int)(suffix - suffixes + 1);
		digits[len - 1] = '\0';
	}
	if (vsensor_parse_u64(digits, 1, INT64_MAX >> shift, &v))
		return -1;
	*bytes = v << shift;
	return 0;
}

static const char *const formats[] = { "bin", "csv", NULL };

static bool one_of(const char *value, const char *const *choices)
{
	for (; *choices; choices++) {
		if (!strcmp(value, *choices))
			return true;
	}
	return false;
}

/* Set the option @value names in @config: 0, or -1 when it is malformed. */
static int set_rate(struct vsensor_capture_config *config, const char *value)
{
	uint64_t v;

	if (vsensor_parse_u64(value, 1, UINT32_MAX, &v))
		return -1;
	return vsensor_capture_config_set_rate_hz(config, (uint32_t)v);
}

static int set_channels(struct vsensor_capture_config *config,
			const char *value)
{
	uint32_t mask;

	if (parse_u32_any_base(value, &mask) || !mask)
		return -1;
	return vsensor_capture_config_set_channel_mask(config, mask);
}

static int set_watermark(struct vsensor_capture_config *config,
			 const char *value)
{
	uint64_t v;

	if (vsensor_parse_u64(value, 1, UINT32_MAX, &v))
		return -1;
	return vsensor_capture_config_set_watermark(config, (uint32_t)v);
}

static int set_clock(struct vsensor_capture_config *config, const char *value)
{
	if (clock_by_name(value) < 0)
		return -1;
	return vsensor_capture_config_set_clock(config, value);
}

static int set_output(struct vsensor_capture_config *config, const char *value)
{
	/* a file name in the daemon's capture directory, not a path */
	if (!*value || strchr(value, '/'))
		return -1;
	return vsensor_capture_config_set_output(config, value);
}

static int set_format(struct vsensor_capture_config *config, const char *value)
{
	if (!one_of(value, formats))
		return -1;
	return vsensor_capture_config_set_format(config, value);
}

static int set_rotate(struct vsensor_capture_config *config, const char *value)
{
	uint64_t bytes;

	if (parse_size(value, &bytes))
		return -1;
	return vsensor_capture_config_set_rotate_bytes(config, bytes);
}

/* The options of "session start", each KEYWORD VALUE at most once. */
static const struct {
	const char *keyword;
	const char *what;	/* for the error line */
	int (*set)(struct vsensor_capture_config *config, const char *value);
} start_options[] = {
	{ "rate", "rate in Hz", set_rate },
	{ "channels", "channel mask", set_channels },
	{ "watermark", "watermark", set_watermark },
	{ "clock", "clock (monotonic, realtime or boottime)", set_clock },
	{ "output", "file name", set_output },
	{ "format", "format (bin or csv)", set_format },
	{ "rotate", "size (N, NK, NM or NG)", set_rotate },
};

/* Fill @config from "KEYWORD VALUE..." in @argv: 0 or an exit code. */
static int parse_start_options(int argc, char **argv,
			       struct vsensor_capture_config *config)
{
	bool seen[ARRAY_SIZE(start_options)] = { false };
	size_t k;
	int i;

	for (i = 0; i < argc; i += 2) {
		for (k = 0; k < ARRAY_SIZE(start_options); k++) {
			if (!strcmp(argv[i], start_options[k].keyword))
				break;
		}
		if (k == ARRAY_SIZE(start_options))
			return cli_error(EXIT_USAGE, "unknown option \"%s\" for \"start\"",
					 argv[i]);
		if (i + 1 == argc)
			return cli_error(EXIT_USAGE, "\"%s\" needs a value", argv[i]);
		if (seen[k])
			return cli_error(EXIT_USAGE, "\"%s\" given twice", argv[i]);
		seen[k] = true;
		if (start_options[k].set(config, argv[i + 1])) {
			if (errno == ENOMEM)
				return cli_error(EXIT_REFUSED, "%m");
			return cli_error(EXIT_USAGE, "invalid %s \"%s\"",
					 start_options[k].what, argv[i + 1]);
		}
	}
	return EXIT_OK;
}

/* Print the session a start or stop returned, as "session list" does. */
static int print_result(struct vsensor_client *client,
			struct vsensor_daemon_session *s)
{
	if (!s)
		return cli_client_error(client);
	print_open_array(NULL);
	print_held(s);
	print_close_array();
	vsensor_daemon_session_free(s);
	return EXIT_OK;
}

static int do_start(int argc, char **argv)
{
	struct vsensor_capture_config *config;
	struct vsensor_client *client;
	char device[32];
	int ret;

	if (argc < 2)
		return cli_error(EXIT_USAGE, "missing DEV");
	ret = cli_device_name(argv[1], device, sizeof(device));
	if (ret)
		return ret;
	config = vsensor_capture_config_new();
	if (!config)
		return cli_error(EXIT_REFUSED, "%m");
	ret = parse_start_options(argc - 2, argv + 2, config);
	if (!ret)
		ret = cli_client_open(&client, false);
	if (!ret) {
		ret = print_result(client,
				   vsensor_client_start_session(client, device, config));
		vsensor_client_free(client);
	}
	vsensor_capture_config_free(config);
	return ret;
}

static int do_stop(int argc, char **argv)
{
	struct vsensor_client *client;
	uint64_t id;
	int ret;

	if (argc != 2)
		return cli_error(EXIT_USAGE, "usage: vsensorctl session stop ID");
	if (vsensor_parse_u64(argv[1], 1, INT64_MAX, &id))
		return cli_error(EXIT_USAGE, "\"%s\" is not a session id", argv[1]);
	ret = cli_client_open(&client, false);
	if (ret)
		return ret;
	ret = print_result(client, vsensor_client_stop_session(client, id));
	vsensor_client_free(client);
	return ret;
}

static const struct cmd session_cmds[] = {
	{ "list", do_list },
	{ "show", do_list },
	{ "revoke", do_revoke },
	{ "start", do_start },
	{ "stop", do_stop },
	{ "help", usage },
	{ NULL, NULL },
};

int cmd_session(int argc, char **argv)
{
	if (argc < 2)
		return do_list(1, argv);
	return run_cmd(session_cmds, "session", argc - 1, argv + 1);
}
