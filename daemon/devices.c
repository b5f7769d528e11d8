/*
 * vsensord: the device view, of every backend (a vsensor bus device or a
 * PCI function bound to the driver: lib/backend.c). A libudev monitor
 * (udev source, subsystem misc, vsensor* nodes) is enabled before the
 * coldplug enumeration; lost uevents (ENOBUFS) and lost netlink
 * notifications lead to a full re-enumeration reconciled with the view
 * (reconcile.c). Each device that appears gets its settings in one
 * netlink DEVICE_SET.
 */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <libudev.h>

#include <vsensor/vsensor.h>

#include "backend.h"
#include "devices.h"
#include "log.h"
#include "loop.h"
#include "reconcile.h"
#include "vsensord.h"

#define DEVICES_MISC_GLOB	VSENSOR_NAME "[0-9]*"

/* A session the kernel reported open (SESSION_OPENED or a dump). */
struct ksession {
	uint64_t id;
	uint32_t dev_id;
	struct ksession *next;
};

struct devices {
	struct loop *loop;
	struct devices_opts opts;
	struct vsensord_stats *stats;
	const struct devices_ops *ops;
	void *data;
	const struct settings *settings;
	struct udev *udev;
	struct udev_monitor *monitor;
	struct loop_source *monitor_src;
	struct vsensor_nl *nl;		/* requests */
	struct vsensor_nl *nl_events;	/* the "events" group */
	struct loop_source *events_src;
	bool nl_stale;			/* the view was empty: maybe reloaded */
	struct device *list;		/* the view, newest first */
	size_t count;
	struct ksession *ksessions;
	size_t nr_ksessions;
};

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static void device_free(struct device *dev)
{
	if (!dev)
		return;
	free(dev->syspath);
	free(dev->name);
	free(dev->bus_address);
	free(dev->devnode);
	free(dev->serial);
	free(dev->model);
	free(dev->id_path);
	free(dev->identity);
	free(dev);
}

static struct log_about device_about(const struct device *dev)
{
	struct log_about about = LOG_ABOUT_NONE;

	about.device = dev->name;
	about.serial = dev->serial;
	return about;
}

/*
 * A property of the node's own (the udev rule copies the serial and model
 * there, kept for its removal), else of its bus device, else the bus
 * device's attribute (a PCI function's uevent has no VSENSOR_*).
 */
static const char *device_value(struct udev_device *misc, struct udev_device *bus,
				const char *property, const char *attr)
{
	const char *value = udev_device_get_property_value(misc, property);

	if (!value)
		value = udev_device_get_property_value(bus, property);
	if (!value)
		value = udev_device_get_sysattr_value(bus, attr);
	return value;
}

/*
 * A device of the view from its misc device; NULL if it is not ours (its
 * parent is neither a vsensor bus device nor a PCI function bound to the
 * driver).
 */
static struct device *device_from_udev(struct udev_device *misc)
{
	struct udev_device *bus;
	const char *sysname = udev_device_get_sysname(misc);
	struct device *dev;

	if (!sysname || fnmatch(DEVICES_MISC_GLOB, sysname, 0))
		return NULL;
	bus = vsensor_backend_misc_parent(misc);
	if (!bus)
		return NULL;
	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return NULL;
	dev->syspath = strdup(udev_device_get_syspath(misc));
	dev->name = strdup(sysname);
	dev->bus = vsensor_backend_of(bus);
	dev->bus_address = dup_or_null(udev_device_get_sysname(bus));
	dev->devnode = dup_or_null(udev_device_get_devnode(misc));
	dev->serial = dup_or_null(device_value(misc, bus, "VSENSOR_SERIAL", "serial"));
	dev->model = dup_or_null(device_value(misc, bus, "VSENSOR_MODEL", "model"));
	dev->id_path = dup_or_null(udev_device_get_property_value(misc, "ID_PATH"));
	dev->seqnum = udev_device_get_seqnum(misc);
	if (!dev->syspath || !dev->name ||
	    sscanf(dev->name, VSENSOR_NAME "%u", &dev->id) != 1)
		goto err_free;
	dev->identity = strdup(dev->serial ? dev->serial :
			       dev->id_path ? dev->id_path : dev->name);
	if (!dev->identity)
		goto err_free;
	return dev;

err_free:
	device_free(dev);
	return NULL;
}

static struct device *view_find_syspath(const struct devices *devices,
					const char *syspath)
{
	struct device *dev;

	for (dev = devices->list; dev; dev = dev->next)
		if (!strcmp(dev->syspath, syspath))
			return dev;
	return NULL;
}

