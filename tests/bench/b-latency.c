// SPDX-License-Identifier: GPL-2.0
/*
 * Wake-up latency, sample timestamp to read() return (B4), against half a
 * pipe round trip, and on the device under test against the model (P4);
 * then interrupt-driven against busy-polling reads (B5).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

/* BN_LAT_RATE and the chunks: bench.h; the 1 kHz row shows a rate change */
#define LAT_RATE_FAST	1000
#define TRACE_N		150

/*
 * @n one-record blocking reads; latency = read return - sample timestamp.
 * The ring is flushed first and the first records skipped, so nothing
 * queued while the other side ran counts.
 */
static void lat_chunk(int fd, uint64_t *lat, size_t n, uint64_t *recs)
{
	struct vsensor_record rec;
	size_t i = 0;

	if (ioctl(fd, VSENSOR_IOC_FLUSH))
		bn_die("FLUSH: %s", strerror(errno));
	for (int skip = 0; skip < 3; skip++)
		if (read(fd, &rec, sizeof(rec)) != sizeof(rec))
			bn_die("read: %s", strerror(errno));
	while (i < n) {
		if (read(fd, &rec, sizeof(rec)) != sizeof(rec))
			bn_die("read: %s", strerror(errno));
		lat[i++] = bn_rec_latency(&rec);
	}
	*recs += n + 3;
}

struct pingpong {
	int to[2], from[2];
	pid_t pid;
};

