// SPDX-License-Identifier: GPL-2.0
/*
 * vsensor-fuzz target "sysfs": every writable file of the devices, their
 * LED and power directories, the driver's bind/unbind, with random values.
 */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

#define MAX_FILES	512

static char files[MAX_FILES][512];
static unsigned int nr_files;

static void add_file(const char *path)
{
	if (nr_files < MAX_FILES)
		snprintf(files[nr_files++], sizeof(files[0]), "%s", path);
}

/* The writable files of a directory and of its subdirectories (1 level). */
static void scan_dir(const char *dir, int depth)
{
	char path[512];
	struct dirent *de;
	struct stat st;
	DIR *d = opendir(dir);

	if (!d)
		return;
	/* cppcheck-suppress readdirCalled ; single-threaded */
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || !strcmp(de->d_name, "subsystem") ||
		    !strcmp(de->d_name, "driver") || !strcmp(de->d_name, "device"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (lstat(path, &st))
			continue;
		if (S_ISDIR(st.st_mode) && depth > 0)
			scan_dir(path, depth - 1);
		else if (S_ISREG(st.st_mode) && (st.st_mode & 0222))
			add_file(path);
	}
	closedir(d);
}

static void scan_files(void)
{
	char path[512];
	struct dirent *de;
	DIR *d;

	nr_files = 0;
	d = opendir("/sys/bus/vsensor/devices");
	/* cppcheck-suppress readdirCalled ; single-threaded */
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/bus/vsensor/devices/%s",
			 de->d_name);
		scan_dir(path, 2);
		snprintf(path, sizeof(path), "/sys/class/leds/%s::status",
			 de->d_name);
		scan_dir(path, 0);
	}
	if (d)
		closedir(d);
	add_file("/sys/bus/vsensor/drivers/vsensor/bind");
	add_file("/sys/bus/vsensor/drivers/vsensor/unbind");
	add_file("/sys/bus/vsensor/drivers_probe");
}

static void sysfs_round(void)
{
	static char val[PAGE + 1];
	unsigned int i;
	size_t len;

	scan_files();
	for (i = 0; i < 16 && nr_files; i++) {
		const char *path = files[below(nr_files)];

		len = pick_value(val, sizeof(val));
		if (strstr(path, "power/control") && chance(50))
			len = (size_t)snprintf(val, sizeof(val), "auto");
		write_file(path, val, len);
		stats->iterations++;
	}
}

const struct fuzz_target target_sysfs = {
	.name = "sysfs",
	.round = sysfs_round,
};
