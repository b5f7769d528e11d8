/*
 * libvsensor: find vsensor devices and stream their records.
 *
 * Objects are opaque. Functions are named vsensor_<object>_<verb>(); those
 * that can fail return NULL or -1 and set errno; destructors accept NULL.
 * The record, info, config and stats structs are the kernel ABI from
 * <linux/vsensor.h>, used as they are; it is installed beside this header
 * as <vsensor/vsensor-uapi.h>, so this header needs nothing else of ours.
 */
#ifndef VSENSOR_VSENSOR_H
#define VSENSOR_VSENSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <vsensor/vsensor-uapi.h>

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
 * Where records were lost, as libevdev's SYN_DROPPED: feed every record a
 * session reads, in order, to vsensor_gap_check(); it returns how many
 * records were lost just before that one (0: none), so the caller knows
 * where each gap is (the record's seq and timestamp) and how long. A lost
 * record still consumed its sequence number, so a jump in seq is exactly
 * the loss; for the first record checked, its dropped count is. A seq
 * lower than expected (records offered again by VSENSOR_IOC_REWIND) loses
 * nothing. vsensor_gap_reset() forgets the stream (a new session).
 */
struct vsensor_gap;
struct vsensor_gap *vsensor_gap_new(void);
void vsensor_gap_free(struct vsensor_gap *gap);
void vsensor_gap_reset(struct vsensor_gap *gap);
uint64_t vsensor_gap_check(struct vsensor_gap *gap,
			   const struct vsensor_record *rec);
/* Records lost, and gaps, since the tracker was made (a reset keeps them). */
uint64_t vsensor_gap_get_lost(const struct vsensor_gap *gap);
uint64_t vsensor_gap_get_gaps(const struct vsensor_gap *gap);

/*
 * A record as one CSV line, "seq,timestamp_ns,flags,dropped" then the value
 * of each channel in @channel_mask, ending in a newline; the header line
 * names the same columns ("ch0"...). vsensord's csv recordings and
 * vsensorctl read --format csv use it. Returns the length written to @buf
 * (NUL-terminated), or -1 with errno ENOSPC when @len is too small.
 */
ssize_t vsensor_record_csv_header(uint32_t channel_mask, char *buf, size_t len);
ssize_t vsensor_record_csv(const struct vsensor_record *record,
			   uint32_t channel_mask, char *buf, size_t len);

/*
 * The one number parser of the library and its tools: unsigned decimal,
 * digits only (no sign, space, "0x" or leading zero), in [@min, @max].
 * 0, or -1 with errno EINVAL (not such a number) or ERANGE (out of range);
 * *@val is written only on success.
 */
int vsensor_parse_u64(const char *str, uint64_t min, uint64_t max,
		      uint64_t *val);

/*
 * Device arguments name a device by number, bus name or device node:
 * "3", "vsensor3" and "/dev/vsensor3" all give 3. Anything else fails with
 * EINVAL (NULL, empty, signs, spaces, leading zeros, other paths, numbers
 * above INT_MAX).
 */
int vsensor_parse_device_arg(const char *arg, unsigned int *id);

/*
 * A device argument or a serial ("VSN-0001"): a number, name or node
 * stores its number in *id and NULL in *serial; anything else that is a
 * serial's word (letters, digits, '-', '_', not all digits, not
 * "vsensor...", shorter than VSENSOR_SERIAL_LEN) stores a pointer to @arg
 * in *serial. Else -1 with EINVAL. vsensor_ctx_find_device() and
 * vsensor_session_open() take what it accepts.
 */
int vsensor_parse_device_spec(const char *arg, unsigned int *id,
			      const char **serial);

/* Enumerate the devices on the vsensor bus, sorted by number. */
struct vsensor_ctx *vsensor_ctx_new(void);
void vsensor_ctx_free(struct vsensor_ctx *ctx);
size_t vsensor_ctx_get_num_devices(struct vsensor_ctx *ctx);
/* Borrowed from @ctx, valid until vsensor_ctx_free(); EINVAL past the end. */
struct vsensor_device *vsensor_ctx_get_device(struct vsensor_ctx *ctx,
					      size_t index);
/*
 * Resolve a device argument, or else a serial ("VSN1000-000003"; one that
 * is all digits or begins with "vsensor" reads as a number or name):
 * EINVAL if it is neither, ENOENT if no such device is present.
 */
struct vsensor_device *vsensor_ctx_find_device(struct vsensor_ctx *ctx,
					       const char *arg);

/*
 * Device accessors: values read from sysfs when the snapshot was made.
 * Strings are NULL, and numbers -1 with errno ENODATA, when the attribute
 * could not be read (missing, or not a number up to INT_MAX); the device
 * node is NULL when the device has no character device.
 */
unsigned int vsensor_device_get_id(struct vsensor_device *dev);
const char *vsensor_device_get_name(struct vsensor_device *dev);
const char *vsensor_device_get_syspath(struct vsensor_device *dev);
const char *vsensor_device_get_devnode(struct vsensor_device *dev);
const char *vsensor_device_get_model(struct vsensor_device *dev);
const char *vsensor_device_get_serial(struct vsensor_device *dev);
int vsensor_device_get_num_channels(struct vsensor_device *dev);
int vsensor_device_get_fifo_depth(struct vsensor_device *dev);
int vsensor_device_get_sample_rate(struct vsensor_device *dev);
int vsensor_device_get_sample_rate_max(struct vsensor_device *dev);
/*
 * The backend: the bus of the device that holds the attributes, "vsensor"
 * (the in-kernel model) or "pci", and the device's name there
 * ("vsensor0", "0000:01:00.0"). Never NULL.
 */
const char *vsensor_device_get_bus(struct vsensor_device *dev);
const char *vsensor_device_get_bus_address(struct vsensor_device *dev);

/* Flags of vsensor_session_open(). */
enum {
	VSENSOR_SESSION_NONBLOCK = 1 << 0,	/* read() fails with EAGAIN */
};

/*
 * Open a session on the device @device names, as vsensor_ctx_find_device()
 * finds it, through the device node udev gives it. EINVAL for a malformed
 * @device or unknown @flags, ENOENT when no such device is present, ENODEV
 * when it has no device node, else the errors of open(2).
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

/*
 * Queue up to @n stimulus records, which the sensor then measures in place
 * of its waveform, one per sample (they come back with the injected flag,
 * in every session of the device). Only value[] counts, for the channels
 * the device has; every other field must be zero. Returns how many were
 * queued (blocking until the first fits, unless VSENSOR_SESSION_NONBLOCK),
 * or -1 with errno: EAGAIN (full, non-blocking), EINVAL (a bad record),
 * ENODEV (revoked or removed).
 */
ssize_t vsensor_session_write(struct vsensor_session *session,
			      const struct vsensor_record *records, size_t n);

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
 * Offer again the records from sequence number @seq on that were already
 * read, while the kernel's queue still holds them (VSENSOR_IOC_REWIND): a
 * reader that lost what it read resumes without a gap. ENODATA when some
 * of them are gone.
 */
int vsensor_session_rewind(struct vsensor_session *session, uint64_t seq);

/*
 * Control through the generic netlink family "vsensor" (lib/netlink.c).
 * Requests that change state need CAP_NET_ADMIN (EPERM otherwise). When
 * the kernel refuses a request, vsensor_nl_get_error() gives its message.
 */
struct vsensor_nl;

/*
 * What the kernel says about a device, a session and a notification:
 * opaque, read through accessors, so that they can grow. Those passed to a
 * callback are valid during the call only; vsensor_nl_device_get() returns
 * one of the caller's, freed with vsensor_nl_device_free().
 */
struct vsensor_nl_device;
struct vsensor_nl_session;
struct vsensor_nl_event;

/* Resolve the family; ENOENT when the module is not loaded. */
struct vsensor_nl *vsensor_nl_open(void);
void vsensor_nl_close(struct vsensor_nl *nl);
/* The kernel's message about the last refused request, or NULL. */
const char *vsensor_nl_get_error(struct vsensor_nl *nl);

int vsensor_nl_device_new(struct vsensor_nl *nl, unsigned int id,
			  const char *serial);
int vsensor_nl_device_del(struct vsensor_nl *nl, unsigned int id);
struct vsensor_nl_device *vsensor_nl_device_get(struct vsensor_nl *nl,
						unsigned int id);
void vsensor_nl_device_free(struct vsensor_nl_device *dev);
/*
 * Calls @fn for every device; a non-zero return from @fn stops the walk
 * (the rest of the dump is read and dropped) and the call returns 0.
 */
int vsensor_nl_device_list(struct vsensor_nl *nl,
			   int (*fn)(const struct vsensor_nl_device *dev,
				     void *data), void *data);

/*
 * Device accessors. A string the kernel did not send is ""; settings
 * (waveform and after) are 0 while the device is offline.
 */
uint32_t vsensor_nl_device_get_id(const struct vsensor_nl_device *dev);
const char *vsensor_nl_device_get_serial(const struct vsensor_nl_device *dev);
const char *vsensor_nl_device_get_model(const struct vsensor_nl_device *dev);
bool vsensor_nl_device_is_online(const struct vsensor_nl_device *dev);
/* 0xMMmmpppp */
uint32_t
vsensor_nl_device_get_fw_version(const struct vsensor_nl_device *dev);
uint32_t
vsensor_nl_device_get_num_channels(const struct vsensor_nl_device *dev);
uint32_t
vsensor_nl_device_get_sample_rate(const struct vsensor_nl_device *dev);
uint32_t
vsensor_nl_device_get_num_sessions(const struct vsensor_nl_device *dev);
/* enum vsensor_waveform */
uint32_t vsensor_nl_device_get_waveform(const struct vsensor_nl_device *dev);
uint32_t
vsensor_nl_device_get_amplitude(const struct vsensor_nl_device *dev);
uint32_t
vsensor_nl_device_get_frequency_mhz(const struct vsensor_nl_device *dev);

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

/* Calls @fn for every session; stops as vsensor_nl_device_list() does. */
int vsensor_nl_session_list(struct vsensor_nl *nl,
			    int (*fn)(const struct vsensor_nl_session *s,
				      void *data), void *data);
int vsensor_nl_session_revoke(struct vsensor_nl *nl, uint64_t id);
/*
 * Session accessors; the configuration and counters are zero in
 * notifications, and belong to the session.
 */
uint64_t vsensor_nl_session_get_id(const struct vsensor_nl_session *s);
uint32_t vsensor_nl_session_get_dev_id(const struct vsensor_nl_session *s);
uint32_t vsensor_nl_session_get_pid(const struct vsensor_nl_session *s);
const char *vsensor_nl_session_get_comm(const struct vsensor_nl_session *s);
const struct vsensor_config *
vsensor_nl_session_get_config(const struct vsensor_nl_session *s);
const struct vsensor_stats *
vsensor_nl_session_get_stats(const struct vsensor_nl_session *s);

/*
 * Events: subscribe, then poll vsensor_nl_get_fd() and call
 * vsensor_nl_event_read(), which calls @fn for each notification received.
 * Events have a socket of their own, opened by vsensor_nl_subscribe(), so
 * requests on the same handle keep their sequence check; the fd is that
 * socket's. vsensor_nl_event_read() returns 0, 1 when @fn returned
 * non-zero (the notifications after it in that read are dropped), or -1
 * with errno: EAGAIN nothing to read (non-blocking fd), ENOBUFS
 * notifications were lost (re-enumerate), EINVAL not subscribed.
 */
int vsensor_nl_subscribe(struct vsensor_nl *nl);
int vsensor_nl_get_fd(struct vsensor_nl *nl);
int vsensor_nl_event_read(struct vsensor_nl *nl,
			  int (*fn)(const struct vsensor_nl_event *ev,
				    void *data), void *data);
/* "device-added", ... for a VSENSOR_CMD_*; NULL if not a notification. */
const char *vsensor_nl_event_name(unsigned int cmd);
/*
 * Event accessors: its VSENSOR_CMD_*; the device (device events: what is
 * known; others: its id) and the session (session and overrun events),
 * both owned by the event, zero where the notification says nothing; the
 * IOVA of an IOMMU fault; notifications lost before this one.
 */
unsigned int vsensor_nl_event_get_cmd(const struct vsensor_nl_event *ev);
const struct vsensor_nl_device *
vsensor_nl_event_get_device(const struct vsensor_nl_event *ev);
const struct vsensor_nl_session *
vsensor_nl_event_get_session(const struct vsensor_nl_event *ev);
uint64_t vsensor_nl_event_get_iova(const struct vsensor_nl_event *ev);
uint32_t vsensor_nl_event_get_lost(const struct vsensor_nl_event *ev);

/*
 * A monitor: the vsensor devices udev adds and removes, and the
 * notifications of the netlink events group, behind one fd for the
 * caller's poll loop (lib/monitor.c). vsensor_monitor_read() returns the
 * next event, to free with vsensor_monitor_event_free(); it waits for one
 * unless VSENSOR_MONITOR_NONBLOCK, then NULL with EAGAIN. An OVERFLOW
 * event says events of either source were lost: enumerate again.
 * vsensor_monitor_new() fails with ENOENT when the module is not loaded.
 */
struct vsensor_monitor;
struct vsensor_monitor_event;

/* Flags of vsensor_monitor_new(). */
enum {
	VSENSOR_MONITOR_NONBLOCK = 1 << 0,	/* read fails with EAGAIN */
};

/* What a monitor event is. */
enum vsensor_monitor_event_type {
	VSENSOR_MONITOR_EVENT_DEVICE_ADDED = 1,	/* udev: a device node appeared */
	VSENSOR_MONITOR_EVENT_DEVICE_REMOVED,	/* udev: it went away */
	VSENSOR_MONITOR_EVENT_NETLINK,		/* a notification of the family */
	VSENSOR_MONITOR_EVENT_OVERFLOW,		/* events were lost */
};

struct vsensor_monitor *vsensor_monitor_new(int flags);
void vsensor_monitor_free(struct vsensor_monitor *mon);
/* An epoll fd, for poll(2): POLLIN when an event may be read. */
int vsensor_monitor_get_fd(struct vsensor_monitor *mon);
struct vsensor_monitor_event *vsensor_monitor_read(struct vsensor_monitor *mon);
void vsensor_monitor_event_free(struct vsensor_monitor_event *ev);
int vsensor_monitor_event_get_type(const struct vsensor_monitor_event *ev);
/*
 * Of a DEVICE_ADDED or DEVICE_REMOVED event: the device's name
 * ("vsensor3") and node; its serial, or NULL when not known. NULL otherwise.
 */
const char *vsensor_monitor_event_get_name(const struct vsensor_monitor_event *ev);
const char *
vsensor_monitor_event_get_devnode(const struct vsensor_monitor_event *ev);
const char *
vsensor_monitor_event_get_serial(const struct vsensor_monitor_event *ev);
/* The notification of a NETLINK event, owned by it; NULL otherwise. */
const struct vsensor_nl_event *
vsensor_monitor_event_get_nl_event(const struct vsensor_monitor_event *ev);

/*
 * The client of vsensord's Varlink interface io.vsensor (lib/client.c; see
 * docs/vsensord.md). Calls block until the reply or the client's timeout
 * (10 s by default: ETIMEDOUT). A refusal by the daemon is -1 or NULL with
 * errno from its error: ENOENT for NoSuchDevice and NoSuchSession, EPERM
 * for PermissionDenied, EINVAL for InvalidParameter, InvalidSetting and
 * ConfigError, the errno the daemon gives for KernelRefused and Failed,
 * EOPNOTSUPP for an unknown method or interface (an older daemon), EPROTO
 * for anything the client cannot understand. vsensor_client_get_error()
 * then names the error and vsensor_client_get_error_message() explains it.
 * A failure of the exchange itself (ETIMEDOUT, ECONNRESET, EPROTO...)
 * closes the connection; the next call opens a new one. One call at a time:
 * a client is not to be shared between threads.
 */
struct vsensor_client;
/* A held or kernel session as the daemon lists it (type Session). */
struct vsensor_daemon_session;
/* A device as the daemon knows it (type Device). */
struct vsensor_daemon_device;
/* The daemon's version and counters (GetStatus). */
struct vsensor_daemon_status;
/* What StartSession asks for; what is not set is the daemon's default. */
struct vsensor_capture_config;

/* The socket vsensord listens on, unless $VSENSOR_SOCKET names another. */
#define VSENSOR_CLIENT_ADDRESS	"/run/vsensor/io.vsensor"

/*
 * Connect to @address: a socket path, optionally "unix:PATH"; NULL for
 * $VSENSOR_SOCKET, else VSENSOR_CLIENT_ADDRESS. NULL with errno on failure:
 * ENOENT or ECONNREFUSED when the daemon is not running, EINVAL for an
 * empty address or one too long for a socket.
 */
struct vsensor_client *vsensor_client_new(const char *address);
void vsensor_client_free(struct vsensor_client *client);
/* The timeout of each call; < 0 waits forever. */
void vsensor_client_set_timeout(struct vsensor_client *client,
				int64_t timeout_ns);
/*
 * The Varlink error of the last failed call ("io.vsensor.NoSuchDevice"), or
 * NULL when it failed here (timeout, connection lost...) or did not fail.
 */
const char *vsensor_client_get_error(struct vsensor_client *client);
/* A sentence on the last failure ("vsensor9: no such device"), or NULL. */
const char *vsensor_client_get_error_message(struct vsensor_client *client);

/* GetStatus; free the result with vsensor_daemon_status_free(). */
struct vsensor_daemon_status *
vsensor_client_get_status(struct vsensor_client *client);
/*
 * ListDevices and ListSessions: @fn is called for each, with an object
 * valid during the call; a non-zero return from @fn stops the walk.
 */
int vsensor_client_list_devices(struct vsensor_client *client,
				int (*fn)(const struct vsensor_daemon_device *dev,
					  void *data), void *data);
int vsensor_client_list_sessions(struct vsensor_client *client,
				 int (*fn)(const struct vsensor_daemon_session *s,
					   void *data), void *data);
/* StartSession on a device (its name or identity); @config may be NULL. */
struct vsensor_daemon_session *
vsensor_client_start_session(struct vsensor_client *client, const char *device,
			     const struct vsensor_capture_config *config);
/*
 * StopSession: the session as it was when it stopped. Free what both
 * return with vsensor_daemon_session_free().
 */
struct vsensor_daemon_session *
vsensor_client_stop_session(struct vsensor_client *client, uint64_t id);
/*
 * SetDeviceSettings: @n settings "waveform" "square"..., all or nothing;
 * with @persist the daemon also stores them for the device's identity.
 * The device as it is now; free it with vsensor_daemon_device_free().
 */
struct vsensor_daemon_device *
vsensor_client_set_device_settings(struct vsensor_client *client,
				   const char *device,
				   const char *const *keys,
				   const char *const *values, size_t n,
				   bool persist);
/* Reload: the new configuration's generation in @generation (may be NULL). */
int vsensor_client_reload(struct vsensor_client *client, uint64_t *generation);

struct vsensor_capture_config *vsensor_capture_config_new(void);
void vsensor_capture_config_free(struct vsensor_capture_config *config);
int vsensor_capture_config_set_rate_hz(struct vsensor_capture_config *config,
				       uint32_t rate_hz);
int
vsensor_capture_config_set_channel_mask(struct vsensor_capture_config *config,
					uint32_t mask);
int vsensor_capture_config_set_watermark(struct vsensor_capture_config *config,
					 uint32_t watermark);
/* "monotonic", "realtime" or "boottime"; the daemon checks. */
int vsensor_capture_config_set_clock(struct vsensor_capture_config *config,
				     const char *clock);
/* A file name in the daemon's capture directory. */
int vsensor_capture_config_set_output(struct vsensor_capture_config *config,
				      const char *output);
/* "bin" or "csv"; the daemon checks. */
int vsensor_capture_config_set_format(struct vsensor_capture_config *config,
				      const char *format);
int
vsensor_capture_config_set_rotate_bytes(struct vsensor_capture_config *config,
					uint64_t bytes);

/*
 * Session accessors. Strings the daemon left out are NULL; numbers it left
 * out are 0, and -1 for those that may be null (uid, records, gaps,
 * kernel_session).
 */
void vsensor_daemon_session_free(struct vsensor_daemon_session *s);
uint64_t vsensor_daemon_session_get_id(const struct vsensor_daemon_session *s);
/* Held by the daemon (else a kernel session another process opened). */
bool vsensor_daemon_session_is_held(const struct vsensor_daemon_session *s);
const char *
vsensor_daemon_session_get_device(const struct vsensor_daemon_session *s);
const char *
vsensor_daemon_session_get_serial(const struct vsensor_daemon_session *s);
/* "running" or "paused" (held), "open" (kernel). */
const char *
vsensor_daemon_session_get_state(const struct vsensor_daemon_session *s);
int64_t vsensor_daemon_session_get_uid(const struct vsensor_daemon_session *s);
uint32_t vsensor_daemon_session_get_pid(const struct vsensor_daemon_session *s);
const char *
vsensor_daemon_session_get_comm(const struct vsensor_daemon_session *s);
uint32_t
vsensor_daemon_session_get_rate_hz(const struct vsensor_daemon_session *s);
uint32_t
vsensor_daemon_session_get_channel_mask(const struct vsensor_daemon_session *s);
uint32_t
vsensor_daemon_session_get_watermark(const struct vsensor_daemon_session *s);
const char *
vsensor_daemon_session_get_clock(const struct vsensor_daemon_session *s);
const char *
vsensor_daemon_session_get_output(const struct vsensor_daemon_session *s);
const char *
vsensor_daemon_session_get_format(const struct vsensor_daemon_session *s);
int64_t
vsensor_daemon_session_get_records(const struct vsensor_daemon_session *s);
int64_t vsensor_daemon_session_get_gaps(const struct vsensor_daemon_session *s);
int64_t
vsensor_daemon_session_get_kernel_session(const struct vsensor_daemon_session *s);

/* Device accessors, with the same rules. */
void vsensor_daemon_device_free(struct vsensor_daemon_device *dev);
const char *
vsensor_daemon_device_get_name(const struct vsensor_daemon_device *dev);
const char *
vsensor_daemon_device_get_serial(const struct vsensor_daemon_device *dev);
const char *
vsensor_daemon_device_get_model(const struct vsensor_daemon_device *dev);
const char *
vsensor_daemon_device_get_devnode(const struct vsensor_daemon_device *dev);
const char *
vsensor_daemon_device_get_identity(const struct vsensor_daemon_device *dev);
/* Its backend, "vsensor" or "pci", and its name there; NULL if not told. */
const char *
vsensor_daemon_device_get_bus(const struct vsensor_daemon_device *dev);
const char *
vsensor_daemon_device_get_bus_address(const struct vsensor_daemon_device *dev);
bool vsensor_daemon_device_is_online(const struct vsensor_daemon_device *dev);
/* How applying the settings went, as the daemon logged it; may be NULL. */
const char *
vsensor_daemon_device_get_settings_result(const struct vsensor_daemon_device *dev);
/* The settings in force, in the daemon's order; EINVAL past the end. */
size_t
vsensor_daemon_device_get_num_settings(const struct vsensor_daemon_device *dev);
const char *
vsensor_daemon_device_get_setting_key(const struct vsensor_daemon_device *dev,
				      size_t index);
const char *
vsensor_daemon_device_get_setting_value(const struct vsensor_daemon_device *dev,
					size_t index);

/*
 * Status accessors: the version, and every counter GetStatus returns
 * ("uptime_ns", "devices", ...) in the daemon's order, so counters a newer
 * daemon adds show up too.
 */
void vsensor_daemon_status_free(struct vsensor_daemon_status *status);
const char *
vsensor_daemon_status_get_version(const struct vsensor_daemon_status *status);
size_t
vsensor_daemon_status_get_num_counters(const struct vsensor_daemon_status *status);
/* NULL and EINVAL past the end. */
const char *
vsensor_daemon_status_get_counter_name(const struct vsensor_daemon_status *status,
				       size_t index);
uint64_t
vsensor_daemon_status_get_counter_value(const struct vsensor_daemon_status *status,
					size_t index);
/* The counter @name: 0, or -1 with ENOENT. */
int
vsensor_daemon_status_get_counter(const struct vsensor_daemon_status *status,
				  const char *name, uint64_t *value);

#ifdef __cplusplus
}
#endif

#endif /* VSENSOR_VSENSOR_H */
