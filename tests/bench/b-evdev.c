// SPDX-License-Identifier: GPL-2.0
/*
 * Delivery against evdev fed by uinput at the same offered rate and batch
 * size: records per second at watermarks 1..500 (B3), and per reader with
 * 1..64 readers (B7); B3's vsensor side on the device under test against
 * the in-kernel model (P3).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <linux/input.h>

#include "bench.h"

#define B3_RATE		BN_RATE_MAX
#define B3_MS		2000

/* longest stall of a 1 ms sleeper during the last run_readers() */
static uint64_t last_stall_ns;

/* A uinput writer: packets of @batch events at @rate events per second. */
struct feeder {
	const struct bn_uinput *u;
	unsigned int batch, rate;
	int cpu;		/* pinned there if >= 0 */
	atomic_bool stop;
	uint64_t sent;
};

static void *feeder_run(void *arg)
{
	struct feeder *f = arg;
	uint64_t t0 = bn_now(), due;
	struct timespec ts;

	if (f->cpu >= 0)
		bn_pin(f->cpu);

	while (!atomic_load(&f->stop)) {
		due = (bn_now() - t0) * f->rate / 1000000000ull;
		if (f->sent + f->batch <= due) {
			bn_uinput_packet(f->u, f->batch, (int)f->sent);
			f->sent += f->batch;
			continue;
		}
		due = t0 + (f->sent + f->batch) * 1000000000ull / f->rate;
		ts.tv_sec = (time_t)(due / 1000000000ull);
		ts.tv_nsec = (long)(due % 1000000000ull);
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
	}
	return NULL;
}

/* A reader: poll, then read one batch (+ SYN_REPORT for evdev). */
struct reader {
	int fd;
	bool evdev;
	unsigned int batch;
	atomic_bool *stop;
	uint64_t recs, syn_dropped;
	pthread_t thread;
};

/* Count the records (EV_MSC) and SYN_DROPPED markers among @n events. */
static void evdev_tally(const struct input_event *ev, size_t n,
			uint64_t *recs, uint64_t *syn_dropped)
{
	for (size_t i = 0; i < n; i++) {
		if (ev[i].type == EV_MSC)
			(*recs)++;
		else if (ev[i].type == EV_SYN && ev[i].code == SYN_DROPPED)
			(*syn_dropped)++;
	}
}

static void reader_evdev(struct reader *r, void *buf)
{
	struct input_event *ev = buf;
	ssize_t n = read(r->fd, buf, (r->batch + 1) * sizeof(*ev));

	if (n < 0)
		bn_die("evdev read: %s", strerror(errno));
	evdev_tally(ev, n / sizeof(*ev), &r->recs, &r->syn_dropped);
}

static void *reader_run(void *arg)
{
	struct reader *r = arg;
	size_t len = (r->batch + 1) * sizeof(struct vsensor_record);
	void *buf = malloc(len);
	struct pollfd pfd = { .fd = r->fd, .events = POLLIN };
	ssize_t n;

	if (!buf)
		bn_die("out of memory");
	while (!atomic_load(r->stop)) {
		if (poll(&pfd, 1, 100) <= 0)
			continue;
		if (r->evdev) {
			reader_evdev(r, buf);
			continue;
		}
		n = read(r->fd, buf, r->batch * sizeof(struct vsensor_record));
		if (n < 0)
			bn_die("read: %s", strerror(errno));
		r->recs += n / sizeof(struct vsensor_record);
	}
	free(buf);
	return NULL;
}

/*
 * @n readers of one kind for @ms milliseconds; returns records per second
 * per reader and the records they lost (ring drops or SYN_DROPPED events).
 */
