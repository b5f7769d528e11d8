// SPDX-License-Identifier: GPL-2.0
/*
 * The read path: bulk throughput (B1; P1 on the device under test against
 * the model), the cost of one record (B2), and the configuration ioctls,
 * alone and next to a reader (B6).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "bench.h"

#define BULK		65536			/* bytes per read */
#define BULK_RECS	(BULK / sizeof(struct vsensor_record))
#define BULK_SAMPLES	150
#define RING_BIG	65536

static char bulk_buf[BULK];

static uint64_t time_read(int fd, void *buf, size_t len, ssize_t *got)
{
	uint64_t t0 = bn_now();

	*got = read(fd, buf, len);
	return bn_now() - t0;
}

/*
 * Timed 64 KiB reads from a session whose ring holds plenty, each next to
 * a 64 KiB read of /dev/zero. Fills @ours and @zero with ns per read.
 */
static size_t bulk_pairs(int fd, int zfd, uint64_t *ours, uint64_t *zero,
			 size_t max)
{
	size_t n = 0;
	ssize_t got;
	uint64_t t;

	while (n < max) {
		if (bn_wait_queued(fd, 8 * BULK_RECS, 5000) < BULK_RECS)
			bn_die("the ring does not fill at %u Hz", BN_RATE_MAX);
		while (n < max && bn_wait_queued(fd, BULK_RECS, 0) >= BULK_RECS) {
			t = time_read(fd, bulk_buf, BULK, &got);
			if (got != BULK)
				continue;
			ours[n] = t;
			zero[n++] = time_read(zfd, bulk_buf, BULK, &got);
		}
	}
	return n;
}

static double mbps(uint64_t ns)
{
	return ns ? BULK * 1000.0 / (double)ns : 0;	/* bytes/ns*1000 = MB/s */
}

/* B1 and B6's third part share this; @tag names the row. */
static void bulk_row(const char *id, const char *what, int fd, int zfd,
		     double *ours_mbps)
{
	static uint64_t ours[BULK_SAMPLES], zero[BULK_SAMPLES];
	size_t n = bulk_pairs(fd, zfd, ours, zero, BULK_SAMPLES);
	double o = mbps(bn_pct(ours, n, 50)), z = mbps(bn_pct(zero, n, 50));

	if (ours_mbps)
		*ours_mbps = o;
	bn_row(id, what, bn_fmt("%.0f MB/s", o), bn_fmt("%.0f MB/s", z),
	       o / z, BN_AT_LEAST, 0.5);
	bn_note("%s: median of %zu pairs of 64 KiB reads; p10/p90 ours %.0f/%.0f MB/s",
		id, n, mbps(bn_pct(ours, n, 90)), mbps(bn_pct(ours, n, 10)));
}

int bench_b1(void)
{
	int fd = bn_session(O_RDONLY | O_NONBLOCK, BN_RATE_MAX, 1, RING_BIG, 0);
	int zfd = open("/dev/zero", O_RDONLY | O_CLOEXEC);

	if (zfd < 0)
		bn_die("/dev/zero: %s", strerror(errno));
	bulk_row("B1", "64 KiB read, ring full", fd, zfd, NULL);
	close(zfd);
	close(fd);
	return 0;
}

/*
 * P1: B1 on the device under test (the PCI device in the PCI lab) and on
 * the in-kernel model, in alternating phases of one session each, so only
 * one sensor streams at a time.
 */
#define P_PHASES	5

static size_t p1_phase(const struct bn_dev *d, int zfd, uint64_t *ours,
		       uint64_t *zero, size_t want)
{
	size_t n;
	int fd;

	bn_dev_use(d);
	fd = bn_session(O_RDONLY | O_NONBLOCK, BN_RATE_MAX, 1, RING_BIG, 0);
	n = bulk_pairs(fd, zfd, ours, zero, want);
	close(fd);
	return n;
}

