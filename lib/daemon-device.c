/*
 * libvsensor: a device as vsensord knows it (io.vsensor type Device): a
 * read-only view of the reply's JSON object, its settings map indexed.
 */
#include <errno.h>
#include <stdlib.h>
#include <json-c/json.h>

#include "internal.h"

struct vsensor_daemon_device {
	struct json_object *obj;
	/* the "settings" map in the daemon's order, pointing into obj */
	const char **keys;
	const char **values;
	size_t num_settings;
};

/* Index the settings map; a value that is no string is left out. */
static int index_settings(struct vsensor_daemon_device *dev)
{
	struct json_object *map;
	size_t n;

	if (!json_object_object_get_ex(dev->obj, "settings", &map) ||
	    !json_object_is_type(map, json_type_object))
		return 0;
	n = (size_t)json_object_object_length(map);
	dev->keys = calloc(n ? n : 1, sizeof(*dev->keys));
	dev->values = calloc(n ? n : 1, sizeof(*dev->values));
	if (!dev->keys || !dev->values)
		return -1;
	json_object_object_foreach(map, key, val) {
		if (!json_object_is_type(val, json_type_string))
			continue;
		dev->keys[dev->num_settings] = key;
		dev->values[dev->num_settings++] = json_object_get_string(val);
	}
	return 0;
}

struct vsensor_daemon_device *vsensor_daemon_device_new(struct json_object *obj)
{
	struct vsensor_daemon_device *dev;

	if (!json_object_is_type(obj, json_type_object)) {
		errno = EPROTO;
		return NULL;
	}
	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return NULL;
	dev->obj = json_object_get(obj);
	if (index_settings(dev)) {
		vsensor_daemon_device_free(dev);
		errno = ENOMEM;
		return NULL;
	}
	return dev;
}

void vsensor_daemon_device_free(struct vsensor_daemon_device *dev)
{
	if (!dev)
		return;
	free(dev->values);
	free(dev->keys);
	json_object_put(dev->obj);
	free(dev);
}

const char *
vsensor_daemon_device_get_name(const struct vsensor_daemon_device *dev)
{
	return vsensor_json_string(dev->obj, "name");
}

const char *
vsensor_daemon_device_get_serial(const struct vsensor_daemon_device *dev)
{
	return vsensor_json_string(dev->obj, "serial");
}

const char *
vsensor_daemon_device_get_model(const struct vsensor_daemon_device *dev)
{
	return vsensor_json_string(dev->obj, "model");
}

const char *
vsensor_daemon_device_get_devnode(const struct vsensor_daemon_device *dev)
{
	return vsensor_json_string(dev->obj, "devnode");
}

const char *
vsensor_daemon_device_get_bus(const struct vsensor_daemon_device *dev)
{
	return vsensor_json_string(dev->obj, "bus");
}

const char *
vsensor_daemon_device_get_bus_address(const struct vsensor_daemon_device *dev)
{
	return vsensor_json_string(dev->obj, "bus_address");
}

const char *
vsensor_daemon_device_get_identity(const struct vsensor_daemon_device *dev)
{
	return vsensor_json_string(dev->obj, "identity");
}

bool vsensor_daemon_device_is_online(const struct vsensor_daemon_device *dev)
{
	return vsensor_json_bool(dev->obj, "online");
}

const char *
vsensor_daemon_device_get_settings_result(const struct vsensor_daemon_device *dev)
{
	return vsensor_json_string(dev->obj, "settings_result");
}

size_t
vsensor_daemon_device_get_num_settings(const struct vsensor_daemon_device *dev)
{
	return dev->num_settings;
}

const char *
vsensor_daemon_device_get_setting_key(const struct vsensor_daemon_device *dev,
				      size_t index)
{
	if (index >= dev->num_settings) {
		errno = EINVAL;
		return NULL;
	}
	return dev->keys[index];
}

const char *
vsensor_daemon_device_get_setting_value(const struct vsensor_daemon_device *dev,
					size_t index)
{
	if (index >= dev->num_settings) {
		errno = EINVAL;
		return NULL;
	}
	return dev->values[index];
}
