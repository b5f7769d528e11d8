// SPDX-License-Identifier: GPL-2.0
/*
 * The driver's hardware paths: PIO against DMA per transfer size and the
 * crossover auto uses (B8); top-half headroom under a late bottom half (B9);
 * DMA through the IOMMU mode of this boot (D1, D2); a DMA stream's round
 * (D1, and the kernel driver's side of V3). The bottom half is
 * timed by the driver itself (debugfs bottom_half).
 */
#include <math.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

struct bh_time {
	uint64_t runs, ns;	/* bottom-half runs and their total wall time */
	uint64_t hdma;		/* records top halves set aside by DMA */
};

/*
 * The bottom halves' runs and wall time so far, summed over the queues
 * (debugfs "bottom_half" lines are "qN runs R ns T fast F headroom_dma D"). The driver keeps them
 * itself: turning the function_graph tracer on and off patches kernel text
 * (ftrace sites, the scheduler's tracepoints) under the busy irq thread,
 * and under TCG that live patching livelocked a vCPU in the int3 handler
 * (the "B8 soft lockup" of earlier runs; docs/BENCHMARKS.md).
 */
static void bh_read(struct bh_time *t)
{
	unsigned long long runs, ns, fast, hdma;
	unsigned int q;
	FILE *f = fopen(bn_dbg("bottom_half"), "re");

	if (!f)
		bn_die("bottom_half: %s", strerror(errno));
	memset(t, 0, sizeof(*t));
	while (fscanf(f, " q%u runs %llu ns %llu fast %llu headroom_dma %llu",
		      &q, &runs, &ns, &fast, &hdma) == 5) {
		t->runs += runs;
		t->ns += ns;
		t->hdma += hdma;
	}
	fclose(f);
}

static void bh_since(struct bh_time *t, const struct bh_time *t0)
{
	bh_read(t);
	t->runs -= t0->runs;
	t->ns -= t0->ns;
	t->hdma -= t0->hdma;
}

struct xfer {
	uint64_t pio_t, pio_r, dma_t, dma_r;
};

static void xfer_read(struct xfer *x)
{
	x->pio_t = (uint64_t)bn_get(bn_sys("statistics/pio_transfers"));
	x->pio_r = (uint64_t)bn_get(bn_sys("statistics/pio_records"));
	x->dma_t = (uint64_t)bn_get(bn_sys("statistics/dma_transfers"));
	x->dma_r = (uint64_t)bn_get(bn_sys("statistics/dma_records"));
}

struct b8_point {
	double recs_per_xfer, ns_per_xfer, ns_per_rec;
	struct xfer d;
};

/*
 * Transfers of about @k records: the session asks for @k records per
 * wake-up at k * 1000 Hz (at most 100 kHz), so the queue's watermark is k
 * (the driver caps it at 1 ms of samples) and it is reached at every 1 ms
 * tick of the sensor core.
 */
static void b8_run(const char *mode, unsigned int k, unsigned int ms,
		   struct b8_point *pt)
{
	static char buf[65536];
	struct xfer x0, x1;
	struct bh_time bt0, bt;
	uint64_t end;
	int fd;

	bn_put(bn_sys("transfer_mode"), "%s", mode);
	fd = bn_session(O_RDONLY | O_NONBLOCK, k * 1000 > 100000 ? 100000 : k * 1000,
			k, 16384, 0);
	bn_sleep_ms(50);
	xfer_read(&x0);
	bh_read(&bt0);
	end = bn_now() + ms * 1000000ull;
	while (bn_now() < end) {
		bn_sleep_ms(5);
		while (read(fd, buf, sizeof(buf)) > 0)
			;
	}
	bh_since(&bt, &bt0);
	xfer_read(&x1);
	close(fd);
	pt->d.pio_t = x1.pio_t - x0.pio_t;
	pt->d.pio_r = x1.pio_r - x0.pio_r;
	pt->d.dma_t = x1.dma_t - x0.dma_t;
	pt->d.dma_r = x1.dma_r - x0.dma_r;
	{
		uint64_t t = pt->d.pio_t + pt->d.dma_t;
		uint64_t r = pt->d.pio_r + pt->d.dma_r;

		pt->recs_per_xfer = t ? (double)r / t : 0;
		pt->ns_per_xfer = bt.runs ? (double)bt.ns / bt.runs : 0;
		pt->ns_per_rec = r ? (double)bt.ns / r : 0;
	}
}

