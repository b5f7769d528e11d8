/*
 * libvsensor: find vsensor devices and stream their records.
 *
 * Objects are opaque. Functions are named vsensor_<object>_<verb>(); those
 * that can fail return NULL or -1 and set errno; destructors accept NULL.
 * The record, info, config and stats structs are the kernel ABI from
 * <linux/vsensor.h>, used as they are.
 */
#ifndef VSENSOR_VSENSOR_H
#define VSENSOR_VSENSOR_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/vsensor.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A snapshot of the vsensor devices present when it was made. */
struct vsensor_ctx;
/* One device of a snapshot, owned by its context. */
struct vsensor_device;
/* One open of /dev/vsensorN: its own queue, configuration and counters. */
struct vsensor_session;

/* The library version, e.g. "0.1.0". */
const char *vsensor_api_version(void);

/*
 * Device arguments name a device by number, bus name or device node:
 * "3", "vsensor3" and "/dev/vsensor3" all give 3. Anything else fails with
 * EINVAL (NULL, empty, signs, spaces, leading zeros, other paths, numbers
 * above INT_MAX).
 */
int vsensor_parse_device_arg(const char *arg, unsigned int *id);

/* Enumerate the devices on the vsensor bus, sorted by number. */
struct vsensor_ctx *vsensor_ctx_new(void);
void vsensor_ctx_free(struct vsensor_ctx *ctx);
size_t vsensor_ctx_get_num_devices(struct vsensor_ctx *ctx);
/* Borrowed from @ctx, valid until vsensor_ctx_free(); EINVAL past the end. */
struct vsensor_device *vsensor_ctx_get_device(struct vsensor_ctx *ctx,
					      size_t index);
/* Resolve a device argument: EINVAL if malformed, ENOENT if not present. */
struct vsensor_device *vsensor_ctx_find_device(struct vsensor_ctx *ctx,
					       const char *arg);

/*
 * Device accessors: values read from sysfs when the snapshot was made.
 * Strings are NULL and numbers 0 when the attribute could not be read; the
 * device node is NULL when the device has no character device.
 */
unsigned int vsensor_device_get_id(struct vsensor_device *dev);
const char *vsensor_device_get_name(struct vsensor_device *dev);
const char *vsensor_device_get_syspath(struct vsensor_device *dev);
const char *vsensor_device_get_devnode(struct vsensor_device *dev);
const char *vsensor_device_get_model(struct vsensor_device *dev);
const char *vsensor_device_get_serial(struct vsensor_device *dev);
unsigned int vsensor_device_get_num_channels(struct vsensor_device *dev);
unsigned int vsensor_device_get_fifo_depth(struct vsensor_device *dev);
unsigned int vsensor_device_get_sample_rate(struct vsensor_device *dev);
unsigned int vsensor_device_get_sample_rate_max(struct vsensor_device *dev);

/* Flags of vsensor_session_open(). */
enum {
	VSENSOR_SESSION_NONBLOCK = 1 << 0,	/* read() fails with EAGAIN */
};

/*
 * Open a session on a device argument (see vsensor_parse_device_arg()).
 * EINVAL for a malformed @device or unknown @flags, else the errors of
 * open(2): ENOENT when the device does not exist.
 */
struct vsensor_session *vsensor_session_open(const char *device, int flags);
void vsensor_session_close(struct vsensor_session *session);
/* For poll(2): POLLIN when records are queued. Owned by the session. */
int vsensor_session_get_fd(struct vsensor_session *session);
/*
 * Wait until a read would not block (records queued, or an error such as a
 * removed device to report). @timeout_ns < 0 waits forever.
 * Returns 1 when ready, 0 on timeout, -1 on error (EINTR included).
 */
int vsensor_session_wait(struct vsensor_session *session, int64_t timeout_ns);
/* Read up to @max whole records; returns how many, or -1 (EAGAIN, ...). */
ssize_t vsensor_session_read(struct vsensor_session *session,
			     struct vsensor_record *records, size_t max);

/* The ioctls; kernel errors are passed through (e.g. ENOTTY). */
int vsensor_session_get_info(struct vsensor_session *session,
			     struct vsensor_info *info);
int vsensor_session_get_config(struct vsensor_session *session,
			       struct vsensor_config *config);
/* The kernel may write back the configuration it applied. */
int vsensor_session_set_config(struct vsensor_session *session,
			       struct vsensor_config *config);
