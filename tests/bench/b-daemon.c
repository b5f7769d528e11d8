// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon (B11): new_device to the settings vsensord applies to the new
 * device, beside new_device to the udev add event a monitor sees (the
 * earliest a udev-driven daemon can know) in the same rounds.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libudev.h>

#include "bench.h"

#define B11_ID		210
#define B11_ROUNDS	200
#define B11_AMPLITUDE	4242
#define B11_CONF	"/etc/vsensor/vsensord.conf.d/90-bench.conf"

/* Poll the device's amplitude until it reads @want: the time, or 0. */
static uint64_t wait_amplitude(const char *path, long long want, unsigned int ms)
{
	uint64_t end = bn_now() + ms * 1000000ull;
	char buf[32];
	FILE *f;

	while (bn_now() < end) {
		f = fopen(path, "re");
		if (f) {
			if (fgets(buf, sizeof(buf), f) && atoll(buf) == want) {
				fclose(f);
				return bn_now();
			}
			fclose(f);
		}
		nanosleep(&(struct timespec){ .tv_nsec = 100000 }, NULL);
	}
	return 0;
}

static uint64_t wait_udev_add(struct udev_monitor *m, const char *name,
			      unsigned int ms)
{
	struct pollfd pfd = { .fd = udev_monitor_get_fd(m), .events = POLLIN };
	uint64_t end = bn_now() + ms * 1000000ull;
	struct udev_device *d;

	while (bn_now() < end) {
		if (poll(&pfd, 1, 100) <= 0)
			continue;
		while ((d = udev_monitor_receive_device(m))) {
			int hit = !strcmp(udev_device_get_action(d) ?: "", "add") &&
				  !strcmp(udev_device_get_sysname(d), name);

			udev_device_unref(d);
			if (hit)
				return bn_now();
		}
	}
	return 0;
}

int bench_b11(void)
{
	static uint64_t set[B11_ROUNDS], seen[B11_ROUNDS];
	struct udev *udev = udev_new();
	struct udev_monitor *m;
	char name[32], attr[96];
	uint64_t t0, t;
	int r;

	if (!udev)
		bn_die("udev_new failed");
	m = udev_monitor_new_from_netlink(udev, "udev");
	if (!m || udev_monitor_filter_add_match_subsystem_devtype(m, "misc", NULL) ||
	    udev_monitor_enable_receiving(m))
		bn_die("udev monitor: %s", strerror(errno));
	udev_monitor_set_receive_buffer_size(m, 16 << 20);
	if (bn_sh("mkdir -p /etc/vsensor/vsensord.conf.d && "
		  "printf '[match serial=BENCH-*]\\namplitude = %d\\n' > " B11_CONF
		  " && vsensorctl daemon reload", B11_AMPLITUDE))
		bn_die("vsensord did not take the bench configuration");
	snprintf(name, sizeof(name), "vsensor%d", B11_ID);
	snprintf(attr, sizeof(attr), "/sys/bus/vsensor/devices/%s/amplitude", name);
	for (r = 0; r < B11_ROUNDS; r++) {
		char val[48];

		snprintf(val, sizeof(val), "%d BENCH-%d", B11_ID, r);
		t0 = bn_now();
		bn_put("/sys/bus/vsensor/new_device", "%s", val);
		t = wait_udev_add(m, name, 10000);
		if (!t)
			bn_die("no udev add event for %s", name);
		seen[r] = t - t0;
		t = wait_amplitude(attr, B11_AMPLITUDE, 10000);
		if (!t)
			bn_die("vsensord did not set %s's amplitude within 10 s", name);
		set[r] = t - t0;
		bn_put("/sys/bus/vsensor/del_device", "%d", B11_ID);
	}
	bn_sh("rm -f " B11_CONF " && vsensorctl daemon reload");
	bn_row("B11", "new_device to settings applied by vsensord vs udev add seen by a monitor (p50)",
	       bn_fmt("%.2f ms", bn_pct(set, B11_ROUNDS, 50) / 1e6),
	       bn_fmt("%.2f ms", bn_pct(seen, B11_ROUNDS, 50) / 1e6),
	       (double)bn_pct(set, B11_ROUNDS, 50) / (double)bn_pct(seen, B11_ROUNDS, 50),
	       BN_REPORT, 0);
	bn_row("B11", "the same, p99",
	       bn_fmt("%.2f ms", bn_pct(set, B11_ROUNDS, 99) / 1e6),
	       bn_fmt("%.2f ms", bn_pct(seen, B11_ROUNDS, 99) / 1e6),
	       (double)bn_pct(set, B11_ROUNDS, 99) / (double)bn_pct(seen, B11_ROUNDS, 99),
	       BN_REPORT, 0);
	bn_note("B11: %d adds of %s with a new serial each; vsensord matches [match serial=BENCH-*] and sends one DEVICE_SET; its time includes the udev add it waits for, the match and the netlink request; sysfs polled every 0.1 ms",
		B11_ROUNDS, name);
	udev_monitor_unref(m);
	udev_unref(udev);
	return 0;
}
