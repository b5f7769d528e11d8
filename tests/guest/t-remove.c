// SPDX-License-Identifier: GPL-2.0
/*
 * Guest tests of surprise removal: a reader blocked in read() and one in
 * poll() are both woken by del_device with exact results, fasync owners get
 * SIGIO with POLL_HUP, every file operation then fails with ENODEV, queued
 * records are drained first, and del_device returns promptly while the
 * files stay open.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

#define DEV_ID		20
#define DEV_ID_STR	"20"
#define MS		1000000ull

struct blocked {
	pthread_t thread;
	int fd;
	volatile int done;
	ssize_t ret;
	int err;
	short revents;
	uint64_t t_end;
};

static volatile sig_atomic_t sig_code, sig_fd, sig_count;

static void on_sig(int sig, siginfo_t *si, void *ctx)
{
	(void)sig;
	(void)ctx;
	sig_code = si->si_code;
	sig_fd = si->si_fd;
	sig_count++;
}

static void *reader(void *arg)
{
	struct blocked *b = arg;
	struct vsensor_record recs[64];

	b->ret = read(b->fd, recs, sizeof(recs));
	b->err = errno;
	b->t_end = vt_now_ns(CLOCK_MONOTONIC);
	b->done = 1;
	return NULL;
}

static void *poller(void *arg)
{
	struct blocked *b = arg;
	struct pollfd pfd = { .fd = b->fd, .events = POLLIN };

	b->ret = poll(&pfd, 1, -1);
	b->err = errno;
	b->revents = pfd.revents;
	b->t_end = vt_now_ns(CLOCK_MONOTONIC);
	b->done = 1;
	return NULL;
}

/* A quiet session: 1 Hz, a watermark nothing reaches during the test. */
static int open_quiet(void)
{
	int fd = vt_open_bus_dev(DEV_ID, O_RDWR);

	ck_assert_msg(fd >= 0, "open vsensor%d: %s", DEV_ID, strerror(errno));
	vt_set_rate(fd, 1, 1000);
	return fd;
}

static void join_within(struct blocked *b, int ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	ck_assert_msg(pthread_timedjoin_np(b->thread, NULL, &ts) == 0,
		      "a blocked thread was not woken within %d ms", ms);
}

static void setup(void)
{
	vt_bus_write("del_device", DEV_ID_STR);
	ck_assert_int_eq(vt_bus_write("new_device", DEV_ID_STR), 0);
}

static void teardown(void)
{
	vt_bus_write("del_device", DEV_ID_STR);
}

