/*
 * libvsensor: what vsensorctl session start asks vsensord for
 * (io.vsensor StartSession's optional parameters). Only what is set is
 * sent; the daemon checks every value.
 */
#include <errno.h>
#include <stdlib.h>
#include <json-c/json.h>

#include "internal.h"

struct vsensor_capture_config {
	struct json_object *params;	/* the parameters set so far */
};

struct vsensor_capture_config *vsensor_capture_config_new(void)
{
	struct vsensor_capture_config *config;

	config = calloc(1, sizeof(*config));
	if (!config)
		return NULL;
	config->params = json_object_new_object();
	if (!config->params) {
		free(config);
		errno = ENOMEM;
		return NULL;
	}
	return config;
}

void vsensor_capture_config_free(struct vsensor_capture_config *config)
{
	if (!config)
		return;
	json_object_put(config->params);
	free(config);
}

struct json_object *
vsensor_capture_config_get_params(const struct vsensor_capture_config *config)
{
	return config->params;
}

/* Set @key to @value (taken); a second set replaces the first. */
static int set(struct vsensor_capture_config *config, const char *key,
	       struct json_object *value)
{
	if (!value || json_object_object_add(config->params, key, value)) {
		json_object_put(value);
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

static int set_string(struct vsensor_capture_config *config, const char *key,
		      const char *value)
{
	if (!value) {
		errno = EINVAL;
		return -1;
	}
	return set(config, key, json_object_new_string(value));
}

int vsensor_capture_config_set_rate_hz(struct vsensor_capture_config *config,
				       uint32_t rate_hz)
{
	return set(config, "rate_hz", json_object_new_int64(rate_hz));
}

int
vsensor_capture_config_set_channel_mask(struct vsensor_capture_config *config,
					uint32_t mask)
{
	return set(config, "channel_mask", json_object_new_int64(mask));
}

int vsensor_capture_config_set_watermark(struct vsensor_capture_config *config,
					 uint32_t watermark)
{
	return set(config, "watermark", json_object_new_int64(watermark));
}

int vsensor_capture_config_set_clock(struct vsensor_capture_config *config,
				     const char *clock)
{
	return set_string(config, "clock", clock);
}

int vsensor_capture_config_set_output(struct vsensor_capture_config *config,
				      const char *output)
{
	return set_string(config, "output", output);
}

int vsensor_capture_config_set_format(struct vsensor_capture_config *config,
				      const char *format)
{
	return set_string(config, "format", format);
}

int
vsensor_capture_config_set_rotate_bytes(struct vsensor_capture_config *config,
					uint64_t bytes)
{
	if (bytes > INT64_MAX) {
		errno = EINVAL;
		return -1;
	}
	return set(config, "rotate_bytes", json_object_new_int64((int64_t)bytes));
}
