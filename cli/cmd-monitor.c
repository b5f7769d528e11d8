/*
 * vsensorctl monitor: print the notifications of the netlink "events"
 * group as they come, one line (or one JSON object) each, until killed.
 *   device-added dev vsensor3 serial VSN1000-000003
 *   session-opened dev vsensor3 session 9 pid 411 comm cat
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

/* @data: an int, set to errno when the output fails */
static int print_event(const struct vsensor_nl_event *ev, void *data)
{
	const struct vsensor_nl_device *dev = vsensor_nl_event_get_device(ev);
	const struct vsensor_nl_session *s = vsensor_nl_event_get_session(ev);
	unsigned int cmd = vsensor_nl_event_get_cmd(ev);
	int *write_errno = data;

	print_open_object(NULL);
	print_string(PRINT_ANY, "event", "%s", vsensor_nl_event_name(cmd));
	print_uint(PRINT_JSON, "dev_id", NULL, vsensor_nl_device_get_id(dev));
	print_text(" dev vsensor%u", vsensor_nl_device_get_id(dev));
	if (cmd == VSENSOR_CMD_DEVICE_ADDED || cmd == VSENSOR_CMD_DEVICE_REMOVED ||
	    cmd == VSENSOR_CMD_DEVICE_CHANGED)
		print_string(PRINT_ANY, "serial", " serial %s", vsensor_nl_device_get_serial(dev));
	if (cmd == VSENSOR_CMD_DEVICE_CHANGED) {
		print_string(PRINT_ANY, "waveform", " waveform %s",
			     vsensor_waveform_name(vsensor_nl_device_get_waveform(dev)));
		print_uint(PRINT_ANY, "amplitude", " amplitude %u",
			   vsensor_nl_device_get_amplitude(dev));
		print_uint(PRINT_ANY, "frequency_mhz", " frequency_mhz %u",
			   vsensor_nl_device_get_frequency_mhz(dev));
	}
	if (cmd == VSENSOR_CMD_SESSION_OPENED || cmd == VSENSOR_CMD_SESSION_CLOSED ||
	    cmd == VSENSOR_CMD_OVERRUN)
		print_u64(PRINT_ANY, "session", " session %" PRIu64, vsensor_nl_session_get_id(s));
	if (cmd == VSENSOR_CMD_SESSION_OPENED || cmd == VSENSOR_CMD_SESSION_CLOSED) {
		print_uint(PRINT_ANY, "pid", " pid %u", vsensor_nl_session_get_pid(s));
		print_string(PRINT_ANY, "comm", " comm %s", vsensor_nl_session_get_comm(s));
	}
	if (cmd == VSENSOR_CMD_IOMMU_FAULT)
		print_u64(PRINT_ANY, "iova", " iova 0x%" PRIx64, vsensor_nl_event_get_iova(ev));
	if (vsensor_nl_event_get_lost(ev))
		print_uint(PRINT_ANY, "lost", " lost %u",
			   vsensor_nl_event_get_lost(ev));
	print_close_object();
	print_nl();
	/* each event is complete when it is printed: a pipe sees it now */
	if (!print_line_end())
		return 0;
	*write_errno = errno;
	return 1;
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

int cmd_monitor(int argc, char **argv)
{
	struct vsensor_nl *nl;
	int ret = EXIT_OK, write_errno = 0;

	if (argc > 1)
		return run_cmd((const struct cmd[]){ { "help", usage },
						     { NULL, NULL } },
			       "monitor", argc - 1, argv + 1);
	ret = cli_nl_open(&nl);
	if (ret)
		return ret;
	if (vsensor_nl_subscribe(nl)) {
		vsensor_nl_close(nl);
		return cli_error(EXIT_REFUSED, "cannot join the events group: %m");
	}
	for (;;) {
		int n;

		if (!wait_event(vsensor_nl_get_fd(nl)))
			break;		/* stdout is gone: no one reads us */
		n = vsensor_nl_event_read(nl, print_event, &write_errno);
		if (!n)
			continue;
		if (n > 0)
			break;	/* the output failed: main() says why */
		if (errno == ENOBUFS) {
			fprintf(stderr, "vsensorctl: events lost (ENOBUFS)\n");
			continue;
		}
		ret = cli_error(EXIT_REFUSED, "reading events: %m");
		break;
	}
	vsensor_nl_close(nl);
	if (write_errno)
		errno = write_errno;	/* for main()'s finish_output() */
	return ret;
}
