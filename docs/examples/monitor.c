// SPDX-License-Identifier: GPL-2.0
/*
 * monitor: print what a vsensor_monitor sees (the vsensor family's
 * notifications: devices added, changed and removed, sessions opened and
 * closed, overruns, IOMMU faults; the device nodes udev adds and removes;
 * lost events) as it comes, in a poll() loop of its own, until COUNT
 * notifications were printed. Lost events are said: a real program
 * enumerates again.
 *   monitor [COUNT]                  (default: for ever)
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vsensor/vsensor.h>

/* Print @ev; true for a notification of the family. */
static int print_event(const struct vsensor_monitor_event *ev)
{
	const struct vsensor_nl_event *nl_ev;
	const struct vsensor_nl_session *s;
	const char *name;

	switch (vsensor_monitor_event_get_type(ev)) {
	case VSENSOR_MONITOR_EVENT_DEVICE_ADDED:
		name = vsensor_monitor_event_get_serial(ev);
		printf("# node added: %s %s serial %s\n",
		       vsensor_monitor_event_get_name(ev),
		       vsensor_monitor_event_get_devnode(ev), name ? name : "?");
		return 0;
	case VSENSOR_MONITOR_EVENT_DEVICE_REMOVED:
		printf("# node removed: %s\n", vsensor_monitor_event_get_name(ev));
		return 0;
	case VSENSOR_MONITOR_EVENT_OVERFLOW:
		fprintf(stderr, "# events lost: enumerate again\n");
		return 0;
	case VSENSOR_MONITOR_EVENT_NETLINK:
		break;
	default:
		return 0;
	}
	nl_ev = vsensor_monitor_event_get_nl_event(ev);
	s = vsensor_nl_event_get_session(nl_ev);
	name = vsensor_nl_event_name(vsensor_nl_event_get_cmd(nl_ev));
	printf("%s dev vsensor%u", name ? name : "?",
	       vsensor_nl_device_get_id(vsensor_nl_event_get_device(nl_ev)));
	if (vsensor_nl_session_get_id(s))
		printf(" session %llu pid %u",
		       (unsigned long long)vsensor_nl_session_get_id(s),
		       vsensor_nl_session_get_pid(s));
	printf("\n");
	return 1;
}

int main(int argc, char **argv)
{
	unsigned long count = argc > 1 ? strtoul(argv[1], NULL, 10) : 0;
	struct vsensor_monitor *mon;
	struct vsensor_monitor_event *ev;
	struct pollfd pfd = { .events = POLLIN };
	unsigned long printed = 0;

	mon = vsensor_monitor_new(VSENSOR_MONITOR_NONBLOCK);
	if (!mon) {
		fprintf(stderr, "vsensor monitor: %s%s\n", strerror(errno),
			errno == ENOENT ? " (module not loaded?)" : "");
		return 1;
	}
	pfd.fd = vsensor_monitor_get_fd(mon);
	while (!count || printed < count) {
		if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
			break;
		while ((!count || printed < count) &&
		       (ev = vsensor_monitor_read(mon))) {
			printed += print_event(ev);
			fflush(stdout);
			vsensor_monitor_event_free(ev);
		}
		if ((!count || printed < count) && errno != EAGAIN && errno != EINTR) {
			perror("monitor");
			break;
		}
	}
	vsensor_monitor_free(mon);
	return !count || printed >= count ? 0 : 1;
}
