// SPDX-License-Identifier: GPL-2.0
/*
 * The userspace driver (vfio/, docs/vfio.md) beside the kernel driver on
 * the same VSN1000 PCI function, in one boot of the PCI lab (the vIOMMU
 * on): the function goes to vfio-pci and back (vsensor-vfio-bind) between
 * chunks, so each driver's figures are interleaved with its peer's.
 * V1: interrupt-driven latency, sample to the process; V2: busy polling
 * against interrupts, latency and CPU per record; V3: streaming by DMA at
 * the device's maximum rate, throughput and CPU per record.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bench.h"
#include "vsn-vfio.h"

#define V_BACK_MS	10000	/* the kernel driver's node back within this */
#define V_SKIP		3	/* records skipped at a stream's start */

/* --- the hand-over ------------------------------------------------------ */

static char v_addr[32];		/* the function's PCI address */
static bool v_on_vfio;		/* bound to vfio-pci by this row */
static struct vsn_vfio *v_dev;	/* open while on vfio-pci */

/* vsensor-vfio-bind, its messages on stderr only if it fails */
static bool v_bind(const char *to)
{
	return bn_sh("out=$(vsensor-vfio-bind %s %s 2>&1) || { echo \"$out\" >&2; exit 1; }",
		     v_addr, to) == 0;
}

/* Back to the kernel driver, its node there again; false if not. */
static bool v_give_back(void)
{
	uint64_t end = bn_now() + V_BACK_MS * 1000000ull;

	vsn_vfio_close(v_dev);	/* vfio-pci's remove waits for the fd */
	v_dev = NULL;
	if (!v_on_vfio)
		return true;
	v_on_vfio = false;
	if (!v_bind("kernel"))
		return false;
	while (access(bn_dut.node, R_OK | W_OK)) {
		if (bn_now() > end)
			return false;
		bn_sleep_ms(10);
	}
	return true;
}

/* A row that dies on vfio-pci leaves the device to the kernel driver. */
static void v_give_back_at_exit(void)
{
	if (!v_give_back())
		fprintf(stderr, "vsensor-bench: %s not given back to the kernel driver\n",
			v_addr);
}

static void v_init(void)
{
	if (!bn_dut_is_other())
		bn_die("the V rows need the PCI device (VSENSOR_BENCH_DEV)");
	snprintf(v_addr, sizeof(v_addr), "%s", bn_dut_pci_addr());
	if (atexit(v_give_back_at_exit))
		bn_die("atexit");
}

static struct vsn_vfio *v_take(void)
{
	v_on_vfio = true;
	if (!v_bind("vfio"))
		bn_die("vsensor-vfio-bind %s vfio failed", v_addr);
	v_dev = vsn_vfio_open(v_addr);
	if (!v_dev)
		bn_die("vsn_vfio_open %s: %s", v_addr, strerror(errno));
	return v_dev;
}

static void v_back(void)
{
	if (!v_give_back())
		bn_die("%s: not back on the kernel driver (%s)", v_addr,
		       bn_dut.node);
}

/* --- V1, V2: latency ---------------------------------------------------- */

/* A chunk's records as the userspace driver hands them over. */
struct v_lat_chunk {
	uint64_t *lat;
	size_t n, got;
	unsigned int skip;
	uint64_t recs;
};

static int v_lat_record(const struct vsensor_record *recs, u32 n, void *arg)
{
	struct v_lat_chunk *c = arg;

	for (u32 i = 0; i < n; i++) {
		c->recs++;
		if (c->skip)
			c->skip--;
		else if (c->got < c->n)
			c->lat[c->got++] = bn_rec_latency(&recs[i]);
	}
	return c->got == c->n;
}

static u64 v_clock_window_ns;	/* the widest of the streams' clock windows */

/*
 * Chunk @round of @m by the userspace driver: a stream as the kernel
 * side's session (BN_LAT_RATE, watermark 1, records by PIO: the kernel
 * driver's choice for one record), on CPU 0, by @mode.
 */
static void v_lat_stream_chunk(struct bn_lat_mode *m, int round,
			       enum vsn_stream_mode mode)
{
	struct vsn_stream_config cfg = {
		.rate_hz = BN_LAT_RATE, .watermark = 1, .mode = mode,
		.transfer = VSN_STREAM_PIO,
	};
	struct v_lat_chunk c = {
		.lat = m->lat + round * BN_LAT_CHUNK, .n = BN_LAT_CHUNK,
		.skip = V_SKIP,
	};
	uint64_t self, all, t0;
	struct vsn_stream *s;
	int ret;

