/*
 * libvsensor: vsensord's status (io.vsensor GetStatus): its version and
 * its counters, every integer of the reply in the daemon's order.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "internal.h"

struct vsensor_daemon_status {
	struct json_object *obj;
	/* the integer members, pointing into obj */
	const char **names;
	uint64_t *values;
	size_t num_counters;
};

static int index_counters(struct vsensor_daemon_status *status)
{
	size_t n = (size_t)json_object_object_length(status->obj);

	status->names = calloc(n ? n : 1, sizeof(*status->names));
	status->values = calloc(n ? n : 1, sizeof(*status->values));
	if (!status->names || !status->values)
		return -1;
	json_object_object_foreach(status->obj, key, val) {
		if (!json_object_is_type(val, json_type_int))
			continue;
		status->names[status->num_counters] = key;
		/* a negative count is not one: 0 */
		status->values[status->num_counters++] = json_object_get_uint64(val);
	}
	return 0;
}

struct vsensor_daemon_status *vsensor_daemon_status_new(struct json_object *obj)
{
	struct vsensor_daemon_status *status;

	if (!json_object_is_type(obj, json_type_object)) {
		errno = EPROTO;
		return NULL;
	}
	status = calloc(1, sizeof(*status));
	if (!status)
		return NULL;
	status->obj = json_object_get(obj);
	if (index_counters(status)) {
		vsensor_daemon_status_free(status);
		errno = ENOMEM;
		return NULL;
	}
	return status;
}

void vsensor_daemon_status_free(struct vsensor_daemon_status *status)
{
	if (!status)
		return;
	free(status->values);
	free(status->names);
	json_object_put(status->obj);
	free(status);
}

const char *
vsensor_daemon_status_get_version(const struct vsensor_daemon_status *status)
{
	return vsensor_json_string(status->obj, "version");
}

size_t
vsensor_daemon_status_get_num_counters(const struct vsensor_daemon_status *status)
{
	return status->num_counters;
}

const char *
vsensor_daemon_status_get_counter_name(const struct vsensor_daemon_status *status,
				       size_t index)
{
	if (index >= status->num_counters) {
		errno = EINVAL;
		return NULL;
	}
	return status->names[index];
}

uint64_t
vsensor_daemon_status_get_counter_value(const struct vsensor_daemon_status *status,
					size_t index)
{
	if (index >= status->num_counters) {
		errno = EINVAL;
		return 0;
	}
	return status->values[index];
}

int
vsensor_daemon_status_get_counter(const struct vsensor_daemon_status *status,
				  const char *name, uint64_t *value)
{
	size_t i;

	for (i = 0; i < status->num_counters; i++) {
		if (!strcmp(status->names[i], name)) {
			*value = status->values[i];
			return 0;
		}
	}
	errno = ENOENT;
	return -1;
}
