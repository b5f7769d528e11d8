/*
 * vsensorctl read: open a session, optionally configure it, print records
 * until COUNT, the duration or SIGINT/SIGTERM, in one of the formats of
 * read_formats[]: text (a line each) and JSON (one array; see record.c),
 * JSON lines, CSV (lib/record.c, as vsensord records it) or raw (the
 * records as the kernel gives them, for pipes).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <vsensor/vsensor.h>

#include "vsensorctl.h"

#define READ_BATCH	64	/* records per read() at most */
#define NSEC_PER_SEC	1000000000LL
#define NSEC_PER_MSEC	1000000LL

struct read_format;

struct read_args {
	const char *device;
	uint64_t count;		/* 0: no limit */
	bool nonblock;
	bool verbose;
	int64_t deadline_ns;	/* --timeout, CLOCK_MONOTONIC; -1: none */
	int64_t end_ns;		/* --duration, CLOCK_MONOTONIC; -1: none */
	const struct read_format *format;
	struct session_opts config;
};

/* How records are printed; @mask is the session's channel mask. */
struct read_format {
	const char *name;
	bool json;
	bool one_line;	/* a record a line: never pretty */
	void (*begin)(uint32_t mask);
	int (*record)(const struct vsensor_record *record, uint32_t mask);
	void (*end)(void);
};

static int text_record(const struct vsensor_record *record, uint32_t mask)
{
	(void)mask;
	print_record(record);
	return 0;
}

static void json_begin(uint32_t mask)
{
	(void)mask;
	print_open_array(NULL);
}

static void json_end(void)
{
	print_close_array();
}

static int jsonl_record(const struct vsensor_record *record, uint32_t mask)
{
	(void)mask;
	print_record(record);
	return print_line_end();
}

static void csv_begin(uint32_t mask)
{
	char line[128];

	if (vsensor_record_csv_header(mask, line, sizeof(line)) > 0)
		fputs(line, stdout);
}

static int csv_record(const struct vsensor_record *record, uint32_t mask)
{
	char line[256];

	if (vsensor_record_csv(record, mask, line, sizeof(line)) < 0)
		return -1;
	return fputs(line, stdout) == EOF ? -1 : 0;
}

static int raw_record(const struct vsensor_record *record, uint32_t mask)
{
	(void)mask;
	return fwrite(record, sizeof(*record), 1, stdout) == 1 ? 0 : -1;
}

static const struct read_format read_formats[] = {
	{ "text", false, true, NULL, text_record, NULL },
	{ "json", true, false, json_begin, text_record, json_end },
	{ "jsonl", true, true, NULL, jsonl_record, NULL },
	{ "csv", false, true, csv_begin, csv_record, NULL },
	{ "raw", false, true, NULL, raw_record, NULL },
};

enum {
	OPT_NONBLOCK = OPT_SESSION_END, OPT_TIMEOUT, OPT_DURATION, OPT_FORMAT,
};

static const struct option read_options[] = {
	{ "nonblock", no_argument, NULL, OPT_NONBLOCK },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "rate", required_argument, NULL, OPT_RATE },
	{ "channels", required_argument, NULL, OPT_CHANNELS },
	{ "watermark", required_argument, NULL, OPT_WATERMARK },
	{ "clock", required_argument, NULL, OPT_CLOCK },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "verbose", no_argument, NULL, 'v' },
	{ NULL, 0, NULL, 0 },
};

static int usage(void)
{
	printf("Usage: vsensorctl read DEV [ -n COUNT ] [ --duration TIME ] [ --timeout MS ]\n"
	       "               [ --nonblock ] [ --rate HZ ] [ --channels MASK ]\n"
	       "               [ --watermark N ] [ --clock { monotonic | realtime | boottime } ]\n"
	       "               [ --format { text | csv | json | jsonl | raw } ] [ -v | --verbose ]\n"
	       "       vsensorctl read help\n"
	       "where  DEV := { N | vsensorN | /dev/vsensorN | SERIAL }\n"
	       "       TIME := { N | Nms | Ns | Nm }\n");
	return EXIT_OK;
}

static void on_stop_signal(int sig)
{
	cli_stop_signal = sig;
}

/*
 * SIGINT and SIGTERM end the read. They stay blocked but while waiting in
 * ppoll() (with @old_mask), so none is missed between a check and a wait
 * and printing never fails with EINTR.
 */
struct stop_signals {
	struct sigaction old_int, old_term;
	sigset_t old_mask;
};