int devices_apply(struct devices *devices, const struct device *cdev,
		  const struct settings_values *values, char *msg, size_t len)
{
	struct device *dev = (struct device *)cdev;
	struct vsensor_nl_setting req[NR_SETTINGS];
	struct log_about about = device_about(dev);
	char text[NR_SETTINGS][64];
	size_t n = 0;
	int k, ret;

	for (k = 0; k < NR_SETTINGS; k++) {
		if (!values->set[k])
			continue;
		req[n].attr = settings_key_attr(k);
		req[n].value = values->value[k];
		settings_format(k, values->value[k], text[n], sizeof(text[n]));
		n++;
	}
	if (!n)
		return 0;
	if (!devices->nl) {
		snprintf(msg, len, "the vsensor netlink family is not available");
		ret = -ENOENT;
	} else if (vsensor_nl_device_set(devices->nl, dev->id, req, n)) {
		const char *why = vsensor_nl_get_error(devices->nl);

		ret = -errno;
		snprintf(msg, len, "%s", why ? why : strerror(-ret));
	} else {
		ret = 0;
		snprintf(msg, len, "applied");
	}
	for (k = 0, n = 0; k < NR_SETTINGS; k++) {
		if (!values->set[k])
			continue;
		if (!ret) {
			dev->settings.set[k] = true;
			dev->settings.value[k] = values->value[k];
		}
		log_msg(ret ? LOG_WARNING : LOG_INFO, &about, "setting %s=%s: %s",
			settings_key_name(k), text[n++], msg);
	}
	dev->settings_err = ret;
	snprintf(dev->settings_msg, sizeof(dev->settings_msg), "%s", msg);
	if (ret)
		devices->stats->settings_failed++;
	else
		devices->stats->settings_applied++;
	return ret;
}

/* The configured settings of @dev, if any, in one request. */
static void device_configure(struct devices *devices, struct device *dev)
{
	struct settings_device sd = {
		.identity = dev->identity, .serial = dev->serial,
		.name = dev->name, .model = dev->model,
	};
	struct settings_values values;
	char msg[256];

	if (!devices->settings)
		return;
	settings_resolve(devices->settings, &sd, &values);
	devices_apply(devices, dev, &values, msg, sizeof(msg));
}

static void netlink_close(struct devices *devices);
static int netlink_open(struct devices *devices);

static void view_add(struct devices *devices, struct device *dev)
{
	struct log_about about = device_about(dev);

	/* The first device after none: the module may have been reloaded. */
	if (devices->nl_stale || !devices->nl) {
		netlink_close(devices);
		netlink_open(devices);
		devices->nl_stale = false;
	}
	dev->next = devices->list;
	devices->list = dev;
	devices->count++;
	log_info(&about, "device %s added (%s, identity %s)", dev->name,
		 dev->devnode ? dev->devnode : "no node", dev->identity);
	device_configure(devices, dev);
	if (devices->ops->added)
		devices->ops->added(dev, devices->data);
}

static void view_remove(struct devices *devices, struct device *dev)
{
	struct log_about about = device_about(dev);
	struct device **pp;

	for (pp = &devices->list; *pp; pp = &(*pp)->next) {
		if (*pp == dev) {
			*pp = dev->next;
			break;
		}
	}
	devices->count--;
	devices->nl_stale = !devices->count;
	log_info(&about, "device %s removed (identity %s)", dev->name,
		 dev->identity);
	if (devices->ops->removed)
		devices->ops->removed(dev, devices->data);
	device_free(dev);
}

/* A uevent: duplicates (same or older SEQNUM, add of a known device,
 * remove of an unknown one) change nothing. */
static void on_uevent(struct devices *devices, struct udev_device *udev_dev)
{
	const char *action = udev_device_get_action(udev_dev);
	const char *syspath = udev_device_get_syspath(udev_dev);
	unsigned long long seqnum = udev_device_get_seqnum(udev_dev);
	struct device *known = view_find_syspath(devices, syspath);
	struct device *dev;

	if (!action)
		return;
	if (known && seqnum && known->seqnum && seqnum <= known->seqnum)
		return;
	if (!strcmp(action, "remove")) {
		if (known)
			view_remove(devices, known);
		return;
	}
	dev = device_from_udev(udev_dev);
	if (!dev)
		return;
	if (known && !strcmp(known->identity, dev->identity)) {
		/* a duplicate add, or a change: keep what was applied */
		known->seqnum = dev->seqnum;
		if (dev->devnode && (!known->devnode ||
				     strcmp(known->devnode, dev->devnode))) {
			free(known->devnode);
			known->devnode = dev->devnode;
			dev->devnode = NULL;
		}
		device_free(dev);
		return;
	}
	if (known)
		view_remove(devices, known);
	view_add(devices, dev);
}

