// SPDX-License-Identifier: GPL-2.0
/*
 * vsensor-fuzz: the machinery every target uses inside its worker process:
 * a reproducible random stream, the accounting of answers and anomalies,
 * bad pointers, and the ways into the device.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "fuzz.h"

#define KERNEL_ADDR	0xffffffff81000000ULL

struct fuzz_stats *stats;
uint64_t seed;
double slow = 1;
static const char *me;

/* splitmix64: small, fast, reproducible from the seed */
static uint64_t rng_state;

uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint32_t below(uint32_t n)
{
	return n ? (uint32_t)(rnd() % n) : 0;
}

bool chance(unsigned int percent)
{
	return below(100) < percent;
}

void fill_random(void *buf, size_t len)
{
	unsigned char *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (unsigned char)rnd();
}

void anomaly(const char *fmt, ...)
{
	va_list ap;

	stats->anomalies++;
	fprintf(stderr, "vsensor-fuzz: %s anomaly (seed %" PRIu64 ", iteration %"
		PRIu64 "): ", me, seed, stats->iterations);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void count(long ret)
{
	int e = ret < 0 ? errno : 0;

	if (e >= 0 && e < (int)ARRAY_SIZE(stats->errnos))
		stats->errnos[e]++;
}

static unsigned char *buf_ok;		/* 4 pages read-write */
static unsigned char *buf_ro;		/* 1 page read-only */
static unsigned char *buf_gone;		/* 1 page, unmapped */
/* page 5 is read-write: P_EDGE pointers start there and run into buf_gone */

void *pick_ptr(enum ptr_kind kind, size_t len)
{
	switch (kind) {
	case P_NULL:
		return NULL;
	case P_UNMAPPED:
		return buf_gone + below(PAGE);
	case P_KERNEL:
		return (void *)(uintptr_t)(KERNEL_ADDR + below(1 << 20));
	case P_RO:
		return buf_ro;
	case P_EDGE:	/* starts mapped, runs into the unmapped page */
		return buf_gone - 1 - below(len > 1 && len < PAGE ?
					    (uint32_t)len - 1 : PAGE - 1);
	default:
		return buf_ok + (chance(10) ? below(8) : 0);
	}
}

enum ptr_kind pick_kind(void)
{
	return chance(60) ? P_OK : (enum ptr_kind)(1 + below(NR_PTR - 1));
}

void *map_anon(size_t len, int flags)
{
	/* cppcheck-suppress invalidFunctionArg ; anonymous maps take fd -1 */
	return mmap(NULL, len, PROT_READ | PROT_WRITE, flags | MAP_ANONYMOUS, -1, 0);
}

static void setup_buffers(void)
{
	unsigned char *m = map_anon(7 * PAGE, MAP_PRIVATE);

	if (m == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	buf_ok = m;
	buf_ro = m + 4 * PAGE;
	buf_gone = m + 6 * PAGE;
	munmap(buf_gone, PAGE);
	mprotect(buf_ro, PAGE, PROT_READ);
}

int open_device(int flags)
{
	char path[64];
	unsigned int id;

	if (chance(50))
		id = below(2);
	else if (chance(80))
		id = HOTPLUG_BASE + below(HOTPLUG_IDS);
	else
		id = below(VSENSOR_DEV_ID_MAX + 1);
	snprintf(path, sizeof(path), "/dev/vsensor%u", id);
	return open(path, flags | O_CLOEXEC);
}

void write_file(const char *path, const char *val, size_t len)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	long ret;

	if (fd < 0) {
		count(-1);
		return;
	}
	ret = write(fd, val, len);
	count(ret);
	close(fd);
}

void arm_alarm(unsigned int ms)
{
	struct itimerval it = { .it_value = { 0, (long)ms * 1000 } };

	setitimer(ITIMER_REAL, &it, NULL);
}

double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* SIGALRM and SIGUSR1 only interrupt: a blocked call ends with EINTR. */
static void on_signal(int sig)
{
	(void)sig;
}

void fuzz_worker_start(const char *name, struct fuzz_stats *slot, uint64_t stream)
{
	struct sigaction sa = { .sa_handler = on_signal };

	me = name;
	stats = slot;
	rng_state = stream;
	sigaction(SIGALRM, &sa, NULL);	/* no SA_RESTART: EINTR */
	sigaction(SIGUSR1, &sa, NULL);	/* likewise, to end blocked threads */
	signal(SIGIO, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	setup_buffers();
}
