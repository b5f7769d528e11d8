/*
 * vsensorctl device: list the devices of both backends (the vsensor bus,
 * PCI), or show one; add, delete and set them through netlink.
 *   vsensor0 devnode /dev/vsensor0 model VSN1000 serial S1 channels 4 ...
 *     ... bus vsensor bus_address vsensor0
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <vsensor/vsensor.h>

#include "vsensorctl.h"

struct device_string {
	const char *key;
	const char *fmt;
	const char *(*get)(struct vsensor_device *dev);
};

static const struct device_string device_strings[] = {
	{ "devnode", " devnode %s", vsensor_device_get_devnode },
	{ "model", " model %s", vsensor_device_get_model },
	{ "serial", " serial %s", vsensor_device_get_serial },
};

/* The backend, last: "vsensor" or "pci", and the address on that bus. */
static const struct device_string device_bus_strings[] = {
	{ "bus", " bus %s", vsensor_device_get_bus },
	{ "bus_address", " bus_address %s", vsensor_device_get_bus_address },
};

/* Numbers from sysfs; the key is the text keyword too. */
static const struct {
	const char *key;
	int (*get)(struct vsensor_device *dev);
} device_uints[] = {
	{ "channels", vsensor_device_get_num_channels },
	{ "sample_rate", vsensor_device_get_sample_rate },
	{ "sample_rate_max", vsensor_device_get_sample_rate_max },
	{ "fifo_depth", vsensor_device_get_fifo_depth },
};

static int usage(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("Usage: vsensorctl device [ list | show [ DEV ] | help ]\n"
	       "       vsensorctl device add ID [ serial SERIAL ]\n"
	       "       vsensorctl device del DEV\n"
	       "       vsensorctl device set DEV SETTING VALUE [ SETTING VALUE ]... [ persist ]\n"
	       "where  DEV := { N | vsensorN | /dev/vsensorN | SERIAL }\n"
	       "       SETTING := { waveform { sine | square | ramp | noise } |\n"
	       "                    amplitude N | frequency_mhz N }\n");
	return EXIT_OK;
}

void print_dev_id(uint32_t id)
{
	print_uint(PRINT_JSON, "dev_id", NULL, id);
	print_uint(PRINT_TEXT, NULL, " dev vsensor%u", id);
}

static void print_device_strings(struct vsensor_device *dev,
				 const struct device_string *strings, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		print_string(PRINT_ANY, strings[i].key, strings[i].fmt,
			     strings[i].get(dev));
}

static void print_device(struct vsensor_device *dev)
{
	size_t i;

	print_open_object(NULL);
	print_string(PRINT_ANY, "name", "%s", vsensor_device_get_name(dev));
	print_device_strings(dev, device_strings, ARRAY_SIZE(device_strings));
	for (i = 0; i < ARRAY_SIZE(device_uints); i++) {
		int value = device_uints[i].get(dev);

		/* one that could not be read is null in JSON, - in text */
		print_text(" %s", device_uints[i].key);
		if (value < 0)
			print_string(PRINT_ANY, device_uints[i].key, " %s", NULL);
		else
			print_int(PRINT_ANY, device_uints[i].key, " %d", value);
	}
	print_device_strings(dev, device_bus_strings, ARRAY_SIZE(device_bus_strings));
	print_close_object();
	print_nl();
}

static int show_one(struct vsensor_ctx *ctx, const char *name)
{
	struct vsensor_device *dev;

	dev = vsensor_ctx_find_device(ctx, name);
	if (!dev)
		return cli_error(EXIT_NOT_FOUND, "%s: no such device", name);

	print_device(dev);
	return EXIT_OK;
}

static int show_all(struct vsensor_ctx *ctx)
{
	size_t i;

	for (i = 0; i < vsensor_ctx_get_num_devices(ctx); i++)
		print_device(vsensor_ctx_get_device(ctx, i));
	return EXIT_OK;
}

/* Print every device, or with @name only that one. */
static int show_devices(const char *name)
{
	struct vsensor_ctx *ctx;
	int ret;

	ctx = vsensor_ctx_new();
	if (!ctx)
		return cli_error(EXIT_REFUSED, "cannot list vsensor devices: %m");

	print_open_array(NULL);
	ret = name ? show_one(ctx, name) : show_all(ctx);
	print_close_array();

	vsensor_ctx_free(ctx);
	return ret;
}

static int do_list(int argc, char **argv)
{
	if (argc > 1)
		return cli_error(EXIT_USAGE, "\"%s\" takes no argument", argv[0]);
	return show_devices(NULL);
}

