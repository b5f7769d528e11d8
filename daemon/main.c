/*
 * vsensord: the vsensor device daemon. Linear: options, configuration,
 * objects, coldplug, restore, READY=1, the loop, then teardown in reverse.
 * See docs/vsensord.md and vsensord(8).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <systemd/sd-daemon.h>

#include <vsensor/vsensor.h>

#include "capture.h"
#include "control.h"
#include "devices.h"
#include "log.h"
#include "loop.h"
#include "settings.h"
#include "vsensord.h"

#define UDEV_RCVBUF_DEFAULT	(128 * 1024 * 1024)

struct options {
	const char *conf_file;
	const char *conf_dir;
	const char *state_dir;
	const char *socket;
	int udev_rcvbuf;
	int netlink_rcvbuf;
	int log_level;
	bool check_config;
};

static const struct option long_options[] = {
	{ "check-config", no_argument, NULL, 'c' },
	{ "config", required_argument, NULL, 'f' },
	{ "config-dir", required_argument, NULL, 'd' },
	{ "state-dir", required_argument, NULL, 's' },
	{ "socket", required_argument, NULL, 'S' },
	{ "udev-rcvbuf", required_argument, NULL, 'u' },
	{ "netlink-rcvbuf", required_argument, NULL, 'n' },
	{ "debug", no_argument, NULL, 'D' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: vsensord [OPTIONS]\n"
		"  -c, --check-config      parse the configuration, report, exit\n"
		"  -f, --config FILE       main configuration (%s)\n"
		"  -d, --config-dir DIR    drop-ins, *.conf in lexical order (%s)\n"
		"  -s, --state-dir DIR     persisted settings, sessions, recordings (%s)\n"
		"  -S, --socket PATH       Varlink socket unless socket-activated (%s)\n"
		"      --udev-rcvbuf BYTES receive buffer of the udev monitor (128 MiB)\n"
		"      --netlink-rcvbuf BYTES receive buffer of the netlink events\n"
		"  -D, --debug             log debug messages\n"
		"  -h, --help, -V, --version\n",
		VSENSORD_CONF_FILE, VSENSORD_CONF_DIR, VSENSORD_STATE_DIR, VSENSORD_SOCKET);
}

static int parse_int(const char *s, int *v)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno || *end || end == s || n < 0 || n > INT32_MAX)
		return -1;
	*v = (int)n;
	return 0;
}

/* 0 to go on, else the exit status + 1. */
static int parse_options(int argc, char **argv, struct options *o)
{
	int opt;

	while ((opt = getopt_long(argc, argv, "cf:d:s:S:DhV", long_options, NULL)) != -1) {
		switch (opt) {
		case 'c':
			o->check_config = true;
			break;
		case 'f':
			o->conf_file = optarg;
			break;
		case 'd':
			o->conf_dir = optarg;
			break;
		case 's':
			o->state_dir = optarg;
			break;
		case 'S':
			o->socket = optarg;
			break;
		case 'u':
		case 'n':
			if (parse_int(optarg, opt == 'u' ? &o->udev_rcvbuf : &o->netlink_rcvbuf)) {
				fprintf(stderr, "vsensord: bad size \"%s\"\n", optarg);
				return 2;
			}
			break;
		case 'D':
			o->log_level = LOG_DEBUG;
			break;
		case 'h':
			usage(stdout);
			return 1;
		case 'V':
			printf("vsensord %s\n", vsensor_api_version());
			return 1;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "vsensord: unexpected argument \"%s\"\n", argv[optind]);
		return 2;
	}
	return 0;
}

static struct settings *load_settings(struct vsensord *d, struct settings_error *err)
{
	memset(err, 0, sizeof(*err));
	return settings_load(d->conf_file, d->conf_dir, d->state_file, err);
}

static void report_config_error(const struct settings_error *err)
{
	if (err->line)
		log_err(NULL, "%s:%d: %s", err->file, err->line, err->message);
	else
		log_err(NULL, "%s: %s", err->file, err->message);
}

static void notify_status(struct vsensord *d)
{
	sd_notifyf(0, "STATUS=%zu devices, %zu held sessions, config generation %llu",
		   devices_count(d->devices), capture_count(d->capture),
		   (unsigned long long)d->stats.config_generation);
}

/* Parse everything first; on any error the old settings stay in force. */
static int reload(struct vsensord *d, struct settings_error *err)
{
	struct settings *fresh;

	sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu",
		   (unsigned long long)(loop_now_ns() / 1000));
	fresh = load_settings(d, err);
	if (!fresh) {
		report_config_error(err);
		log_err(NULL, "reload refused: the previous configuration stays in force");
		sd_notify(0, "READY=1");
		notify_status(d);
		return -EINVAL;
	}
	settings_free(d->settings);
	d->settings = fresh;
	d->stats.config_generation++;
	log_info(NULL, "configuration reloaded (generation %llu)",
		 (unsigned long long)d->stats.config_generation);
	devices_set_settings(d->devices, d->settings);
	sd_notify(0, "READY=1");
	notify_status(d);
	return 0;
}

