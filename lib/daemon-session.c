/*
 * libvsensor: a session as vsensord lists it (io.vsensor type Session),
 * held by the daemon or a kernel session another process opened. A
 * read-only view of the reply's JSON object.
 */
#include <errno.h>
#include <stdlib.h>
#include <json-c/json.h>

#include "internal.h"

struct vsensor_daemon_session {
	struct json_object *obj;
};

struct vsensor_daemon_session *
vsensor_daemon_session_new(struct json_object *obj)
{
	struct vsensor_daemon_session *s;

	if (!json_object_is_type(obj, json_type_object)) {
		errno = EPROTO;
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->obj = json_object_get(obj);
	return s;
}

void vsensor_daemon_session_free(struct vsensor_daemon_session *s)
{
	if (!s)
		return;
	json_object_put(s->obj);
	free(s);
}

static int64_t get_u32(const struct vsensor_daemon_session *s, const char *key)
{
	return vsensor_json_int(s->obj, key, 0, UINT32_MAX, 0);
}

/* A count that may be null: -1 then. */
static int64_t get_count(const struct vsensor_daemon_session *s,
			 const char *key)
{
	return vsensor_json_int(s->obj, key, 0, INT64_MAX, -1);
}

uint64_t vsensor_daemon_session_get_id(const struct vsensor_daemon_session *s)
{
	return (uint64_t)vsensor_json_int(s->obj, "id", 0, INT64_MAX, 0);
}

bool vsensor_daemon_session_is_held(const struct vsensor_daemon_session *s)
{
	return vsensor_json_bool(s->obj, "held");
}

const char *
vsensor_daemon_session_get_device(const struct vsensor_daemon_session *s)
{
	return vsensor_json_string(s->obj, "device");
}

const char *
vsensor_daemon_session_get_serial(const struct vsensor_daemon_session *s)
{
	return vsensor_json_string(s->obj, "serial");
}

const char *
vsensor_daemon_session_get_state(const struct vsensor_daemon_session *s)
{
	return vsensor_json_string(s->obj, "state");
}

int64_t vsensor_daemon_session_get_uid(const struct vsensor_daemon_session *s)
{
	return vsensor_json_int(s->obj, "uid", 0, UINT32_MAX, -1);
}

uint32_t vsensor_daemon_session_get_pid(const struct vsensor_daemon_session *s)
{
	return (uint32_t)get_u32(s, "pid");
}

const char *
vsensor_daemon_session_get_comm(const struct vsensor_daemon_session *s)
{
	return vsensor_json_string(s->obj, "comm");
}

uint32_t
vsensor_daemon_session_get_rate_hz(const struct vsensor_daemon_session *s)
{
	return (uint32_t)get_u32(s, "rate_hz");
}

uint32_t
vsensor_daemon_session_get_channel_mask(const struct vsensor_daemon_session *s)
{
	return (uint32_t)get_u32(s, "channel_mask");
}

uint32_t
vsensor_daemon_session_get_watermark(const struct vsensor_daemon_session *s)
{
	return (uint32_t)get_u32(s, "watermark");
}

const char *
vsensor_daemon_session_get_clock(const struct vsensor_daemon_session *s)
{
	return vsensor_json_string(s->obj, "clock");
}

const char *
vsensor_daemon_session_get_output(const struct vsensor_daemon_session *s)
{
	return vsensor_json_string(s->obj, "output");
}

const char *
vsensor_daemon_session_get_format(const struct vsensor_daemon_session *s)
{
	return vsensor_json_string(s->obj, "format");
}

int64_t
vsensor_daemon_session_get_records(const struct vsensor_daemon_session *s)
{
	return get_count(s, "records");
}

int64_t vsensor_daemon_session_get_gaps(const struct vsensor_daemon_session *s)
{
	return get_count(s, "gaps");
}

int64_t
vsensor_daemon_session_get_kernel_session(const struct vsensor_daemon_session *s)
{
	return get_count(s, "kernel_session");
}
