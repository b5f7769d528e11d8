// SPDX-License-Identifier: GPL-2.0
/*
 * vsensor-fuzz target "busypoll": busy-polling and plain readers at
 * 10-50 kHz with headroom pulls (a late bottom half) and the queue vectors
 * moved between CPUs through /proc/irq: every record read is checked for
 * values that cannot be (sequence, drop count, time, flags).
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "fuzz.h"

#define DBG0	"/sys/kernel/debug/vsensor/vsensor0/"

static void put_file(const char *path, const char *fmt, ...)
{
	char val[64];
	va_list ap;
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	if (write(fd, val, strlen(val)) < 0)
		count(-1);
	close(fd);
}

/* The irq numbers of vsensor0's queue vectors, from /proc/interrupts. */
static unsigned int queue_virqs(unsigned int *virq, unsigned int max)
{
	char line[512];
	unsigned int n = 0;
	FILE *f = fopen("/proc/interrupts", "r");

	while (f && n < max && fgets(line, sizeof(line), f))
		if (strstr(line, "vsensor0-q"))
			virq[n++] = (unsigned int)strtoul(line, NULL, 10);
	if (f)
		fclose(f);
	return n;
}

struct poller {
	int fd;
	int stop;
	uint32_t mask;
	uint64_t records;
};

static void *checked_reader(void *p)
{
	static __thread struct vsensor_record r[256];
	struct poller *pl = p;
	uint64_t next = 0, last_ts = 0;
	bool first = true;

	while (!__atomic_load_n(&pl->stop, __ATOMIC_RELAXED)) {
		struct timespec ts;
		uint64_t tnow;
		long k = read(pl->fd, r, sizeof(r));

		clock_gettime(CLOCK_MONOTONIC, &ts);
		tnow = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
		if (k <= 0)
			break;	/* device gone, revoked: not ours to judge */
		for (long i = 0; i < k / (long)sizeof(r[0]); i++) {
			const struct vsensor_record *x = &r[i];
			uint64_t gap = (x->flags & VSENSOR_RECORD_F_DROPPED) ?
				       x->dropped : 0;
			const char *bad = NULL;

			if (x->flags & ~(VSENSOR_RECORD_F_DROPPED |
					 VSENSOR_RECORD_F_INJECTED |
					 VSENSOR_RECORD_F_CONFIG))
				bad = "unknown flags";
			else if (!first && x->seq != next + gap)
				bad = "sequence";
			else if (gap > 10000000)
				bad = "drop count";
			else if (x->timestamp_ns < last_ts || x->timestamp_ns > tnow)
				bad = "timestamp";
			else if (x->channel_mask != pl->mask || x->reserved)
				bad = "channel mask or reserved";
			if (bad) {
				anomaly("impossible record (%s): seq %llu flags %#x dropped %u ts %llu",
					bad, (unsigned long long)x->seq, x->flags,
					x->dropped,
					(unsigned long long)x->timestamp_ns);
				__atomic_store_n(&pl->stop, 1, __ATOMIC_RELAXED);
				break;
			}
			first = false;
			next = x->seq + 1;
			last_ts = x->timestamp_ns;
			pl->records++;
		}
	}
	return NULL;
}

static void busypoll_round(void)
{
	static const char * const modes[] = { "pio", "dma", "auto" };
	static const unsigned int delays[] = { 0, 500, 5000, 20000 };
	struct poller pl[3] = { 0 };
	unsigned int virq[8], nq, i, moves = 0;
	int ncpu = (int)sysconf(_SC_NPROCESSORS_ONLN);
	struct vsensor_config c = { 0 };
	pthread_t t[3];
	double end;

	put_file(DBG0 "headroom", "Y");
	put_file(DBG0 "headroom_mark", "%u", 1 + below(32));
	put_file(DBG0 "bh_delay_us", "%u", delays[below(ARRAY_SIZE(delays))]);
	put_file("/sys/bus/vsensor/devices/vsensor0/transfer_mode", "%s",
		 modes[below(ARRAY_SIZE(modes))]);
	nq = queue_virqs(virq, ARRAY_SIZE(virq));
	for (i = 0; i < ARRAY_SIZE(pl); i++) {
		pl[i].fd = open("/dev/vsensor0", O_RDONLY | O_CLOEXEC);
		c.rate_hz = 10000 + below(40000);
		c.channel_mask = pl[i].mask = 1 + below(15);
		c.ring_size = 4096;
		c.watermark = 1 + below(128);
		c.clock_id = 1;
		c.flags = i ? VSENSOR_CONFIG_F_BUSY_POLL : 0;
		if (pl[i].fd < 0 || ioctl(pl[i].fd, VSENSOR_IOC_SET_CONFIG, &c))
			pl[i].stop = 1;
		pthread_create(&t[i], NULL, checked_reader, &pl[i]);
	}
	end = now() + 0.5 + below(1000) / 1000.0;
	while (now() < end && ncpu > 1) {
		char path[64];

		for (i = 0; i < nq; i++) {
			snprintf(path, sizeof(path),
				 "/proc/irq/%u/smp_affinity_list", virq[i]);
			put_file(path, "%u", (moves + i) % (unsigned int)ncpu);
		}
		moves++;
		usleep(500 + below(3000));
	}
	for (i = 0; i < ARRAY_SIZE(pl); i++) {
		__atomic_store_n(&pl[i].stop, 1, __ATOMIC_RELAXED);
		/* a reader asleep at a low rate: wake it */
		while (pthread_tryjoin_np(t[i], NULL)) {
			pthread_kill(t[i], SIGUSR1);
			usleep(1000);
		}
		if (pl[i].fd >= 0)
			close(pl[i].fd);
		count(pl[i].records ? 0 : -1);
	}
	put_file(DBG0 "bh_delay_us", "0");
	stats->iterations++;
}

const struct fuzz_target target_busypoll = {
	.name = "busypoll",
	.round = busypoll_round,
};