int vsensor_session_get_stats(struct vsensor_session *session,
			      struct vsensor_stats *stats);
/* Discard every queued record. */
int vsensor_session_flush(struct vsensor_session *session);

/*
 * Control through the generic netlink family "vsensor" (lib/netlink.c).
 * Requests that change state need CAP_NET_ADMIN (EPERM otherwise). When
 * the kernel refuses a request, vsensor_nl_get_error() gives its message.
 */
struct vsensor_nl;

/* A device as the kernel describes it; settings are 0 when offline. */
struct vsensor_nl_device {
	uint32_t id;
	char serial[VSENSOR_SERIAL_LEN];
	char model[VSENSOR_MODEL_LEN];
	int online;
	uint32_t fw_version;		/* 0xMMmmpppp */
	uint32_t channels;
	uint32_t sample_rate;
	uint32_t sessions_open;
	uint32_t waveform;		/* enum vsensor_waveform */
	uint32_t amplitude;
	uint32_t frequency_mhz;
};

/* A session: who opened it, its configuration and counters. */
struct vsensor_nl_session {
	uint64_t id;
	uint32_t dev_id;
	uint32_t pid;
	char comm[16];
	struct vsensor_config config;	/* zero in notifications */
	struct vsensor_stats stats;	/* zero in notifications */
};

/* A notification of the "events" group. */
struct vsensor_nl_event {
	unsigned int cmd;		/* VSENSOR_CMD_DEVICE_ADDED ... */
	struct vsensor_nl_device device;	/* device events: what is known */
	struct vsensor_nl_session session;	/* session and overrun events */
	uint64_t iova;			/* IOMMU_FAULT */
	uint32_t lost;			/* notifications lost before this one */
};

/* Resolve the family; ENOENT when the module is not loaded. */
struct vsensor_nl *vsensor_nl_open(void);
void vsensor_nl_close(struct vsensor_nl *nl);
/* The kernel's message about the last refused request, or NULL. */
const char *vsensor_nl_get_error(struct vsensor_nl *nl);

int vsensor_nl_device_new(struct vsensor_nl *nl, unsigned int id,
			  const char *serial);
int vsensor_nl_device_del(struct vsensor_nl *nl, unsigned int id);
int vsensor_nl_device_get(struct vsensor_nl *nl, unsigned int id,
			  struct vsensor_nl_device *dev);
/* Calls @fn for every device; a non-zero return from @fn stops the walk. */
int vsensor_nl_device_list(struct vsensor_nl *nl,
			   int (*fn)(const struct vsensor_nl_device *dev,
				     void *data), void *data);

/* One setting of VSENSOR_CMD_DEVICE_SET: a VSENSOR_A_DEV_* and its value. */
struct vsensor_nl_setting {
	unsigned int attr;
	uint32_t value;
};

/*
 * "waveform" "square", "amplitude" "500", "frequency_mhz" "250": 0, or -1
 * with EINVAL (unknown key, bad name, not a decimal u32). Ranges are the
 * kernel's to check.
 */
int vsensor_nl_setting_parse(const char *key, const char *value,
			     struct vsensor_nl_setting *setting);
/* Apply @n settings at once: all or nothing. */
int vsensor_nl_device_set(struct vsensor_nl *nl, unsigned int id,
			  const struct vsensor_nl_setting *settings, size_t n);
/* "sine", ... for an enum vsensor_waveform; NULL if unknown. */
const char *vsensor_waveform_name(uint32_t waveform);

int vsensor_nl_session_list(struct vsensor_nl *nl,
			    int (*fn)(const struct vsensor_nl_session *s,
				      void *data), void *data);
int vsensor_nl_session_revoke(struct vsensor_nl *nl, uint64_t id);

/*
 * Events: subscribe, then poll vsensor_nl_get_fd() and call
 * vsensor_nl_event_read(), which calls @fn for each notification received.
 * ENOBUFS means notifications were lost: re-enumerate.
 */
int vsensor_nl_subscribe(struct vsensor_nl *nl);
int vsensor_nl_get_fd(struct vsensor_nl *nl);
int vsensor_nl_event_read(struct vsensor_nl *nl,
			  int (*fn)(const struct vsensor_nl_event *ev,
				    void *data), void *data);
/* "device-added", ... for a VSENSOR_CMD_*; NULL if not a notification. */
const char *vsensor_nl_event_name(unsigned int cmd);

#ifdef __cplusplus
}
#endif

#endif /* VSENSOR_VSENSOR_H */
