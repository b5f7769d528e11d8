/*
 * libvsensor: a monitor, the hotplug of vsensor devices of every backend
 * (udev: their misc devices, vsensorN) and the
 * notifications of the netlink events group behind one epoll fd, read as
 * one stream of events; lost events of either source become an OVERFLOW
 * event, so that the caller re-enumerates.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "backend.h"
#include "internal.h"

struct vsensor_monitor_event {
	struct vsensor_monitor_event *next;	/* in the monitor's queue */
	int type;				/* VSENSOR_MONITOR_EVENT_* */
	char *name;				/* udev events */
	char *devnode;
	char *serial;
	struct vsensor_nl_event *nl_event;	/* NETLINK */
};

struct vsensor_monitor {
	int epfd;			/* the udev monitor and the events socket */
	int flags;			/* VSENSOR_MONITOR_NONBLOCK */
	struct udev *udev;
	struct udev_monitor *udev_mon;	/* "misc" devices, as udev saw them */
	struct vsensor_nl *nl;		/* subscribed to the events group */
	/* read from the sources, not handed out yet, oldest first */
	struct vsensor_monitor_event *head, **tail;
	int queue_err;			/* an event could not be queued */
};

void vsensor_monitor_event_free(struct vsensor_monitor_event *ev)
{
	if (!ev)
		return;
	vsensor_nl_event_free(ev->nl_event);
	free(ev->serial);
	free(ev->devnode);
	free(ev->name);
	free(ev);
}

static struct vsensor_monitor_event *event_new(int type)
{
	struct vsensor_monitor_event *ev = calloc(1, sizeof(*ev));

	if (ev)
		ev->type = type;
	return ev;
}

static void queue_event(struct vsensor_monitor *mon,
			struct vsensor_monitor_event *ev)
{
	if (!ev) {
		mon->queue_err = ENOMEM;
		return;
	}
	*mon->tail = ev;
	mon->tail = &ev->next;
}

static struct vsensor_monitor_event *dequeue_event(struct vsensor_monitor *mon)
{
	struct vsensor_monitor_event *ev = mon->head;

	if (!ev)
		return NULL;
	mon->head = ev->next;
	if (!mon->head)
		mon->tail = &mon->head;
	ev->next = NULL;
	return ev;
}

static char *dup_or_null(const char *s, bool *failed)
{
	char *copy;

	if (!s)
		return NULL;
	copy = strdup(s);
	if (!copy)
		*failed = true;
	return copy;
}

/* A vsensor misc device added or removed; NULL for anything else. */
static struct vsensor_monitor_event *udev_event(struct udev_device *misc)
{
	const char *action = udev_device_get_action(misc);
	const char *sysname = udev_device_get_sysname(misc);
	struct vsensor_monitor_event *ev;
	struct udev_device *bus;
	const char *serial;
	bool failed = false;
	unsigned int id;
	int type;

	if (!action || !sysname || strncmp(sysname, VSENSOR_NAME, strlen(VSENSOR_NAME)) ||
	    vsensor_parse_device_arg(sysname, &id))
		return NULL;
	if (!strcmp(action, "add"))
		type = VSENSOR_MONITOR_EVENT_DEVICE_ADDED;
	else if (!strcmp(action, "remove"))
		type = VSENSOR_MONITOR_EVENT_DEVICE_REMOVED;
	else
		return NULL;
	ev = event_new(type);
	if (!ev)
		return NULL;
	/*
	 * The udev rule puts the serial into the node's own properties,
	 * kept for its removal; else the parent's (a vsensor bus device or
	 * a PCI function), while it exists.
	 */
	serial = udev_device_get_property_value(misc, "VSENSOR_SERIAL");
	bus = serial ? NULL : vsensor_backend_misc_parent(misc);
	if (bus) {
		serial = udev_device_get_property_value(bus, "VSENSOR_SERIAL");
		if (!serial)
			serial = udev_device_get_sysattr_value(bus, "serial");
	}
	ev->name = dup_or_null(sysname, &failed);
	ev->devnode = dup_or_null(udev_device_get_devnode(misc), &failed);
	ev->serial = dup_or_null(serial, &failed);
	if (failed) {
		vsensor_monitor_event_free(ev);
		errno = ENOMEM;
		return NULL;
	}
	return ev;
}

/* Queue what the udev monitor holds; its ENOBUFS is an OVERFLOW event. */
static void read_udev(struct vsensor_monitor *mon)
{
	struct vsensor_monitor_event *ev;
	struct udev_device *d;

	for (;;) {
		errno = 0;
		d = udev_monitor_receive_device(mon->udev_mon);
		if (!d)
			break;
		errno = 0;
		ev = udev_event(d);
		udev_device_unref(d);
		if (ev || errno == ENOMEM)
			queue_event(mon, ev);
	}
	if (errno == ENOBUFS)
		queue_event(mon, event_new(VSENSOR_MONITOR_EVENT_OVERFLOW));
}