int bench_p1(void)
{
	static uint64_t dut[BULK_SAMPLES], model[BULK_SAMPLES],
			zd[BULK_SAMPLES], zm[BULK_SAMPLES];
	size_t nd = 0, nm = 0, want = BULK_SAMPLES / P_PHASES;
	double o, m;
	int zfd;

	if (!bn_dut_is_other()) {
		bn_note("P1: skipped: the device under test is the model (set VSENSOR_BENCH_DEV)");
		return 1;
	}
	zfd = open("/dev/zero", O_RDONLY | O_CLOEXEC);
	if (zfd < 0)
		bn_die("/dev/zero: %s", strerror(errno));
	for (int ph = 0; ph < P_PHASES; ph++) {
		nd += p1_phase(&bn_dut, zfd, dut + nd, zd + nd, want);
		nm += p1_phase(&bn_model, zfd, model + nm, zm + nm, want);
	}
	bn_dev_use(&bn_dut);
	o = mbps(bn_pct(dut, nd, 50));
	m = mbps(bn_pct(model, nm, 50));
	bn_row("P1", "64 KiB read, ring full, PCI vs model", bn_fmt("%.0f MB/s", o),
	       bn_fmt("%.0f MB/s", m), o / m, BN_REPORT, 0);
	bn_note("P1: %s against %s, %d alternating phases, %zu/%zu pairs; p10/p90 %.0f/%.0f vs %.0f/%.0f MB/s; /dev/zero in the same pairs %.0f vs %.0f MB/s",
		bn_dut.node, bn_model.node, P_PHASES, nd, nm,
		mbps(bn_pct(dut, nd, 90)), mbps(bn_pct(dut, nd, 10)),
		mbps(bn_pct(model, nm, 90)), mbps(bn_pct(model, nm, 10)),
		mbps(bn_pct(zd, nd, 50)), mbps(bn_pct(zm, nm, 50)));
	close(zfd);
	return 0;
}

#define B2_CALLS	500
#define B2_ROUNDS	15
#define B2_RATE		5000

/*
 * Where a one-record read's time goes: a zero-length read (system call and
 * the liveness check only), an empty O_NONBLOCK read (adds the session
 * mutex and the wait's -EAGAIN), and the full read (adds the copy to the
 * user and the cmpxchg that releases the slot).
 */
static void b2_breakdown(double full)
{
	uint64_t zlen[B2_ROUNDS], empty[B2_ROUNDS], pl[B2_ROUNDS], plo[B2_ROUNDS], t0;
	struct pollfd pfd = { .events = POLLIN };
	int fd = bn_session(O_RDONLY | O_NONBLOCK, 1, 1, 1024, 0);
	struct vsensor_record rec;
	unsigned int got = 0;

	for (int r = 0; r < B2_ROUNDS; r++) {
		t0 = bn_now();
		for (int i = 0; i < B2_CALLS; i++)
			got += read(fd, &rec, 0) != 0;
		zlen[r] = (bn_now() - t0) / B2_CALLS;
		if (ioctl(fd, VSENSOR_IOC_FLUSH))
			bn_die("FLUSH: %s", strerror(errno));
		t0 = bn_now();
		for (int i = 0; i < B2_CALLS; i++)
			got += read(fd, &rec, sizeof(rec)) > 0;
		empty[r] = (bn_now() - t0) / B2_CALLS;
		pfd.fd = fd;
		t0 = bn_now();
		for (int i = 0; i < B2_CALLS; i++)
			got += poll(&pfd, 1, 0) < 0;
		pl[r] = (bn_now() - t0) / B2_CALLS;
		pfd.events = POLLIN | POLLOUT;	/* EPOLLOUT reads a register */
		t0 = bn_now();
		for (int i = 0; i < B2_CALLS; i++)
			got += poll(&pfd, 1, 0) < 0;
		plo[r] = (bn_now() - t0) / B2_CALLS;
		pfd.events = POLLIN;
	}
	bn_note("B2: breakdown: zero-length read %llu ns, empty O_NONBLOCK read (the mutex, -EAGAIN) %llu ns, one-record read %.0f ns; poll(POLLIN, 0) %llu ns, poll(POLLIN|POLLOUT, 0) %llu ns (%u unexpected results)",
		(unsigned long long)bn_pct(zlen, B2_ROUNDS, 50),
		(unsigned long long)bn_pct(empty, B2_ROUNDS, 50), full,
		(unsigned long long)bn_pct(pl, B2_ROUNDS, 50),
		(unsigned long long)bn_pct(plo, B2_ROUNDS, 50), got);
	close(fd);
}

