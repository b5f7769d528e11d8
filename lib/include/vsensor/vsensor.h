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

#ifdef __cplusplus
}
#endif

#endif /* VSENSOR_VSENSOR_H */