static void stop_signals_catch(struct stop_signals *st)
{
	struct sigaction sa = { .sa_handler = on_stop_signal };
	sigset_t block;

	cli_stop_signal = 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &st->old_int);
	sigaction(SIGTERM, &sa, &st->old_term);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &st->old_mask);
}

/* As before the read; a signal pending meanwhile is caught first. */
static void stop_signals_release(struct stop_signals *st)
{
	sigprocmask(SIG_SETMASK, &st->old_mask, NULL);
	sigaction(SIGINT, &st->old_int, NULL);
	sigaction(SIGTERM, &st->old_term, NULL);
}

static int64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

/* "500ms", "2s", "2" (seconds), "1m": 0 and *@ns, or -1. */
static int parse_duration(const char *str, int64_t *ns)
{
	static const struct {
		const char *suffix;
		int64_t ns;
	} units[] = {
		{ "ms", NSEC_PER_MSEC }, { "s", NSEC_PER_SEC },
		{ "m", 60 * NSEC_PER_SEC }, { "", NSEC_PER_SEC },
	};
	size_t digits = strspn(str, "0123456789");
	char num[24];
	uint64_t v;

	if (!digits || digits >= sizeof(num))
		return -1;
	memcpy(num, str, digits);
	num[digits] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
		if (strcmp(str + digits, units[i].suffix))
			continue;
		if (vsensor_parse_u64(num, 1, INT64_MAX / units[i].ns, &v))
			return -1;
		*ns = (int64_t)v * units[i].ns;
		return 0;
	}
	return -1;
}

static int parse_u32_option(const char *value, uint32_t *val,
			    const char *what)
{
	uint64_t v;

	if (vsensor_parse_u64(value, 1, UINT32_MAX, &v))
		return cli_error(EXIT_USAGE, "invalid %s \"%s\"", what, value);
	*val = (uint32_t)v;
	return EXIT_OK;
}

static int parse_format(const char *name, struct read_args *args)
{
	for (size_t i = 0; i < ARRAY_SIZE(read_formats); i++) {
		if (!strcmp(read_formats[i].name, name)) {
			args->format = &read_formats[i];
			return EXIT_OK;
		}
	}
	return cli_error(EXIT_USAGE,
			 "unknown format \"%s\", expected text, csv, json, jsonl or raw",
			 name);
}

int session_opts_parse(int opt, const char *value, struct session_opts *opts)
{
	switch (opt) {
	case OPT_RATE:
		return parse_u32_option(value, &opts->rate_hz, "rate");
	case OPT_WATERMARK:
		return parse_u32_option(value, &opts->watermark, "watermark");
	case OPT_CHANNELS:
		if (parse_u32_any_base(value, &opts->channel_mask) ||
		    !opts->channel_mask)
			return cli_error(EXIT_USAGE, "invalid channel mask \"%s\"",
					 value);
		return EXIT_OK;
	case OPT_CLOCK:
		opts->clock_id = clock_by_name(value);
		if (opts->clock_id < 0)
			return cli_error(EXIT_USAGE,
					 "unknown clock \"%s\", expected monotonic, realtime or boottime",
					 value);
		return EXIT_OK;
	default:
		return -1;
	}
}

/* @opt as getopt_long() returned it, @arg the argument it came from. */
static int parse_option(int opt, const char *arg, struct read_args *args)
{
	uint64_t timeout_ms;
	int64_t duration, now;
	char bad[3];
	int ret;

	ret = session_opts_parse(opt, optarg, &args->config);
	if (ret >= 0)
		return ret;
	switch (opt) {
	case 'n':
		if (vsensor_parse_u64(optarg, 1, UINT64_MAX, &args->count))
			return cli_error(EXIT_USAGE, "invalid COUNT \"%s\"",
					 optarg);
		return EXIT_OK;
	case 'v':
		args->verbose = true;
		return EXIT_OK;
	case OPT_NONBLOCK:
		args->nonblock = true;
		return EXIT_OK;
	case OPT_TIMEOUT:
		if (vsensor_parse_u64(optarg, 0, INT_MAX, &timeout_ms))
			return cli_error(EXIT_USAGE, "invalid timeout \"%s\"",
					 optarg);
		args->deadline_ns = monotonic_ns() +
				    (int64_t)timeout_ms * NSEC_PER_MSEC;
		return EXIT_OK;
	case OPT_DURATION:
		if (parse_duration(optarg, &duration))
			return cli_error(EXIT_USAGE,
					 "invalid duration \"%s\", expected N, Nms, Ns or Nm",
					 optarg);
		now = monotonic_ns();
		/* beyond the clock's range: as good as no end */
		args->end_ns = duration > INT64_MAX - now ? -1 : now + duration;
		return EXIT_OK;
	case OPT_FORMAT:
		return parse_format(optarg, args);
	case ':':
		return cli_error(EXIT_USAGE, "option \"%s\" needs a value", arg);
	default:
		return cli_error(EXIT_USAGE, "unknown option \"%s\" for \"read\"",
				 cli_bad_option(arg, bad));
	}
}

