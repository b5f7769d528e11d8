// SPDX-License-Identifier: GPL-2.0
/*
 * vsensor-rawread: COUNT records of a device node at RATE, as read()
 * gives them (struct vsensor_record), to stdout: the kernel driver's side
 * of tests/guest/t-pci-vfio.sh for a node libvsensor does not list (the
 * PCI backend), where `vsensorctl read --format raw` would be used.
 *
 *   vsensor-rawread /dev/vsensorN COUNT RATE
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/vsensor.h>

static int fail(int fd, const char *node, const char *what)
{
	fprintf(stderr, "vsensor-rawread: %s: %s: %s\n", node, what,
		strerror(errno));
	if (fd >= 0)
		close(fd);
	return 2;
}

int main(int argc, char **argv)
{
	struct vsensor_record recs[64];
	struct vsensor_config cfg;
	unsigned long count, got = 0;
	ssize_t n;
	int fd;

	if (argc != 4) {
		fprintf(stderr, "usage: vsensor-rawread /dev/vsensorN COUNT RATE\n");
		return 1;
	}
	count = strtoul(argv[2], NULL, 0);
	fd = open(argv[1], O_RDONLY);
	if (fd < 0)
		return fail(fd, argv[1], "open");
	if (ioctl(fd, VSENSOR_IOC_GET_CONFIG, &cfg) < 0)
		return fail(fd, argv[1], "VSENSOR_IOC_GET_CONFIG");
	cfg.rate_hz = (__u32)strtoul(argv[3], NULL, 0);
	if (ioctl(fd, VSENSOR_IOC_SET_CONFIG, &cfg) < 0)
		return fail(fd, argv[1], "VSENSOR_IOC_SET_CONFIG");
	while (got < count) {
		size_t want = count - got < 64 ? count - got : 64;

		n = read(fd, recs, want * sizeof(recs[0]));
		if (n <= 0)
			return fail(fd, argv[1], "read");
		if (fwrite(recs, (size_t)n, 1, stdout) != 1)
			return fail(fd, argv[1], "writing");
		got += (size_t)n / sizeof(recs[0]);
	}
	close(fd);
	return 0;
}
