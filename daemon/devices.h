/*
 * vsensord: the view of the vsensor devices (udev monitor, coldplug,
 * reconcile after a lost uevent) and of the kernel's sessions (the netlink
 * "events" group), and the application of settings to each device.
 */
#ifndef VSENSORD_DEVICES_H
#define VSENSORD_DEVICES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "settings.h"

struct loop;
struct vsensord_stats;
struct vsensor_nl;

/* One device present, as udev described it; read-only outside devices.c. */
struct device {
	char *syspath;		/* the misc device below the bus device */
	char *name;		/* "vsensor3": the misc device */
	const char *bus;	/* "vsensor" or "pci": vsensor_backend_of() */
	char *bus_address;	/* the bus device: "vsensor3", "0000:01:00.0" */
	unsigned int id;	/* 3 */
	char *devnode;		/* "/dev/vsensor3" */
	char *serial;		/* VSENSOR_SERIAL, or NULL */
	char *model;		/* VSENSOR_MODEL, or NULL */
	char *id_path;		/* ID_PATH, or NULL */
	char *identity;		/* serial, else ID_PATH, else name */
	unsigned long long seqnum;	/* of the last uevent taken */
	struct settings_values settings;	/* what was last requested */
	int settings_err;	/* 0, or -errno of the last DEVICE_SET */
	char settings_msg[256];	/* the kernel's message when refused */
	struct device *next;
};

/* Told of devices as they come and go (capture.c resumes and pauses). */
struct devices_ops {
	void (*added)(const struct device *dev, void *data);
	void (*removed)(const struct device *dev, void *data);
};

struct devices_opts {
	int udev_rcvbuf;	/* receive buffer of the monitor, bytes */
	int netlink_rcvbuf;	/* of the events socket; 0 keeps the default */
};

struct devices;

struct devices *devices_new(struct loop *loop, const struct devices_opts *opts,
			    struct vsensord_stats *stats,
			    const struct devices_ops *ops, void *data);
void devices_free(struct devices *devices);
/*
 * Start the udev monitor, then enumerate (coldplug), then subscribe to the
 * netlink events and dump the kernel's sessions. @settings are applied to
 * each device found.
 */
int devices_start(struct devices *devices, const struct settings *settings);
/* New settings (a reload): apply them to every device present. */
void devices_set_settings(struct devices *devices,
			  const struct settings *settings);

/* The device named by @arg: number, name, node, serial or identity. */
const struct device *devices_find(const struct devices *devices,
				  const char *arg);
const struct device *devices_find_identity(const struct devices *devices,
					   const char *identity);
const struct device *devices_first(const struct devices *devices);
size_t devices_count(const struct devices *devices);
/* Sessions the kernel reports open (all devices), as the events tell. */
size_t devices_kernel_sessions(const struct devices *devices);

/*
 * Apply @values to @dev now (one DEVICE_SET), logging each setting: 0, or
 * -errno with the kernel's message in @msg.
 */
int devices_apply(struct devices *devices, const struct device *dev,
		  const struct settings_values *values, char *msg, size_t len);
/* The request socket, for dumps (NULL while the module is not loaded). */
struct vsensor_nl *devices_netlink(struct devices *devices);

#endif /* VSENSORD_DEVICES_H */