static double run_readers(bool evdev, unsigned int n, unsigned int batch,
			  unsigned int rate, unsigned int ring, unsigned int ms,
			  uint64_t *lost, uint64_t *hw_lost)
{
	long long hw0 = evdev ? 0 : bn_get(bn_sys("statistics/overruns"));
	struct bn_stall stall;
	struct reader *r = calloc(n, sizeof(*r));
	struct feeder f = { .batch = batch, .rate = rate, .cpu = -1 };
	struct bn_uinput u;
	atomic_bool stop = false;
	struct vsensor_stats st;
	pthread_t ft;
	uint64_t t0, total = 0;
	double secs;

	if (!r)
		bn_die("out of memory");
	if (evdev) {
		bn_uinput_create(&u, "vsensor-bench evdev", true);
		f.u = &u;
	}
	for (unsigned int i = 0; i < n; i++) {
		r[i].fd = evdev ? bn_uinput_open(&u) :
			  bn_session(O_RDONLY, rate, batch, ring, 0);
		r[i].evdev = evdev;
		r[i].batch = batch;
		r[i].stop = &stop;
	}
	bn_stall_start(&stall);
	t0 = bn_now();
	for (unsigned int i = 0; i < n; i++)
		if (pthread_create(&r[i].thread, NULL, reader_run, &r[i]))
			bn_die("pthread_create");
	if (evdev && pthread_create(&ft, NULL, feeder_run, &f))
		bn_die("pthread_create");
	bn_sleep_ms(ms);
	atomic_store(&stop, true);
	if (evdev) {
		atomic_store(&f.stop, true);
		pthread_join(ft, NULL);
	}
	secs = (double)(bn_now() - t0) / 1e9;
	last_stall_ns = bn_stall_stop(&stall);
	*lost = 0;
	for (unsigned int i = 0; i < n; i++) {
		pthread_join(r[i].thread, NULL);
		total += r[i].recs;
		if (evdev) {
			*lost += r[i].syn_dropped;
		} else {
			bn_stats(r[i].fd, &st);
			*lost += st.dropped;
		}
		close(r[i].fd);
	}
	if (evdev)
		bn_uinput_destroy(&u);
	else
		*hw_lost = (uint64_t)(bn_get(bn_sys("statistics/overruns")) - hw0);
	free(r);
	return (double)total / secs / n;
}

/*
 * Capacity: records/s a reader drains from a backlog with poll() + read(W),
 * the producer no bottleneck (at 100 kHz offered, W=1 keeps up, so the
 * real-time rows cannot show what batching buys). Each round queues the
 * same backlog for both, then times only the drain: vsensor's session
 * queues at 100 kHz with no reader (the sensor keeps sampling during the
 * drain, as hardware does); evdev's client buffer (16384 events) is filled
 * by writing the packets with no reader, and a feeder at the same 100 k
 * events/s keeps writing during the drain. The backlog is what evdev's
 * buffer holds in whole packets of W events + SYN_REPORT.
 */
#define B3_EVDEV_BUF	16384
#define B3_ROUNDS	5

/* the other CPU than the interrupts' where there is one */
static int b3_read_cpu(void)
{
	return sysconf(_SC_NPROCESSORS_ONLN) > 1;
}

static unsigned int b3_backlog_packets(unsigned int w)
{
	return (B3_EVDEV_BUF - 1) / (w + 1);
}

/*
 * One timed drain of @recs records; returns records per second. For evdev,
 * counts the SYN_DROPPED events it read into @lost.
 */
static double b3_drain(int fd, bool evdev, unsigned int w, uint64_t recs,
		       void *buf, uint64_t *lost)
{
	const struct input_event *ev = buf;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	size_t rsz = evdev ? sizeof(struct input_event) :
			     sizeof(struct vsensor_record);
	size_t len = (evdev ? w + 1 : w) * rsz;
	uint64_t got = 0, t0 = bn_now(), msc = 0;
	ssize_t n;

	while (got < recs) {
		if (poll(&pfd, 1, 1000) != 1)
			bn_die("drain: poll found nothing after %llu of %llu records",
			       (unsigned long long)got, (unsigned long long)recs);
		n = read(fd, buf, len);
		if (n != (ssize_t)len)
			bn_die("drain: read returned %zd of %zu bytes: %s", n,
			       len, n < 0 ? strerror(errno) : "short");
		got += w;
		if (evdev)
			evdev_tally(ev, w + 1, &msc, lost);
	}
	return (double)got * 1e9 / (double)(bn_now() - t0);
}