	bn_pin(0);
	s = vsn_stream_start(v_dev, &cfg);
	if (!s)
		bn_die("vsn_stream_start: %s", strerror(errno));
	self = bn_cpu_self();
	all = bn_cpu_all();
	t0 = bn_now();
	ret = vsn_stream_run(s, v_lat_record, &c);
	m->wall += bn_now() - t0;
	m->cpu_self += bn_cpu_self() - self;
	m->cpu_all += bn_cpu_all() - all;
	m->recs += c.recs;
	if (vsn_stream_conv(s)->clock_window_ns > v_clock_window_ns)
		v_clock_window_ns = vsn_stream_conv(s)->clock_window_ns;
	vsn_stream_stop(s);
	if (ret != 1)
		bn_die("vsn_stream_run: %s", strerror(-ret));
}

enum v_lat_id { V_K_IRQ, V_K_POLL, V_U_IRQ, V_U_POLL, V_LAT_MODES };

static struct v_lat_mode {
	const char *name;
	bool vfio;
	uint32_t flags;			/* the kernel session's */
	enum vsn_stream_mode mode;	/* the userspace stream's */
	struct bn_lat_mode m;
} v_lat[V_LAT_MODES] = {
	[V_K_IRQ] = { "kernel, blocking read", false, 0, VSN_STREAM_IRQ },
	[V_K_POLL] = { "kernel, busy-poll (VSENSOR_CONFIG_F_BUSY_POLL)", false,
		       VSENSOR_CONFIG_F_BUSY_POLL, VSN_STREAM_IRQ },
	[V_U_IRQ] = { "userspace, irq (MSI-X, eventfd, epoll)", true, 0,
		      VSN_STREAM_IRQ },
	[V_U_POLL] = { "userspace, busy-poll (Q_LEVEL)", true, 0,
		       VSN_STREAM_POLL },
};

/*
 * The modes of @mask (bits of enum v_lat_id), BN_LAT_ROUNDS rounds: each
 * round the kernel driver's modes, then the function on vfio-pci for the
 * userspace driver's, then back.
 */
static void v_lat_run(unsigned int mask)
{
	uint64_t kwin = 0, w;

	v_init();
	for (int r = 0; r < BN_LAT_ROUNDS; r++) {
		for (int i = 0; i < V_LAT_MODES; i++)
			if ((mask & 1u << i) && !v_lat[i].vfio)
				bn_lat_session_chunk(&v_lat[i].m, r,
						     v_lat[i].flags, 0);
		w = (uint64_t)bn_get(bn_dbg("clock_window_ns"));
		kwin = w > kwin ? w : kwin;
		v_take();
		for (int i = 0; i < V_LAT_MODES; i++)
			if ((mask & 1u << i) && v_lat[i].vfio)
				v_lat_stream_chunk(&v_lat[i].m, r, v_lat[i].mode);
		v_back();
	}
	bn_pin(-1);
	for (int i = 0; i < V_LAT_MODES; i++)
		if (mask & 1u << i)
			bn_note("%s: %s: %.0f records/s delivered while measuring",
				v_addr, v_lat[i].name,
				v_lat[i].m.recs * 1e9 / (double)v_lat[i].m.wall);
	bn_note("%d samples a mode at %d Hz, watermark 1, %d rounds (the function handed to vfio-pci and back each round), reader on CPU 0; latency = CLOCK_MONOTONIC at receipt - the record's timestamp, the device's clock moved to CLOCK_MONOTONIC by an offset each driver takes at stream start (early by at most: kernel %.1f us, userspace %.1f us, the widest windows seen)",
		BN_LAT_N, BN_LAT_RATE, BN_LAT_ROUNDS, kwin / 1e3,
		v_clock_window_ns / 1e3);
}

int bench_v1(void)
{
	v_lat_run(1u << V_K_IRQ | 1u << V_U_IRQ);
	bn_lat_rows("V1", "interrupt-driven, userspace (eventfd) vs kernel (blocking read):",
		    &v_lat[V_U_IRQ].m, &v_lat[V_K_IRQ].m);
	bn_lat_cpu_rows("V1", "interrupt-driven, userspace vs kernel",
			&v_lat[V_U_IRQ].m, &v_lat[V_K_IRQ].m);
	return 0;
}

