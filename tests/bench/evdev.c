// SPDX-License-Identifier: GPL-2.0
/* The evdev baseline: a uinput device and clients of its event node. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <linux/uinput.h>

#include "bench.h"

#define BN_MT_SLOTS 64

static void ui_ioctl(int fd, unsigned long req, unsigned long arg,
		     const char *what)
{
	if (ioctl(fd, req, arg))
		bn_die("uinput %s: %s", what, strerror(errno));
}

/* Multitouch axes only size evdev's client ring (slots x axes x 8). */
static void ui_setup_axes(int fd)
{
	struct uinput_abs_setup abs;

	ui_ioctl(fd, UI_SET_EVBIT, EV_ABS, "EV_ABS");
	for (unsigned int code = ABS_MT_SLOT; code <= ABS_MT_TOOL_Y; code++) {
		memset(&abs, 0, sizeof(abs));
		abs.code = (uint16_t)code;
		abs.absinfo.maximum = code == ABS_MT_SLOT ? BN_MT_SLOTS - 1 : 1000;
		ui_ioctl(fd, UI_SET_ABSBIT, code, "ABS bit");
		if (ioctl(fd, UI_ABS_SETUP, &abs))
			bn_die("UI_ABS_SETUP %u: %s", code, strerror(errno));
	}
}

/* /sys/devices/virtual/input/inputN/eventM/dev -> a node of our own */
static void ui_make_node(struct bn_uinput *u)
{
	char sysname[64], path[384], dev[32];
	unsigned int maj, min;
	struct dirent *de;
	DIR *d;

	if (ioctl(u->ufd, UI_GET_SYSNAME(sizeof(sysname)), sysname) < 0)
		bn_die("UI_GET_SYSNAME: %s", strerror(errno));
	snprintf(path, sizeof(path), "/sys/devices/virtual/input/%s", sysname);
	d = opendir(path);
	if (!d)
		bn_die("%s: %s", path, strerror(errno));
	dev[0] = '\0';
	while ((de = readdir(d)))
		if (!strncmp(de->d_name, "event", 5)) {
			snprintf(path, sizeof(path),
				 "/sys/devices/virtual/input/%s/%s/dev",
				 sysname, de->d_name);
			bn_get_str(path, dev, sizeof(dev));
			break;
		}
	closedir(d);
	if (sscanf(dev, "%u:%u", &maj, &min) != 2)
		bn_die("no event node under input device %s", sysname);
	snprintf(u->node, sizeof(u->node), "/dev/.bench-evdev-%d-%u",
		 getpid(), min);
	unlink(u->node);
	if (mknod(u->node, S_IFCHR | 0600, makedev(maj, min)))
		bn_die("mknod %s: %s", u->node, strerror(errno));
}

void bn_uinput_create(struct bn_uinput *u, const char *name, bool big_ring)
{
	struct uinput_setup setup;

	u->ufd = open("/dev/uinput", O_WRONLY | O_CLOEXEC);
	if (u->ufd < 0 && bn_sh("modprobe uinput") == 0)
		u->ufd = open("/dev/uinput", O_WRONLY | O_CLOEXEC);
	if (u->ufd < 0)
		bn_die("/dev/uinput: %s", strerror(errno));
	ui_ioctl(u->ufd, UI_SET_EVBIT, EV_MSC, "EV_MSC");
	ui_ioctl(u->ufd, UI_SET_MSCBIT, MSC_RAW, "MSC_RAW");
	if (big_ring)
		ui_setup_axes(u->ufd);
	memset(&setup, 0, sizeof(setup));
	setup.id.bustype = BUS_VIRTUAL;
	setup.id.vendor = 0x1d6b;
	setup.id.product = 0x0b01;
	snprintf(setup.name, sizeof(setup.name), "%s", name);
	ui_ioctl(u->ufd, UI_DEV_SETUP, (unsigned long)&setup, "UI_DEV_SETUP");
	ui_ioctl(u->ufd, UI_DEV_CREATE, 0, "UI_DEV_CREATE");
	ui_make_node(u);
}

void bn_uinput_destroy(struct bn_uinput *u)
{
	unlink(u->node);
	ioctl(u->ufd, UI_DEV_DESTROY);
	close(u->ufd);
	u->ufd = -1;
}

int bn_uinput_open(const struct bn_uinput *u)
{
	int fd = open(u->node, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		bn_die("open %s: %s", u->node, strerror(errno));
	return fd;
}

void bn_uinput_packet(const struct bn_uinput *u, unsigned int n, int value)
{
	static struct input_event ev[1024];
	size_t len;

	if (n >= sizeof(ev) / sizeof(ev[0]))
		bn_die("uinput packet of %u events is too large", n);
	memset(ev, 0, (n + 1) * sizeof(ev[0]));
	for (unsigned int i = 0; i < n; i++) {
		ev[i].type = EV_MSC;
		ev[i].code = MSC_RAW;
		ev[i].value = value + (int)i;
	}
	ev[n].type = EV_SYN;
	ev[n].code = SYN_REPORT;
	len = (n + 1) * sizeof(ev[0]);
	if (write(u->ufd, ev, len) != (ssize_t)len)
		bn_die("uinput write: %s", strerror(errno));
}