static int parse_args(int argc, char **argv, struct read_args *args)
{
	int opt;

	optind = 0;	/* glibc: start afresh on this argv */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":n:v", read_options, NULL)) != -1) {
		int ret = parse_option(opt, argv[optind - 1], args);

		if (ret)
			return ret;
	}

	if (optind != argc - 1)
		return cli_error(EXIT_USAGE, "%s", optind == argc ?
				 "missing DEV" : "too many arguments to \"read\"");
	args->device = argv[optind];
	if (args->deadline_ns >= 0 && !args->count)
		return cli_error(EXIT_USAGE, "--timeout needs -n COUNT");
	return check_device_arg(args->device) ? EXIT_USAGE : EXIT_OK;
}

static bool wants_config(const struct session_opts *opts)
{
	return opts->rate_hz || opts->channel_mask || opts->watermark ||
	       opts->clock_id >= 0;
}

int session_opts_apply(struct vsensor_session *session, const char *device,
		       const struct session_opts *opts,
		       struct vsensor_config *config)
{
	if (vsensor_session_get_config(session, config))
		return cli_error(EXIT_REFUSED, "%s: get configuration: %m", device);
	if (!wants_config(opts))
		return EXIT_OK;
	if (opts->rate_hz)
		config->rate_hz = opts->rate_hz;
	if (opts->channel_mask)
		config->channel_mask = opts->channel_mask;
	if (opts->watermark)
		config->watermark = opts->watermark;
	if (opts->clock_id >= 0)
		config->clock_id = (uint32_t)opts->clock_id;
	if (vsensor_session_set_config(session, config))
		return cli_error(EXIT_REFUSED,
				 "%s refused the configuration (rate %" PRIu32
				 " Hz, channels 0x%" PRIx32 ", watermark %" PRIu32
				 "): %m", device, config->rate_hz,
				 config->channel_mask, config->watermark);
	return EXIT_OK;
}

/*
 * Apply the options to the session's configuration, all in one
 * SET_CONFIG; with -v, print what the kernel applied (to stderr).
 */
static int configure(struct vsensor_session *session,
		     const struct read_args *args, struct vsensor_config *config)
{
	int ret = session_opts_apply(session, args->device, &args->config,
				     config);

	if (!ret && args->verbose) {
		const char *clock = clock_name(config->clock_id);

		fprintf(stderr, "# %s: rate %" PRIu32 " Hz, channels 0x%" PRIx32
			", watermark %" PRIu32 ", ring %" PRIu32 " records, clock %s\n",
			args->device, config->rate_hz, config->channel_mask,
			config->watermark, config->ring_size, clock ? clock : "?");
	}
	return ret;
}

/* The earlier of two deadlines (-1: none). */
static int64_t earliest(int64_t a, int64_t b)
{
	if (a < 0)
		return b;
	return b < 0 || a < b ? a : b;
}

/*
 * Wait until a read will not block, with the stop signals let in: 0, or
 * -1 with errno ETIMEDOUT (@deadline_ns passed) or EINTR (a stop signal).
 */
static int wait_readable(struct vsensor_session *session, int64_t deadline_ns,
			 const sigset_t *mask)
{
	struct pollfd pfd = {
		.fd = vsensor_session_get_fd(session), .events = POLLIN,
	};
	struct timespec ts, *timeout = NULL;
	int ret;

	if (deadline_ns >= 0) {
		int64_t left = deadline_ns - monotonic_ns();

		if (left < 0)
			left = 0;
		ts.tv_sec = left / NSEC_PER_SEC;
		ts.tv_nsec = left % NSEC_PER_SEC;
		timeout = &ts;
	}
	ret = ppoll(&pfd, 1, timeout, mask);
	if (ret == 0)
		errno = ETIMEDOUT;
	return ret > 0 ? 0 : -1;
}

