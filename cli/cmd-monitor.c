/*
 * vsensorctl monitor: print the events of a libvsensor monitor as they
 * come, one line (or one JSON object) each, until killed: the netlink
 * "events" group's notifications, the device nodes udev adds and removes,
 * and lost events.
 *   device-added dev vsensor3 serial VSN1000-000003
 *   node-added name vsensor3 devnode /dev/vsensor3 serial VSN1000-000003
 *   session-opened session 9 dev vsensor3 pid 411 comm cat
 *   overflow
 * Sessions are printed as "session list" prints them (the same keys).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <unistd.h>

#include <vsensor/vsensor.h>

#include "vsensorctl.h"

static int usage(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("Usage: vsensorctl monitor [ help ]\n");
	return EXIT_OK;
}

static bool is_device_event(unsigned int cmd)
{
	return cmd == VSENSOR_CMD_DEVICE_ADDED || cmd == VSENSOR_CMD_DEVICE_REMOVED ||
	       cmd == VSENSOR_CMD_DEVICE_CHANGED;
}

/* What a session event tells of its session: as session list prints it. */
static bool session_event_detail(unsigned int cmd, enum session_detail *detail)
{
	if (cmd == VSENSOR_CMD_SESSION_OPENED || cmd == VSENSOR_CMD_SESSION_CLOSED)
		*detail = SESSION_OWNER;
	else if (cmd == VSENSOR_CMD_OVERRUN)
		*detail = SESSION_ID;
	else
		return false;
	return true;
}

static void print_nl_event(const struct vsensor_nl_event *ev)
{
	const struct vsensor_nl_device *dev = vsensor_nl_event_get_device(ev);
	unsigned int cmd = vsensor_nl_event_get_cmd(ev);
	enum session_detail detail;

	print_open_object(NULL);
	print_string(PRINT_ANY, "event", "%s", vsensor_nl_event_name(cmd));
	if (session_event_detail(cmd, &detail)) {
		print_text(" ");
		print_nl_session(vsensor_nl_event_get_session(ev), detail);
	} else {
		print_dev_id(vsensor_nl_device_get_id(dev));
	}
	if (is_device_event(cmd))
		print_string(PRINT_ANY, "serial", " serial %s",
			     vsensor_nl_device_get_serial(dev));
	if (cmd == VSENSOR_CMD_DEVICE_CHANGED) {
		print_string(PRINT_ANY, "waveform", " waveform %s",
			     vsensor_waveform_name(vsensor_nl_device_get_waveform(dev)));
		print_uint(PRINT_ANY, "amplitude", " amplitude %u",
			   vsensor_nl_device_get_amplitude(dev));
		print_uint(PRINT_ANY, "frequency_mhz", " frequency_mhz %u",
			   vsensor_nl_device_get_frequency_mhz(dev));
	}
	if (cmd == VSENSOR_CMD_IOMMU_FAULT)
		print_u64(PRINT_ANY, "iova", " iova 0x%" PRIx64, vsensor_nl_event_get_iova(ev));
	if (vsensor_nl_event_get_lost(ev))
		print_uint(PRINT_ANY, "lost", " lost %u",
			   vsensor_nl_event_get_lost(ev));
	print_close_object();
}

/* A device node udev added or removed. */
static void print_node_event(const struct vsensor_monitor_event *ev,
			     const char *what)
{
	const char *serial = vsensor_monitor_event_get_serial(ev);
	const char *devnode = vsensor_monitor_event_get_devnode(ev);

	print_open_object(NULL);
	print_string(PRINT_ANY, "event", "%s", what);
	print_string(PRINT_ANY, "name", " name %s",
		     vsensor_monitor_event_get_name(ev));
	if (devnode)
		print_string(PRINT_ANY, "devnode", " devnode %s", devnode);
	if (serial)
		print_string(PRINT_ANY, "serial", " serial %s", serial);
	print_close_object();
}

/* false, with errno, when the output fails */
static bool print_event(const struct vsensor_monitor_event *ev)
{
	switch (vsensor_monitor_event_get_type(ev)) {
	case VSENSOR_MONITOR_EVENT_NETLINK:
		print_nl_event(vsensor_monitor_event_get_nl_event(ev));
		break;
	case VSENSOR_MONITOR_EVENT_DEVICE_ADDED:
		print_node_event(ev, "node-added");
		break;
	case VSENSOR_MONITOR_EVENT_DEVICE_REMOVED:
		print_node_event(ev, "node-removed");
		break;
	case VSENSOR_MONITOR_EVENT_OVERFLOW:
		/* data, so a consumer knows to re-enumerate; and said */
		fprintf(stderr, "vsensorctl: events lost (ENOBUFS)\n");
		print_open_object(NULL);
		print_string(PRINT_ANY, "event", "%s", "overflow");
		print_close_object();
		break;
	default:
		return true;
	}
	print_nl();
	/* each event is complete when it is printed: a pipe sees it now */
	return !print_line_end();
}

/*
 * Wait for a notification on @fd; false once stdout is a pipe whose reader
 * left (monitor | head -1), which poll() reports without a write.
 */
static bool wait_event(int fd)
{
	struct pollfd pfd[2] = {
		{ .fd = fd, .events = POLLIN },
		{ .fd = STDOUT_FILENO, .events = 0 },
	};

	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return true;	/* the read reports the socket */
		}
		if (pfd[1].revents)
			return false;
		if (pfd[0].revents)
			return true;	/* the read says what it is */
	}
}

/* The monitor, or why not: the module not loaded (3), else refused (2). */
static int monitor_open(struct vsensor_monitor **mon)
{
	struct vsensor_nl *nl;
	int ret;

	*mon = vsensor_monitor_new(VSENSOR_MONITOR_NONBLOCK);
	if (*mon)
		return EXIT_OK;
	if (errno != ENOENT)
		return cli_error(EXIT_REFUSED, "cannot start the monitor: %m");
	ret = cli_nl_open(&nl);		/* says why the family is missing */
	vsensor_nl_close(nl);
	return ret ? ret : cli_error(EXIT_REFUSED, "cannot start the monitor: %m");
}

int cmd_monitor(int argc, char **argv)
{
	struct vsensor_monitor_event *ev;
	struct vsensor_monitor *mon;
	int ret, write_errno = 0;

	if (argc > 1)
		return run_cmd((const struct cmd[]){ { "help", usage },
						     { NULL, NULL } },
			       "monitor", argc - 1, argv + 1);
	ret = monitor_open(&mon);
	if (ret)
		return ret;
	while (!write_errno) {
		if (!wait_event(vsensor_monitor_get_fd(mon)))
			break;		/* stdout is gone: no one reads us */
		while (!write_errno && (ev = vsensor_monitor_read(mon))) {
			if (!print_event(ev))
				write_errno = errno;	/* main() says why */
			vsensor_monitor_event_free(ev);
		}
		if (write_errno || errno == EAGAIN || errno == EINTR)
			continue;
		ret = cli_error(EXIT_REFUSED, "reading events: %m");
		break;
	}
	vsensor_monitor_free(mon);
	if (write_errno)
		errno = write_errno;	/* for main()'s finish_output() */
	return ret;
}