/* Every initialised vsensor misc device, as the caller's array. */
static int enumerate(struct devices *devices, struct device ***out, size_t *n)
{
	struct udev_enumerate *e = udev_enumerate_new(devices->udev);
	struct udev_list_entry *entry;
	struct device **arr = NULL;
	size_t count = 0;
	int ret;

	if (!e)
		return -ENOMEM;
	ret = udev_enumerate_add_match_subsystem(e, "misc");
	if (!ret)
		ret = udev_enumerate_add_match_sysname(e, DEVICES_MISC_GLOB);
	if (!ret)
		ret = udev_enumerate_add_match_is_initialized(e);
	if (!ret)
		ret = udev_enumerate_scan_devices(e);
	if (ret < 0)
		goto out;
	udev_list_entry_foreach(entry, udev_enumerate_get_list_entry(e)) {
		struct udev_device *d = udev_device_new_from_syspath(devices->udev,
				udev_list_entry_get_name(entry));
		struct device *dev, **grown;

		if (!d)
			continue;	/* gone meanwhile */
		dev = device_from_udev(d);
		udev_device_unref(d);
		if (!dev)
			continue;
		grown = realloc(arr, (count + 1) * sizeof(*arr));
		if (!grown) {
			device_free(dev);
			ret = -ENOMEM;
			goto out;
		}
		arr = grown;
		arr[count++] = dev;
	}
	ret = 0;
out:
	udev_enumerate_unref(e);
	if (ret) {
		while (count)
			device_free(arr[--count]);
		free(arr);
		arr = NULL;
	}
	*out = arr;
	*n = count;
	return ret;
}

static void on_reconcile(enum reconcile_op op, const struct reconcile_entry *old,
			 const struct reconcile_entry *now, void *data)
{
	struct devices *devices = data;

	switch (op) {
	case RECONCILE_REMOVE:
		view_remove(devices, old->data);
		break;
	case RECONCILE_CHANGE: {
		struct device *dev = old->data, *fresh = now->data;

		free(dev->devnode);
		dev->devnode = fresh->devnode;
		fresh->devnode = NULL;
		break;
	}
	case RECONCILE_ADD:
		view_add(devices, now->data);
		/* the view owns it now */
		((struct reconcile_entry *)now)->data = NULL;
		break;
	}
}

/*
 * uevents or notifications were lost: enumerate again and take the
 * difference. A device that was removed and added again while events were
 * lost looks unchanged, so every device present gets its settings again.
 */
static int resync(struct devices *devices, const char *why)
{
	struct reconcile_entry *old = NULL, *now = NULL;
	struct device **fresh = NULL, *dev;
	size_t n_fresh = 0, n_old = 0, i;
	int ret;

	devices->stats->reenumerations++;
	log_notice(NULL, "re-enumerating the devices: %s", why);
	ret = enumerate(devices, &fresh, &n_fresh);
	if (ret)
		goto out;
	old = calloc(devices->count + 1, sizeof(*old));
	now = calloc(n_fresh + 1, sizeof(*now));
	if (!old || !now) {
		ret = -ENOMEM;
		goto out;
	}
	for (dev = devices->list; dev; dev = dev->next, n_old++)
		old[n_old] = (struct reconcile_entry){ dev->syspath, dev->identity,
						       dev->devnode, dev };
	for (i = 0; i < n_fresh; i++)
		now[i] = (struct reconcile_entry){ fresh[i]->syspath,
			fresh[i]->identity, fresh[i]->devnode, fresh[i] };
	ret = reconcile(old, n_old, now, n_fresh, on_reconcile, devices);
	/* added ones belong to the view; the rest was only for comparing */
	for (i = 0; i < n_fresh; i++)
		if (now[i].data)
			device_free(fresh[i]);
	n_fresh = 0;
	for (dev = devices->list; dev; dev = dev->next)
		device_configure(devices, dev);
out:
	for (i = 0; i < n_fresh; i++)
		device_free(fresh[i]);
	free(fresh);
	free(old);
	free(now);
	if (ret)
		log_err(NULL, "re-enumeration failed: %s", strerror(-ret));
	return ret;
}