int bench_b8(void)
{
	static const unsigned int ks[] = { 1, 2, 3, 4, 6, 8, 16, 32, 64, 100 };
	enum { NK = sizeof(ks) / sizeof(ks[0]) };
	struct b8_point pio[NK], dma[NK], below, at;
	long long thr = bn_get(bn_sys("dma_threshold"));
	unsigned int cross = 0, kb, ka, use;
	int auto_ok;

	bn_put(bn_dbg("headroom"), "N");	/* its pulls are PIO */
	bn_put(bn_dbg("irq_fast"), "N");	/* so are its small transfers */
	for (int i = 0; i < NK; i++) {
		b8_run("pio", ks[i], 400, &pio[i]);
		b8_run("dma", ks[i], 400, &dma[i]);
		bn_row("B8", bn_fmt("bottom half per record, ~%u-record transfers, DMA vs PIO", ks[i]),
		       bn_fmt("%.1f us (%.1f/xfer)", dma[i].ns_per_rec / 1e3, dma[i].recs_per_xfer),
		       bn_fmt("%.1f us (%.1f/xfer)", pio[i].ns_per_rec / 1e3, pio[i].recs_per_xfer),
		       dma[i].ns_per_rec / pio[i].ns_per_rec, BN_REPORT, 0);
		if (!cross && dma[i].ns_per_rec < pio[i].ns_per_rec)
			cross = ks[i];
	}
	/*
	 * auto just below and at a threshold: the crossover measured here
	 * (the driver's own may be 1, which has no "below")
	 */
	use = cross > 1 ? cross : (unsigned int)thr;
	bn_put(bn_sys("dma_threshold"), "%u", use);
	kb = use > 1 ? use - 1 : 1;
	ka = use;
	b8_run("auto", kb, 400, &below);
	b8_run("auto", ka, 400, &at);
	bn_put(bn_sys("dma_threshold"), "%lld", thr);
	/*
	 * auto moved by PIO only transfers below the threshold and by DMA only
	 * transfers at or above it (the bottom half may find more than ~k).
	 */
	auto_ok = below.d.pio_r <= (uint64_t)(use - 1) * below.d.pio_t &&
		  below.d.dma_r >= (uint64_t)use * below.d.dma_t &&
		  at.d.pio_r <= (uint64_t)(use - 1) * at.d.pio_t &&
		  at.d.dma_r >= (uint64_t)use * at.d.dma_t &&
		  below.d.pio_t + at.d.dma_t > 0;
	bn_put(bn_sys("transfer_mode"), "auto");
	bn_put(bn_dbg("headroom"), "Y");
	bn_put(bn_dbg("irq_fast"), "Y");
	bn_row_check("B8", "PIO/DMA crossover: measured here vs driver's dma_threshold",
		     cross ? bn_fmt("%u records", cross) : "none <= 100",
		     bn_fmt("%lld records", thr),
		     cross ? (double)cross / (double)thr : NAN,
		     "reported, used by auto", auto_ok);
	bn_note("B8: probe measured PIO %lld ns/record, DMA %lld ns/transfer",
		bn_get(bn_dbg("pio_record_ns")), bn_get(bn_dbg("dma_transfer_ns")));
	bn_note("B8: auto with dma_threshold %u, at ~%u records/transfer: %llu PIO, %llu DMA transfers; at ~%u: %llu PIO, %llu DMA (PIO only below the threshold, DMA only at or above: %s)",
		use, kb, (unsigned long long)below.d.pio_t, (unsigned long long)below.d.dma_t,
		ka, (unsigned long long)at.d.pio_t, (unsigned long long)at.d.dma_t,
		auto_ok ? "yes" : "no");
	bn_note("B8: time = bottom-half wall time (debugfs bottom_half) / records moved; includes delivery to the session");
	return 0;
}

/* B9 ------------------------------------------------------------------ */

#define B9_DELAY_US	20000
#define B9_MS		1500

#define B9_BUDGET	4096	/* records a bottom-half run drains at most */

struct b9_point {
	uint64_t recs, lost;
	uint64_t tops, pulled;	/* top-half runs, records they set aside */
	uint64_t pulled_dma;	/* ... of them by DMA */
	uint64_t stall_ns;	/* longest stall of a 1 ms sleeper */
	double run_ns;		/* mean bottom-half run, delay included */
};

/* Top-half runs of the queue vectors: debugfs "vectors" lines are
 * "name virq top N N ... bottom N N ...". */
