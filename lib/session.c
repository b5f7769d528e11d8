/*
 * libvsensor: a session, one open of /dev/vsensorN with its own queue,
 * configuration and counters: reading records, waiting, and the ioctls.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

#define NSEC_PER_SEC	1000000000LL

/* read() hands out whole records; the size is part of the ABI. */
_Static_assert(sizeof(struct vsensor_record) == 64, "vsensor_record size");

struct vsensor_session {
	int fd;
};

/*
 * Open the device node udev gives @device, whatever names it: ENOENT when
 * no such device is present, ENODEV when it has no character device.
 */
static int open_device(const char *device, int open_flags)
{
	struct vsensor_device *dev;
	struct vsensor_ctx *ctx;
	const char *devnode;
	const char *serial;
	unsigned int id;
	int fd = -1, err;

	if (vsensor_parse_device_spec(device, &id, &serial))
		return -1;
	ctx = vsensor_ctx_new();
	if (!ctx)
		return -1;
	dev = vsensor_ctx_find_device(ctx, device);
	if (!dev)
		goto out_free_ctx;
	devnode = vsensor_device_get_devnode(dev);
	if (!devnode) {
		errno = ENODEV;
		goto out_free_ctx;
	}
	fd = open(devnode, open_flags);
out_free_ctx:
	err = errno;
	vsensor_ctx_free(ctx);
	errno = err;
	return fd;
}

struct vsensor_session *vsensor_session_open(const char *device, int flags)
{
	struct vsensor_session *session;
	int open_flags = O_RDWR | O_CLOEXEC;

	if (flags & ~VSENSOR_SESSION_NONBLOCK) {
		errno = EINVAL;
		return NULL;
	}
	if (flags & VSENSOR_SESSION_NONBLOCK)
		open_flags |= O_NONBLOCK;

	session = calloc(1, sizeof(*session));
	if (!session)
		return NULL;

	session->fd = open_device(device, open_flags);
	if (session->fd < 0)
		goto err_free_session;

	return session;

err_free_session:
	free(session);
	return NULL;
}

void vsensor_session_close(struct vsensor_session *session)
{
	if (!session)
		return;

	close(session->fd);
	free(session);
}

int vsensor_session_get_fd(struct vsensor_session *session)
{
	return session->fd;
}

int vsensor_session_wait(struct vsensor_session *session, int64_t timeout_ns)
{
	struct pollfd pfd = { .fd = session->fd, .events = POLLIN };
	struct timespec ts, *timeout = NULL;
	int ret;

	if (timeout_ns >= 0) {
		ts.tv_sec = timeout_ns / NSEC_PER_SEC;
		ts.tv_nsec = timeout_ns % NSEC_PER_SEC;
		timeout = &ts;
	}

	/* POLLHUP, POLLERR: read() will not block but report the error. */
	ret = ppoll(&pfd, 1, timeout, NULL);
	if (ret < 0)
		return -1;

	return ret > 0;
}

ssize_t vsensor_session_read(struct vsensor_session *session,
			     struct vsensor_record *records, size_t max)
{
	ssize_t ret;

	if (max > SSIZE_MAX / sizeof(*records))
		max = SSIZE_MAX / sizeof(*records);

	ret = read(session->fd, records, max * sizeof(*records));
	if (ret < 0)
		return -1;

	/* The kernel never splits a record; if it did, say so. */
	if (ret % sizeof(*records)) {
		errno = EIO;
		return -1;
	}

	return ret / (ssize_t)sizeof(*records);
}

ssize_t vsensor_session_write(struct vsensor_session *session,
			      const struct vsensor_record *records, size_t n)
{
	ssize_t ret;

	if (n > SSIZE_MAX / sizeof(*records))
		n = SSIZE_MAX / sizeof(*records);

	ret = write(session->fd, records, n * sizeof(*records));
	if (ret < 0)
		return -1;
	return ret / (ssize_t)sizeof(*records);
}

static int session_ioctl(struct vsensor_session *session, unsigned long request,
			 void *arg)
{
	return ioctl(session->fd, request, arg) < 0 ? -1 : 0;
}

int vsensor_session_get_info(struct vsensor_session *session,
			     struct vsensor_info *info)
{
	return session_ioctl(session, VSENSOR_IOC_GET_INFO, info);
}

int vsensor_session_get_config(struct vsensor_session *session,
			       struct vsensor_config *config)
{
	return session_ioctl(session, VSENSOR_IOC_GET_CONFIG, config);
}

int vsensor_session_set_config(struct vsensor_session *session,
			       struct vsensor_config *config)
{
	return session_ioctl(session, VSENSOR_IOC_SET_CONFIG, config);
}

int vsensor_session_get_stats(struct vsensor_session *session,
			      struct vsensor_stats *stats)
{
	return session_ioctl(session, VSENSOR_IOC_GET_STATS, stats);
}

int vsensor_session_flush(struct vsensor_session *session)
{
	return session_ioctl(session, VSENSOR_IOC_FLUSH, NULL);
}

int vsensor_session_rewind(struct vsensor_session *session, uint64_t seq)
{
	__u64 arg = seq;

	return session_ioctl(session, VSENSOR_IOC_REWIND, &arg);
}