int bench_b2(void)
{
	uint64_t ours[B2_ROUNDS], zero[B2_ROUNDS], ppid[B2_ROUNDS], t0;
	struct vsensor_record rec;
	int fd = bn_session(O_RDONLY | O_NONBLOCK, B2_RATE, 1, RING_BIG, 0);
	int zfd = open("/dev/zero", O_RDONLY | O_CLOEXEC);
	char small[16];
	unsigned int short_reads = 0;
	double o, z, p;

	if (zfd < 0)
		bn_die("/dev/zero: %s", strerror(errno));
	/*
	 * Queue what the rounds read first, at a rate whose interrupts take
	 * little of the CPU (a 100 kHz producer would be timed with the reads).
	 */
	bn_wait_queued(fd, (B2_ROUNDS + 1) * B2_CALLS, 10000);
	for (int r = 0; r < B2_ROUNDS; r++) {
		t0 = bn_now();
		for (int i = 0; i < B2_CALLS; i++)
			short_reads += read(fd, &rec, sizeof(rec)) != sizeof(rec);
		ours[r] = (bn_now() - t0) / B2_CALLS;
		t0 = bn_now();
		for (int i = 0; i < B2_CALLS; i++)
			short_reads += read(zfd, small, sizeof(small)) != sizeof(small);
		zero[r] = (bn_now() - t0) / B2_CALLS;
		t0 = bn_now();
		for (int i = 0; i < B2_CALLS; i++)
			(void)getppid();
		ppid[r] = (bn_now() - t0) / B2_CALLS;
	}
	o = (double)bn_pct(ours, B2_ROUNDS, 50);
	z = (double)bn_pct(zero, B2_ROUNDS, 50);
	p = (double)bn_pct(ppid, B2_ROUNDS, 50);
	bn_row("B2", "one-record read vs 16 B /dev/zero", bn_fmt("%.0f ns", o),
	       bn_fmt("%.0f ns", z), o / z, BN_AT_MOST, 1.3);
	bn_row("B2", "one-record read vs getppid", bn_fmt("%.0f ns", o),
	       bn_fmt("%.0f ns", p), o / p, BN_REPORT, 0);
	bn_note("B2: median of %d rounds of %d calls each from a ring filled beforehand, sensor at %d Hz; %u short or failed reads",
		B2_ROUNDS, B2_CALLS, B2_RATE, short_reads);
	b2_breakdown(o);
	close(zfd);
	close(fd);
	return 0;
}

/* B6 ------------------------------------------------------------------ */

#define B6_CALLS	500
#define B6_ROUNDS	15
#define VSENSOR_IOC_UNKNOWN	_IO(VSENSOR_IOC_MAGIC, 0x7f)

static uint64_t ioctl_cost(int fd, unsigned long req, void *arg, int expect)
{
	uint64_t t0 = bn_now();

	for (int i = 0; i < B6_CALLS; i++)
		if (ioctl(fd, req, arg) != expect)
			if (expect != -1 || errno != ENOTTY)
				bn_die("ioctl %#lx: %s", req, strerror(errno));
	return (bn_now() - t0) / B6_CALLS;
}

struct b6_looper {
	int fd;
	bool notty;		/* loop the unknown ioctl instead */
	atomic_bool stop;
	unsigned long calls;
};

static void *b6_loop(void *arg)
{
	struct b6_looper *l = arg;
	struct vsensor_config cfg;

	if (ioctl(l->fd, VSENSOR_IOC_GET_CONFIG, &cfg))
		bn_die("GET_CONFIG: %s", strerror(errno));
	while (!atomic_load(&l->stop)) {
		if (l->notty) {
			if (ioctl(l->fd, VSENSOR_IOC_UNKNOWN) != -1 || errno != ENOTTY)
				bn_die("unknown ioctl: %s", strerror(errno));
		} else if (ioctl(l->fd, VSENSOR_IOC_SET_CONFIG, &cfg)) {
			bn_die("SET_CONFIG: %s", strerror(errno));
		}
		l->calls++;
	}
	return NULL;
}