static uint64_t queue_tops(void)
{
	char line[512], name[64];
	uint64_t total = 0;
	FILE *f = fopen(bn_dbg("vectors"), "re");

	if (!f)
		bn_die("vectors: %s", strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		char *p = strstr(line, " top "), *end;

		if (sscanf(line, "%63s", name) != 1 || !strstr(name, "-q") || !p)
			continue;
		for (p += 5; ; p = end) {
			unsigned long long v = strtoull(p, &end, 10);

			if (end == p)
				break;
			total += v;
		}
	}
	fclose(f);
	return total;
}

static void b9_run(bool headroom, unsigned int rate, struct b9_point *pt)
{
	static char buf[65536];
	struct vsensor_stats st;
	struct bn_stall stall;
	struct bh_time bt0, bt;
	uint64_t end;
	int fd;

	bn_put(bn_dbg("headroom"), headroom ? "Y" : "N");
	bn_stall_start(&stall);
	fd = bn_session(O_RDONLY | O_NONBLOCK, rate, 64, 65536, 0);
	pt->tops = queue_tops();
	pt->pulled = (uint64_t)bn_get(bn_sys("statistics/headroom_records"));
	bh_read(&bt0);
	end = bn_now() + B9_MS * 1000000ull;
	while (bn_now() < end) {
		bn_sleep_ms(5);
		while (read(fd, buf, sizeof(buf)) > 0)
			;
	}
	bn_stats(fd, &st);
	pt->stall_ns = bn_stall_stop(&stall);
	bh_since(&bt, &bt0);
	pt->tops = queue_tops() - pt->tops;
	pt->pulled = (uint64_t)bn_get(bn_sys("statistics/headroom_records")) -
		     pt->pulled;
	close(fd);
	pt->recs = st.delivered + st.queued;
	pt->lost = st.dropped;
	pt->run_ns = bt.runs ? (double)bt.ns / bt.runs : 0;
	pt->pulled_dma = bt.hdma;
}

int bench_b9(void)
{
	static const unsigned int rates[] = { 2000, 5000, 10000, 20000, 40000, 80000 };
	enum { NR = sizeof(rates) / sizeof(rates[0]) };
	struct b9_point on[NR], off[NR];
	unsigned int best_on = 0, best_off = 0, keeps_up = 0;
	int met = 1;

	bn_put(bn_dbg("bh_delay_us"), "%d", B9_DELAY_US);
	/* the headroom itself: else top halves deliver batches of <= 4 */
	bn_put(bn_dbg("irq_fast"), "N");
	for (int i = 0; i < NR; i++) {
		b9_run(true, rates[i], &on[i]);
		b9_run(false, rates[i], &off[i]);
		bn_row("B9", bn_fmt("loss at %u Hz, bh_delay %d ms, headroom Y vs N",
				    rates[i], B9_DELAY_US / 1000),
		       bn_fmt("%.2f%%", 100.0 * on[i].lost / (on[i].recs + on[i].lost)),
		       bn_fmt("%.2f%%", 100.0 * off[i].lost / (off[i].recs + off[i].lost)),
		       NAN, BN_REPORT, 0);
		bn_note("B9: %u Hz: headroom Y %llu lost of %llu (%llu top halves set aside %llu, %llu of them by DMA), N %llu lost of %llu; mean bottom-half run %.1f ms (%.0f records arrive meanwhile, budget %d); longest stall %.1f/%.1f ms (Y/N; the FIFO holds %.1f ms)",
			rates[i], (unsigned long long)on[i].lost,
			(unsigned long long)(on[i].recs + on[i].lost),
			(unsigned long long)on[i].tops,
			(unsigned long long)on[i].pulled,
			(unsigned long long)on[i].pulled_dma,
			(unsigned long long)off[i].lost,
			(unsigned long long)(off[i].recs + off[i].lost),
			on[i].run_ns / 1e6, rates[i] * on[i].run_ns / 1e9, B9_BUDGET,
			on[i].stall_ns / 1e6, off[i].stall_ns / 1e6, 256e3 / rates[i]);
		/*
		 * The bottom half keeps up on average while what arrives during
		 * one of its runs fits in the budget of the next.
		 */
		if (rates[i] * on[i].run_ns / 1e9 <= B9_BUDGET)
			keeps_up = rates[i];
		if (!on[i].lost && best_on == (i ? rates[i - 1] : 0))
			best_on = rates[i];
		if (!off[i].lost && best_off == (i ? rates[i - 1] : 0))
			best_off = rates[i];
	}
	for (int i = 0; i < NR; i++)
		if (rates[i] <= keeps_up && on[i].lost)
			met = 0;
	bn_put(bn_dbg("bh_delay_us"), "0");
	bn_put(bn_dbg("headroom"), "Y");
	bn_put(bn_dbg("irq_fast"), "Y");
	bn_row_check("B9", "highest rate with zero loss, headroom Y vs N",
		     bn_fmt("%u Hz", best_on), bn_fmt("%u Hz", best_off),
		     best_off ? (double)best_on / best_off : NAN,
		     bn_fmt("0 lost up to %u Hz (bh keeps up)", keeps_up), met);
	bn_note("B9: bottom half keeps up on average (arrivals per run <= %d-record budget) up to %u Hz of those tried",
		B9_BUDGET, keeps_up);
	return 0;
}