static int queue_nl_event(const struct vsensor_nl_event *nl_ev, void *data)
{
	struct vsensor_monitor *mon = data;
	struct vsensor_monitor_event *ev;

	ev = event_new(VSENSOR_MONITOR_EVENT_NETLINK);
	if (ev) {
		ev->nl_event = vsensor_nl_event_copy(nl_ev);
		if (!ev->nl_event) {
			vsensor_monitor_event_free(ev);
			ev = NULL;
		}
	}
	queue_event(mon, ev);
	return 0;
}

/*
 * Queue the notifications waiting on the events socket; ENOBUFS (the
 * socket's queue overflowed) is an OVERFLOW event. 0, or -1 with errno.
 */
static int read_netlink(struct vsensor_monitor *mon)
{
	for (;;) {
		if (vsensor_nl_event_read(mon->nl, queue_nl_event, mon) >= 0)
			continue;
		if (errno == EAGAIN)
			return 0;
		if (errno != ENOBUFS)
			return -1;
		queue_event(mon, event_new(VSENSOR_MONITOR_EVENT_OVERFLOW));
	}
}

struct vsensor_monitor *vsensor_monitor_new(int flags)
{
	struct epoll_event ep = { .events = EPOLLIN };
	struct vsensor_monitor *mon;
	int fd, err;

	if (flags & ~VSENSOR_MONITOR_NONBLOCK) {
		errno = EINVAL;
		return NULL;
	}
	mon = calloc(1, sizeof(*mon));
	if (!mon)
		return NULL;
	mon->epfd = -1;
	mon->flags = flags;
	mon->tail = &mon->head;
	mon->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (mon->epfd < 0)
		goto err_free;
	/* udev first, as udev sees devices; then the family's notifications */
	mon->udev = udev_new();
	if (!mon->udev)
		goto err_free;
	mon->udev_mon = udev_monitor_new_from_netlink(mon->udev, "udev");
	if (!mon->udev_mon ||
	    udev_monitor_filter_add_match_subsystem_devtype(mon->udev_mon, "misc",
							    NULL) < 0 ||
	    udev_monitor_enable_receiving(mon->udev_mon) < 0)
		goto err_free;
	ep.data.fd = udev_monitor_get_fd(mon->udev_mon);
	if (epoll_ctl(mon->epfd, EPOLL_CTL_ADD, ep.data.fd, &ep))
		goto err_free;

	mon->nl = vsensor_nl_open();
	if (!mon->nl || vsensor_nl_subscribe(mon->nl))
		goto err_free;
	fd = vsensor_nl_get_fd(mon->nl);
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK))
		goto err_free;
	ep.data.fd = fd;
	if (epoll_ctl(mon->epfd, EPOLL_CTL_ADD, fd, &ep))
		goto err_free;
	return mon;

err_free:
	err = errno ? errno : ENOMEM;
	vsensor_monitor_free(mon);
	errno = err;
	return NULL;
}

void vsensor_monitor_free(struct vsensor_monitor *mon)
{
	if (!mon)
		return;
	while (mon->head)
		vsensor_monitor_event_free(dequeue_event(mon));
	vsensor_nl_close(mon->nl);
	udev_monitor_unref(mon->udev_mon);
	udev_unref(mon->udev);
	if (mon->epfd >= 0)
		close(mon->epfd);
	free(mon);
}

int vsensor_monitor_get_fd(struct vsensor_monitor *mon)
{
	return mon->epfd;
}

struct vsensor_monitor_event *vsensor_monitor_read(struct vsensor_monitor *mon)
{
	struct vsensor_monitor_event *ev;
	struct epoll_event ep;

	for (;;) {
		ev = dequeue_event(mon);
		if (ev)
			return ev;
		if (mon->queue_err) {
			errno = mon->queue_err;
			mon->queue_err = 0;
			return NULL;
		}
		/* notifications first: a udev event comes later, through udevd */
		if (read_netlink(mon))
			return NULL;
		read_udev(mon);
		if (mon->head || mon->queue_err)
			continue;
		if (mon->flags & VSENSOR_MONITOR_NONBLOCK) {
			errno = EAGAIN;
			return NULL;
		}
		if (epoll_wait(mon->epfd, &ep, 1, -1) < 0)
			return NULL;
	}
}

int vsensor_monitor_event_get_type(const struct vsensor_monitor_event *ev)
{
	return ev->type;
}

const char *vsensor_monitor_event_get_name(const struct vsensor_monitor_event *ev)
{
	return ev->name;
}

const char *
vsensor_monitor_event_get_devnode(const struct vsensor_monitor_event *ev)
{
	return ev->devnode;
}

const char *
vsensor_monitor_event_get_serial(const struct vsensor_monitor_event *ev)
{
	return ev->serial;
}

const struct vsensor_nl_event *
vsensor_monitor_event_get_nl_event(const struct vsensor_monitor_event *ev)
{
	return ev->nl_event;
}
