// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: vsensord's configuration parser (daemon/settings.c on
 * libinih). The input is a selector byte, then the data: '0' (any byte
 * with a remainder of 0 by 3) a configuration file, '1' a state file, '2'
 * an identity to persist. An error must name the file and a line within
 * it; a success must resolve to values within the uapi ranges; what
 * settings_persist() accepts must read back.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/vsensor.h>

#include "settings.h"

static const struct settings_device devices[] = {
	{ .identity = "LAB-1", .serial = "LAB-1", .name = "vsensor0", .model = "VSN1000" },
	{ .identity = "pci-0000:00:05.0", .name = "vsensor3" },
	{ .identity = "", .serial = "", .name = "", .model = "" },
};

static void check_values(const struct settings_values *v)
{
	static const uint32_t min[NR_SETTINGS] = {
		VSENSOR_WAVEFORM_SINE, 0, VSENSOR_FREQUENCY_MIN,
	};
	static const uint32_t max[NR_SETTINGS] = {
		VSENSOR_WAVEFORM_MAX, VSENSOR_AMPLITUDE_MAX, VSENSOR_FREQUENCY_MAX,
	};

	for (int k = 0; k < NR_SETTINGS; k++)
		if (v->set[k] && (v->value[k] < min[k] || v->value[k] > max[k]))
			abort();
}

static char state_dir[64], state_file[96];

static void remove_state(void)
{
	unlink(state_file);
	rmdir(state_dir);
}

/* Persist @identity into a state file of its own, then read it back. */
static void persist_round_trip(const uint8_t *data, size_t size)
{
	struct settings_values v = { 0 }, back;
	struct settings_device dev = { .name = "vsensor0" };
	struct settings_error err;
	struct settings *s;
	char *identity;
	int ret;

	if (!state_file[0]) {
		strcpy(state_dir, "/dev/shm/fuzz-config.XXXXXX");
		if (!mkdtemp(state_dir) &&
		    !mkdtemp(strcpy(state_dir, "/tmp/fuzz-config.XXXXXX")))
			abort();
		snprintf(state_file, sizeof(state_file), "%s/settings.conf", state_dir);
		atexit(remove_state);
	}
	identity = strndup((const char *)data, size);
	if (!identity)
		abort();
	unlink(state_file);
	s = settings_load(NULL, NULL, state_file, &err);
	if (!s)
		abort();
	v.set[SETTING_AMPLITUDE] = true;
	v.value[SETTING_AMPLITUDE] = (uint32_t)size;
	ret = settings_persist(s, identity, &v);
	settings_free(s);
	if (ret == -EINVAL)
		goto out;
	if (ret)
		abort();
	s = settings_load(NULL, NULL, state_file, &err);
	if (!s)
		abort();
	dev.identity = identity;
	settings_resolve(s, &dev, &back);
	if (!back.set[SETTING_AMPLITUDE] || back.value[SETTING_AMPLITUDE] != size ||
	    back.set[SETTING_WAVEFORM] || back.set[SETTING_FREQUENCY])
		abort();
	settings_free(s);
out:
	free(identity);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];
	struct settings_error err;
	struct settings_values v;
	struct settings *s;
	bool state;
	size_t lines = 1;

	if (fd < 0) {
		fd = memfd_create("fuzz-config", MFD_CLOEXEC);
		if (fd < 0)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (!size)
		return 0;
	state = data[0] % 3 == 1;
	if (data[0] % 3 == 2) {
		persist_round_trip(data + 1, size - 1);
		return 0;
	}
	data++;
	size--;
	if (ftruncate(fd, 0) || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';

	s = settings_load(state ? NULL : path, NULL, state ? path : NULL, &err);
	if (!s) {
		if (strcmp(err.file, path) || err.line < 0 || (size_t)err.line > lines ||
		    !err.message[0] || !memchr(err.message, '\0', sizeof(err.message)))
			abort();
		return 0;
	}
	for (size_t i = 0; i < sizeof(devices) / sizeof(devices[0]); i++) {
		settings_resolve(s, &devices[i], &v);
		check_values(&v);
	}
	settings_free(s);
	return 0;
}
