/*
 * vsensorctl daemon: vsensord's status and a reload of its configuration,
 * through the Varlink client of libvsensor; and the helpers every command
 * that talks to vsensord shares (connecting, its errors).
 *   version 0.1.0 uptime_ns 1500000000 devices 2 sessions 3 ...
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <vsensor/vsensor.h>

#include "vsensorctl.h"

static int usage(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("Usage: vsensorctl daemon [ status | devices | reload | help ]\n");
	return EXIT_OK;
}

/* Where vsensord listens: $VSENSOR_SOCKET, else the default. */
static const char *daemon_address(void)
{
	const char *address = getenv("VSENSOR_SOCKET");

	return address && *address ? address : VSENSOR_CLIENT_ADDRESS;
}

/* errno of a failed connect(2) that means no daemon is there. */
static bool not_running(int err)
{
	return err == ENOENT || err == ECONNREFUSED;
}

int cli_client_open(struct vsensor_client **client, bool quiet)
{
	const char *address = daemon_address();

	*client = vsensor_client_new(address);
	if (*client)
		return EXIT_OK;
	if (quiet && not_running(errno))
		return EXIT_NOT_FOUND;
	if (not_running(errno))
		return cli_error(EXIT_NOT_FOUND, "vsensord is not running (%s: %m)",
				 address);
	return cli_error(EXIT_REFUSED, "cannot reach vsensord (%s: %m)", address);
}

int cli_client_error(struct vsensor_client *client)
{
	int err = errno;
	const char *msg = vsensor_client_get_error_message(client);
	int code = EXIT_REFUSED;

	/* no such device or session (the daemon's), or no answer in time */
	if ((err == ENOENT && vsensor_client_get_error(client)) ||
	    err == ETIMEDOUT)
		code = EXIT_NOT_FOUND;
	errno = err;
	if (!msg)
		return cli_error(code, "vsensord: %m");
	return cli_error(code, "%s", msg);
}

int cli_device_name(const char *arg, char *name, size_t size)
{
	unsigned int id;
	int ret;

	ret = cli_device_id(arg, &id);
	if (ret)
		return ret;
	snprintf(name, size, "vsensor%u", id);
	return 0;
}

static void print_status(const struct vsensor_daemon_status *status)
{
	size_t i, n = vsensor_daemon_status_get_num_counters(status);

	print_open_object(NULL);
	print_string(PRINT_ANY, "version", "version %s",
		     vsensor_daemon_status_get_version(status));
	for (i = 0; i < n; i++) {
		const char *name = vsensor_daemon_status_get_counter_name(status, i);

		/* the counter's name is its text keyword too */
		print_string(PRINT_TEXT, NULL, " %s", name);
		print_u64(PRINT_ANY, name, " %" PRIu64,
			  vsensor_daemon_status_get_counter_value(status, i));
	}
	print_close_object();
	print_nl();
}

static int do_status(int argc, char **argv)
{
	struct vsensor_daemon_status *status;
	struct vsensor_client *client;
	int ret;

	if (argc > 1)
		return cli_error(EXIT_USAGE, "\"%s\" takes no argument", argv[0]);
	ret = cli_client_open(&client, false);
	if (ret)
		return ret;
	status = vsensor_client_get_status(client);
	if (status)
		print_status(status);
	else
		ret = cli_client_error(client);
	vsensor_daemon_status_free(status);
	vsensor_client_free(client);
	return ret;
}

/* One device as vsensord knows it; the one printer for text and JSON. */
void print_daemon_device(const struct vsensor_daemon_device *dev)
{
	size_t i, n = vsensor_daemon_device_get_num_settings(dev);

	print_open_object(NULL);
	print_string(PRINT_ANY, "name", "%s", vsensor_daemon_device_get_name(dev));
	print_string(PRINT_ANY, "serial", " serial %s",
		     vsensor_daemon_device_get_serial(dev));
	print_string(PRINT_ANY, "identity", " identity %s",
		     vsensor_daemon_device_get_identity(dev));
	print_string(PRINT_ANY, "devnode", " devnode %s",
		     vsensor_daemon_device_get_devnode(dev));
	print_open_object("settings");
	for (i = 0; i < n; i++) {
		const char *key = vsensor_daemon_device_get_setting_key(dev, i);

		/* the key is the daemon's: never part of a format */
		print_string(PRINT_TEXT, NULL, " %s", key);
		print_string(PRINT_ANY, key, " %s",
			     vsensor_daemon_device_get_setting_value(dev, i));
	}
	print_close_object();
	print_string(PRINT_ANY, "settings_result", " settings %s",
		     vsensor_daemon_device_get_settings_result(dev));
	print_string(PRINT_ANY, "bus", " bus %s", vsensor_daemon_device_get_bus(dev));
	print_string(PRINT_ANY, "bus_address", " bus_address %s",
		     vsensor_daemon_device_get_bus_address(dev));
	print_close_object();
	print_nl();
}

static int print_device_cb(const struct vsensor_daemon_device *dev, void *data)
{
	(void)data;
	print_daemon_device(dev);
	return 0;
}

static int do_devices(int argc, char **argv)
{
	struct vsensor_client *client;
	int ret;

	if (argc > 1)
		return cli_error(EXIT_USAGE, "\"%s\" takes no argument", argv[0]);
	ret = cli_client_open(&client, false);
	if (ret)
		return ret;
	print_open_array(NULL);
	if (vsensor_client_list_devices(client, print_device_cb, NULL))
		ret = cli_client_error(client);
	print_close_array();
	vsensor_client_free(client);
	return ret;
}

static int do_reload(int argc, char **argv)
{
	struct vsensor_client *client;
	uint64_t generation;
	int ret;

	if (argc > 1)
		return cli_error(EXIT_USAGE, "\"%s\" takes no argument", argv[0]);
	ret = cli_client_open(&client, false);
	if (ret)
		return ret;
	if (vsensor_client_reload(client, &generation)) {
		ret = cli_client_error(client);
	} else {
		print_open_object(NULL);
		print_u64(PRINT_ANY, "config_generation",
			  "config_generation %" PRIu64, generation);
		print_close_object();
		print_nl();
	}
	vsensor_client_free(client);
	return ret;
}

static const struct cmd daemon_cmds[] = {
	{ "status", do_status },
	{ "show", do_status },
	{ "devices", do_devices },
	{ "reload", do_reload },
	{ "help", usage },
	{ NULL, NULL },
};

int cmd_daemon(int argc, char **argv)
{
	if (argc < 2)
		return do_status(1, argv);
	return run_cmd(daemon_cmds, "daemon", argc - 1, argv + 1);
}
