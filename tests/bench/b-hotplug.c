// SPDX-License-Identifier: GPL-2.0
/*
 * Device life: new_device to the uevent a udev monitor sees, against a
 * uinput device; an add/remove storm counted to the last event, against
 * `udevadm settle` (B10). Memory per session, per device, of the module.
 */
#include <math.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <libudev.h>

#include "bench.h"

#define B10_ID		200	/* far from the boot-time devices */
#define B10_ROUNDS	15
#define B10_STORM	500	/* new/del cycles: 1000 bus uevents */

/* Monitor of processed events (udev source) of @subsystem. */
static struct udev_monitor *mon_new(struct udev *udev, const char *subsystem)
{
	struct udev_monitor *m = udev_monitor_new_from_netlink(udev, "udev");

	if (!m)
		bn_die("udev monitor: %s", strerror(errno));
	udev_monitor_filter_add_match_subsystem_devtype(m, subsystem, NULL);
	udev_monitor_set_receive_buffer_size(m, 64 << 20);
	if (udev_monitor_enable_receiving(m))
		bn_die("udev monitor: %s", strerror(errno));
	return m;
}

/*
 * Wait (at most @ms) for an @action event whose sysname starts with
 * @prefix; returns its arrival time or 0.
 */
static uint64_t mon_wait(struct udev_monitor *m, const char *action,
			 const char *prefix, unsigned int ms)
{
	struct pollfd pfd = { .fd = udev_monitor_get_fd(m), .events = POLLIN };
	uint64_t end = bn_now() + ms * 1000000ull;
	struct udev_device *d;

	while (bn_now() < end) {
		if (poll(&pfd, 1, 100) <= 0)
			continue;
		d = udev_monitor_receive_device(m);
		if (!d)
			continue;
		if (!strcmp(udev_device_get_action(d) ?: "", action) &&
		    !strncmp(udev_device_get_sysname(d), prefix, strlen(prefix))) {
			udev_device_unref(d);
			return bn_now();
		}
		udev_device_unref(d);
	}
	return 0;
}

static void bus_write(const char *file, unsigned int id)
{
	char path[64];

	snprintf(path, sizeof(path), "/sys/bus/vsensor/%s", file);
	bn_put(path, "%u", id);
}

static void b10_latency(struct udev *udev)
{
	struct udev_monitor *mm = mon_new(udev, "misc");
	struct udev_monitor *mi = mon_new(udev, "input");
	uint64_t ours[B10_ROUNDS], ui[B10_ROUNDS], t0, t;
	char name[32];
	double o, b;

	snprintf(name, sizeof(name), "vsensor%u", (unsigned int)B10_ID);
	for (int r = 0; r < B10_ROUNDS; r++) {
		struct bn_uinput u;

		t0 = bn_now();
		bus_write("new_device", B10_ID);
		t = mon_wait(mm, "add", name, 10000);
		if (!t)
			bn_die("no udev add event for %s", name);
		ours[r] = t - t0;
		bus_write("del_device", B10_ID);
		mon_wait(mm, "remove", name, 10000);

		t0 = bn_now();
		bn_uinput_create(&u, "vsensor-bench hotplug", false);
		t = mon_wait(mi, "add", "event", 10000);
		if (!t)
			bn_die("no udev add event for the uinput device");
		ui[r] = t - t0;
		bn_uinput_destroy(&u);
		mon_wait(mi, "remove", "event", 10000);
	}
	o = (double)bn_pct(ours, B10_ROUNDS, 50);
	b = (double)bn_pct(ui, B10_ROUNDS, 50);
	bn_row("B10", "new_device to udev add of /dev/vsensorN vs uinput eventN",
	       bn_fmt("%.2f ms", o / 1e6), bn_fmt("%.2f ms", b / 1e6), o / b,
	       BN_AT_MOST, 1.1);
	bn_note("B10: median of %d, libudev monitor on the udev source (after rules ran): misc add of vsensor%u after writing new_device, input add of eventN after UI_DEV_CREATE (which also creates the input device)",
		B10_ROUNDS, B10_ID);
	udev_monitor_unref(mm);
	udev_monitor_unref(mi);
}