/*
 * The sensor keeps sampling at 100 kHz while the backlog drains: its
 * interrupts are steered to CPU 0 (the session is opened there) and the
 * reader drains from CPU 1, as an application kept off its device's
 * interrupt CPU would. evdev's reader drains from CPU 1 too.
 */
static double b3_capacity_ours(unsigned int w, uint64_t *lost)
{
	uint64_t recs = (uint64_t)b3_backlog_packets(w) * w;
	void *buf = malloc(w * sizeof(struct vsensor_record));
	double r[B3_ROUNDS];
	struct vsensor_stats st;
	int fd;

	if (!buf)
		bn_die("out of memory");
	bn_pin(0);
	fd = bn_session(O_RDONLY, B3_RATE, w, 65536, 0);
	bn_pin(b3_read_cpu());
	for (int i = 0; i < B3_ROUNDS; i++) {
		if (ioctl(fd, VSENSOR_IOC_FLUSH))
			bn_die("FLUSH: %s", strerror(errno));
		if (bn_wait_queued(fd, recs, 5000) < recs)
			bn_die("the session does not queue %llu records",
			       (unsigned long long)recs);
		r[i] = b3_drain(fd, false, w, recs, buf, NULL);
	}
	bn_stats(fd, &st);
	*lost = st.dropped;
	free(buf);
	close(fd);
	bn_pin(-1);
	return bn_pctd(r, B3_ROUNDS, 50);
}

/* Read whatever the feeder left in the client's buffer. */
static void b3_evdev_empty(int fd, void *buf, size_t len)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	while (poll(&pfd, 1, 0) == 1)
		if (read(fd, buf, len) < 0)
			bn_die("evdev read: %s", strerror(errno));
}

/*
 * evdev's producer keeps going during the drain too: a uinput feeder on
 * CPU 0 at the sensor's 100 k events/s, in packets of W.
 */
static double b3_capacity_evdev(unsigned int w, uint64_t *lost)
{
	unsigned int packets = b3_backlog_packets(w);
	size_t len = (w + 1) * sizeof(struct input_event);
	struct input_event *ev = malloc(len);
	double r[B3_ROUNDS];
	struct bn_uinput u;
	struct feeder f = { .batch = w, .rate = B3_RATE, .cpu = 0 };
	pthread_t ft;
	int fd;

	if (!ev)
		bn_die("out of memory");
	bn_pin(b3_read_cpu());
	bn_uinput_create(&u, "vsensor-bench evdev", true);
	fd = bn_uinput_open(&u);
	f.u = &u;
	*lost = 0;
	for (int i = 0; i < B3_ROUNDS; i++) {
		b3_evdev_empty(fd, ev, len);
		for (unsigned int p = 0; p < packets; p++)
			bn_uinput_packet(&u, w, (int)(p * w));
		f.sent = 0;
		atomic_store(&f.stop, false);
		if (pthread_create(&ft, NULL, feeder_run, &f))
			bn_die("pthread_create");
		r[i] = b3_drain(fd, true, w, (uint64_t)packets * w, ev, lost);
		atomic_store(&f.stop, true);
		pthread_join(ft, NULL);
	}
	close(fd);
	bn_uinput_destroy(&u);
	free(ev);
	bn_pin(-1);
	return bn_pctd(r, B3_ROUNDS, 50);
}

