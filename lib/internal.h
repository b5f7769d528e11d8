/*
 * libvsensor: declarations shared by the library's files, never exported
 * (libvsensor.map lists the public symbols).
 */
#ifndef VSENSOR_INTERNAL_H
#define VSENSOR_INTERNAL_H

#include <libudev.h>
#include <stddef.h>

#include <vsensor/vsensor.h>

/* device.c */
void vsensor_device_free(struct vsensor_device *dev);
bool vsensor_device_matches(struct vsensor_device *dev, unsigned int id,
			    const char *serial);
/* Every device on every backend, sorted by number. */
int vsensor_device_scan(struct udev *udev, struct vsensor_device ***devices,
			size_t *num_devices);

/*
 * netlink.c: a notification the caller keeps (vsensor_monitor), to free
 * with vsensor_nl_event_free(); NULL with ENOMEM.
 */
struct vsensor_nl_event *vsensor_nl_event_copy(const struct vsensor_nl_event *ev);
void vsensor_nl_event_free(struct vsensor_nl_event *ev);

struct json_object;

/*
 * The daemon's objects (daemon-*.c) wrap the JSON object of a reply: the
 * constructors take a reference on @obj; NULL with errno (EPROTO when @obj
 * is not an object).
 */
struct vsensor_daemon_session *
vsensor_daemon_session_new(struct json_object *obj);
struct vsensor_daemon_device *
vsensor_daemon_device_new(struct json_object *obj);
struct vsensor_daemon_status *
vsensor_daemon_status_new(struct json_object *obj);
/* capture-config.c: StartSession's optional parameters, to copy from. */
struct json_object *
vsensor_capture_config_get_params(const struct vsensor_capture_config *config);

/*
 * Reading a member of a reply object, as the accessors want it: a string,
 * or NULL; an integer in [@min, @max], or @absent (missing, null, another
 * type or out of range); a boolean, or false.
 */
const char *vsensor_json_string(struct json_object *obj, const char *key);
int64_t vsensor_json_int(struct json_object *obj, const char *key,
			 int64_t min, int64_t max, int64_t absent);
bool vsensor_json_bool(struct json_object *obj, const char *key);

#endif /* VSENSOR_INTERNAL_H */