static int do_show(int argc, char **argv)
{
	if (argc > 2)
		return cli_error(EXIT_USAGE, "too many arguments to \"show\"");
	if (argc == 2 && check_device_arg(argv[1]))
		return EXIT_USAGE;
	return show_devices(argc == 2 ? argv[1] : NULL);
}

static int do_add(int argc, char **argv)
{
	const char *serial = NULL;
	struct vsensor_nl *nl;
	unsigned int id;
	uint64_t v;
	int ret = EXIT_OK;

	if (argc != 2 && !(argc == 4 && !strcmp(argv[2], "serial")))
		return cli_error(EXIT_USAGE,
				 "usage: vsensorctl device add ID [ serial SERIAL ]");
	if (vsensor_parse_u64(argv[1], 0, UINT32_MAX, &v))
		return cli_error(EXIT_USAGE, "\"%s\" is not a device id", argv[1]);
	id = (unsigned int)v;
	if (argc == 4)
		serial = argv[3];
	ret = cli_nl_open(&nl);
	if (ret)
		return ret;
	if (vsensor_nl_device_new(nl, id, serial))
		ret = cli_nl_error(nl, "device add");
	vsensor_nl_close(nl);
	return ret;
}

static int do_del(int argc, char **argv)
{
	struct vsensor_nl *nl;
	unsigned int id;
	int ret = EXIT_OK;

	if (argc != 2)
		return cli_error(EXIT_USAGE, "usage: vsensorctl device del DEV");
	ret = cli_device_id(argv[1], &id);
	if (ret)
		return ret;
	ret = cli_nl_open(&nl);
	if (ret)
		return ret;
	if (vsensor_nl_device_del(nl, id))
		ret = cli_nl_error(nl, "device del");
	vsensor_nl_close(nl);
	return ret;
}

#define MAX_SETTINGS	16

/*
 * Through vsensord, which applies them and stores them for the device's
 * identity, to be applied again whenever it appears.
 */
static int set_persist(const char *dev, char **pairs, size_t n)
{
	const char *keys[MAX_SETTINGS], *values[MAX_SETTINGS];
	struct vsensor_daemon_device *device;
	struct vsensor_client *client;
	char name[32];
	size_t i;
	int ret;

	ret = cli_device_name(dev, name, sizeof(name));
	if (ret)
		return ret;
	for (i = 0; i < n; i++) {
		keys[i] = pairs[2 * i];
		values[i] = pairs[2 * i + 1];
	}
	ret = cli_client_open(&client, false);
	if (ret)
		return ret;
	device = vsensor_client_set_device_settings(client, name, keys, values,
						    n, true);
	if (device)
		print_daemon_device(device);
	else
		ret = cli_client_error(client);
	vsensor_daemon_device_free(device);
	vsensor_client_free(client);
	return ret;
}

static bool is_persist(const char *arg)
{
	return !strcmp(arg, "persist") || !strcmp(arg, "--persist");
}

static int do_set(int argc, char **argv)
{
	struct vsensor_nl_setting set[MAX_SETTINGS];
	struct vsensor_nl *nl;
	bool persist = false;
	unsigned int id;
	size_t n = 0;
	int i, ret = EXIT_OK;

	if (argc > 2 && is_persist(argv[argc - 1])) {
		persist = true;
		argc--;
	}
	if (argc < 4 || argc % 2 || (argc - 2) / 2 > MAX_SETTINGS)
		return cli_error(EXIT_USAGE,
				 "usage: vsensorctl device set DEV SETTING VALUE... [ persist ]");
	if (check_device_arg(argv[1]))
		return EXIT_USAGE;
	for (i = 2; i < argc; i += 2) {
		if (vsensor_nl_setting_parse(argv[i], argv[i + 1], &set[n++]))
			return cli_error(EXIT_USAGE, "bad setting \"%s %s\"",
					 argv[i], argv[i + 1]);
	}
	if (persist)
		return set_persist(argv[1], argv + 2, n);
	ret = cli_device_id(argv[1], &id);
	if (ret)
		return ret;
	ret = cli_nl_open(&nl);
	if (ret)
		return ret;
	if (vsensor_nl_device_set(nl, id, set, n))
		ret = cli_nl_error(nl, "device set");
	vsensor_nl_close(nl);
	return ret;
}

static const struct cmd device_cmds[] = {
	{ "list", do_list },
	{ "show", do_show },
	{ "add", do_add },
	{ "del", do_del },
	{ "set", do_set },
	{ "help", usage },
	{ NULL, NULL },
};

int cmd_device(int argc, char **argv)
{
	if (argc < 2)
		return show_devices(NULL);
	return run_cmd(device_cmds, "device", argc - 1, argv + 1);
}