static int on_signal(int signo, void *data)
{
	struct vsensord *d = data;
	struct settings_error err;

	if (signo == SIGHUP) {
		reload(d, &err);
		return 0;
	}
	log_info(NULL, "%s: stopping (held sessions stay for the next start)",
		 strsignal(signo));
	loop_quit(d->loop, 0);
	return 0;
}

/* WATCHDOG=1 only from the loop: a stuck loop misses its pings. */
static int on_tick(void *data)
{
	struct vsensord *d = data;

	sd_notify(0, "WATCHDOG=1");
	notify_status(d);
	return 0;
}

static void on_device_added(const struct device *dev, void *data)
{
	struct vsensord *d = data;

	capture_device_added(d->capture, dev);
}

static void on_device_removed(const struct device *dev, void *data)
{
	struct vsensord *d = data;

	capture_device_removed(d->capture, dev);
}

static const struct devices_ops device_ops = {
	.added = on_device_added,
	.removed = on_device_removed,
};

/* The fd store and socket activation: "varlink" is the listening socket. */
static int take_listen_fds(int **fds, char ***names)
{
	int n = sd_listen_fds_with_names(1, names);
	int i;

	if (n <= 0)
		return 0;
	*fds = calloc((size_t)n, sizeof(**fds));
	if (!*fds)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		(*fds)[i] = SD_LISTEN_FDS_START + i;
	return n;
}

int main(int argc, char **argv)
{
	static const int signals[] = { SIGTERM, SIGINT, SIGHUP, 0 };
	struct options o = {
		.conf_file = VSENSORD_CONF_FILE, .conf_dir = VSENSORD_CONF_DIR,
		.state_dir = VSENSORD_STATE_DIR, .socket = VSENSORD_SOCKET,
		.udev_rcvbuf = UDEV_RCVBUF_DEFAULT, .log_level = LOG_INFO,
	};
	struct vsensord d = { .reload = reload };
	struct devices_opts dopts;
	struct settings_error err;
	struct loop_timer *tick = NULL;
	char state_file[4096], **names = NULL;
	int *fds = NULL, nfds, listen_fd = -1, i, ret = 1;
	uint64_t wd_usec = 0;

	ret = parse_options(argc, argv, &o);
	if (ret)
		return ret - 1;
	log_setup(o.log_level);
	snprintf(state_file, sizeof(state_file), "%s/settings.conf", o.state_dir);
	d.conf_file = o.conf_file;
	d.conf_dir = o.conf_dir;
	d.state_dir = o.state_dir;
	d.state_file = state_file;
	d.stats.start_ns = loop_now_ns();
	d.stats.config_generation = 1;

	d.settings = load_settings(&d, &err);
	if (!d.settings) {
		report_config_error(&err);
		return 1;
	}
	if (o.check_config) {
		settings_free(d.settings);
		printf("vsensord: configuration OK\n");
		return 0;
	}
	ret = 1;
	signal(SIGPIPE, SIG_IGN);
	d.loop = loop_new(signals, on_signal, &d);
	if (!d.loop)
		goto out_settings;

	nfds = take_listen_fds(&fds, &names);
	for (i = 0; i < nfds; i++) {
		if (names && names[i] && !strcmp(names[i], "varlink")) {
			listen_fd = fds[i];
			fds[i] = -1;
		}
	}
	if (listen_fd < 0)
		listen_fd = control_listen(o.socket);
	if (listen_fd < 0) {
		log_err(NULL, "%s: %s", o.socket, strerror(-listen_fd));
		goto out_loop;
	}

	dopts.udev_rcvbuf = o.udev_rcvbuf;
	dopts.netlink_rcvbuf = o.netlink_rcvbuf;
	d.devices = devices_new(d.loop, &dopts, &d.stats, &device_ops, &d);
	if (!d.devices)
		goto out_listen;
	d.capture = capture_new(d.loop, d.devices, o.state_dir);
	if (!d.capture)
		goto out_devices;
	d.control = control_new(&d, listen_fd);
	if (!d.control)
		goto out_capture;
	listen_fd = -1;
	if (devices_start(d.devices, d.settings))
		goto out_control;
	capture_restore(d.capture, fds, names, nfds > 0 ? (size_t)nfds : 0);
	for (i = 0; i < nfds; i++)
		if (fds[i] >= 0)
			close(fds[i]);

	tick = loop_add_timer(d.loop, on_tick, &d);
	if (!tick)
		goto out_control;
	if (sd_watchdog_enabled(0, &wd_usec) <= 0)
		wd_usec = 10 * 1000000ULL;
	loop_timer_arm(tick, wd_usec / 2, true);

	sd_notify(0, "READY=1");
	notify_status(&d);
	log_info(NULL, "ready: %zu devices, %zu held sessions",
		 devices_count(d.devices), capture_count(d.capture));
	ret = loop_run(d.loop) ? 1 : 0;
	sd_notify(0, "STOPPING=1");

	loop_remove_timer(tick);
out_control:
	control_free(d.control);
out_capture:
	capture_free(d.capture);
out_devices:
	devices_free(d.devices);
out_listen:
	if (listen_fd >= 0)
		close(listen_fd);
out_loop:
	loop_free(d.loop);
out_settings:
	settings_free(d.settings);
	free(fds);
	if (names)
		for (i = 0; names[i]; i++)
			free(names[i]);
	free(names);
	return ret;
}