static void b10_storm(struct udev *udev)
{
	struct udev_monitor *m = mon_new(udev, "vsensor");
	struct pollfd pfd = { .fd = udev_monitor_get_fd(m), .events = POLLIN };
	unsigned int adds = 0, removes = 0, want = 2 * B10_STORM;
	uint64_t t0, t_storm, t_mon = 0, t_settle = 0;
	int status;
	pid_t pid;

	t0 = bn_now();
	for (int i = 0; i < B10_STORM; i++) {
		bus_write("new_device", B10_ID + (i & 3));
		bus_write("del_device", B10_ID + (i & 3));
	}
	t_storm = bn_now();
	pid = fork();
	if (pid < 0)
		bn_die("fork: %s", strerror(errno));
	if (!pid) {
		execlp("udevadm", "udevadm", "settle", "--timeout=300", (char *)NULL);
		_exit(127);
	}
	while (adds + removes < want && bn_now() - t_storm < 300000000000ull) {
		struct udev_device *d;
		const char *action;

		if (!t_settle && waitpid(pid, &status, WNOHANG) == pid)
			t_settle = bn_now();
		if (poll(&pfd, 1, 10) <= 0)
			continue;
		while ((d = udev_monitor_receive_device(m))) {
			action = udev_device_get_action(d) ?: "";
			if (udev_device_get_devtype(d) == NULL &&
			    !strncmp(udev_device_get_sysname(d), "vsensor", 7)) {
				adds += !strcmp(action, "add");
				removes += !strcmp(action, "remove");
			}
			udev_device_unref(d);
		}
	}
	t_mon = bn_now();
	if (!t_settle) {
		waitpid(pid, &status, 0);
		t_settle = bn_now();
	}
	/* from the last write: what was still queued, drained */
	bn_row_check("B10", bn_fmt("%u-event add/remove storm: drained by monitor vs udevadm settle", want),
		     bn_fmt("%.3f s, %u lost", (t_mon - t_storm) / 1e9, want - adds - removes),
		     bn_fmt("%.3f s", (t_settle - t_storm) / 1e9),
		     (double)(t_mon - t_storm) / (double)(t_settle - t_storm),
		     "<= 1.10x, 0 lost",
		     (t_mon - t_storm) <= 1.1 * (t_settle - t_storm) &&
		     adds + removes == want);
	bn_note("B10: %u new/del cycles over 4 ids took %.2f s to issue (each write returns after probe/remove); then the monitor saw its last event after %.3f s, udevadm settle (started then) returned after %.3f s; %u add, %u remove (bus subsystem vsensor, udev source)",
		B10_STORM, (t_storm - t0) / 1e9, (t_mon - t_storm) / 1e9,
		(t_settle - t_storm) / 1e9, adds, removes);
	udev_monitor_unref(m);
}

int bench_b10(void)
{
	struct udev *udev = udev_new();

	if (!udev)
		bn_die("udev_new failed");
	b10_latency(udev);
	b10_storm(udev);
	udev_unref(udev);
	return 0;
}

/* Memory --------------------------------------------------------------- */

#define MEM_OPENS	64
#define MEM_DEVS	8

/* /proc/meminfo field in bytes */
static long long meminfo(const char *field)
{
	char line[128];
	long long kb = -1;
	size_t len = strlen(field);
	FILE *f = fopen("/proc/meminfo", "re");

	if (!f)
		bn_die("/proc/meminfo: %s", strerror(errno));
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, len) && line[len] == ':')
			kb = strtoll(line + len + 1, NULL, 10);
	fclose(f);
	return kb * 1024;
}

struct mem {
	long long slab, used;	/* Slab; MemTotal - MemFree */
};