static void b6_loop_start(struct b6_looper *l, pthread_t *t, int fd,
			  bool notty)
{
	l->fd = fd;
	l->notty = notty;
	l->calls = 0;
	atomic_store(&l->stop, false);
	if (pthread_create(t, NULL, b6_loop, l))
		bn_die("pthread_create");
}

static void b6_loop_stop(struct b6_looper *l, pthread_t t)
{
	atomic_store(&l->stop, true);
	pthread_join(t, NULL);
}

/* SET_CONFIG as an older program sends it: only the first 24 bytes. */
#define B6_SET_CONFIG_24 _IOC(_IOC_READ | _IOC_WRITE, VSENSOR_IOC_MAGIC, \
			      _IOC_NR(VSENSOR_IOC_SET_CONFIG), \
			      offsetof(struct vsensor_config, reserved))

static void b6_ioctls(void)
{
	uint64_t set[B6_ROUNDS], get[B6_ROUNDS], notty[B6_ROUNDS],
		 set24[B6_ROUNDS];
	int fd = bn_session(O_RDONLY, 1000, 1, 1024, 0);
	struct vsensor_config cfg;
	double s, g, n;

	if (ioctl(fd, VSENSOR_IOC_GET_CONFIG, &cfg))
		bn_die("GET_CONFIG: %s", strerror(errno));
	for (int r = 0; r < B6_ROUNDS; r++) {
		notty[r] = ioctl_cost(fd, VSENSOR_IOC_UNKNOWN, NULL, -1);
		set[r] = ioctl_cost(fd, VSENSOR_IOC_SET_CONFIG, &cfg, 0);
		get[r] = ioctl_cost(fd, VSENSOR_IOC_GET_CONFIG, &cfg, 0);
		set24[r] = ioctl_cost(fd, B6_SET_CONFIG_24, &cfg, 0);
	}
	s = (double)bn_pct(set, B6_ROUNDS, 50);
	g = (double)bn_pct(get, B6_ROUNDS, 50);
	n = (double)bn_pct(notty, B6_ROUNDS, 50);
	bn_row("B6", "SET_CONFIG (unchanged) vs ENOTTY ioctl",
	       bn_fmt("%.0f ns", s), bn_fmt("%.0f ns", n), s / n,
	       BN_AT_MOST, 1.5);
	bn_row("B6", "GET_CONFIG vs ENOTTY ioctl", bn_fmt("%.0f ns", g),
	       bn_fmt("%.0f ns", n), g / n, BN_AT_MOST, 1.5);
	s = (double)bn_pct(set24, B6_ROUNDS, 50);
	bn_row("B6", "diagnostic: SET_CONFIG (unchanged) of the 24-byte first struct vs ENOTTY",
	       bn_fmt("%.0f ns", s), bn_fmt("%.0f ns", n), s / n, BN_REPORT, 0);
	bn_note("B6: the 24-byte struct is copied in by 8-byte moves, the 64-byte one by an emulated rep movsb (see CAL); the kernel zero-fills the rest and checks the same fields");
	close(fd);
}

/*
 * 64 KiB reads from a full ring while another thread loops SET_CONFIG; and,
 * to tell the driver's interference from the CPU the loop itself takes
 * from a 2-vCPU emulated guest, while it loops the unknown ioctl instead.
 */
