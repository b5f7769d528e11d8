// SPDX-License-Identifier: GPL-2.0
/*
 * vsensor-fuzz target "hotplug": devices added and removed, sessions
 * reading, all the while.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "fuzz.h"

static void hotplug_round(void)
{
	char line[64];
	unsigned int id = HOTPLUG_BASE + below(HOTPLUG_IDS);
	struct vsensor_record rec[8];
	struct vsensor_config c;
	int fd;

	if (chance(50)) {
		snprintf(line, sizeof(line), "%u", id);
		write_file("/sys/bus/vsensor/new_device", line, strlen(line));
	} else {
		snprintf(line, sizeof(line), "%u", id);
		write_file("/sys/bus/vsensor/del_device", line, strlen(line));
	}
	/* a session that reads a little, as a program would */
	fd = open_device(O_RDWR);
	if (fd >= 0) {
		memset(&c, 0, sizeof(c));
		c.rate_hz = 1000 + below(10000);
		c.channel_mask = 0xf;
		c.watermark = 1 + below(8);
		c.ring_size = 64;
		c.clock_id = 1;
		c.flags = chance(20) ? VSENSOR_CONFIG_F_BUSY_POLL : 0;
		count(ioctl(fd, VSENSOR_IOC_SET_CONFIG, &c));
		arm_alarm(20 + below(40));
		count(read(fd, rec, sizeof(rec)));
		arm_alarm(0);
		close(fd);
	}
	stats->iterations++;
}

const struct fuzz_target target_hotplug = {
	.name = "hotplug",
	.round = hotplug_round,
};