static int on_monitor(int fd, uint32_t events, void *data)
{
	struct devices *devices = data;
	struct udev_device *d;

	(void)fd;
	(void)events;
	for (;;) {
		errno = 0;
		d = udev_monitor_receive_device(devices->monitor);
		if (!d)
			break;
		on_uevent(devices, d);
		udev_device_unref(d);
	}
	if (errno == ENOBUFS) {
		devices->stats->udev_overflows++;
		log_warning(NULL, "udev monitor overflow: uevents were lost (%" PRIu64 " so far)",
			    devices->stats->udev_overflows);
		resync(devices, "udev receive buffer overflow");
	}
	return 0;
}

static struct ksession **ksession_find(struct devices *devices, uint64_t id)
{
	struct ksession **pp;

	for (pp = &devices->ksessions; *pp; pp = &(*pp)->next)
		if ((*pp)->id == id)
			return pp;
	return pp;
}

static void ksession_add(struct devices *devices, uint64_t id, uint32_t dev_id)
{
	struct ksession **pp = ksession_find(devices, id), *s;

	if (*pp)
		return;
	s = calloc(1, sizeof(*s));
	if (!s)
		return;
	s->id = id;
	s->dev_id = dev_id;
	*pp = s;
	devices->nr_ksessions++;
}

static void ksession_del(struct devices *devices, uint64_t id)
{
	struct ksession **pp = ksession_find(devices, id), *s = *pp;

	if (!s)
		return;
	*pp = s->next;
	free(s);
	devices->nr_ksessions--;
}

static void ksessions_clear(struct devices *devices)
{
	while (devices->ksessions)
		ksession_del(devices, devices->ksessions->id);
}

static int on_dumped_session(const struct vsensor_nl_session *s, void *data)
{
	ksession_add(data, vsensor_nl_session_get_id(s),
		     vsensor_nl_session_get_dev_id(s));
	return 0;
}

static void ksessions_dump(struct devices *devices)
{
	ksessions_clear(devices);
	if (devices->nl && vsensor_nl_session_list(devices->nl, on_dumped_session,
						   devices))
		log_warning(NULL, "netlink session dump failed: %m");
}

static int on_event(const struct vsensor_nl_event *ev, void *data)
{
	const struct vsensor_nl_session *s = vsensor_nl_event_get_session(ev);
	struct devices *devices = data;

	switch (vsensor_nl_event_get_cmd(ev)) {
	case VSENSOR_CMD_SESSION_OPENED:
		ksession_add(devices, vsensor_nl_session_get_id(s),
			     vsensor_nl_session_get_dev_id(s));
		break;
	case VSENSOR_CMD_SESSION_CLOSED:
		ksession_del(devices, vsensor_nl_session_get_id(s));
		break;
	default:
		break;
	}
	return 0;
}

static int on_events(int fd, uint32_t events, void *data)
{
	struct devices *devices = data;

	(void)fd;
	(void)events;
	if (!vsensor_nl_event_read(devices->nl_events, on_event, devices))
		return 0;
	if (errno == EAGAIN || errno == EINTR)
		return 0;
	if (errno == ENOBUFS) {
		devices->stats->netlink_overflows++;
		log_warning(NULL, "netlink events overflow: notifications were lost");
		ksessions_dump(devices);
		resync(devices, "netlink receive buffer overflow");
		return 0;
	}
	log_err(NULL, "netlink events: %m; closing the events socket");
	netlink_close(devices);
	return 0;
}

static void netlink_close(struct devices *devices)
{
	loop_remove_fd(devices->events_src);
	devices->events_src = NULL;
	vsensor_nl_close(devices->nl_events);
	devices->nl_events = NULL;
	vsensor_nl_close(devices->nl);
	devices->nl = NULL;
	ksessions_clear(devices);
}

/* Resolve the family (again); ENOENT while the module is not loaded. */
static int netlink_open(struct devices *devices)
{
	int fd;

	devices->nl = vsensor_nl_open();
	if (!devices->nl)
		goto err;
	devices->nl_events = vsensor_nl_open();
	if (!devices->nl_events || vsensor_nl_subscribe(devices->nl_events))
		goto err;
	fd = vsensor_nl_get_fd(devices->nl_events);
	if (devices->opts.netlink_rcvbuf > 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &devices->opts.netlink_rcvbuf,
		       sizeof(devices->opts.netlink_rcvbuf)))
		goto err;
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK))
		goto err;
	devices->events_src = loop_add_fd(devices->loop, fd, EPOLLIN, on_events,
					  devices);
	if (!devices->events_src)
		goto err;
	ksessions_dump(devices);
	return 0;