/* D1, D2 ---------------------------------------------------------------- */

/*
 * One boot of the PCI lab per IOMMU mode (tests/bench/bench): strict, lazy
 * or off. These rows print this boot's figures as lines
 * "FIG<TAB>id<TAB>what<TAB>mode<TAB>value<TAB>unit"; the host puts each
 * mode's beside the off boot's as table rows.
 */
static const char *iommu_mode(void)
{
	const char *m = getenv("VSENSOR_BENCH_IOMMU");

	return m && *m ? m : "unknown";
}

static void fig(const char *id, const char *what, const char *val,
		const char *unit)
{
	printf("FIG\t%s\t%s\t%s\t%s\t%s\n", id, what, iommu_mode(), val, unit);
	fflush(stdout);
}

/* The kernel's DMA domain of the device: "DMA" (strict), "DMA-FQ" (lazy). */
static void iommu_type(char *buf, size_t len)
{
	if (access(bn_sys("iommu_group/type"), R_OK))
		snprintf(buf, len, "no IOMMU group");
	else
		bn_get_str(bn_sys("iommu_group/type"), buf, len);
}

/*
 * The IOMMU API's own tracepoints, iommu:map and iommu:unmap (fired by
 * the DMA API's IOVA mappings, in every mode but off), counted over a
 * stretch of a row: what the row makes the IOMMU do. Switched while no
 * session streams (enabling patches kernel text; see b-latency.c).
 */
#define TRACEFS "/sys/kernel/tracing/"

static void iommu_events(bool on)
{
	if (on) {
		bn_put(TRACEFS "tracing_on", "0");
		bn_put(TRACEFS "trace", "\n");
	}
	if (bn_try_put(TRACEFS "events/iommu/map/enable", on ? "1" : "0") ||
	    bn_try_put(TRACEFS "events/iommu/unmap/enable", on ? "1" : "0"))
		bn_note("no iommu:map/unmap tracepoints here");
	bn_put(TRACEFS "tracing_on", on ? "1" : "0");
}

static void iommu_events_count(uint64_t *maps, uint64_t *unmaps)
{
	char line[512];
	FILE *f = fopen(TRACEFS "trace", "re");

	*maps = *unmaps = 0;
	if (!f)
		bn_die("trace: %s", strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#')
			continue;
		if (strstr(line, " unmap: "))
			(*unmaps)++;
		else if (strstr(line, " map: "))
			(*maps)++;
	}
	fclose(f);
}

#define D1_ROUNDS	5
#define D1_MS		1000
#define D1_WM		100	/* the queue's watermark: 1 ms at 100 kHz */
#define D0_CALLS	2000

/* One round (bench.h): a poll + 64 KiB read loop on the session @fd. */
void bn_dma_round(int fd, unsigned int ms, struct bn_dma_round *r)
{
	static char buf[65536];
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct vsensor_stats s0, s1;
	struct bh_time bt0, bt;
	struct xfer x0, x1;
	uint64_t t0, c0, self0, end;

	bn_stats(fd, &s0);
	xfer_read(&x0);
	bh_read(&bt0);
	c0 = bn_cpu_all();
	self0 = bn_cpu_self();
	t0 = bn_now();
	end = t0 + ms * 1000000ull;
	while (bn_now() < end)
		if (poll(&pfd, 1, 100) == 1 && read(fd, buf, sizeof(buf)) < 0 &&
		    errno != EAGAIN)
			bn_die("read: %s", strerror(errno));
	r->cpu_ns = (double)(bn_cpu_all() - c0);
	r->self_ns = (double)(bn_cpu_self() - self0);
	bh_since(&bt, &bt0);
	xfer_read(&x1);
	bn_stats(fd, &s1);
	r->recs = x1.dma_r - x0.dma_r;
	r->pio = x1.pio_r - x0.pio_r;
	r->lost = s1.dropped - s0.dropped;
	r->recs_s = (double)(s1.delivered - s0.delivered) * 1e9 /
		    (double)(bn_now() - t0);
	r->cpu_ns = r->recs ? r->cpu_ns / (double)r->recs : 0;
	r->self_ns = r->recs ? r->self_ns / (double)r->recs : 0;
	r->bh_ns = r->recs ? (double)bt.ns / (double)r->recs : 0;
	r->per_xfer = x1.dma_t > x0.dma_t ?
		      (double)r->recs / (double)(x1.dma_t - x0.dma_t) : 0;
}

