/*
 * vsensorctl monitor: print the notifications of the netlink "events"
 * group as they come, one line (or one JSON object) each, until killed.
 *   device-added dev vsensor3 serial VSN1000-000003
 *   session-opened dev vsensor3 session 9 pid 411 comm cat
 */
#include <errno.h>
#include <stdio.h>

#include <vsensor/vsensor.h>

#include "vsensorctl.h"

static int usage(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("Usage: vsensorctl monitor [ help ]\n");
	return EXIT_OK;
}

static int print_event(const struct vsensor_nl_event *ev, void *data)
{
	unsigned int cmd = ev->cmd;

	(void)data;
	print_open_object(NULL);
	print_string(PRINT_ANY, "event", "%s", vsensor_nl_event_name(cmd));
	print_uint(PRINT_JSON, "dev_id", NULL, ev->device.id);
	print_text(" dev vsensor%u", ev->device.id);
	if (cmd == VSENSOR_CMD_DEVICE_ADDED || cmd == VSENSOR_CMD_DEVICE_REMOVED ||
	    cmd == VSENSOR_CMD_DEVICE_CHANGED)
		print_string(PRINT_ANY, "serial", " serial %s", ev->device.serial);
	if (cmd == VSENSOR_CMD_DEVICE_CHANGED) {
		print_string(PRINT_ANY, "waveform", " waveform %s",
			     vsensor_waveform_name(ev->device.waveform));
		print_uint(PRINT_ANY, "amplitude", " amplitude %u",
			   ev->device.amplitude);
		print_uint(PRINT_ANY, "frequency_mhz", " frequency_mhz %u",
			   ev->device.frequency_mhz);
	}
	if (cmd == VSENSOR_CMD_SESSION_OPENED || cmd == VSENSOR_CMD_SESSION_CLOSED ||
	    cmd == VSENSOR_CMD_OVERRUN)
		print_u64(PRINT_ANY, "session", " session %llu", ev->session.id);
	if (cmd == VSENSOR_CMD_SESSION_OPENED || cmd == VSENSOR_CMD_SESSION_CLOSED) {
		print_uint(PRINT_ANY, "pid", " pid %u", ev->session.pid);
		print_string(PRINT_ANY, "comm", " comm %s", ev->session.comm);
	}
	if (cmd == VSENSOR_CMD_IOMMU_FAULT)
		print_u64(PRINT_ANY, "iova", " iova 0x%llx", ev->iova);
	if (ev->lost)
		print_uint(PRINT_ANY, "lost", " lost %u", ev->lost);
	print_close_object();
	print_nl();
	/* each event is complete when it is printed: a pipe sees it now */
	return print_line_end() ? -1 : 0;
}

int cmd_monitor(int argc, char **argv)
{
	struct vsensor_nl *nl;
	int ret = EXIT_OK;

	if (argc > 1)
		return run_cmd((const struct cmd[]){ { "help", usage },
						     { NULL, NULL } },
			       "monitor", argc - 1, argv + 1);
	nl = cli_nl_open();
	if (!nl)
		return EXIT_REFUSED;
	if (vsensor_nl_subscribe(nl)) {
		vsensor_nl_close(nl);
		return cli_error(EXIT_REFUSED, "cannot join the events group: %m");
	}
	for (;;) {
		if (!vsensor_nl_event_read(nl, print_event, NULL))
			continue;
		if (errno == ENOBUFS) {
			fprintf(stderr, "vsensorctl: events lost (ENOBUFS)\n");
			continue;
		}
		ret = cli_error(EXIT_REFUSED, "reading events: %m");
		break;
	}
	vsensor_nl_close(nl);
	return ret;
}
