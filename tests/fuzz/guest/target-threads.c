// SPDX-License-Identifier: GPL-2.0
/*
 * vsensor-fuzz target "threads": SET_CONFIG, FLUSH, GET_STATS and
 * O_NONBLOCK reads from one thread beside readers blocked on the same
 * file: each returns at once (a blocked reader holds no lock they need).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "fuzz.h"

/* A read() in its own thread, asleep until its watermark or a signal. */
struct blocked_read {
	int fd;
	long ret;
	int err;
	int done;
};

static void *blocked_reader(void *p)
{
	static __thread struct vsensor_record recs[256];
	struct blocked_read *b = p;

	b->ret = read(b->fd, recs, sizeof(recs));
	b->err = errno;
	__atomic_store_n(&b->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void threads_round(void)
{
	struct blocked_read b[2] = { 0 };
	struct vsensor_config c = { 0 };
	struct vsensor_stats st;
	struct vsensor_record rec;
	pthread_t t[2];
	int fd, i, nr = 1 + (int)below(2);

	fd = open_device(O_RDONLY);
	if (fd < 0) {
		count(-1);
		return;
	}
	c.rate_hz = 1 + below(10);
	c.channel_mask = 0xf;
	c.ring_size = 1024;
	c.watermark = 256;	/* asleep for 25 s or more */
	c.clock_id = 1;
	if (ioctl(fd, VSENSOR_IOC_SET_CONFIG, &c)) {
		count(-1);
		close(fd);
		return;
	}
	for (i = 0; i < nr; i++) {
		b[i].fd = fd;
		pthread_create(&t[i], NULL, blocked_reader, &b[i]);
	}
	usleep(20000);
	for (i = 0; i < 8; i++) {
		unsigned int op = below(4);
		double t0 = now(), took;
		long ret;

		if (op == 0) {
			c.watermark = 200 + below(56);
			c.flags = chance(30) ? VSENSOR_CONFIG_F_BUSY_POLL : 0;
			ret = ioctl(fd, VSENSOR_IOC_SET_CONFIG, &c);
		} else if (op == 1) {
			ret = ioctl(fd, VSENSOR_IOC_FLUSH);
		} else if (op == 2) {
			ret = ioctl(fd, VSENSOR_IOC_GET_STATS, &st);
		} else {
			fcntl(fd, F_SETFL, O_NONBLOCK);
			ret = read(fd, &rec, sizeof(rec));
			if (ret < 0 && errno == EAGAIN)
				ret = 0;
			fcntl(fd, F_SETFL, 0);
		}
		took = now() - t0;
		count(ret);
		/*
		 * A lock held by a blocked reader would hold the op until the
		 * readers are signalled below, 25 s or more; 5 s leaves room
		 * for the other targets' traffic on the emulator (hot-removal,
		 * sysfs: an O_NONBLOCK read took 1.2 s in CI on 2026-12-07).
		 */
		if (took > 5 * slow)
			anomaly("%s took %.1f s beside %d blocked reader(s)",
				(const char *[]){ "SET_CONFIG", "FLUSH",
						  "GET_STATS", "O_NONBLOCK read" }[op],
				took, nr);
		if (ret < 0 && errno != ENODEV)
			anomaly("op %u beside blocked readers: %s", op,
				strerror(errno));
		stats->iterations++;
	}
	for (i = 0; i < nr; i++) {
		while (!__atomic_load_n(&b[i].done, __ATOMIC_ACQUIRE)) {
			pthread_kill(t[i], SIGUSR1);
			usleep(5000);
		}
		pthread_join(t[i], NULL);
		/* EAGAIN: woken while the other thread had O_NONBLOCK set */
		if (b[i].ret < 0 && b[i].err != EINTR && b[i].err != ENODEV &&
		    b[i].err != EAGAIN)
			anomaly("blocked read ended with %s", strerror(b[i].err));
	}
	close(fd);
}

const struct fuzz_target target_threads = {
	.name = "threads",
	.round = threads_round,
};