static void b3_capacity(const unsigned int *wms, int n)
{
	double ours[4], ev[4];
	uint64_t lo, le;

	for (int i = 0; i < n; i++) {
		ours[i] = b3_capacity_ours(wms[i], &lo);
		ev[i] = b3_capacity_evdev(wms[i], &le);
		bn_row("B3", bn_fmt("backlog drained at watermark %u vs evdev", wms[i]),
		       bn_fmt("%.0f/s", ours[i]), bn_fmt("%.0f/s", ev[i]),
		       ours[i] / ev[i], BN_REPORT, 0);
		bn_note("B3: backlog W=%u: %u records per round (%u packets of evdev), median of %d drains from CPU 1 (vsensor's interrupts and evdev's feeder on CPU 0, 100 k/s); vsensor lost %llu while queueing, evdev %llu SYN_DROPPED",
			wms[i], b3_backlog_packets(wms[i]) * wms[i],
			b3_backlog_packets(wms[i]), B3_ROUNDS,
			(unsigned long long)lo, (unsigned long long)le);
	}
	bn_row("B3", "backlog drained at watermark 500 vs 1",
	       bn_fmt("%.0f/s", ours[n - 1]), bn_fmt("%.0f/s", ours[0]),
	       ours[n - 1] / ours[0], BN_AT_LEAST, 5.0);
	bn_row("B3", "evdev: backlog drained in packets of 500 vs 1",
	       bn_fmt("%.0f/s", ev[n - 1]), bn_fmt("%.0f/s", ev[0]),
	       ev[n - 1] / ev[0], BN_REPORT, 0);
}

int bench_b3(void)
{
	static const unsigned int wms[] = { 1, 10, 100, 500 };
	double ours[4], ev[4];
	uint64_t lo, le, hw = 0, stall;

	for (int i = 0; i < 4; i++) {
		ours[i] = run_readers(false, 1, wms[i], B3_RATE, 65536, B3_MS, &lo, &hw);
		stall = last_stall_ns;
		ev[i] = run_readers(true, 1, wms[i], B3_RATE, 0, B3_MS, &le, NULL);
		bn_row("B3", bn_fmt("records/s at watermark %u vs evdev", wms[i]),
		       bn_fmt("%.0f/s", ours[i]), bn_fmt("%.0f/s", ev[i]),
		       ours[i] / ev[i], BN_AT_LEAST, 1.0);
		bn_note("B3: W=%u: vsensor lost %llu records (%llu of them in the hardware FIFO, which holds 2.6 ms at %u Hz; longest stall %.1f ms), evdev %llu SYN_DROPPED",
			wms[i], (unsigned long long)lo, (unsigned long long)hw,
			B3_RATE, stall / 1e6, (unsigned long long)le);
	}
	/*
	 * Diagnostic: the queue watermark at W=500 is 200 (2 ms of samples),
	 * leaving 56 records of FIFO for the interrupt-to-bottom-half delay.
	 * The same run with the sysfs bound fifo_watermark at 64.
	 */
	{
		long long fwm = bn_get(bn_sys("fifo_watermark"));
		double diag;

		bn_put(bn_sys("fifo_watermark"), "64");
		diag = run_readers(false, 1, 500, B3_RATE, 65536, B3_MS, &lo, &hw);
		bn_put(bn_sys("fifo_watermark"), "%lld", fwm);
		bn_row("B3", "diagnostic: watermark 500 with fifo_watermark 64 vs default",
		       bn_fmt("%.0f/s", diag), bn_fmt("%.0f/s", ours[3]),
		       diag / ours[3], BN_REPORT, 0);
		bn_note("B3: with fifo_watermark 64: lost %llu (%llu in the hardware FIFO; longest stall %.1f ms)",
			(unsigned long long)lo, (unsigned long long)hw,
			last_stall_ns / 1e6);
	}
	bn_row("B3", "records/s at watermark 500 vs 1, offered 100 k/s",
	       bn_fmt("%.0f/s", ours[3]), bn_fmt("%.0f/s", ours[0]),
	       ours[3] / ours[0], BN_REPORT, 0);
	bn_note("B3: offered %u records/s to both (vsensor rate, uinput feeder paced in packets of W); poll + read of W records per wake-up, %d ms each",
		B3_RATE, B3_MS);
	b3_capacity(wms, 4);
	return 0;
}

/*
 * P3: B3's real-time rows and backlog drains on the device under test
 * (the PCI device) and on the model, alternating per point.
 */
