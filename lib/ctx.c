/*
 * libvsensor: the context, a snapshot of the devices on the vsensor bus
 * taken when it is created; it owns the devices it lists.
 */
#include <errno.h>
#include <stdlib.h>

#include "internal.h"

struct vsensor_ctx {
	struct udev *udev;
	struct vsensor_device **devices;	/* sorted by number */
	size_t num_devices;
};

const char *vsensor_api_version(void)
{
	return VSENSOR_VERSION;
}

struct vsensor_ctx *vsensor_ctx_new(void)
{
	struct vsensor_ctx *ctx;
	int err;

	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return NULL;

	ctx->udev = udev_new();
	if (!ctx->udev)
		goto err_free_ctx;

	if (vsensor_device_scan(ctx->udev, &ctx->devices, &ctx->num_devices))
		goto err_unref_udev;

	return ctx;

err_unref_udev:
	err = errno;
	udev_unref(ctx->udev);
	errno = err;
err_free_ctx:
	free(ctx);
	return NULL;
}

void vsensor_ctx_free(struct vsensor_ctx *ctx)
{
	size_t i;

	if (!ctx)
		return;

	for (i = 0; i < ctx->num_devices; i++)
		vsensor_device_free(ctx->devices[i]);
	free(ctx->devices);
	udev_unref(ctx->udev);
	free(ctx);
}

size_t vsensor_ctx_get_num_devices(struct vsensor_ctx *ctx)
{
	return ctx->num_devices;
}

struct vsensor_device *vsensor_ctx_get_device(struct vsensor_ctx *ctx,
					      size_t index)
{
	if (index >= ctx->num_devices) {
		errno = EINVAL;
		return NULL;
	}

	return ctx->devices[index];
}

struct vsensor_device *vsensor_ctx_find_device(struct vsensor_ctx *ctx,
					       const char *arg)
{
	const char *serial;
	unsigned int id;
	size_t i;

	if (vsensor_parse_device_spec(arg, &id, &serial))
		return NULL;

	for (i = 0; i < ctx->num_devices; i++) {
		if (vsensor_device_matches(ctx->devices[i], id, serial))
			return ctx->devices[i];
	}

	errno = ENOENT;
	return NULL;
}
