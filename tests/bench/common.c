// SPDX-License-Identifier: GPL-2.0
/* Helpers shared by the benchmark rows: time, statistics, the table, knobs. */
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

struct bn_dev bn_model = {
	.node = "/dev/vsensor0",
	.sysfs = "/sys/bus/vsensor/devices/vsensor0/",
	.debugfs = "/sys/kernel/debug/vsensor/vsensor0/",
};
struct bn_dev bn_dut;
static const struct bn_dev *bn_cur = &bn_model;

/* @dst = the environment's @var, else @fmt with the node's name */
static void dev_path(char *dst, size_t len, const char *var, const char *fmt,
		     const char *name)
{
	const char *v = getenv(var);

	if (v && *v)
		snprintf(dst, len, "%s%s", v, v[strlen(v) - 1] == '/' ? "" : "/");
	else
		snprintf(dst, len, fmt, name);
}

void bn_devs_init(void)
{
	const char *node = getenv("VSENSOR_BENCH_DEV"), *name;

	bn_dut = bn_model;
	if (node && *node && strcmp(node, bn_model.node)) {
		name = strrchr(node, '/') ? strrchr(node, '/') + 1 : node;
		snprintf(bn_dut.node, sizeof(bn_dut.node), "%s", node);
		/* a misc device's parent: the bus device with the attributes */
		dev_path(bn_dut.sysfs, sizeof(bn_dut.sysfs), "VSENSOR_BENCH_SYSFS",
			 "/sys/class/misc/%s/device/", name);
		dev_path(bn_dut.debugfs, sizeof(bn_dut.debugfs),
			 "VSENSOR_BENCH_DEBUGFS", "/sys/kernel/debug/vsensor/%s/",
			 name);
	}
	bn_cur = &bn_dut;
}

void bn_dev_use(const struct bn_dev *d)
{
	bn_cur = d;
}

const struct bn_dev *bn_dev_cur(void)
{
	return bn_cur;
}

bool bn_dut_is_other(void)
{
	return strcmp(bn_dut.node, bn_model.node) != 0;
}

const char *bn_dut_pci_addr(void)
{
	static char dev[PATH_MAX];

	if (!realpath(bn_dut.sysfs, dev) || !strstr(dev, "/pci"))
		bn_die("%s is not a PCI device", bn_dut.node);
	return strrchr(dev, '/') + 1;
}

static const char *dev_file(const char *dir, const char *name)
{
	static char bufs[8][320];
	static unsigned int next;
	char *b = bufs[next++ % 8];

	snprintf(b, sizeof(bufs[0]), "%s%s", dir, name);
	return b;
}

const char *bn_sys(const char *name)
{
	return dev_file(bn_cur->sysfs, name);
}

const char *bn_dbg(const char *name)
{
	return dev_file(bn_cur->debugfs, name);
}

uint64_t bn_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t bn_rec_latency(const struct vsensor_record *r)
{
	return bn_now() - r->timestamp_ns;
}

void bn_sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

uint64_t bn_pct(uint64_t *v, size_t n, double p)
{
	size_t i;

	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), cmp_u64);
	i = (size_t)(p / 100.0 * (double)(n - 1) + 0.5);
	return v[i < n ? i : n - 1];
}

double bn_pctd(double *v, size_t n, double p)
{
	size_t i;

	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), cmp_double);
	i = (size_t)(p / 100.0 * (double)(n - 1) + 0.5);
	return v[i < n ? i : n - 1];
}

uint64_t bn_cpu_self(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ((uint64_t)ru.ru_utime.tv_sec + (uint64_t)ru.ru_stime.tv_sec) *
	       1000000000ull +
	       ((uint64_t)ru.ru_utime.tv_usec + (uint64_t)ru.ru_stime.tv_usec) *
	       1000ull;
}

uint64_t bn_cpu_all(void)
{
	unsigned long long v[10] = { 0 }, busy;
	long hz = sysconf(_SC_CLK_TCK);
	FILE *f = fopen("/proc/stat", "re");

	if (!f)
		bn_die("/proc/stat: %s", strerror(errno));
	if (fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
		   &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) != 8)
		bn_die("/proc/stat: unexpected format");
	fclose(f);
	/* user nice system [idle] [iowait] irq softirq steal */
	busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
	return busy * (1000000000ull / (unsigned long long)hz);
}

const char *bn_fmt(const char *fmt, ...)
{
	static char bufs[16][96];
	static unsigned int next;
	char *b = bufs[next++ % 16];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b, sizeof(bufs[0]), fmt, ap);
	va_end(ap);
	return b;
}

