// SPDX-License-Identifier: GPL-2.0
/*
 * vsensor-vfio: the VSN1000 driven from userspace through vfio-pci
 * (docs/vfio.md). The device must be bound to vfio-pci first
 * (vsensor-vfio-bind BDF vfio). Records go to stdout, as a session of the
 * kernel driver gives them (--format raw: struct vsensor_record); every
 * diagnostic and the summary go to stderr.
 * Exit: 0 ok, 1 usage, 2 refused (VFIO or the device), 3 timeout.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "vsn-vfio.h"

#define EXIT_USAGE	1
#define EXIT_REFUSED	2
#define EXIT_TIMEOUT	3
#define VSN_STOP	1	/* a callback's "enough" */

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "vsensor-vfio: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " (vsensor-vfio help)\n");
	return EXIT_USAGE;
}

static int exit_code(int err)
{
	return err == -ETIMEDOUT ? EXIT_TIMEOUT : EXIT_REFUSED;
}

/* --- output formats --- */

static int write_raw(const struct vsensor_record *r)
{
	return fwrite(r, sizeof(*r), 1, stdout) == 1 ? 0 : -EIO;
}

static int write_text(const struct vsensor_record *r)
{
	unsigned int ch;

	printf("seq %" PRIu64 " ts %" PRIu64 ".%09" PRIu64 " flags 0x%x dropped %u values",
	       (uint64_t)r->seq, (uint64_t)r->timestamp_ns / 1000000000u,
	       (uint64_t)r->timestamp_ns % 1000000000u, r->flags, r->dropped);
	for (ch = 0; ch < VSENSOR_MAX_CHANNELS; ch++)
		if (r->channel_mask & (1u << ch))
			printf(" %d", r->value[ch]);
	return putchar('\n') == EOF ? -EIO : 0;
}

static int write_none(const struct vsensor_record *r)
{
	(void)r;
	return 0;
}

static const struct {
	const char *name;
	int (*write)(const struct vsensor_record *r);
} formats[] = {
	{ "raw", write_raw },
	{ "text", write_text },
	{ "none", write_none },
};

/* --- stream --- */

struct stream_args {
	const char *bdf;
	uint64_t count;		/* 0: until SIGINT/SIGTERM */
	u32 priority;		/* SCHED_FIFO priority; 0: as started */
	struct vsn_stream_config cfg;
	int (*write)(const struct vsensor_record *r);
	uint64_t written;
};

static int stream_record(const struct vsensor_record *recs, u32 n, void *arg)
{
	struct stream_args *a = arg;
	u32 i;

	for (i = 0; i < n && (!a->count || a->written < a->count); i++) {
		if (a->write(&recs[i]))
			return -EIO;
		a->written++;
	}
	if (stop_signal || (a->count && a->written >= a->count))
		return VSN_STOP;
	return 0;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	       (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

struct name_val {
	const char *name;
	int val;
};

static const struct name_val modes[] = {
	{ "irq", VSN_STREAM_IRQ }, { "poll", VSN_STREAM_POLL },
};
static const struct name_val transfers[] = {
	{ "pio", VSN_STREAM_PIO }, { "dma", VSN_STREAM_DMA },
};
/* the names of sysfs "waveform" (enum vsensor_waveform = VSN_WAVE_*) */
static const struct name_val waveforms[] = {
	{ "sine", VSN_WAVE_SINE }, { "square", VSN_WAVE_SQUARE },
	{ "ramp", VSN_WAVE_RAMP }, { "noise", VSN_WAVE_NOISE },
};

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static bool lookup(const struct name_val *table, size_t n, const char *word,
		   int *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(table[i].name, word)) {
			*out = table[i].val;
			return true;
		}
	return false;
}

static int parse_u32(const char *s, u32 *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || *end || v > UINT32_MAX)
		return -1;
	*out = (u32)v;
	return 0;
}

