/*
 * vsensorctl read: open a session, print COUNT records, exit. Text gives one
 * line per record, JSON one array of record objects (see record.c).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <vsensor/vsensor.h>

#include "vsensorctl.h"

#define READ_BATCH	64	/* records per read() at most */
#define NSEC_PER_SEC	1000000000LL
#define NSEC_PER_MSEC	1000000LL

struct read_args {
	const char *device;
	uint64_t count;
	bool nonblock;
	int64_t deadline_ns;	/* CLOCK_MONOTONIC; -1: wait for ever */
};

enum { OPT_NONBLOCK = 256, OPT_TIMEOUT };

static const struct option read_options[] = {
	{ "nonblock", no_argument, NULL, OPT_NONBLOCK },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ NULL, 0, NULL, 0 },
};

static int usage(void)
{
	printf("Usage: vsensorctl read DEV -n COUNT [ --nonblock ] [ --timeout MS ]\n"
	       "       vsensorctl read help\n"
	       "where  DEV := { N | vsensorN | /dev/vsensorN }\n");
	return EXIT_OK;
}

static int64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

/* @opt as getopt_long() returned it, @arg the argument it came from. */
static int parse_option(int opt, const char *arg, struct read_args *args)
{
	uint64_t timeout_ms;

	switch (opt) {
	case 'n':
		if (vsensor_parse_u64(optarg, 1, UINT64_MAX, &args->count))
			return cli_error(EXIT_USAGE, "invalid COUNT \"%s\"",
					 optarg);
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
	case ':':
		return cli_error(EXIT_USAGE, "option \"%s\" needs a value", arg);
	default:
		return cli_error(EXIT_USAGE, "unknown option \"%s\" for \"read\"",
				 arg);
	}
}

static int parse_args(int argc, char **argv, struct read_args *args)
{
	int opt;

	optind = 0;	/* glibc: start afresh on this argv */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":n:", read_options, NULL)) != -1) {
		int ret = parse_option(opt, argv[optind - 1], args);

		if (ret)
			return ret;
	}

	if (optind != argc - 1)
		return cli_error(EXIT_USAGE, "%s", optind == argc ?
				 "missing DEV" : "too many arguments to \"read\"");
	args->device = argv[optind];
	if (!args->count)
		return cli_error(EXIT_USAGE, "missing -n COUNT");
	return check_device_arg(args->device) ? EXIT_USAGE : EXIT_OK;
}

/* 0 when a read will not block, -1 with errno (ETIMEDOUT: deadline passed). */
static int wait_until(struct vsensor_session *session, int64_t deadline_ns)
{
	int64_t left = deadline_ns - monotonic_ns();
	int ret;

	ret = vsensor_session_wait(session, left > 0 ? left : 0);
	if (ret == 0)
		errno = ETIMEDOUT;
	return ret > 0 ? 0 : -1;
}

/* Up to @max records, in time: how many, or -1 with errno. */
static ssize_t read_batch(struct vsensor_session *session, int64_t deadline_ns,
			  struct vsensor_record *records, size_t max)
{
	for (;;) {
		ssize_t n;

		if (deadline_ns >= 0 && wait_until(session, deadline_ns))
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

static int read_failed(const struct read_args *args, uint64_t done)
{
	if (errno != ETIMEDOUT && errno != EAGAIN)
		return cli_error(EXIT_REFUSED, "read %s: %m", args->device);

	return cli_error(EXIT_NOT_FOUND,
			 "%s: %s, %" PRIu64 " of %" PRIu64 " records read",
			 args->device,
			 errno == EAGAIN ? "no record queued" : "timed out",
			 done, args->count);
}

static int read_records(struct vsensor_session *session,
			const struct read_args *args)
{
	struct vsensor_record records[READ_BATCH];
	uint64_t done = 0;

	while (done < args->count) {
		ssize_t n, i;

		n = read_batch(session, args->deadline_ns, records,
			       args->count - done < READ_BATCH ?
			       args->count - done : READ_BATCH);
		if (n < 0)
			return read_failed(args, done);

		for (i = 0; i < n; i++)
			print_record(&records[i]);
		done += n;

		/* Stop when stdout fails (EPIPE: nobody reads); main() says why. */
		if (print_flush())
			break;
	}
	return EXIT_OK;
}

int cmd_read(int argc, char **argv)
{
	struct read_args args = { .deadline_ns = -1 };
	struct vsensor_session *session;
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

	print_open_array(NULL);
	ret = read_records(session, &args);
	print_close_array();

	vsensor_session_close(session);
	return ret;
}
