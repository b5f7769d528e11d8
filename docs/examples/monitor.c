// SPDX-License-Identifier: GPL-2.0
/*
 * monitor: print the vsensor family's notifications (devices added,
 * changed and removed, sessions opened and closed, overruns, IOMMU faults)
 * as they come, in a poll() loop of its own, until COUNT were printed.
 * Lost notifications (ENOBUFS) are said: a real program enumerates again.
 *   monitor [COUNT]                  (default: for ever)
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vsensor/vsensor.h>

static unsigned long printed;

static int print_event(const struct vsensor_nl_event *ev, void *data)
{
	const struct vsensor_nl_session *s = vsensor_nl_event_get_session(ev);
	const char *name = vsensor_nl_event_name(vsensor_nl_event_get_cmd(ev));
	unsigned long *count = data;

	printf("%s dev vsensor%u", name ? name : "?",
	       vsensor_nl_device_get_id(vsensor_nl_event_get_device(ev)));
	if (vsensor_nl_session_get_id(s))
		printf(" session %llu pid %u",
		       (unsigned long long)vsensor_nl_session_get_id(s),
		       vsensor_nl_session_get_pid(s));
	printf("\n");
	fflush(stdout);
	printed++;
	return *count && printed >= *count;	/* non-zero: stop */
}

int main(int argc, char **argv)
{
	unsigned long count = argc > 1 ? strtoul(argv[1], NULL, 10) : 0;
	struct vsensor_nl *nl = vsensor_nl_open();
	struct pollfd pfd = { .events = POLLIN };

	if (!nl) {
		fprintf(stderr, "vsensor netlink: %s%s\n", strerror(errno),
			errno == ENOENT ? " (module not loaded?)" : "");
		return 1;
	}
	if (vsensor_nl_subscribe(nl)) {
		perror("subscribe");
		vsensor_nl_close(nl);
		return 1;
	}
	pfd.fd = vsensor_nl_get_fd(nl);
	while (!count || printed < count) {
		if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
			break;
		if (vsensor_nl_event_read(nl, print_event, &count) < 0) {
			if (errno == ENOBUFS)
				fprintf(stderr, "# notifications lost: enumerate again\n");
			else if (errno != EAGAIN)
				break;
		}
	}
	vsensor_nl_close(nl);
	return !count || printed >= count ? 0 : 1;
}
