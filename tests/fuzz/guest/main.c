// SPDX-License-Identifier: GPL-2.0
/*
 * vsensor-fuzz: throws random and structure-aware input at every entry
 * point of the vsensor module for a bounded time, from one printed seed.
 * The targets, one file each (target-NAME.c):
 *
 *   ioctl    every ioctl of /dev/vsensorN, with bad pointers
 *   io       read/write/poll of sessions
 *   sysfs    every writable file of the devices and the driver
 *   bus      new_device/del_device
 *   netlink  every command of family "vsensor"; events listened to
 *   hotplug  devices added and removed, sessions reading, all the while
 *   revoke   a read, write or poll blocked in one thread, its session
 *            revoked from another
 *   threads  ioctls and O_NONBLOCK reads beside readers blocked on the
 *            same file
 *   busypoll busy-polling readers beside headroom pulls, with the queue
 *            vectors moving between CPUs; every record checked
 *
 * One worker process per target runs in parallel, each with its own
 * stream of the seed. Results the ABI documents are checked (errno sets
 * of the ioctls, bad pointers give EFAULT): an undocumented answer is an
 * anomaly, printed with the seed and iteration, and fails the run. The
 * kernel's own reports are the guest lab's business.
 *
 * Usage: vsensor-fuzz [-t SECONDS] [-s SEED] [-v]
 * Environment: VSENSOR_FUZZ_TIME, VSENSOR_FUZZ_SEED (options win).
 * Exit status: 0 clean, 1 anomalies or a worker died, 2 usage.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fuzz.h"

/* The order sets each worker's random stream: append new targets. */
static const struct fuzz_target *const targets[] = {
	&target_ioctl, &target_io, &target_sysfs, &target_bus, &target_netlink,
	&target_hotplug, &target_revoke, &target_threads, &target_busypoll,
};

#define NR_TARGETS	ARRAY_SIZE(targets)

static bool verbose;

static void run_worker(unsigned int t, struct fuzz_stats *slot, double end)
{
	const struct fuzz_target *target = targets[t];

	fuzz_worker_start(target->name, slot, seed ^ (0x1000193ULL * (t + 1)));
	if (target->init)
		target->init();
	while (now() < end)
		target->round();
	_exit(0);
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: vsensor-fuzz [-t SECONDS] [-s SEED] [-v]\n"
		"Environment: VSENSOR_FUZZ_TIME, VSENSOR_FUZZ_SEED\n");
}

static void report(const struct fuzz_stats *all, double secs, int died)
{
	uint64_t total = 0, bad = 0;
	unsigned int t;
	int e;

	printf("vsensor-fuzz: seed %" PRIu64 ", %.1f s\n", seed, secs);
	for (t = 0; t < NR_TARGETS; t++) {
		const struct fuzz_stats *st = &all[t];

		printf("  %-8s %10" PRIu64 " iterations %8.0f/s, %" PRIu64
		       " anomalies;", targets[t]->name, st->iterations,
		       st->iterations / secs, st->anomalies);
		for (e = 0; e < (int)ARRAY_SIZE(st->errnos); e++)
			if (st->errnos[e] && (verbose || e < 1 ||
					      st->errnos[e] * 50 > st->iterations))
				printf(" %s %" PRIu64, e ? strerrorname_np(e) : "ok",
				       st->errnos[e]);
		printf("\n");
		total += st->iterations;
		bad += st->anomalies;
	}
	printf("vsensor-fuzz: %" PRIu64 " iterations in %.1f s, %" PRIu64
	       " anomalies, %d workers died\n", total, secs, bad, died);
}

int main(int argc, char **argv)
{
	const char *env_time = getenv("VSENSOR_FUZZ_TIME");
	const char *env_seed = getenv("VSENSOR_FUZZ_SEED");
	const char *env_slow = getenv("VSENSOR_TEST_SLOW");
	double secs = env_time ? atof(env_time) : 60, start, end;
	pid_t pids[NR_TARGETS];
	struct fuzz_stats *all;
	int opt, status, died = 0;
	unsigned int t;

	if (env_slow && atof(env_slow) >= 1)
		slow = atof(env_slow);
	seed = env_seed ? strtoull(env_seed, NULL, 0) :
	       (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	while ((opt = getopt(argc, argv, "t:s:vh")) != -1) {
		switch (opt) {
		case 't':
			secs = atof(optarg);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (secs <= 0 || optind != argc) {
		usage(stderr);
		return 2;
	}
	/* one slot per worker, shared with the parent */
	all = map_anon(NR_TARGETS * sizeof(*all), MAP_SHARED);
	if (all == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	printf("vsensor-fuzz: seed %" PRIu64 " (VSENSOR_FUZZ_SEED=%" PRIu64
	       "), %.0f s\n", seed, seed, secs);
	fflush(stdout);
	start = now();
	end = start + secs;
	for (t = 0; t < NR_TARGETS; t++) {
		pids[t] = fork();
		if (pids[t] < 0) {
			perror("fork");
			return 1;
		}
		if (!pids[t])
			run_worker(t, &all[t], end);
	}
	for (t = 0; t < NR_TARGETS; t++) {
		if (waitpid(pids[t], &status, 0) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status)) {
			fprintf(stderr, "vsensor-fuzz: %s worker died (status %#x)\n",
				targets[t]->name, status);
			died++;
		}
	}
	report(all, now() - start, died);
	for (t = 0; t < NR_TARGETS; t++)
		if (all[t].anomalies)
			return 1;
	return died ? 1 : 0;
}