START_TEST(test_blocked_read_and_poll_woken)
{
	struct blocked rd = { 0 }, pl = { 0 };
	struct sigaction sa = { 0 };
	struct vsensor_record rec;
	struct vsensor_info info;
	struct pollfd pfd;
	uint64_t t0, t_del;
	int fd_sig, i;

	rd.fd = open_quiet();
	pl.fd = open_quiet();
	fd_sig = open_quiet();
	sa.sa_sigaction = on_sig;
	sa.sa_flags = SA_SIGINFO;
	ck_assert_int_eq(sigaction(SIGRTMIN, &sa, NULL), 0);
	ck_assert_int_eq(fcntl(fd_sig, F_SETOWN, getpid()), 0);
	ck_assert_int_eq(fcntl(fd_sig, F_SETSIG, SIGRTMIN), 0);
	ck_assert_int_eq(fcntl(fd_sig, F_SETFL, O_ASYNC), 0);
	/* what the FIFO held at the old rate has drained: empty the rings */
	usleep(150 * 1000);
	ck_assert_int_eq(ioctl(rd.fd, VSENSOR_IOC_FLUSH), 0);
	ck_assert_int_eq(ioctl(pl.fd, VSENSOR_IOC_FLUSH), 0);
	ck_assert_int_eq(ioctl(fd_sig, VSENSOR_IOC_FLUSH), 0);

	ck_assert_int_eq(pthread_create(&rd.thread, NULL, reader, &rd), 0);
	ck_assert_int_eq(pthread_create(&pl.thread, NULL, poller, &pl), 0);
	usleep(200 * 1000);
	ck_assert_msg(!rd.done && !pl.done, "not blocked: read %d poll %d",
		      rd.done, pl.done);
	ck_assert_int_eq(sig_count, 0);

	t0 = vt_now_ns(CLOCK_MONOTONIC);
	ck_assert_int_eq(vt_bus_write("del_device", DEV_ID_STR), 0);
	t_del = vt_now_ns(CLOCK_MONOTONIC);
	/* prompt, not waiting for the files: 500 ms, times the debug kernel's slowness */
	ck_assert_msg(t_del - t0 < 500 * MS * vt_slow(),
		      "del_device took %llu ms with files open",
		      (unsigned long long)((t_del - t0) / MS));
	join_within(&rd, 1000 * (int)vt_slow());
	join_within(&pl, 1000 * (int)vt_slow());

	ck_assert_int_eq(rd.ret, -1);
	ck_assert_int_eq(rd.err, ENODEV);
	ck_assert_int_eq(pl.ret, 1);
	ck_assert_int_eq(pl.revents, POLLHUP | POLLERR);
	ck_assert_msg(rd.t_end - t0 < 1000 * MS * vt_slow() &&
		      pl.t_end - t0 < 1000 * MS * vt_slow(),
		      "woken after %llu / %llu ms",
		      (unsigned long long)((rd.t_end - t0) / MS),
		      (unsigned long long)((pl.t_end - t0) / MS));
	for (i = 0; i < 100 * (int)vt_slow() && !sig_count; i++)
		usleep(10 * 1000);
	ck_assert_int_eq(sig_count, 1);
	ck_assert_int_eq(sig_code, POLL_HUP);
	ck_assert_int_eq(sig_fd, fd_sig);

	/* from now on every operation says ENODEV */
	ck_assert_int_eq(read(rd.fd, &rec, sizeof(rec)), -1);
	ck_assert_int_eq(errno, ENODEV);
	ck_assert_int_eq(read(rd.fd, &rec, 0), -1);
	ck_assert_int_eq(errno, ENODEV);
	memset(&rec, 0, sizeof(rec));
	ck_assert_int_eq(write(rd.fd, &rec, sizeof(rec)), -1);
	ck_assert_int_eq(errno, ENODEV);
	ck_assert_int_eq(ioctl(rd.fd, VSENSOR_IOC_GET_INFO, &info), -1);
	ck_assert_int_eq(errno, ENODEV);
	ck_assert_int_eq(ioctl(rd.fd, VSENSOR_IOC_FLUSH), -1);
	ck_assert_int_eq(errno, ENODEV);
	pfd = (struct pollfd){ .fd = pl.fd, .events = POLLIN | POLLOUT };
	ck_assert_int_eq(poll(&pfd, 1, 0), 1);
	ck_assert_int_eq(pfd.revents, POLLHUP | POLLERR);
	close(rd.fd);
	close(pl.fd);
	close(fd_sig);
	ck_assert_int_eq(vt_open_bus_dev(DEV_ID, O_RDONLY), -1);
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

/* Records queued before the removal are still read, then ENODEV. */
START_TEST(test_drain_then_enodev)
{
	struct vsensor_record recs[256];
	int fd = vt_open_bus_dev(DEV_ID, O_RDONLY);
	ssize_t r;
	size_t got = 0;
	uint64_t i;

	ck_assert_int_ge(fd, 0);
	vt_set_rate(fd, 1000, 0);
	usleep(100 * 1000);
	ck_assert_int_eq(vt_bus_write("del_device", DEV_ID_STR), 0);
	while ((r = read(fd, recs, sizeof(recs))) > 0) {
		for (i = 0; i < (size_t)r / sizeof(recs[0]); i++)
			ck_assert_uint_eq(recs[i].seq, got + i);
		got += r / sizeof(recs[0]);
	}
	ck_assert_int_eq(r, -1);
	ck_assert_int_eq(errno, ENODEV);
	ck_assert_msg(got >= 10, "only %zu records drained", got);
	close(fd);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("remove");
	TCase *tc = tcase_create("surprise-removal");

	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_blocked_read_and_poll_woken);
	tcase_add_test(tc, test_drain_then_enodev);
	suite_add_tcase(s, tc);
	return vt_run(s);
}
