/*
 * vsensord: what the daemon's objects share: its counters (GetStatus) and
 * the paths it works with. Each object has its own header.
 */
#ifndef VSENSORD_VSENSORD_H
#define VSENSORD_VSENSORD_H

#include <stdint.h>

#define VSENSORD_STATE_DIR	"/var/lib/vsensor"
#define VSENSORD_CONF_FILE	"/etc/vsensor/vsensord.conf"
#define VSENSORD_CONF_DIR	"/etc/vsensor/vsensord.conf.d"
#define VSENSORD_SOCKET		"/run/vsensor/io.vsensor"

/* Self-metrics of the daemon, shown by GetStatus. */
struct vsensord_stats {
	uint64_t start_ns;		/* CLOCK_MONOTONIC at start */
	uint64_t udev_overflows;	/* ENOBUFS on the udev monitor */
	uint64_t netlink_overflows;	/* ENOBUFS on the netlink events */
	uint64_t reenumerations;	/* full re-enumerations done */
	uint64_t settings_applied;	/* DEVICE_SET requests the kernel took */
	uint64_t settings_failed;	/* ... and refused */
	uint64_t config_generation;	/* 1 at start, +1 per successful reload */
};

struct loop;
struct devices;
struct capture;
struct control;
struct settings;
struct settings_error;

/* The daemon's objects, for the control socket (the top layer). */
struct vsensord {
	struct loop *loop;
	struct devices *devices;
	struct capture *capture;
	struct control *control;
	struct settings *settings;
	struct vsensord_stats stats;
	const char *conf_file;
	const char *conf_dir;
	const char *state_dir;
	const char *state_file;		/* persisted settings */
	/* Parse the configuration again and apply it; main.c's. */
	int (*reload)(struct vsensord *d, struct settings_error *err);
};

#endif /* VSENSORD_VSENSORD_H */