void bn_dma_only_begin(char saved[16])
{
	bn_get_str(bn_sys("transfer_mode"), saved, 16);
	bn_put(bn_sys("transfer_mode"), "dma");
	bn_put(bn_dbg("headroom"), "N");	/* its pulls are PIO */
	bn_put(bn_dbg("irq_fast"), "N");	/* so are its small transfers */
}

void bn_dma_only_end(const char saved[16])
{
	bn_put(bn_sys("transfer_mode"), "%s", saved);
	bn_put(bn_dbg("headroom"), "Y");
	bn_put(bn_dbg("irq_fast"), "Y");
}

/* The device's RATE_MAX register (debugfs registers), else BN_RATE_MAX. */
unsigned int bn_rate_max(void)
{
	unsigned int reg, val = BN_RATE_MAX;
	char line[128], name[32];
	FILE *f = fopen(bn_dbg("registers"), "re");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%x %31s %x", &reg, name, &val) == 3 &&
		    !strcmp(name, "RATE_MAX"))
			break;
	if (f)
		fclose(f);
	return val ? val : BN_RATE_MAX;
}

/* Median ns of a getppid(): how fast this boot's guest runs. */
static double d0_getppid(void)
{
	uint64_t p[21], t0;

	for (int r = 0; r < 21; r++) {
		t0 = bn_now();
		for (int i = 0; i < D0_CALLS; i++)
			(void)getppid();
		p[r] = (bn_now() - t0) / D0_CALLS;
	}
	return (double)bn_pct(p, 21, 50);
}

/*
 * D1: the device streams at its maximum rate (RATE_MAX) with every record
 * moved by its DMA engine (transfer_mode dma; the top half's PIO paths,
 * fast path and headroom, off), one reader; records/s delivered, system
 * CPU (/proc/stat, both vCPUs) and the driver's bottom-half time per
 * record moved (statistics/dma_records), medians of the rounds.
 */
int bench_d1(void)
{
	struct bn_dma_round r[D1_ROUNDS], extra;
	double v[D1_ROUNDS], rs, cpu, bh, px;
	uint64_t recs = 0, lost = 0, pio = 0, maps, unmaps;
	char type[32], mode[16];
	unsigned int rate;
	int fd;

	iommu_type(type, sizeof(type));
	fig("D0", "getppid (this boot's guest speed)", bn_fmt("%.0f", d0_getppid()), "ns");
	bn_dma_only_begin(mode);
	rate = bn_rate_max();
	fd = bn_session(O_RDONLY | O_NONBLOCK, rate, D1_WM, 65536, 0);
	bn_sleep_ms(200);	/* past the stream start */
	for (int i = 0; i < D1_ROUNDS; i++) {
		bn_dma_round(fd, D1_MS, &r[i]);
		recs += r[i].recs;
		lost += r[i].lost;
		pio += r[i].pio;
	}
	close(fd);
	/* the same stream again, briefly, to count what it maps */
	iommu_events(true);
	fd = bn_session(O_RDONLY | O_NONBLOCK, rate, D1_WM, 65536, 0);
	bn_dma_round(fd, D1_MS, &extra);
	bn_note("D1: a further stream of %d ms, open to close: %llu records by DMA",
		D1_MS, (unsigned long long)extra.recs);
	close(fd);
	iommu_events(false);
	iommu_events_count(&maps, &unmaps);
	bn_note("D1: ... and iommu:map %llu, iommu:unmap %llu events (the rings are mapped at probe)",
		(unsigned long long)maps, (unsigned long long)unmaps);
	bn_dma_only_end(mode);
	for (int i = 0; i < D1_ROUNDS; i++)
		v[i] = r[i].recs_s;
	rs = bn_pctd(v, D1_ROUNDS, 50);
	for (int i = 0; i < D1_ROUNDS; i++)
		v[i] = r[i].cpu_ns;
	cpu = bn_pctd(v, D1_ROUNDS, 50);
	bn_note("D1: system CPU per record, rounds min/max %.2f/%.2f us",
		bn_pctd(v, D1_ROUNDS, 0) / 1e3, bn_pctd(v, D1_ROUNDS, 100) / 1e3);
	for (int i = 0; i < D1_ROUNDS; i++)
		v[i] = r[i].bh_ns;
	bh = bn_pctd(v, D1_ROUNDS, 50);
	bn_note("D1: bottom half per record, rounds min/max %.2f/%.2f us",
		bn_pctd(v, D1_ROUNDS, 0) / 1e3, bn_pctd(v, D1_ROUNDS, 100) / 1e3);
	for (int i = 0; i < D1_ROUNDS; i++)
		v[i] = r[i].per_xfer;
	px = bn_pctd(v, D1_ROUNDS, 50);
	fig("D1", bn_fmt("DMA stream at %u Hz (RATE_MAX): records/s delivered", rate),
	    bn_fmt("%.0f", rs), "/s");
	fig("D1", "DMA stream: system CPU per record", bn_fmt("%.2f", cpu / 1e3), "us");
	fig("D1", "DMA stream: bottom half per record", bn_fmt("%.2f", bh / 1e3), "us");
	bn_note("D1: IOMMU %s (iommu_group type: %s), %s; %d rounds of %d ms, watermark %d; %llu records by DMA in %.1f-record transfers (median), %llu by PIO, %llu lost",
		iommu_mode(), type, bn_dut.node, D1_ROUNDS, D1_MS, D1_WM,
		(unsigned long long)recs, px, (unsigned long long)pio,
		(unsigned long long)lost);
	return 0;
}