static void b6_bulk(void)
{
	int fd = bn_session(O_RDONLY | O_NONBLOCK, BN_RATE_MAX, 1, RING_BIG, 0);
	int zfd = open("/dev/zero", O_RDONLY | O_CLOEXEC);
	static uint64_t a[BULK_SAMPLES], b[BULK_SAMPLES], c[BULK_SAMPLES],
			za[BULK_SAMPLES], zb[BULK_SAMPLES], zc[BULK_SAMPLES];
	struct b6_looper l;
	size_t na = 0, nb = 0, nc = 0;
	pthread_t t;
	double with, without, notty;

	if (zfd < 0)
		bn_die("/dev/zero: %s", strerror(errno));
	/* interleaved: 5 phases of each */
	for (int phase = 0; phase < 15; phase++) {
		size_t want = BULK_SAMPLES / 5;

		if (phase % 3 == 0) {
			na += bulk_pairs(fd, zfd, a + na, za + na, want);
			continue;
		}
		b6_loop_start(&l, &t, fd, phase % 3 == 2);
		if (l.notty)
			nc += bulk_pairs(fd, zfd, c + nc, zc + nc, want);
		else
			nb += bulk_pairs(fd, zfd, b + nb, zb + nb, want);
		b6_loop_stop(&l, t);
	}
	without = mbps(bn_pct(a, na, 50));
	with = mbps(bn_pct(b, nb, 50));
	notty = mbps(bn_pct(c, nc, 50));
	bn_row("B6", "64 KiB read, ring full, SET_CONFIG looping vs not",
	       bn_fmt("%.0f MB/s", with), bn_fmt("%.0f MB/s", without),
	       with / without, BN_AT_LEAST, 0.95);
	bn_row("B6", "64 KiB read, SET_CONFIG looping vs ENOTTY ioctl looping",
	       bn_fmt("%.0f MB/s", with), bn_fmt("%.0f MB/s", notty),
	       with / notty, BN_REPORT, 0);
	close(zfd);
	close(fd);
}

/*
 * A streaming reader (blocking 64 KiB reads, watermark 256) at a rate the
 * guest sustains, in phases with and without a SET_CONFIG loop on the same
 * session: records per second and records lost.
 */
#define B6_STREAM_RATE	2000
#define B6_PHASE_MS	1500

static void b6_phase(int fd, bool loop, uint64_t *recs, uint64_t *lost,
		     unsigned long *calls)
{
	struct vsensor_stats s0, s1;
	struct b6_looper l;
	uint64_t end;
	pthread_t t;

	bn_stats(fd, &s0);
	if (loop)
		b6_loop_start(&l, &t, fd, false);
	end = bn_now() + B6_PHASE_MS * 1000000ull;
	while (bn_now() < end)
		if (read(fd, bulk_buf, BULK) < 0)
			bn_die("read: %s", strerror(errno));
	if (loop) {
		b6_loop_stop(&l, t);
		*calls += l.calls;
	}
	bn_stats(fd, &s1);
	*recs += s1.delivered - s0.delivered;
	*lost += s1.dropped - s0.dropped;
}

static void b6_stream(void)
{
	int fd = bn_session(O_RDONLY, B6_STREAM_RATE, 256, RING_BIG, 0);
	uint64_t r[2] = { 0 }, lost[2] = { 0 };
	unsigned long calls = 0;
	double with, without;
	struct bn_stall stall;

	/* a first phase, not counted, takes what queued before the reader ran */
	b6_phase(fd, false, &r[0], &lost[0], &calls);
	r[0] = lost[0] = 0;
	bn_stall_start(&stall);
	for (int phase = 0; phase < 6; phase++)
		b6_phase(fd, phase & 1, &r[phase & 1], &lost[phase & 1], &calls);
	bn_stall_stop(&stall);
	without = r[0] / (3.0 * B6_PHASE_MS / 1000.0);
	with = r[1] / (3.0 * B6_PHASE_MS / 1000.0);
	bn_row_check("B6", bn_fmt("stream %u Hz, SET_CONFIG looping vs not", B6_STREAM_RATE),
		     bn_fmt("%.0f rec/s, %llu lost", with, (unsigned long long)lost[1]),
		     bn_fmt("%.0f rec/s, %llu lost", without, (unsigned long long)lost[0]),
		     with / without, ">= 0.95x, 0 lost",
		     with / without >= 0.95 && !lost[1]);
	bn_note("B6: %lu SET_CONFIG calls completed during %d ms of looping (same session as the reader); longest stall of a 1 ms sleeper %.1f ms (the FIFO holds %.0f ms)",
		calls, 3 * B6_PHASE_MS, stall.max_ns / 1e6, 256e3 / B6_STREAM_RATE);
	close(fd);
}

int bench_b6(void)
{
	b6_ioctls();
	b6_bulk();
	b6_stream();
	return 0;
}