int bench_v2(void)
{
	struct bn_lat_mode *up = &v_lat[V_U_POLL].m;

	v_lat_run((1u << V_LAT_MODES) - 1);
	bn_lat_rows("V2", "userspace busy-poll vs userspace irq:", up,
		    &v_lat[V_U_IRQ].m);
	bn_lat_rows("V2", "userspace busy-poll vs kernel busy-poll:", up,
		    &v_lat[V_K_POLL].m);
	bn_lat_rows("V2", "userspace busy-poll vs kernel blocking read:", up,
		    &v_lat[V_K_IRQ].m);
	bn_lat_cpu_rows("V2", "userspace busy-poll vs userspace irq", up,
			&v_lat[V_U_IRQ].m);
	bn_lat_cpu_rows("V2", "userspace busy-poll vs kernel busy-poll", up,
			&v_lat[V_K_POLL].m);
	bn_lat_cpu_rows("V2", "kernel busy-poll vs kernel blocking read",
			&v_lat[V_K_POLL].m, &v_lat[V_K_IRQ].m);
	return 0;
}

/* --- V3: streaming at RATE_MAX -------------------------------------------- */

#define V3_ROUNDS	3
#define V3_MS		1000
#define V3_WARMUP_MS	200	/* past the stream's start */
#define V3_WM		100	/* the kernel queue's watermark: 1 ms at 100 kHz */
#define V3_PRIO		50	/* the kernel's interrupt threads' SCHED_FIFO */

/*
 * The kernel driver's round: D1's stream (transfer_mode dma, no top-half
 * PIO: irq_fast and headroom N), a session at @rate, watermark V3_WM.
 */
static void v3_kernel_round(unsigned int rate, struct bn_dma_round *r)
{
	struct bn_dma_round warm;
	char mode[16];
	int fd;

	bn_dma_only_begin(mode);
	fd = bn_session(O_RDONLY | O_NONBLOCK, rate, V3_WM, 65536, 0);
	/* read through the warm-up: no backlog counted in the round */
	bn_dma_round(fd, V3_WARMUP_MS, &warm);
	bn_dma_round(fd, V3_MS, r);
	close(fd);
	bn_dma_only_end(mode);
}

/* The userspace driver's round, timed from the first batch after warm-up. */
struct v3_stream {
	const struct vsn_stream *s;
	uint64_t warm_end, t0, self0, all0, lost0, recs;
	bool timing;
	struct bn_dma_round *r;
};

static int v3_record(const struct vsensor_record *recs, u32 n, void *arg)
{
	struct v3_stream *c = arg;
	uint64_t now = bn_now(), recs_n;

	(void)recs;
	if (!c->timing) {
		if (now < c->warm_end)
			return 0;
		c->timing = true;
		c->t0 = now;
		c->self0 = bn_cpu_self();
		c->all0 = bn_cpu_all();
		c->lost0 = vsn_stream_conv(c->s)->lost;
		return 0;
	}
	c->recs += n;
	if (now - c->t0 < V3_MS * 1000000ull)
		return 0;
	recs_n = c->recs ? c->recs : 1;
	c->r->recs = c->recs;
	c->r->recs_s = c->recs * 1e9 / (double)(now - c->t0);
	c->r->cpu_ns = (double)(bn_cpu_all() - c->all0) / recs_n;
	c->r->self_ns = (double)(bn_cpu_self() - c->self0) / recs_n;
	c->r->lost = vsn_stream_conv(c->s)->lost - c->lost0;
	return 1;
}

/*
 * The userspace driver at real-time priority, as `vsensor-vfio stream
 * --priority` runs it (and as the kernel runs its interrupt threads):
 * SCHED_FIFO @prio with its memory locked; 0 back to time-shared.
 */
static void v3_priority(int prio)
{
	struct sched_param sp = { .sched_priority = prio };

	if (sched_setscheduler(0, prio ? SCHED_FIFO : SCHED_OTHER, &sp))
		bn_die("sched_setscheduler %d: %s", prio, strerror(errno));
	if (prio ? mlockall(MCL_CURRENT | MCL_FUTURE) : munlockall())
		bn_die("mlockall: %s", strerror(errno));
}