#define D2_CYCLES	16

/*
 * D2: the driver maps its DMA memory once per device, at probe (each
 * queue's ring of single pages with dma_map_sgtable(), its descriptor
 * table with dma_alloc_coherent(), the guard page), and unmaps it at
 * remove; streaming maps nothing. So the IOMMU's map and unmap (and, in
 * strict mode, the IOTLB flush at every unmap) are exercised by unbinding
 * and binding the device: wall time of each sysfs write, which returns
 * when remove or probe has run. Both do much more than the mappings.
 */
int bench_d2(void)
{
	uint64_t un[D2_CYCLES], bind[D2_CYCLES], t0;
	char drv[PATH_MAX], path[PATH_MAX + 16];
	const char *addr = bn_dut_pci_addr();
	uint64_t maps, unmaps;
	char type[32];

	if (!realpath(bn_sys("driver"), drv))
		bn_die("%s: no driver bound", bn_sys(""));
	iommu_type(type, sizeof(type));
	iommu_events(true);
	for (int i = 0; i < D2_CYCLES; i++) {
		snprintf(path, sizeof(path), "%s/unbind", drv);
		t0 = bn_now();
		bn_put(path, "%s", addr);
		un[i] = bn_now() - t0;
		snprintf(path, sizeof(path), "%s/bind", drv);
		t0 = bn_now();
		bn_put(path, "%s", addr);
		bind[i] = bn_now() - t0;
		bn_sleep_ms(100);
	}
	iommu_events(false);
	iommu_events_count(&maps, &unmaps);
	if (access(bn_dut.node, R_OK))
		bn_die("%s is gone after the last bind", bn_dut.node);
	fig("D2", "unbind (remove: unmaps the rings)",
	    bn_fmt("%.2f", bn_pct(un, D2_CYCLES, 50) / 1e6), "ms");
	fig("D2", "bind (probe: maps the rings)",
	    bn_fmt("%.2f", bn_pct(bind, D2_CYCLES, 50) / 1e6), "ms");
	bn_note("D2: IOMMU %s (iommu_group type: %s), %s on %s; median of %d unbind/bind cycles (%.1f iommu:map, %.1f iommu:unmap events a cycle); unbind min/max %.2f/%.2f ms, bind %.2f/%.2f ms",
		iommu_mode(), type, bn_dut.node, addr, D2_CYCLES,
		(double)maps / D2_CYCLES, (double)unmaps / D2_CYCLES,
		bn_pct(un, D2_CYCLES, 0) / 1e6, bn_pct(un, D2_CYCLES, 100) / 1e6,
		bn_pct(bind, D2_CYCLES, 0) / 1e6, bn_pct(bind, D2_CYCLES, 100) / 1e6);
	return 0;
}