/* Up to @max records, in time: how many, or -1 with errno. */
static ssize_t read_batch(struct vsensor_session *session,
			  const struct read_args *args, int64_t deadline_ns,
			  const sigset_t *mask, struct vsensor_record *records,
			  size_t max)
{
	for (;;) {
		ssize_t n;

		/* --nonblock alone: an empty queue ends the read */
		if ((deadline_ns >= 0 || !args->nonblock) &&
		    wait_readable(session, deadline_ns, mask))
			return -1;

		n = vsensor_session_read(session, records, max);
		if (n > 0)
			return n;
		if (n == 0)
			errno = ENODATA;
		/* With a deadline, EAGAIN only means: wait again. */
		if (n == 0 || errno != EAGAIN || deadline_ns < 0)
			return -1;
	}
}

/* A read ended by errno: the normal end (0) or an error line. */
static int read_ended(const struct read_args *args, uint64_t done)
{
	if (cli_stop_signal && errno == EINTR)
		return EXIT_OK;
	if (errno == ETIMEDOUT && args->end_ns >= 0 &&
	    monotonic_ns() >= args->end_ns)
		return EXIT_OK;
	if (errno != ETIMEDOUT && errno != EAGAIN)
		return cli_error(EXIT_REFUSED, "read %s: %m", args->device);

	return cli_error(EXIT_NOT_FOUND,
			 "%s: %s, %" PRIu64 " of %" PRIu64 " records read",
			 args->device,
			 errno == EAGAIN ? "no record queued" : "timed out",
			 done, args->count);
}

static int read_records(struct vsensor_session *session,
			const struct read_args *args, uint32_t mask,
			struct vsensor_gap *gap, uint64_t *read)
{
	struct stop_signals signals;
	int64_t deadline_ns = earliest(args->deadline_ns, args->end_ns);
	struct vsensor_record records[READ_BATCH];
	uint64_t done = 0;
	int ret = EXIT_OK;

	stop_signals_catch(&signals);
	while ((!args->count || done < args->count) && !cli_stop_signal) {
		uint64_t want = args->count ? args->count - done : READ_BATCH;
		ssize_t n, i;

		n = read_batch(session, args, deadline_ns, &signals.old_mask,
			       records, want < READ_BATCH ? want : READ_BATCH);
		if (n < 0) {
			ret = read_ended(args, done);
			break;
		}

		for (i = 0; i < n; i++) {
			vsensor_gap_check(gap, &records[i]);
			if (args->format->record(&records[i], mask))
				break;	/* main() says why */
		}
		done += i;

		/* Stop when stdout fails (EPIPE: nobody reads); main() says why. */
		if (i < n || print_flush())
			break;
	}
	stop_signals_release(&signals);
	*read = done;
	return ret;
}

int cmd_read(int argc, char **argv)
{
	struct read_args args = {
		.deadline_ns = -1, .end_ns = -1, .config = SESSION_OPTS_INIT,
		.format = &read_formats[print_is_json() ? 1 : 0],
	};
	struct vsensor_session *session;
	struct vsensor_config config;
	struct vsensor_gap *gap;
	uint64_t done = 0;
	int ret;

	if (argc == 2 && !strcmp(argv[1], "help"))
		return usage();

	ret = parse_args(argc, argv, &args);
	if (ret)
		return ret;

	session = vsensor_session_open(args.device, args.nonblock ?
				       VSENSOR_SESSION_NONBLOCK : 0);
	if (!session)
		return cli_open_error(errno, args.device);
	ret = configure(session, &args, &config);
	if (ret)
		goto out;

	gap = vsensor_gap_new();
	if (!gap) {
		ret = cli_error(EXIT_REFUSED, "%m");
		goto out;
	}
	print_set_json(args.format->json);
	if (args.format->one_line)
		print_set_pretty(false);
	if (args.format->begin)
		args.format->begin(config.channel_mask);
	ret = read_records(session, &args, config.channel_mask, gap, &done);
	if (args.format->end)
		args.format->end();
	if (args.verbose)
		fprintf(stderr, "# %s: %" PRIu64 " records read, %" PRIu64
			" lost in %" PRIu64 " gaps\n", args.device, done,
			vsensor_gap_get_lost(gap), vsensor_gap_get_gaps(gap));
	vsensor_gap_free(gap);
out:
	vsensor_session_close(session);
	return ret;
}