static void pingpong_start(struct pingpong *p)
{
	char c;

	if (pipe(p->to) || pipe(p->from))
		bn_die("pipe: %s", strerror(errno));
	p->pid = fork();
	if (p->pid < 0)
		bn_die("fork: %s", strerror(errno));
	if (!p->pid) {
		bn_pin(-1);	/* the partner goes where the scheduler puts it */
		close(p->to[1]);
		close(p->from[0]);
		while (read(p->to[0], &c, 1) == 1)
			if (write(p->from[1], &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	close(p->to[0]);
	close(p->from[1]);
}

static void pingpong_chunk(struct pingpong *p, uint64_t *half, size_t n)
{
	char c = 'x';
	uint64_t t0;

	for (size_t i = 0; i < n; i++) {
		t0 = bn_now();
		if (write(p->to[1], &c, 1) != 1 || read(p->from[0], &c, 1) != 1)
			bn_die("pipe ping-pong: %s", strerror(errno));
		half[i] = (bn_now() - t0) / 2;
	}
}

static void pingpong_stop(struct pingpong *p)
{
	close(p->to[1]);
	close(p->from[0]);
	waitpid(p->pid, NULL, 0);
}

/*
 * Where the latency goes: the driver's own tracepoints (trace clock "mono",
 * the records' clock) give, for each sample, when the first top half and
 * the first bottom-half end after it ran.
 */
#define TRACEFS "/sys/kernel/tracing/"

struct trace_ev {
	uint64_t *t;
	size_t n, cap;
};

static void trace_ev_add(struct trace_ev *e, uint64_t t)
{
	if (e->n == e->cap) {
		e->cap = e->cap ? 2 * e->cap : 1024;
		e->t = realloc(e->t, e->cap * sizeof(*e->t));
		if (!e->t)
			bn_die("out of memory");
	}
	e->t[e->n++] = t;
}

/* first event at or after @t, or 0 */
static uint64_t trace_ev_after(const struct trace_ev *e, uint64_t t)
{
	for (size_t i = 0; i < e->n; i++)
		if (e->t[i] >= t)
			return e->t[i];
	return 0;
}

/*
 * "   <idle>-0  [001] d.h1.  123.456789: vsensor_irq_top: dev=0 ..."; the
 * model's sampling timer shows as hrtimer_expire_entry of vsn_timer_fn.
 */
static void trace_read(struct trace_ev *timer, struct trace_ev *top,
		       struct trace_ev *bottom)
{
	char line[512];
	FILE *f = fopen(TRACEFS "trace", "re");

	if (!f)
		bn_die("trace: %s", strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		char *ev = strstr(line, ": vsensor_irq_"), *p;
		bool is_timer = false;
		uint64_t sec, usec;

		if (!ev && strstr(line, "function=vsn_timer_fn")) {
			ev = strstr(line, ": hrtimer_expire_entry");
			is_timer = true;
		}
		if (line[0] == '#' || !ev)
			continue;
		*ev = '\0';
		p = strrchr(line, ' ');
		if (!p || sscanf(p, " %" SCNu64 ".%" SCNu64, &sec, &usec) != 2)
			continue;
		if (is_timer)
			trace_ev_add(timer, sec * 1000000000ull + usec * 1000);
		else if (!strncmp(ev + 2, "vsensor_irq_top", 15))
			trace_ev_add(top, sec * 1000000000ull + usec * 1000);
		else if (!strstr(ev + 2, "drained=0"))
			trace_ev_add(bottom, sec * 1000000000ull + usec * 1000);
	}
	fclose(f);
}

static void b4_breakdown(const char *id, uint32_t rate)
{
	static uint64_t ts[TRACE_N], ret[TRACE_N], to_timer[TRACE_N],
			to_top[TRACE_N], to_bottom[TRACE_N], to_read[TRACE_N];
	struct trace_ev timer = { 0 }, top = { 0 }, bottom = { 0 };
	size_t nt = 0;
	struct vsensor_record rec;
	size_t n = 0;
	int fd;

	/*
	 * Events on and off with no session running: enabling patches the
	 * handlers' static keys, and live patching under a busy thread can
	 * livelock a TCG vCPU (see b-hw.c).
	 */
	bn_put(TRACEFS "tracing_on", "0");
	bn_put(TRACEFS "trace_clock", "mono");
	bn_put(TRACEFS "trace", "\n");
	bn_put(TRACEFS "events/vsensor/vsensor_irq_top/enable", "1");
	bn_put(TRACEFS "events/vsensor/vsensor_irq_bottom/enable", "1");
	bn_put(TRACEFS "events/timer/hrtimer_expire_entry/enable", "1");
	fd = bn_session(O_RDONLY, rate, 1, 1024, 0);
	bn_put(TRACEFS "tracing_on", "1");
	for (size_t i = 0; i < TRACE_N; i++) {
		if (read(fd, &rec, sizeof(rec)) != sizeof(rec))
			bn_die("read: %s", strerror(errno));
		ret[i] = bn_now();
		ts[i] = rec.timestamp_ns;
	}
	bn_put(TRACEFS "tracing_on", "0");
	close(fd);
	bn_put(TRACEFS "events/vsensor/vsensor_irq_top/enable", "0");
	bn_put(TRACEFS "events/vsensor/vsensor_irq_bottom/enable", "0");
	bn_put(TRACEFS "events/timer/hrtimer_expire_entry/enable", "0");
	trace_read(&timer, &top, &bottom);
	bn_put(TRACEFS "trace_clock", "local");
	for (size_t i = 10; i < TRACE_N; i++) {
		uint64_t t = trace_ev_after(&top, ts[i]);
		uint64_t b = t ? trace_ev_after(&bottom, t) : 0;
		uint64_t h = trace_ev_after(&timer, ts[i]);

		if (!t || !b || b > ret[i])
			continue;
		if (h && h <= t)
			to_timer[nt++] = h - ts[i];
		to_top[n] = t - ts[i];
		to_bottom[n] = b - ts[i];
		to_read[n++] = ret[i] - ts[i];
	}
	if (nt)
		bn_note("%s: breakdown at %u Hz (p50 over %zu traced samples, from the sample timestamp): the model's sampling timer fired +%.1f us (%zu traced), top half ran +%.1f us, bottom half delivered +%.1f us, read returned +%.1f us",
			id, rate, n, bn_pct(to_timer, nt, 50) / 1e3, nt,
			bn_pct(to_top, n, 50) / 1e3, bn_pct(to_bottom, n, 50) / 1e3,
			bn_pct(to_read, n, 50) / 1e3);
	else	/* the PCI device samples on a QEMU timer, outside the guest */
		bn_note("%s: breakdown at %u Hz (p50 over %zu traced samples, from the sample timestamp): no sampler timer in the guest to trace, top half ran +%.1f us, bottom half delivered +%.1f us, read returned +%.1f us",
			id, rate, n, bn_pct(to_top, n, 50) / 1e3,
			bn_pct(to_bottom, n, 50) / 1e3, bn_pct(to_read, n, 50) / 1e3);
	free(timer.t);
	free(top.t);
	free(bottom.t);
}

/*
 * The kernel's own timer-driven wake-up, the floor under any sample that
 * a timer produces: a thread sleeps with clock_nanosleep() to absolute
 * times on the session's grid (timer slack 1 ns) and wakes; latency =
 * return - due time. The model's sampler is an hrtimer on the same grid.
 */
static void timer_chunk(uint64_t *lat, size_t n, uint32_t rate)
{
	uint64_t period = 1000000000ull / rate;
	uint64_t due = (bn_now() / period + 1) * period;
	struct timespec ts;

	if (prctl(PR_SET_TIMERSLACK, 1UL))
		bn_die("PR_SET_TIMERSLACK: %s", strerror(errno));
	for (size_t i = 0; i < n; i++, due += period) {
		ts.tv_sec = (time_t)(due / 1000000000ull);
		ts.tv_nsec = (long)(due % 1000000000ull);
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL))
			;
		lat[i] = bn_now() - due;
	}
	if (prctl(PR_SET_TIMERSLACK, 0UL))	/* back to the default */
		bn_die("PR_SET_TIMERSLACK: %s", strerror(errno));
}

/* A B4 row of two latencies in ns, printed in us. */
static void lat_row(const char *what, uint64_t ours, uint64_t base,
		    enum bn_goal goal, double target)
{
	bn_row("B4", what, bn_fmt("%.1f us", ours / 1e3),
	       bn_fmt("%.1f us", base / 1e3), (double)ours / (double)base,
	       goal, target);
}

/*
 * The reader stays on the CPU it opened the session on: the session's
 * queue is steered to that CPU's vector and the sampler's timer runs
 * there, so the wake-up is local, as for a latency-minded reader kept on
 * its device's interrupt CPU. The pipe's partner process is not pinned.
 */
int bench_b4(void)
{
	static uint64_t ours[BN_LAT_N], pipe_half[BN_LAT_N], thread[BN_LAT_N];
	int fd;
	static uint64_t fast[BN_LAT_N], timer[BN_LAT_N];
	struct pingpong pp;
	uint64_t recs = 0, o50, o99, p50, p99, f50, t50, h50, h99;
	int ffd;

	bn_pin(0);
	fd = bn_session(O_RDONLY, BN_LAT_RATE, 1, 1024, 0);
	pingpong_start(&pp);
	for (int r = 0; r < BN_LAT_ROUNDS; r++) {
		lat_chunk(fd, ours + r * BN_LAT_CHUNK, BN_LAT_CHUNK, &recs);
		pingpong_chunk(&pp, pipe_half + r * BN_LAT_CHUNK, BN_LAT_CHUNK);
		timer_chunk(timer + r * BN_LAT_CHUNK, BN_LAT_CHUNK, BN_LAT_RATE);
		/* the driver without its top-half fast path: the thread delivers */
		bn_put(bn_dbg("irq_fast"), "N");
		lat_chunk(fd, thread + r * BN_LAT_CHUNK, BN_LAT_CHUNK, &recs);
		bn_put(bn_dbg("irq_fast"), "Y");
	}
	pingpong_stop(&pp);
	close(fd);
	ffd = bn_session(O_RDONLY, LAT_RATE_FAST, 1, 1024, 0);
	lat_chunk(ffd, fast, BN_LAT_N, &recs);
	close(ffd);
	f50 = bn_pct(fast, BN_LAT_N, 50);
	o50 = bn_pct(ours, BN_LAT_N, 50);
	o99 = bn_pct(ours, BN_LAT_N, 99);
	p50 = bn_pct(pipe_half, BN_LAT_N, 50);
	p99 = bn_pct(pipe_half, BN_LAT_N, 99);
	t50 = bn_pct(thread, BN_LAT_N, 50);
	h50 = bn_pct(timer, BN_LAT_N, 50);
	h99 = bn_pct(timer, BN_LAT_N, 99);
	lat_row("wake-up latency p50 vs half pipe round trip", o50, p50,
		BN_AT_MOST, 1.0);
	lat_row("wake-up latency p99 vs half pipe round trip", o99, p99,
		BN_AT_MOST, 2.0);
	lat_row("wake-up latency p50, top-half fast path vs thread only (irq_fast N)",
		o50, t50, BN_REPORT, 0);
	lat_row(bn_fmt("wake-up latency p50 at %d Hz (after a rate change) vs pipe",
		       LAT_RATE_FAST), f50, p50, BN_REPORT, 0);
	lat_row("wake-up latency p50 vs a timer wake-up (clock_nanosleep)",
		o50, h50, BN_REPORT, 0);
	lat_row("wake-up latency p99 vs a timer wake-up (clock_nanosleep)",
		o99, h99, BN_REPORT, 0);
	bn_note("B4: %d samples each, %d Hz, watermark 1, interleaved in %d rounds, reader on CPU 0 where it opened (its queue's vector and the sampler's timer are there); the timer wake-up sleeps to the same %d Hz grid (the floor for any timer-made sample)",
		BN_LAT_N, BN_LAT_RATE, BN_LAT_ROUNDS, BN_LAT_RATE);
	b4_breakdown("B4", BN_LAT_RATE);
	b4_breakdown("B4", LAT_RATE_FAST);
	bn_pin(-1);
	return 0;
}

/*
 * P4: B4's wake-up latency on the device under test (the PCI device)
 * against the model, one session at a time in alternating chunks, and on
 * the device under test with the top-half fast path off. The PCI device's
 * timestamps are its (QEMU's) clock moved to CLOCK_MONOTONIC by an offset
 * taken at stream start, early by at most debugfs clock_window_ns: its
 * latencies may read high by that much.
 */
static void p4_chunk(const struct bn_dev *d, uint64_t *lat, uint64_t *recs,
		     bool thread_only)
{
	int fd;

	bn_dev_use(d);
	fd = bn_session(O_RDONLY, BN_LAT_RATE, 1, 1024, 0);
	if (thread_only)
		bn_put(bn_dbg("irq_fast"), "N");
	lat_chunk(fd, lat, BN_LAT_CHUNK, recs);
	if (thread_only)
		bn_put(bn_dbg("irq_fast"), "Y");
	close(fd);
}

int bench_p4(void)
{
	static uint64_t dut[BN_LAT_N], model[BN_LAT_N], thread[BN_LAT_N];
	uint64_t recs = 0, d50, m50, t50, window;

	if (!bn_dut_is_other()) {
		bn_note("P4: skipped: the device under test is the model (set VSENSOR_BENCH_DEV)");
		return 1;
	}
	bn_pin(0);
	for (int r = 0; r < BN_LAT_ROUNDS; r++) {
		p4_chunk(&bn_dut, dut + r * BN_LAT_CHUNK, &recs, false);
		p4_chunk(&bn_model, model + r * BN_LAT_CHUNK, &recs, false);
		p4_chunk(&bn_dut, thread + r * BN_LAT_CHUNK, &recs, true);
	}
	bn_dev_use(&bn_dut);
	window = (uint64_t)bn_get(bn_dbg("clock_window_ns"));
	d50 = bn_pct(dut, BN_LAT_N, 50);
	m50 = bn_pct(model, BN_LAT_N, 50);
	t50 = bn_pct(thread, BN_LAT_N, 50);
	bn_row("P4", "wake-up latency p50, PCI vs model", bn_fmt("%.1f us", d50 / 1e3),
	       bn_fmt("%.1f us", m50 / 1e3), (double)d50 / m50, BN_REPORT, 0);
	bn_row("P4", "wake-up latency p99, PCI vs model",
	       bn_fmt("%.1f us", bn_pct(dut, BN_LAT_N, 99) / 1e3),
	       bn_fmt("%.1f us", bn_pct(model, BN_LAT_N, 99) / 1e3),
	       (double)bn_pct(dut, BN_LAT_N, 99) / bn_pct(model, BN_LAT_N, 99),
	       BN_REPORT, 0);
	bn_row("P4", "PCI: wake-up latency p50, top-half fast path vs thread only (irq_fast N)",
	       bn_fmt("%.1f us", d50 / 1e3), bn_fmt("%.1f us", t50 / 1e3),
	       (double)d50 / t50, BN_REPORT, 0);
	bn_note("P4: %s against %s, %d samples each at %d Hz, watermark 1, a session per chunk, %d rounds, reader on CPU 0; the PCI timestamps' clock offset was taken in a window of %.1f us (they may be early by that much)",
		bn_dut.node, bn_model.node, BN_LAT_N, BN_LAT_RATE, BN_LAT_ROUNDS,
		window / 1e3);
	b4_breakdown("P4", BN_LAT_RATE);
	bn_pin(-1);
	return 0;
}

/*
 * One chunk of a mode: the session is opened on CPU 0 (where the first
 * session starts the sensor core's timer and to whose queue it is
 * steered) and read from @read_cpu.
 */
void bn_lat_session_chunk(struct bn_lat_mode *m, int round, uint32_t flags,
			  int read_cpu)
{
	uint64_t self, all, t0;
	int fd;

	bn_pin(0);
	fd = bn_session(O_RDONLY, BN_LAT_RATE, 1, 1024, flags);
	bn_pin(read_cpu);
	self = bn_cpu_self();
	all = bn_cpu_all();
	t0 = bn_now();
	lat_chunk(fd, m->lat + round * BN_LAT_CHUNK, BN_LAT_CHUNK, &m->recs);
	m->wall += bn_now() - t0;
	m->cpu_self += bn_cpu_self() - self;
	m->cpu_all += bn_cpu_all() - all;
	close(fd);
}

void bn_lat_rows(const char *id, const char *what,
		 struct bn_lat_mode *ours, struct bn_lat_mode *base)
{
	uint64_t o50 = bn_pct(ours->lat, BN_LAT_N, 50), b50 = bn_pct(base->lat, BN_LAT_N, 50);
	uint64_t o99 = bn_pct(ours->lat, BN_LAT_N, 99), b99 = bn_pct(base->lat, BN_LAT_N, 99);

	bn_row(id, bn_fmt("%s latency p50", what), bn_fmt("%.1f us", o50 / 1e3),
	       bn_fmt("%.1f us", b50 / 1e3), (double)o50 / (double)b50,
	       BN_REPORT, 0);
	bn_row(id, bn_fmt("%s latency p99", what), bn_fmt("%.1f us", o99 / 1e3),
	       bn_fmt("%.1f us", b99 / 1e3), (double)o99 / (double)b99,
	       BN_REPORT, 0);
}

void bn_lat_cpu_rows(const char *id, const char *what,
		     const struct bn_lat_mode *ours,
		     const struct bn_lat_mode *base)
{
	double o_self = (double)ours->cpu_self / ours->recs;
	double b_self = (double)base->cpu_self / base->recs;
	double o_all = (double)ours->cpu_all / ours->recs;
	double b_all = (double)base->cpu_all / base->recs;

	bn_row(id, bn_fmt("%s: reader CPU per record", what),
	       bn_fmt("%.1f us", o_self / 1e3), bn_fmt("%.1f us", b_self / 1e3),
	       o_self / b_self, BN_REPORT, 0);
	bn_row(id, bn_fmt("%s: system CPU per record", what),
	       bn_fmt("%.1f us", o_all / 1e3), bn_fmt("%.1f us", b_all / 1e3),
	       o_all / b_all, BN_REPORT, 0);
}

int bench_b5(void)
{
	static struct bn_lat_mode irq, poll, split;
	double i50, i99, p50, p99, s50;
	int ncpu = (int)sysconf(_SC_NPROCESSORS_ONLN);

	/* one session at a time: a poller masks the queue's interrupt */
	for (int r = 0; r < BN_LAT_ROUNDS; r++) {
		bn_lat_session_chunk(&irq, r, 0, 0);
		bn_lat_session_chunk(&poll, r, VSENSOR_CONFIG_F_BUSY_POLL, 0);
		if (ncpu > 1)
			bn_lat_session_chunk(&split, r, VSENSOR_CONFIG_F_BUSY_POLL, 1);
	}
	i50 = (double)bn_pct(irq.lat, BN_LAT_N, 50);
	i99 = (double)bn_pct(irq.lat, BN_LAT_N, 99);
	p50 = (double)bn_pct(poll.lat, BN_LAT_N, 50);
	p99 = (double)bn_pct(poll.lat, BN_LAT_N, 99);
	bn_row("B5", "busy-poll vs interrupt latency p50",
	       bn_fmt("%.1f us", p50 / 1e3), bn_fmt("%.1f us", i50 / 1e3),
	       p50 / i50, BN_AT_MOST, 0.5);
	bn_row("B5", "busy-poll vs interrupt latency p99",
	       bn_fmt("%.1f us", p99 / 1e3), bn_fmt("%.1f us", i99 / 1e3),
	       p99 / i99, BN_REPORT, 0);
	bn_lat_cpu_rows("B5", "busy-poll vs interrupt", &poll, &irq);
	if (ncpu > 1) {
		s50 = (double)bn_pct(split.lat, BN_LAT_N, 50);
		bn_row("B5", "busy-poll from the other CPU vs interrupt, p50",
		       bn_fmt("%.1f us", s50 / 1e3), bn_fmt("%.1f us", i50 / 1e3),
		       s50 / i50, BN_REPORT, 0);
		bn_note("B5: busy-poll from the other CPU: p99 %.1f us, delivered %.0f records/s",
			bn_pct(split.lat, BN_LAT_N, 99) / 1e3,
			split.recs * 1e9 / (double)split.wall);
	}
	bn_note("B5: delivered records/s while measuring: interrupt %.0f, busy-poll %.0f (sensor rate %d)",
		irq.recs * 1e9 / (double)irq.wall, poll.recs * 1e9 / (double)poll.wall,
		BN_LAT_RATE);
	bn_note("B5: %d samples per mode at %d Hz, watermark 1, interleaved; opened on CPU 0, read on CPU 0 unless said; reader CPU from getrusage, system CPU from /proc/stat (both CPUs, 10 ms ticks)",
		BN_LAT_N, BN_LAT_RATE);
	return 0;
}