static void v3_stream_round(unsigned int rate, struct bn_dma_round *r,
			    uint64_t *irqs)
{
	struct vsn_stream_config cfg = {
		.rate_hz = rate, .watermark = V3_WM, .mode = VSN_STREAM_IRQ,
		.transfer = VSN_STREAM_DMA,
	};
	struct v3_stream c = { .r = r };
	struct vsn_stream *s;
	int ret;

	memset(r, 0, sizeof(*r));
	s = vsn_stream_start(v_dev, &cfg);
	if (!s)
		bn_die("vsn_stream_start: %s", strerror(errno));
	c.s = s;
	c.warm_end = bn_now() + V3_WARMUP_MS * 1000000ull;
	ret = vsn_stream_run(s, v3_record, &c);
	*irqs += vsn_stream_interrupts(s);
	vsn_stream_stop(s);
	if (ret != 1)
		bn_die("vsn_stream_run: %s", strerror(-ret));
}

/* Median over the rounds of the field at @off of struct bn_dma_round. */
static double v3_median(const struct bn_dma_round *r, size_t off)
{
	double v[V3_ROUNDS];

	for (int i = 0; i < V3_ROUNDS; i++)
		memcpy(&v[i], (const char *)&r[i] + off, sizeof(v[i]));
	return bn_pctd(v, V3_ROUNDS, 50);
}

int bench_v3(void)
{
	static const struct {
		const char *what, *fmt;
		size_t off;
		double scale;
	} figs[] = {
		{ "records/s delivered", "%.0f/s", offsetof(struct bn_dma_round, recs_s), 1 },
		{ "reader CPU per record", "%.2f us", offsetof(struct bn_dma_round, self_ns), 1e3 },
		{ "system CPU per record", "%.2f us", offsetof(struct bn_dma_round, cpu_ns), 1e3 },
	};
	struct bn_dma_round k[V3_ROUNDS], u[V3_ROUNDS], f[V3_ROUNDS];
	uint64_t k_lost = 0, u_lost = 0, u_recs = 0, k_recs = 0, irqs = 0;
	uint64_t f_lost = 0, f_recs = 0;
	unsigned int rate;

	v_init();
	rate = bn_rate_max();
	for (int r = 0; r < V3_ROUNDS; r++) {
		v3_kernel_round(rate, &k[r]);
		v_take();
		v3_stream_round(rate, &u[r], &irqs);
		v3_priority(V3_PRIO);
		v3_stream_round(rate, &f[r], &irqs);
		v3_priority(0);
		v_back();
		k_lost += k[r].lost;
		u_lost += u[r].lost;
		f_lost += f[r].lost;
		k_recs += k[r].recs;
		u_recs += u[r].recs;
		f_recs += f[r].recs;
	}
	for (size_t i = 0; i < sizeof(figs) / sizeof(figs[0]); i++) {
		double o = v3_median(u, figs[i].off), b = v3_median(k, figs[i].off);
		double p = v3_median(f, figs[i].off);

		bn_row("V3", bn_fmt("DMA stream at %u Hz (RATE_MAX), userspace irq vs kernel: %s",
				    rate, figs[i].what),
		       bn_fmt(figs[i].fmt, o / figs[i].scale),
		       bn_fmt(figs[i].fmt, b / figs[i].scale),
		       b > 0 ? o / b : NAN, BN_REPORT, 0);
		bn_row("V3", bn_fmt("... userspace at SCHED_FIFO %d (--priority) vs kernel: %s",
				    V3_PRIO, figs[i].what),
		       bn_fmt(figs[i].fmt, p / figs[i].scale),
		       bn_fmt(figs[i].fmt, b / figs[i].scale),
		       b > 0 ? p / b : NAN, BN_REPORT, 0);
	}
	bn_note("V3: %s, %d rounds of %d ms each side after %d ms of warm-up, the function handed to vfio-pci and back each round, medians; watermark %d both; kernel: transfer_mode dma, irq_fast and headroom N (D1's stream), poll() + 64 KiB read(); userspace: vsensor-vfio's stream --mode irq --transfer dma (two interrupts a batch: the watermark starts a transfer, DMA_DONE ends it)",
		v_addr, V3_ROUNDS, V3_MS, V3_WARMUP_MS, V3_WM);
	bn_note("V3: records in the timed rounds: kernel %llu moved by DMA, %llu lost; userspace time-shared %llu, %llu lost; userspace at SCHED_FIFO %d %llu, %llu lost; %llu userspace interrupts in all (warm-up included); CPU: reader from getrusage, system from /proc/stat (both CPUs, 10 ms ticks)",
		(unsigned long long)k_recs, (unsigned long long)k_lost,
		(unsigned long long)u_recs, (unsigned long long)u_lost,
		V3_PRIO, (unsigned long long)f_recs,
		(unsigned long long)f_lost, (unsigned long long)irqs);
	return 0;
}
