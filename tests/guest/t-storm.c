// SPDX-License-Identifier: GPL-2.0
/*
 * Guest test: the hotplug storm. 1000 new_device/del_device cycles over 4
 * device ids while 8 processes read, poll, ioctl and write on whatever
 * exists. Each session must end with ENODEV or EOF within 1 s of its
 * device's removal (del_device returning), no process may hang, the kmalloc
 * and kernfs slab caches must come back to their baseline, and the module
 * must unload. On the debug kernel (vt_slow() > 1) the time limit grows by
 * that factor, the storm is 5 times shorter (lockdep and KASAN report a
 * race the first time it happens), and kmemleak replaces the slab counts,
 * which KASAN's quarantine blurs.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

#define CYCLES		1000
#define NR_IDS		4
#define FIRST_ID	30
#define NR_WORKERS	8
#define MAX_ENTRIES	4096
#define MAX_DELS	(CYCLES / NR_IDS + 2)
#define MS		1000000ull
#define LATENCY_MAX	(1000 * MS)	/* times vt_slow() */
/*
 * Every vsensor object (bus slot, hardware, driver state, LED name,
 * session, ring) is allocated at least 250 times in the storm, so
 * a leak of any of them grows its cache by hundreds; other kernel users
 * move a cache by a few dozen objects at most between the two snapshots.
 */
#define SLAB_TOLERANCE	150

enum role { ROLE_READ, ROLE_POLL, ROLE_IOCTL, ROLE_WRITE };

/* One session of a worker: when it was opened and how it ended. */
struct entry {
	unsigned int id;
	uint64_t t_open;	/* before open() */
	uint64_t t_end;		/* when the ending error or EOF came */
	int result;		/* 0: EOF, else the errno */
};

struct shared {
	volatile int stop;
	unsigned int nr_dels[NR_IDS];
	uint64_t del_done[NR_IDS][MAX_DELS];	/* del_device returned */
	uint64_t del_slowest;
	unsigned int nr_entries[NR_WORKERS];
	struct entry entries[NR_WORKERS][MAX_ENTRIES];
};

static struct shared *sh;

static void bus_write_id(const char *file, unsigned int id)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%u", id);
	ck_assert_int_eq(vt_bus_write(file, buf), 0);
}

/* One operation of @role; returns 0 to go on, 1 for EOF, else -errno. */
static int work_once(int fd, enum role role)
{
	struct vsensor_record recs[16];
	struct vsensor_config cfg;
	struct vsensor_stats st;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	ssize_t r = 0;

	switch (role) {
	case ROLE_READ:
		r = read(fd, recs, sizeof(recs));
		break;
	case ROLE_POLL:
		if (poll(&pfd, 1, -1) < 0)
			return -errno;
		r = read(fd, recs, sizeof(recs));
		if (r < 0 && errno == EAGAIN)
			return 0;
		break;
	case ROLE_IOCTL:
		if (ioctl(fd, VSENSOR_IOC_GET_STATS, &st) ||
		    ioctl(fd, VSENSOR_IOC_GET_CONFIG, &cfg))
			return -errno;
		cfg.rate_hz = cfg.rate_hz == 100 ? 200 : 100;
		if (ioctl(fd, VSENSOR_IOC_SET_CONFIG, &cfg))
			return -errno;
		usleep(5000);	/* leave the CPUs to the storm */
		return 0;
	case ROLE_WRITE:
		memset(recs, 0, sizeof(recs));
		r = write(fd, recs, sizeof(recs));
		break;
	}
	if (r < 0)
		return -errno;
	return r == 0 ? 1 : 0;
}

