/*
 * vsensorctl write: stimulus for a device, which its sensor then measures
 * in place of its waveform, one record per sample; the records come back
 * in every session with the injected flag. From a file or stdin, as CSV
 * (stimulus.c) or raw 64-byte records (vsensorctl read --format raw), or
 * generated from a waveform spec. A file or stdin is read and checked
 * whole before the first record is written: bad input changes nothing.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vsensor/vsensor.h>

#include "stimulus.h"
#include "vsensorctl.h"

#define WRITE_BATCH	64

struct write_args {
	const char *device;
	const char *file;	/* NULL or "-": stdin */
	const char *wave;	/* --wave SPEC, or NULL */
	bool raw;
	uint64_t count;		/* 0: all of the input */
};

/* Where records come from: the next one in @rec (1), the end (0), -1. */
struct source {
	FILE *in;
	const char *name;
	unsigned long line;
	unsigned int nr_channels;
	struct stimulus_csv csv;
	struct stimulus_wave wave;
	uint64_t next;
	int (*next_record)(struct source *src, struct vsensor_record *rec);
};

enum { OPT_FORMAT = 256, OPT_WAVE };

static const struct option write_options[] = {
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "wave", required_argument, NULL, OPT_WAVE },
	{ NULL, 0, NULL, 0 },
};

static int usage(void)
{
	printf("Usage: vsensorctl write DEV [ FILE ] [ --format { csv | raw } ] [ -n COUNT ]\n"
	       "       vsensorctl write DEV --wave SPEC -n COUNT\n"
	       "       vsensorctl write help\n"
	       "where  DEV := { N | vsensorN | /dev/vsensorN | SERIAL }\n"
	       "       SPEC := { sine | square | ramp | const }[:KEY=VALUE[,KEY=VALUE]...]\n"
	       "       KEY := { freq | amp | offset | rate }\n");
	return EXIT_OK;
}

static int parse_args(int argc, char **argv, struct write_args *args)
{
	char bad[3];
	int opt;

	optind = 0;	/* glibc: start afresh on this argv */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":n:", write_options, NULL)) != -1) {
		switch (opt) {
		case 'n':
			if (vsensor_parse_u64(optarg, 1, UINT64_MAX, &args->count))
				return cli_error(EXIT_USAGE, "invalid COUNT \"%s\"",
						 optarg);
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "csv") && strcmp(optarg, "raw"))
				return cli_error(EXIT_USAGE,
						 "unknown format \"%s\", expected csv or raw",
						 optarg);
			args->raw = !strcmp(optarg, "raw");
			break;
		case OPT_WAVE:
			args->wave = optarg;
			break;
		case ':':
			return cli_error(EXIT_USAGE, "option \"%s\" needs a value",
					 argv[optind - 1]);
		default:
			return cli_error(EXIT_USAGE, "unknown option \"%s\" for \"write\"",
					 cli_bad_option(argv[optind - 1], bad));
		}
	}
	if (optind == argc)
		return cli_error(EXIT_USAGE, "missing DEV");
	args->device = argv[optind++];
	if (optind < argc)
		args->file = argv[optind++];
	if (optind < argc)
		return cli_error(EXIT_USAGE, "too many arguments to \"write\"");
	if (args->wave && (args->file || args->raw))
		return cli_error(EXIT_USAGE, "--wave takes no FILE or --format");
	if (!args->wave && cli_batch_stdin &&
	    (!args->file || !strcmp(args->file, "-")))
		return cli_error(EXIT_USAGE,
				 "stdin holds the batch: give \"write\" a FILE");
	if (args->wave && !args->count)
		return cli_error(EXIT_USAGE, "--wave needs -n COUNT");
	if (args->wave) {
		struct stimulus_wave wave;
		char err[STIMULUS_ERR_LEN];

		/* the spec as such, before the device says its rate */
		if (stimulus_wave_parse(args->wave, 1, &wave, err))
			return cli_error(EXIT_USAGE, "bad --wave \"%s\": %s",
					 args->wave, err);
	}
	return check_device_arg(args->device) ? EXIT_USAGE : EXIT_OK;
}

static int next_csv(struct source *src, struct vsensor_record *rec)
{
	char err[STIMULUS_ERR_LEN], *line = NULL;
	size_t cap = 0;
	int ret = 0;

	while (!ret && getline(&line, &cap, src->in) >= 0) {
		src->line++;
		line[strcspn(line, "\n")] = '\0';
		ret = stimulus_csv_line(&src->csv, line, rec, err);
		if (ret < 0)
			cli_error(EXIT_USAGE, "%s:%lu: %s", src->name, src->line, err);
	}
	free(line);
	return ret;
}

static int next_raw(struct source *src, struct vsensor_record *rec)
{
	size_t n = fread(rec, 1, sizeof(*rec), src->in);

	if (!n)
		return 0;
	if (n < sizeof(*rec)) {
		cli_error(EXIT_USAGE, "%s: %zu bytes at the end, not a whole record",
			  src->name, n);
		return -1;
	}
	src->next++;
	/* a record as read gave it: its values are the stimulus */
	rec->seq = 0;
	rec->timestamp_ns = 0;
	rec->flags = 0;
	rec->channel_mask = 0;
	rec->dropped = 0;
	rec->reserved = 0;
	for (unsigned int ch = src->nr_channels; ch < VSENSOR_MAX_CHANNELS; ch++)
		rec->value[ch] = 0;
	return 1;
}