void bn_row_check(const char *id, const char *what, const char *ours,
		  const char *base, double ratio, const char *target, int met)
{
	printf("ROW\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", id, what, ours, base,
	       isfinite(ratio) ? bn_fmt("%.2fx", ratio) : "-", target,
	       met < 0 ? "-" : met ? "yes" : "NO");
	fflush(stdout);
}

void bn_row(const char *id, const char *what, const char *ours,
	    const char *base, double ratio, enum bn_goal goal, double target)
{
	switch (goal) {
	case BN_AT_MOST:
		bn_row_check(id, what, ours, base, ratio,
			     bn_fmt("<= %.2fx", target), ratio <= target);
		break;
	case BN_AT_LEAST:
		bn_row_check(id, what, ours, base, ratio,
			     bn_fmt(">= %.2fx", target), ratio >= target);
		break;
	default:
		bn_row_check(id, what, ours, base, ratio, "report", -1);
	}
}

void bn_note(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

void bn_die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("vsensor-bench: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

int bn_try_put(const char *path, const char *val)
{
	ssize_t r;
	int fd = open(path, O_WRONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return -errno;
	r = write(fd, val, strlen(val));
	if (r < 0)
		err = -errno;
	close(fd);
	return err;
}

void bn_put(const char *path, const char *fmt, ...)
{
	char val[128];
	va_list ap;
	int err;

	va_start(ap, fmt);
	vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	err = bn_try_put(path, val);
	if (err)
		bn_die("write %s to %s: %s", val, path, strerror(-err));
}

void bn_get_str(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");

	if (!f || !fgets(buf, (int)len, f))
		bn_die("read %s: %s", path, strerror(errno));
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
}

long long bn_get(const char *path)
{
	char buf[64];

	bn_get_str(path, buf, sizeof(buf));
	return strtoll(buf, NULL, 0);
}

int bn_sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	fflush(stdout);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

void bn_config(int fd, uint32_t rate, uint32_t wm, uint32_t ring,
	       uint32_t cfg_flags)
{
	struct vsensor_config c = {
		.rate_hz = rate, .channel_mask = 0xf, .watermark = wm,
		.ring_size = ring, .clock_id = VSENSOR_CLOCK_MONOTONIC,
		.flags = cfg_flags,
	};

	if (ioctl(fd, VSENSOR_IOC_SET_CONFIG, &c))
		bn_die("SET_CONFIG rate %u wm %u ring %u: %s", rate, wm, ring,
		       strerror(errno));
}

int bn_session(int flags, uint32_t rate, uint32_t wm, uint32_t ring,
	       uint32_t cfg_flags)
{
	int fd = open(bn_cur->node, flags | O_CLOEXEC);

	if (fd < 0)
		bn_die("open %s: %s", bn_cur->node, strerror(errno));
	bn_config(fd, rate, wm, ring, cfg_flags);
	return fd;
}

void bn_stats(int fd, struct vsensor_stats *st)
{
	if (ioctl(fd, VSENSOR_IOC_GET_STATS, st))
		bn_die("GET_STATS: %s", strerror(errno));
}

uint64_t bn_wait_queued(int fd, uint64_t n, unsigned int ms)
{
	uint64_t end = bn_now() + ms * 1000000ull;
	struct vsensor_stats st;

	for (;;) {
		bn_stats(fd, &st);
		if (st.queued >= n || bn_now() > end)
			return st.queued;
		bn_sleep_ms(2);
	}
}

static void *stall_run(void *arg)
{
	struct bn_stall *st = arg;
	uint64_t t0, late;

	while (!atomic_load(&st->stop)) {
		t0 = bn_now();
		bn_sleep_ms(1);
		late = bn_now() - t0 - 1000000;
		if (late > st->max_ns)
			st->max_ns = late;
	}
	return NULL;
}

void bn_stall_start(struct bn_stall *st)
{
	st->max_ns = 0;
	atomic_store(&st->stop, false);
	if (pthread_create(&st->thread, NULL, stall_run, st))
		bn_die("pthread_create");
}

uint64_t bn_stall_stop(struct bn_stall *st)
{
	atomic_store(&st->stop, true);
	pthread_join(st->thread, NULL);
	return st->max_ns;
}

void bn_pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	if (cpu >= 0) {
		CPU_SET(cpu, &set);
	} else {
		for (int i = 0; i < CPU_SETSIZE; i++)
			CPU_SET(i, &set);
	}
	if (sched_setaffinity(0, sizeof(set), &set))
		bn_die("sched_setaffinity: %s", strerror(errno));
}