static void worker(unsigned int w)
{
	enum role role = w % 4;
	struct vsensor_config cfg;
	struct vsensor_info info;
	struct entry *e;
	int fd, res, flags = role == ROLE_POLL ? O_RDWR | O_NONBLOCK : O_RDWR;

	srand(w + 1);
	/*
	 * On two emulated CPUs the wake-up latency under test is mostly the
	 * scheduler's: ahead of the storm loop, a woken worker runs at once.
	 */
	ck_assert_int_eq(nice(-10), -10);
	while (!sh->stop && sh->nr_entries[w] < MAX_ENTRIES) {
		e = &sh->entries[w][sh->nr_entries[w]];
		e->t_open = vt_now_ns(CLOCK_MONOTONIC);
		fd = vt_open_bus_dev(FIRST_ID + rand() % NR_IDS, flags);
		if (fd < 0) {
			usleep(5000);
			continue;
		}
		if (ioctl(fd, VSENSOR_IOC_GET_INFO, &info)) {
			close(fd);	/* removed before it could be used */
			continue;
		}
		e->id = info.id;
		if (role == ROLE_READ &&
		    !ioctl(fd, VSENSOR_IOC_GET_CONFIG, &cfg)) {
			cfg.watermark = 64;	/* block in read() */
			ioctl(fd, VSENSOR_IOC_SET_CONFIG, &cfg);
		}
		while (!(res = work_once(fd, role)))
			;
		e->t_end = vt_now_ns(CLOCK_MONOTONIC);
		e->result = res == 1 ? 0 : -res;
		close(fd);
		sh->nr_entries[w]++;
	}
	_exit(0);
}

/* Active objects of the kmalloc and kernfs caches, by cache. */
struct slab {
	char name[64];
	long active;
};

static int slab_read(struct slab *s, int max)
{
	char line[512], name[64];
	long active;
	FILE *f;
	int n = 0;

	vt_sh("udevadm settle; sync; echo 3 > /proc/sys/vm/drop_caches");
	usleep(500 * 1000);
	f = fopen("/proc/slabinfo", "re");
	ck_assert_ptr_nonnull(f);
	while (n < max && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %ld", name, &active) != 2)
			continue;
		if (strncmp(name, "kmalloc-", 8) &&
		    strcmp(name, "kernfs_node_cache"))
			continue;
		strcpy(s[n].name, name);
		s[n++].active = active;
	}
	fclose(f);
	return n;
}

/* The removal of the device a session used: the first one after its open. */
static uint64_t removal_of(const struct entry *e)
{
	unsigned int i = e->id - FIRST_ID, k;

	for (k = 0; k < sh->nr_dels[i]; k++)
		if (sh->del_done[i][k] >= e->t_open)
			return sh->del_done[i][k];
	return 0;
}

static void del_id(unsigned int i)
{
	uint64_t t = vt_now_ns(CLOCK_MONOTONIC), done;

	bus_write_id("del_device", FIRST_ID + i);
	done = vt_now_ns(CLOCK_MONOTONIC);
	sh->del_done[i][sh->nr_dels[i]++] = done;
	if (done - t > sh->del_slowest)
		sh->del_slowest = done - t;
}