static void mem_read(struct mem *m)
{
	bn_sh("sync; echo 3 > /proc/sys/vm/drop_caches");
	bn_sleep_ms(300);
	m->slab = meminfo("Slab");
	m->used = meminfo("MemTotal") - meminfo("MemFree");
}

static void mem_row(const char *what, const struct mem *a0, const struct mem *a1,
		    const struct mem *b0, const struct mem *b1, int n)
{
	double oa = (double)(a1->used - a0->used) / n;
	double ob = (double)(b1->used - b0->used) / n;

	bn_row("MEM", what, bn_fmt("%.0f B (slab %.0f)", oa, (double)(a1->slab - a0->slab) / n),
	       bn_fmt("%.0f B (slab %.0f)", ob, (double)(b1->slab - b0->slab) / n),
	       ob ? oa / ob : NAN, BN_REPORT, 0);
}

static void mem_sessions(void)
{
	int fds[MEM_OPENS];
	struct bn_uinput u;
	struct mem a0, a1, b0, b1;

	bn_uinput_create(&u, "vsensor-bench memory", false);
	mem_read(&a0);
	for (int i = 0; i < MEM_OPENS; i++)
		fds[i] = open(bn_dev_cur()->node, O_RDONLY | O_CLOEXEC);
	mem_read(&a1);
	for (int i = 0; i < MEM_OPENS; i++)
		close(fds[i]);
	mem_read(&b0);
	for (int i = 0; i < MEM_OPENS; i++)
		fds[i] = bn_uinput_open(&u);
	mem_read(&b1);
	for (int i = 0; i < MEM_OPENS; i++)
		close(fds[i]);
	bn_uinput_destroy(&u);
	mem_row("per session (open, default ring) vs per evdev client", &a0, &a1,
		&b0, &b1, MEM_OPENS);
}

static void mem_devices(void)
{
	struct bn_uinput u[MEM_DEVS];
	struct mem a0, a1, b0, b1;

	mem_read(&a0);
	for (int i = 0; i < MEM_DEVS; i++)
		bus_write("new_device", B10_ID + i);
	bn_sh("udevadm settle");
	mem_read(&a1);
	for (int i = 0; i < MEM_DEVS; i++)
		bus_write("del_device", B10_ID + i);
	bn_sh("udevadm settle");
	mem_read(&b0);
	for (int i = 0; i < MEM_DEVS; i++)
		bn_uinput_create(&u[i], "vsensor-bench memory", false);
	bn_sh("udevadm settle");
	mem_read(&b1);
	for (int i = 0; i < MEM_DEVS; i++)
		bn_uinput_destroy(&u[i]);
	mem_row("per device (new_device) vs per uinput device", &a0, &a1, &b0,
		&b1, MEM_DEVS);
}

static void mem_module(void)
{
	char line[256], name[64];
	long long size = -1, evdev = -1, v;
	const char *peer = "evdev";
	FILE *f = fopen("/proc/modules", "re");

	if (!f)
		bn_die("/proc/modules: %s", strerror(errno));
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %lld", name, &v) == 2) {
			if (!strcmp(name, "vsensor"))
				size = v;
			else if (!strcmp(name, "evdev"))
				evdev = v;
		}
	fclose(f);
	if (evdev < 0)
		peer = "evdev built in: n/a";
	bn_row("MEM", bn_fmt("module size (/proc/modules) vs %s.ko", peer),
	       bn_fmt("%lld B", size), bn_fmt("%lld B", evdev),
	       evdev > 0 ? (double)size / evdev : NAN, BN_REPORT, 0);
}

int bench_mem(void)
{
	mem_sessions();
	mem_devices();
	mem_module();
	bn_note("MEM: deltas of MemTotal-MemFree (and Slab) over %d opens / %d devices, caches dropped before each reading",
		MEM_OPENS, MEM_DEVS);
	return 0;
}