int bench_p3(void)
{
	static const unsigned int wms[] = { 1, 10, 100, 500 };
	double o, m;
	uint64_t lo, lm, ho = 0, hm = 0, so, sm;

	if (!bn_dut_is_other()) {
		bn_note("P3: skipped: the device under test is the model (set VSENSOR_BENCH_DEV)");
		return 1;
	}
	for (int i = 0; i < 4; i++) {
		bn_dev_use(&bn_dut);
		o = run_readers(false, 1, wms[i], B3_RATE, 65536, B3_MS, &lo, &ho);
		so = last_stall_ns;
		bn_dev_use(&bn_model);
		m = run_readers(false, 1, wms[i], B3_RATE, 65536, B3_MS, &lm, &hm);
		sm = last_stall_ns;
		bn_row("P3", bn_fmt("records/s at watermark %u, PCI vs model", wms[i]),
		       bn_fmt("%.0f/s", o), bn_fmt("%.0f/s", m), o / m,
		       BN_REPORT, 0);
		bn_note("P3: W=%u: lost %llu (%llu in the hardware FIFO) vs %llu (%llu); longest stall %.1f vs %.1f ms",
			wms[i], (unsigned long long)lo, (unsigned long long)ho,
			(unsigned long long)lm, (unsigned long long)hm,
			so / 1e6, sm / 1e6);
	}
	for (int i = 0; i < 4; i += 3) {
		bn_dev_use(&bn_dut);
		o = b3_capacity_ours(wms[i], &lo);
		bn_dev_use(&bn_model);
		m = b3_capacity_ours(wms[i], &lm);
		bn_row("P3", bn_fmt("backlog drained at watermark %u, PCI vs model", wms[i]),
		       bn_fmt("%.0f/s", o), bn_fmt("%.0f/s", m), o / m,
		       BN_REPORT, 0);
		bn_note("P3: backlog W=%u: lost while queueing %llu vs %llu",
			wms[i], (unsigned long long)lo, (unsigned long long)lm);
	}
	bn_dev_use(&bn_dut);
	bn_note("P3: %s against %s, offered %u records/s, %d ms per point, transfer_mode as set (auto); as B3",
		bn_dut.node, bn_model.node, B3_RATE, B3_MS);
	return 0;
}

#define B7_RATE	20000
#define B7_WM	64
#define B7_MS	2000

int bench_b7(void)
{
	static const unsigned int ns[] = { 1, 2, 4, 8, 64 };
	double ours[5], ev[5];
	uint64_t lo, le, hw = 0, stall;

	for (int i = 0; i < 5; i++) {
		ours[i] = run_readers(false, ns[i], B7_WM, B7_RATE, 8192, B7_MS, &lo, &hw);
		stall = last_stall_ns;
		ev[i] = run_readers(true, ns[i], B7_WM, B7_RATE, 0, B7_MS, &le, NULL);
		bn_row("B7", bn_fmt("per-reader rate, %u readers vs evdev", ns[i]),
		       bn_fmt("%.0f/s", ours[i]), bn_fmt("%.0f/s", ev[i]),
		       ours[i] / ev[i], BN_REPORT, 0);
		bn_note("B7: %u readers: vsensor lost %llu records (hardware FIFO: %llu samples; longest stall %.1f ms), evdev %llu SYN_DROPPED",
			ns[i], (unsigned long long)lo, (unsigned long long)hw,
			stall / 1e6, (unsigned long long)le);
	}
	bn_row("B7", "per-reader rate, 8 readers vs 1",
	       bn_fmt("%.0f/s", ours[3]), bn_fmt("%.0f/s", ours[0]),
	       ours[3] / ours[0], BN_AT_LEAST, 0.8);
	bn_row("B7", "evdev per-client rate, 8 clients vs 1",
	       bn_fmt("%.0f/s", ev[3]), bn_fmt("%.0f/s", ev[0]),
	       ev[3] / ev[0], BN_REPORT, 0);
	bn_note("B7: %u records/s offered to every reader, watermark/packet %u, %d ms per point",
		B7_RATE, B7_WM, B7_MS);
	return 0;
}