static int next_wave(struct source *src, struct vsensor_record *rec)
{
	stimulus_wave_record(&src->wave, src->next++, src->nr_channels, rec);
	return 1;
}

/* Hand @n records to the device: exit code; *@written counts them. */
static int write_records(struct vsensor_session *session,
			 const struct vsensor_record *recs, size_t n,
			 const char *device, uint64_t *written)
{
	size_t done = 0;

	while (done < n) {
		ssize_t w = vsensor_session_write(session, recs + done, n - done);

		if (w < 0)
			return cli_error(EXIT_REFUSED, "write %s: %m after %" PRIu64
					 " records", device, *written);
		done += (size_t)w;
		*written += (uint64_t)w;
	}
	return EXIT_OK;
}

/*
 * Every record of the input (up to @count) in @recs, read and checked
 * before any is written, so bad input changes nothing: exit code.
 */
static int load_all(struct source *src, uint64_t count,
		    struct vsensor_record **recs, size_t *n)
{
	size_t cap = 0;

	*recs = NULL;
	*n = 0;
	while (!count || *n < count) {
		int ret;

		if (*n == cap) {
			struct vsensor_record *more;

			cap = cap ? 2 * cap : 1024;
			more = reallocarray(*recs, cap, sizeof(**recs));
			if (!more)
				return cli_error(EXIT_REFUSED, "%s: %m", src->name);
			*recs = more;
		}
		ret = src->next_record(src, &(*recs)[*n]);
		if (ret < 0)
			return EXIT_USAGE;
		if (!ret)
			break;
		(*n)++;
	}
	if (ferror(src->in))
		return cli_error(EXIT_REFUSED, "read %s: %m", src->name);
	return EXIT_OK;
}

/* Write every record @src gives (up to @count): exit code. */
static int write_all(struct vsensor_session *session, struct source *src,
		     const struct write_args *args, uint64_t *written)
{
	struct vsensor_record batch[WRITE_BATCH], *recs;
	size_t n;
	int ret;

	if (src->in) {
		ret = load_all(src, args->count, &recs, &n);
		if (!ret)
			ret = write_records(session, recs, n, args->device, written);
		free(recs);
		return ret;
	}
	while (*written < args->count) {
		uint64_t left = args->count - *written;

		n = left < WRITE_BATCH ? (size_t)left : WRITE_BATCH;
		for (size_t i = 0; i < n; i++)
			src->next_record(src, &batch[i]);
		ret = write_records(session, batch, n, args->device, written);
		if (ret)
			return ret;
	}
	return EXIT_OK;
}

/* The source @args name, ready to give records: exit code. */
static int source_open(struct source *src, const struct write_args *args,
		       struct vsensor_session *session)
{
	struct vsensor_config config;
	struct vsensor_info info;
	char err[STIMULUS_ERR_LEN];

	if (vsensor_session_get_info(session, &info) ||
	    vsensor_session_get_config(session, &config))
		return cli_error(EXIT_REFUSED, "%s: %m", args->device);
	src->nr_channels = info.nr_channels;
	if (args->wave) {
		if (stimulus_wave_parse(args->wave, config.rate_hz, &src->wave, err))
			return cli_error(EXIT_USAGE, "bad --wave \"%s\": %s",
					 args->wave, err);
		src->next_record = next_wave;
		return EXIT_OK;
	}
	src->in = stdin;
	src->name = "<stdin>";
	if (args->file && strcmp(args->file, "-")) {
		src->in = fopen(args->file, "re");
		if (!src->in)
			return cli_error(exit_code_for_open(errno), "open %s: %m",
					 args->file);
		src->name = args->file;
	}
	stimulus_csv_init(&src->csv, info.nr_channels);
	src->next_record = args->raw ? next_raw : next_csv;
	return EXIT_OK;
}

int cmd_write(int argc, char **argv)
{
	struct write_args args = { 0 };
	struct vsensor_session *session;
	struct source src = { 0 };
	uint64_t written = 0;
	int ret;

	if (argc == 2 && !strcmp(argv[1], "help"))
		return usage();
	ret = parse_args(argc, argv, &args);
	if (ret)
		return ret;

	session = vsensor_session_open(args.device, 0);
	if (!session)
		return cli_open_error(errno, args.device);
	ret = source_open(&src, &args, session);
	if (!ret)
		ret = write_all(session, &src, &args, &written);
	if (src.in && src.in != stdin)
		fclose(src.in);
	vsensor_session_close(session);

	print_open_object(NULL);
	print_string(PRINT_ANY, "device", "%s", args.device);
	print_u64(PRINT_ANY, "written", ": %" PRIu64 " records written", written);
	print_close_object();
	print_nl();
	return ret;
}
