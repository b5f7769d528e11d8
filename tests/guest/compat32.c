// SPDX-License-Identifier: GPL-2.0
/*
 * Built with -m32 -static: proves the ioctls and read() work for 32-bit
 * programs through compat_ioctl (every struct has one layout). Prints TAP.
 * Plain C: no 32-bit Check library is needed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/vsensor.h>

static int n, failed;

static void ok(int cond, const char *what)
{
	printf("%sok %d - compat32: %s\n", cond ? "" : "not ", ++n, what);
	failed += !cond;
}

int main(void)
{
	struct vsensor_config cfg = {
		.rate_hz = 500, .channel_mask = 0x3, .watermark = 2,
		.ring_size = 64, .clock_id = VSENSOR_CLOCK_MONOTONIC,
	}, got;
	struct vsensor_record rec[4];
	struct vsensor_info info;
	struct vsensor_stats st;
	const char *dev = getenv("VSENSOR_TEST_DEV");
	int fd = open(dev && *dev ? dev : "/dev/vsensor0", O_RDWR);

	ok(sizeof(long) == 4, "built as a 32-bit program");
	ok(fd >= 0, "open");
	memset(&info, 0xa5, sizeof(info));
	ok(ioctl(fd, VSENSOR_IOC_GET_INFO, &info) == 0 &&
	   !strcmp(info.model, "VSN1000") && info.nr_channels == 4 &&
	   info.record_size == sizeof(struct vsensor_record), "GET_INFO");
	ok(ioctl(fd, VSENSOR_IOC_SET_CONFIG, &cfg) == 0, "SET_CONFIG");
	memset(&got, 0xa5, sizeof(got));
	ok(ioctl(fd, VSENSOR_IOC_GET_CONFIG, &got) == 0 &&
	   !memcmp(&got, &cfg, sizeof(cfg)), "GET_CONFIG returns what was set");
	ok(read(fd, rec, sizeof(rec)) >= (ssize_t)sizeof(rec[0]) &&
	   rec[0].channel_mask == 0x3 && rec[0].seq == 0, "read records");
	ok(ioctl(fd, VSENSOR_IOC_GET_STATS, &st) == 0 && st.delivered >= 1,
	   "GET_STATS");
	ok(ioctl(fd, VSENSOR_IOC_FLUSH) == 0, "FLUSH");
	ok(ioctl(fd, _IO(VSENSOR_IOC_MAGIC, 0x7f)) == -1 && errno == ENOTTY,
	   "unknown ioctl is ENOTTY");
	close(fd);
	printf("1..%d\n", n);
	return failed ? 1 : 0;
}
