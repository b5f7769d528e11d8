// SPDX-License-Identifier: GPL-2.0
/*
 * vsensor-devinfo: what VSENSOR_IOC_GET_INFO says of a device node, one
 * "key value" line a field, for the guest tests of devices libvsensor
 * does not list (the PCI backend, tests/guest/t-pci-drv.sh).
 *
 *   vsensor-devinfo /dev/vsensorN
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/vsensor.h>

int main(int argc, char **argv)
{
	struct vsensor_info info;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: vsensor-devinfo /dev/vsensorN\n");
		return 1;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0 || ioctl(fd, VSENSOR_IOC_GET_INFO, &info) < 0) {
		fprintf(stderr, "vsensor-devinfo: %s: %s\n", argv[1],
			strerror(errno));
		return 2;
	}
	close(fd);
	printf("model %.*s\n", (int)sizeof(info.model), info.model);
	printf("serial %.*s\n", (int)sizeof(info.serial), info.serial);
	printf("id %u\n", info.id);
	printf("channels %u\n", info.nr_channels);
	printf("rate_min %u\n", info.rate_min_hz);
	printf("rate_max %u\n", info.rate_max_hz);
	printf("fifo_depth %u\n", info.fifo_depth);
	printf("record_size %u\n", info.record_size);
	return 0;
}