err:
	log_warning(NULL, "netlink family \"%s\" not available yet: %m",
		    VSENSOR_GENL_NAME);
	netlink_close(devices);
	return -1;
}

struct devices *devices_new(struct loop *loop, const struct devices_opts *opts,
			    struct vsensord_stats *stats,
			    const struct devices_ops *ops, void *data)
{
	struct devices *devices = calloc(1, sizeof(*devices));

	if (!devices)
		return NULL;
	devices->loop = loop;
	devices->opts = *opts;
	devices->stats = stats;
	devices->ops = ops;
	devices->data = data;
	devices->udev = udev_new();
	if (!devices->udev) {
		free(devices);
		return NULL;
	}
	return devices;
}

void devices_free(struct devices *devices)
{
	if (!devices)
		return;
	netlink_close(devices);
	while (devices->list) {
		struct device *dev = devices->list;

		devices->list = dev->next;
		device_free(dev);
	}
	loop_remove_fd(devices->monitor_src);
	udev_monitor_unref(devices->monitor);
	udev_unref(devices->udev);
	free(devices);
}

static int monitor_start(struct devices *devices)
{
	struct udev_monitor *mon;
	int fd;

	mon = udev_monitor_new_from_netlink(devices->udev, "udev");
	if (!mon)
		return errno ? -errno : -ENOMEM;
	devices->monitor = mon;
	if (udev_monitor_filter_add_match_subsystem_devtype(mon, "misc", NULL) < 0 ||
	    udev_monitor_set_receive_buffer_size(mon, devices->opts.udev_rcvbuf) < 0 ||
	    udev_monitor_enable_receiving(mon) < 0)
		return -EIO;
	fd = udev_monitor_get_fd(mon);
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK))
		return -errno;
	devices->monitor_src = loop_add_fd(devices->loop, fd, EPOLLIN, on_monitor,
					   devices);
	return devices->monitor_src ? 0 : -errno;
}

int devices_start(struct devices *devices, const struct settings *settings)
{
	struct device **found;
	size_t n, i;
	int ret;

	devices->settings = settings;
	/* Listen first: a device added during the enumeration is not missed. */
	ret = monitor_start(devices);
	if (ret) {
		log_err(NULL, "udev monitor: %s", strerror(-ret));
		return ret;
	}
	netlink_open(devices);
	ret = enumerate(devices, &found, &n);
	if (ret) {
		log_err(NULL, "enumerating vsensor devices: %s", strerror(-ret));
		return ret;
	}
	for (i = 0; i < n; i++) {
		if (view_find_syspath(devices, found[i]->syspath))
			device_free(found[i]);	/* its uevent came first */
		else
			view_add(devices, found[i]);
	}
	free(found);
	return 0;
}

void devices_set_settings(struct devices *devices,
			  const struct settings *settings)
{
	struct device *dev;

	devices->settings = settings;
	for (dev = devices->list; dev; dev = dev->next)
		device_configure(devices, dev);
}

const struct device *devices_find_identity(const struct devices *devices,
					   const char *identity)
{
	const struct device *dev;

	for (dev = devices->list; dev; dev = dev->next)
		if (!strcmp(dev->identity, identity))
			return dev;
	return NULL;
}

const struct device *devices_find(const struct devices *devices,
				  const char *arg)
{
	const struct device *dev;
	unsigned int id;

	if (!vsensor_parse_device_arg(arg, &id)) {
		for (dev = devices->list; dev; dev = dev->next)
			if (dev->id == id)
				return dev;
		return NULL;
	}
	for (dev = devices->list; dev; dev = dev->next)
		if ((dev->serial && !strcmp(dev->serial, arg)) ||
		    (dev->devnode && !strcmp(dev->devnode, arg)) ||
		    !strcmp(dev->identity, arg))
			return dev;
	return NULL;
}

const struct device *devices_first(const struct devices *devices)
{
	return devices->list;
}

size_t devices_count(const struct devices *devices)
{
	return devices->count;
}

size_t devices_kernel_sessions(const struct devices *devices)
{
	return devices->nr_ksessions;
}

struct vsensor_nl *devices_netlink(struct devices *devices)
{
	return devices->nl;
}