static int stream_options(int argc, char **argv, struct stream_args *a)
{
	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "rate", required_argument, NULL, 'r' },
		{ "watermark", required_argument, NULL, 'w' },
		{ "mode", required_argument, NULL, 'm' },
		{ "transfer", required_argument, NULL, 't' },
		{ "format", required_argument, NULL, 'f' },
		{ "waveform", required_argument, NULL, 'W' },
		{ "amplitude", required_argument, NULL, 'A' },
		{ "frequency", required_argument, NULL, 'F' },
		{ "priority", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	int c, val;
	u32 n;
	size_t i;

	while ((c = getopt_long(argc, argv, "n:r:w:m:t:f:p:", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (parse_u32(optarg, &n))
				return usage_error("--count: '%s' is not a number", optarg);
			a->count = n;
			break;
		case 'r':
			if (parse_u32(optarg, &a->cfg.rate_hz))
				return usage_error("--rate: '%s' is not a number", optarg);
			break;
		case 'w':
			if (parse_u32(optarg, &a->cfg.watermark))
				return usage_error("--watermark: '%s' is not a number", optarg);
			break;
		case 'm':
			if (!lookup(modes, ARRAY_SIZE(modes), optarg, &val))
				return usage_error("--mode: irq or poll, not '%s'", optarg);
			a->cfg.mode = val;
			break;
		case 't':
			if (!lookup(transfers, ARRAY_SIZE(transfers), optarg, &val))
				return usage_error("--transfer: pio or dma, not '%s'", optarg);
			a->cfg.transfer = val;
			break;
		case 'W':
			if (!lookup(waveforms, ARRAY_SIZE(waveforms), optarg, &val))
				return usage_error("--waveform: sine, square, ramp or noise, not '%s'", optarg);
			a->cfg.waveform = (u32)val;
			break;
		case 'A':
			if (parse_u32(optarg, &a->cfg.amplitude))
				return usage_error("--amplitude: '%s' is not a number", optarg);
			break;
		case 'F':
			if (parse_u32(optarg, &a->cfg.freq_mhz))
				return usage_error("--frequency: '%s' is not a number (mHz)", optarg);
			break;
		case 'p':
			if (parse_u32(optarg, &a->priority) || !a->priority ||
			    (int)a->priority < sched_get_priority_min(SCHED_FIFO) ||
			    (int)a->priority > sched_get_priority_max(SCHED_FIFO))
				return usage_error("--priority: 1..99, not '%s'", optarg);
			break;
		case 'f':
			a->write = NULL;
			for (i = 0; i < ARRAY_SIZE(formats); i++)
				if (!strcmp(formats[i].name, optarg))
					a->write = formats[i].write;
			if (!a->write)
				return usage_error("--format: raw, text or none, not '%s'", optarg);
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1)
		return usage_error("%s: one PCI address (BDF) expected", "stream");
	a->bdf = argv[optind];
	return 0;
}

/*
 * What a kernel driver gets for free, asked for: the interrupt thread of
 * the kernel's driver runs SCHED_FIFO 50 (request_threaded_irq), so a
 * userspace driver meant to keep up with it runs real-time too, with its
 * memory locked so no page fault stalls it while the FIFO fills.
 */
static int stream_realtime(u32 priority)
{
	struct sched_param sp = { .sched_priority = (int)priority };

	if (sched_setscheduler(0, SCHED_FIFO, &sp)) {
		fprintf(stderr, "vsensor-vfio: SCHED_FIFO %u: %s\n", priority,
			strerror(errno));
		return EXIT_REFUSED;
	}
	if (mlockall(MCL_CURRENT | MCL_FUTURE)) {
		fprintf(stderr, "vsensor-vfio: mlockall: %s\n", strerror(errno));
		return EXIT_REFUSED;
	}
	return 0;
}

static int cmd_stream(int argc, char **argv)
{
	struct stream_args a = {
		.cfg = { .rate_hz = 1000, .watermark = 64, .mode = VSN_STREAM_IRQ,
			 .transfer = VSN_STREAM_PIO },
		.write = write_text,
	};
	const struct vsn_record_conv *conv;
	struct vsn_stream *s;
	struct vsn_vfio *v;
	struct timespec t0;
	double secs;
	int ret;

	ret = stream_options(argc, argv, &a);
	if (!ret && a.priority)
		ret = stream_realtime(a.priority);
	if (ret)
		return ret;
	v = vsn_vfio_open(a.bdf);
	if (!v)
		return EXIT_REFUSED;
	s = vsn_stream_start(v, &a.cfg);
	if (!s) {
		vsn_vfio_close(v);
		return EXIT_REFUSED;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = vsn_stream_run(s, stream_record, &a);
	secs = seconds_since(&t0);
	if (fflush(stdout))
		ret = -EIO;
	conv = vsn_stream_conv(s);
	fprintf(stderr,
		"vsensor-vfio: %s: %" PRIu64 " records in %.3f s (%.0f records/s), "
		"lost %" PRIu64 ", bad %" PRIu64 ", interrupts %" PRIu64 ", mode %s, transfer %s\n",
		a.bdf, a.written, secs, secs > 0 ? (double)a.written / secs : 0.0,
		(uint64_t)conv->lost, (uint64_t)conv->bad,
		(uint64_t)vsn_stream_interrupts(s), modes[a.cfg.mode].name,
		transfers[a.cfg.transfer].name);
	vsn_stream_stop(s);
	vsn_vfio_close(v);
	if (ret == VSN_STOP || (ret == -EINTR && stop_signal))
		return 0;
	if (ret == -EIO)
		fprintf(stderr, "vsensor-vfio: writing the records: %s\n",
			strerror(errno ? errno : EIO));
	return exit_code(ret);
}

/* --- dma-escape --- */

static int cmd_dma_escape(int argc, char **argv)
{
	struct vsn_stream_config cfg = {
		.rate_hz = 1000, .watermark = 1, .mode = VSN_STREAM_POLL,
		.transfer = VSN_STREAM_DMA,
	};
	struct vsn_escape_result r;
	struct vsn_stream *s;
	struct vsn_vfio *v;
	u64 iova;
	bool ok;
	int err;

	if (argc != 2)
		return usage_error("%s: one PCI address (BDF) expected", "dma-escape");
	v = vsn_vfio_open(argv[1]);
	if (!v)
		return EXIT_REFUSED;
	s = vsn_stream_start(v, &cfg);
	if (!s) {
		vsn_vfio_close(v);
		return EXIT_REFUSED;
	}
	/* the IOVA of the guard page after the DMA area: never mapped */
	iova = vsn_stream_dma(s)->iova + vsn_stream_dma(s)->size;
	err = vsn_stream_dma_escape(s, iova, &r);
	vsn_stream_stop(s);
	vsn_vfio_close(v);
	if (err)
		return exit_code(err);
	ok = r.faults == 1 && r.fault_iova == iova &&
	     (r.desc_status & VSN_DESC_ST_FAULT) && (r.dma_status & VSN_DMA_ERROR) &&
	     r.guard_intact;
	printf("escape iova 0x%" PRIx64 " faults %u fault_iova 0x%" PRIx64
	       " desc_status 0x%x dma_status 0x%x guard %s: %s\n",
	       iova, r.faults, r.fault_iova, r.desc_status, r.dma_status,
	       r.guard_intact ? "intact" : "WRITTEN",
	       ok ? "blocked" : "NOT BLOCKED");
	return ok ? 0 : EXIT_REFUSED;
}

/* --- info --- */

static int cmd_info(int argc, char **argv)
{
	static const struct { const char *name; u32 reg; } regs[] = {
		{ "id", VSN_REG_ID }, { "version", VSN_REG_VERSION },
		{ "ctrl", VSN_REG_CTRL }, { "rate", VSN_REG_RATE },
		{ "channels", VSN_REG_CHANNELS }, { "fifo_depth", VSN_REG_FIFO_DEPTH },
		{ "rate_max", VSN_REG_RATE_MAX }, { "queues", VSN_REG_NR_QUEUES },
		{ "iommu_faults", VSN_REG_IOMMU_FAULTS },
	};
	struct vsn_vfio *v;
	size_t i;

	if (argc != 2)
		return usage_error("%s: one PCI address (BDF) expected", "info");
	v = vsn_vfio_open(argv[1]);
	if (!v)
		return EXIT_REFUSED;
	for (i = 0; i < ARRAY_SIZE(regs); i++)
		printf("%s 0x%08x\n", regs[i].name, vsn_vfio_readl(v, regs[i].reg));
	printf("msix_vectors %u\n", vsn_vfio_nr_irqs(v));
	printf("reset %s\n", vsn_vfio_can_reset(v) ? "yes" : "no");
	vsn_vfio_close(v);
	return 0;
}

static int cmd_help(int argc, char **argv);

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
} commands[] = {
	{ "stream", cmd_stream,
	  "stream BDF [-n COUNT] [--rate HZ] [--watermark N] [--mode irq|poll]\n"
	  "                [--transfer pio|dma] [--format raw|text|none] [--priority 1..99]\n"
	  "                [--waveform sine|square|ramp|noise] [--amplitude N] [--frequency mHz]\n"
	  "        records of queue 0 to stdout (raw: struct vsensor_record);\n"
	  "        defaults 1000 Hz, watermark 64, irq, pio, text, until SIGINT,\n"
	  "        the waveform as the reset left it (sine, 1000, 1000 mHz);\n"
	  "        with --priority, SCHED_FIFO at that priority, memory locked" },
	{ "dma-escape", cmd_dma_escape,
	  "dma-escape BDF\n"
	  "        one DMA transfer aimed at an IOVA the process never mapped:\n"
	  "        exit 0 if the IOMMU blocked it and the guard pages are intact" },
	{ "info", cmd_info,
	  "info BDF\n"
	  "        the device's registers, MSI-X vectors and reset, through VFIO" },
	{ "help", cmd_help, "help" },
};

static int cmd_help(int argc, char **argv)
{
	size_t i;

	(void)argc;
	(void)argv;
	printf("usage: vsensor-vfio COMMAND ...   (bind first: vsensor-vfio-bind BDF vfio)\n");
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		printf("  %s\n", commands[i].usage);
	return 0;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	size_t i;

	/* no SA_RESTART: a signal ends the wait for an interrupt */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (argc < 2)
		return cmd_help(0, NULL), EXIT_USAGE;
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return cmd_help(0, NULL);
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i].name, argv[1]))
			return commands[i].run(argc - 1, argv + 1);
	return usage_error("unknown command '%s'", argv[1]);
}
