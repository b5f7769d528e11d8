// SPDX-License-Identifier: GPL-2.0
/*
 * Delivery against evdev fed by uinput at the same offered rate and batch
 * size: records per second at watermarks 1..500 (B3), and per reader with
 * 1..64 readers (B7).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
	atomic_bool stop;
	uint64_t sent;
};

static void *feeder_run(void *arg)
{
	struct feeder *f = arg;
	uint64_t t0 = bn_now(), due;
	struct timespec ts;

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

static void reader_evdev(struct reader *r, void *buf)
{
	struct input_event *ev = buf;
	ssize_t n = read(r->fd, buf, (r->batch + 1) * sizeof(*ev));

	if (n < 0)
		bn_die("evdev read: %s", strerror(errno));
	for (size_t i = 0; i < n / sizeof(*ev); i++) {
		if (ev[i].type == EV_MSC)
			r->recs++;
		else if (ev[i].type == EV_SYN && ev[i].code == SYN_DROPPED)
			r->syn_dropped++;
	}
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
	long long hw0 = evdev ? 0 : bn_get(BN_SYSFS "statistics/overruns");
	struct bn_stall stall;
	struct reader *r = calloc(n, sizeof(*r));
	struct feeder f = { .batch = batch, .rate = rate };
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
		*hw_lost = (uint64_t)(bn_get(BN_SYSFS "statistics/overruns") - hw0);
	free(r);
	return (double)total / secs / n;
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
		long long fwm = bn_get(BN_SYSFS "fifo_watermark");
		double diag;

		bn_put(BN_SYSFS "fifo_watermark", "64");
		diag = run_readers(false, 1, 500, B3_RATE, 65536, B3_MS, &lo, &hw);
		bn_put(BN_SYSFS "fifo_watermark", "%lld", fwm);
		bn_row("B3", "diagnostic: watermark 500 with fifo_watermark 64 vs default",
		       bn_fmt("%.0f/s", diag), bn_fmt("%.0f/s", ours[3]),
		       diag / ours[3], BN_REPORT, 0);
		bn_note("B3: with fifo_watermark 64: lost %llu (%llu in the hardware FIFO; longest stall %.1f ms)",
			(unsigned long long)lo, (unsigned long long)hw,
			last_stall_ns / 1e6);
	}
	bn_row("B3", "records/s at watermark 500 vs 1",
	       bn_fmt("%.0f/s", ours[3]), bn_fmt("%.0f/s", ours[0]),
	       ours[3] / ours[0], BN_AT_LEAST, 5.0);
	bn_note("B3: offered %u records/s to both (vsensor rate, uinput feeder paced in packets of W); poll + read of W records per wake-up, %d ms each",
		B3_RATE, B3_MS);
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