START_TEST(test_hotplug_storm)
{
	struct slab before[64], after[64];
	unsigned int w, i, c, nb, na, sessions = 0, by_eof = 0;
	uint64_t t0, worst = 0, lat, removed, deadline;
	pid_t pids[NR_WORKERS];
	int st, hung = 0;
	unsigned int slow = vt_slow();
	unsigned int cycles = slow > 1 ? CYCLES / 5 : CYCLES;
	bool kmemleak = slow > 1 && vt_sh(VT_LEAKCHECK " available") == 0;

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(sh, MAP_FAILED);
	memset(sh, 0, sizeof(*sh));

	/* warm up (first-use allocations), then the baseline */
	for (c = 0; c < 8; c++) {
		bus_write_id("new_device", FIRST_ID + c % NR_IDS);
		bus_write_id("del_device", FIRST_ID + c % NR_IDS);
	}
	nb = slab_read(before, 64);
	if (kmemleak)
		ck_assert_int_eq(vt_sh(VT_LEAKCHECK " begin"), 0);
	/* udev is not needed (nodes are our own) and would triple the time */
	vt_sh("systemctl stop systemd-udevd.service systemd-udevd-control.socket systemd-udevd-kernel.socket");

	for (i = 0; i < NR_IDS; i++)
		bus_write_id("new_device", FIRST_ID + i);
	for (w = 0; w < NR_WORKERS; w++) {
		pids[w] = fork();
		ck_assert_int_ge(pids[w], 0);
		if (!pids[w])
			worker(w);
	}
	t0 = vt_now_ns(CLOCK_MONOTONIC);
	for (c = 0; c < cycles; c++) {
		i = c % NR_IDS;
		del_id(i);
		bus_write_id("new_device", FIRST_ID + i);
		usleep(2000);
	}
	for (i = 0; i < NR_IDS; i++)
		del_id(i);
	sh->stop = 1;
	printf("# %u cycles in %llu ms, slowest del_device %llu ms\n", cycles,
	       (unsigned long long)((vt_now_ns(CLOCK_MONOTONIC) - t0) / MS),
	       (unsigned long long)(sh->del_slowest / MS));
	fflush(stdout);

	/* with no device left every worker must finish at once */
	deadline = vt_now_ns(CLOCK_MONOTONIC) + 2000 * MS * slow;
	for (w = 0; w < NR_WORKERS; w++) {
		while (waitpid(pids[w], &st, WNOHANG) == 0) {
			if (vt_now_ns(CLOCK_MONOTONIC) > deadline) {
				kill(pids[w], SIGKILL);
				waitpid(pids[w], &st, 0);
				hung++;
				break;
			}
			usleep(10 * 1000);
		}
	}
	ck_assert_msg(!hung, "%d workers hung after the last removal", hung);

	for (w = 0; w < NR_WORKERS; w++) {
		for (c = 0; c < sh->nr_entries[w]; c++) {
			const struct entry *e = &sh->entries[w][c];

			ck_assert_msg(e->result == ENODEV || e->result == 0,
				      "worker %u session on vsensor%u ended with %s",
				      w, e->id, strerror(e->result));
			removed = removal_of(e);
			ck_assert_msg(removed, "worker %u: no removal of vsensor%u",
				      w, e->id);
			lat = e->t_end > removed ? e->t_end - removed : 0;
			worst = lat > worst ? lat : worst;
			ck_assert_msg(lat <= LATENCY_MAX * slow,
				      "worker %u: session ended %llu ms after removal",
				      w, (unsigned long long)(lat / MS));
			sessions++;
			by_eof += !e->result;
		}
	}
	printf("# %u sessions (%u EOF), slowest end %llu ms after removal\n",
	       sessions, by_eof, (unsigned long long)(worst / MS));
	fflush(stdout);
	ck_assert_msg(sessions >= cycles / 10, "only %u sessions", sessions);

	vt_sh("systemctl start systemd-udevd.service");
	if (kmemleak) {
		ck_assert_msg(vt_sh(VT_LEAKCHECK " end") == 0,
			      "kmemleak: leaks from vsensor after the storm");
		goto unload;
	}
	na = slab_read(after, 64);
	ck_assert_int_eq(na, nb);
	for (i = 0; i < na; i++) {
		long d = after[i].active - before[i].active;

		ck_assert_str_eq(after[i].name, before[i].name);
		if (d > 20)
			printf("# slab %s: %+ld objects\n", after[i].name, d);
		fflush(stdout);
		ck_assert_msg(d < SLAB_TOLERANCE, "slab %s grew by %ld objects",
			      after[i].name, d);
	}

unload:
	ck_assert_int_eq(vt_sh("rmmod vsensor vsensor_sim"), 0);
	ck_assert_int_eq(vt_sh("modprobe vsensor && udevadm settle"), 0);
	munmap(sh, sizeof(*sh));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("storm");
	TCase *tc = tcase_create("hotplug");

	tcase_set_timeout(tc, 240);	/* times CK_TIMEOUT_MULTIPLIER */
	tcase_add_test(tc, test_hotplug_storm);
	suite_add_tcase(s, tc);
	return vt_run(s);
}
