// SPDX-License-Identifier: GPL-2.0
/* Helpers shared by the guest test programs; see common.h. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

int vt_open(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);

	ck_assert_msg(fd >= 0, "open %s: %s", path, strerror(errno));
	return fd;
}

void vt_read_exact(int fd, struct vsensor_record *recs, size_t n,
		   int timeout_ms)
{
	uint64_t deadline;
	size_t got = 0;

	timeout_ms *= (int)vt_slow();
	deadline = vt_now_ns(CLOCK_MONOTONIC) + (uint64_t)timeout_ms * 1000000;

	while (got < n) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t r;

		ck_assert_msg(vt_now_ns(CLOCK_MONOTONIC) < deadline,
			      "only %zu of %zu records in %d ms", got, n,
			      timeout_ms);
		ck_assert_int_ge(poll(&pfd, 1, 100), 0);
		if (!(pfd.revents & POLLIN))
			continue;
		r = read(fd, recs + got, (n - got) * sizeof(*recs));
		if (r < 0 && errno == EAGAIN)
			continue;
		ck_assert_msg(r > 0, "read: %s", strerror(errno));
		ck_assert_int_eq(r % sizeof(*recs), 0);
		got += r / sizeof(*recs);
	}
}

void vt_get_config(int fd, struct vsensor_config *c)
{
	ck_assert_msg(ioctl(fd, VSENSOR_IOC_GET_CONFIG, c) == 0,
		      "GET_CONFIG: %s", strerror(errno));
}

void vt_set_config(int fd, struct vsensor_config *c)
{
	ck_assert_msg(ioctl(fd, VSENSOR_IOC_SET_CONFIG, c) == 0,
		      "SET_CONFIG: %s", strerror(errno));
}

void vt_get_stats(int fd, struct vsensor_stats *st)
{
	ck_assert_msg(ioctl(fd, VSENSOR_IOC_GET_STATS, st) == 0,
		      "GET_STATS: %s", strerror(errno));
}

void vt_set_rate(int fd, uint32_t hz, uint32_t watermark)
{
	struct vsensor_config c;

	vt_get_config(fd, &c);
	c.rate_hz = hz;
	if (watermark)
		c.watermark = watermark;
	vt_set_config(fd, &c);
}

void vt_sysfs_get(unsigned int id, const char *attr, char *buf, size_t len)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), VT_SYSFS_DEV "vsensor%u/%s", id, attr);
	f = fopen(path, "re");
	ck_assert_msg(f, "open %s: %s", path, strerror(errno));
	ck_assert_msg(fgets(buf, (int)len, f), "read %s", path);
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
}

uint64_t vt_now_ns(int clock_id)
{
	struct timespec ts;

	clock_gettime(clock_id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int vt_sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

const char *vt_dev0(void)
{
	const char *v = getenv("VSENSOR_TEST_DEV");

	return v && *v ? v : "/dev/vsensor0";
}

const char *vt_dev0_serial(void)
{
	const char *v = getenv("VSENSOR_TEST_SERIAL");

	return v && *v ? v : "VSN1000-000000";
}

unsigned int vt_dev0_id(void)
{
	const char *v = getenv("VSENSOR_TEST_ID");

	return v ? (unsigned int)strtoul(v, NULL, 10) : 0;
}

const char *vt_dev0_name(void)
{
	static char name[32];

	snprintf(name, sizeof(name), "vsensor%u", vt_dev0_id());
	return name;
}

/* "@dir/@file" in the next of four static buffers */
static const char *vt_path(const char *dir, const char *file)
{
	static char bufs[4][256];
	static unsigned int next;
	char *b = bufs[next++ % 4];

	snprintf(b, sizeof(bufs[0]), "%s/%s", dir, file);
	return b;
}

const char *vt_dev0_attr(const char *attr)
{
	const char *v = getenv("VSENSOR_TEST_SYSFS");
	char dir[128];

	if (v && *v)
		return vt_path(v, attr);
	snprintf(dir, sizeof(dir), VT_SYSFS_DEV "%s", vt_dev0_name());
	return vt_path(dir, attr);
}

const char *vt_dev0_debugfs(const char *file)
{
	char dir[128];

	snprintf(dir, sizeof(dir), "/sys/kernel/debug/vsensor/%s",
		 vt_dev0_name());
	return vt_path(dir, file);
}

bool vt_backend_pci(void)
{
	const char *v = getenv("VSENSOR_TEST_BACKEND");

	return v && !strcmp(v, "pci");
}

void vt_skip_model_test(const char *name, const char *why)
{
	printf("# %s: not run on the PCI backend: %s\n", name, why);
	fflush(stdout);
}

unsigned int vt_slow(void)
{
	const char *v = getenv("VSENSOR_TEST_SLOW");
	unsigned long n = v ? strtoul(v, NULL, 10) : 1;

	return n >= 1 && n <= 100 ? (unsigned int)n : 1;
}

int vt_open_bus_dev(unsigned int id, int flags)
{
	char path[128], node[64];
	unsigned int maj, min;
	FILE *f;
	int fd, n;

	snprintf(path, sizeof(path), VT_SYSFS_DEV "vsensor%u/misc/vsensor%u/dev",
		 id, id);
	f = fopen(path, "re");
	if (!f)
		return -1;
	n = fscanf(f, "%u:%u", &maj, &min);
	fclose(f);
	if (n != 2) {
		errno = ENODEV;
		return -1;
	}
	snprintf(node, sizeof(node), "/dev/.vt-node-%d-%u", getpid(), id);
	unlink(node);
	if (mknod(node, S_IFCHR | 0600, makedev(maj, min)))
		return -1;
	fd = open(node, flags | O_CLOEXEC);
	n = errno;
	unlink(node);
	errno = n;
	return fd;
}

int vt_bus_write(const char *file, const char *val)
{
	char path[128];
	ssize_t r;
	int fd, err = 0;

	snprintf(path, sizeof(path), "/sys/bus/vsensor/%s", file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = write(fd, val, strlen(val));
	if (r < 0)
		err = -errno;
	close(fd);
	return err;
}

int vt_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	setenv("CK_TAP_LOG_FILE_NAME", "-", 0);
	srunner_run_all(sr, CK_SILENT);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
