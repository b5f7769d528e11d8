// SPDX-License-Identifier: GPL-2.0
/*
 * vsensor-fuzz target "bus": the bus's new_device/del_device with random
 * and nearly-valid lines.
 */
#include <stdio.h>

#include "fuzz.h"

/* new_device and del_device: nearly-valid lines and garbage. */
static void bus_round(void)
{
	char line[PAGE];
	size_t len;
	unsigned int i;

	for (i = 0; i < 16; i++) {
		bool add = chance(50);
		uint32_t id = chance(80) ? HOTPLUG_BASE + 4 + below(8) :
			      interesting_u32();

		switch (below(4)) {
		case 0:
			len = pick_value(line, sizeof(line));
			break;
		case 1: {
			char serial[48];

			len = below(40);
			fill_random(serial, len);
			for (size_t k = 0; k < len; k++)
				serial[k] = "AZaz09-_ ./\n"[(unsigned char)serial[k] % 12];
			serial[len] = '\0';
			len = (size_t)snprintf(line, sizeof(line), "%u %s", id,
					       serial);
			break;
		}
		default:
			len = (size_t)snprintf(line, sizeof(line), "%u%s", id,
					       chance(50) ? "\n" : "");
			break;
		}
		write_file(add ? "/sys/bus/vsensor/new_device" :
			   "/sys/bus/vsensor/del_device", line, len);
		stats->iterations++;
	}
	/* do not let the bus fill up: remove what this worker may have made */
	for (i = 0; i < 8; i++) {
		len = (size_t)snprintf(line, sizeof(line), "%u",
				       HOTPLUG_BASE + 4 + i);
		if (chance(30))
			write_file("/sys/bus/vsensor/del_device", line, len);
	}
}

const struct fuzz_target target_bus = {
	.name = "bus",
	.round = bus_round,
};
