/*
 * vsensord: the Varlink server. Each client is a non-blocking socket with
 * bounded input and output (lib/varlink.c); a malformed or oversized
 * request gets an error reply and closes only its own connection, and a
 * client that stops reading is dropped when its replies pile up. Methods
 * are a table; those that change state check the peer's credentials.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <json-c/json.h>

#include <vsensor/vsensor.h>

#include "capture.h"
#include "control.h"
#include "devices.h"
#include "log.h"
#include "loop.h"
#include "settings.h"
#include "varlink.h"
#include "vsensord.h"

#define CONTROL_MAX_CLIENTS	128
#define CONTROL_GROUP		"vsensor"
#define CONTROL_IFACE		"io.vsensor"
#define CONTROL_NGROUPS_MAX	256

struct client {
	struct control *control;
	struct varlink_conn *conn;
	struct loop_source *src;
	uid_t uid;
	pid_t pid;
	bool may_write;		/* root or a member of group vsensor */
	bool closing;		/* close once the output is sent */
	struct client *next;
};

struct control {
	struct vsensord *d;
	int listen_fd;
	struct loop_source *listen_src;
	struct client *clients;
	size_t nr_clients;
	gid_t group;		/* of CONTROL_GROUP, or (gid_t)-1 */
};

/* What a method answers: a reply or an error, as a whole message. */
typedef struct json_object *(*method_fn)(struct control *control,
					  struct client *client,
					  struct json_object *params);

struct method {
	const char *name;
	method_fn fn;
	bool writes;		/* needs root or group vsensor */
	const char *const *params;	/* the parameters it knows */
};

static const char interface_description[] =
	"# Control of the vsensor device daemon (docs/vsensord.md)\n"
	"interface io.vsensor\n\n"
	"type Device (name: string, serial: string, model: string, devnode: ?string,\n"
	"  identity: string, online: bool, settings: [string]string,\n"
	"  settings_result: ?string, bus: ?string, bus_address: ?string)\n\n"
	"type Session (id: int, held: bool, device: string, serial: string,\n"
	"  state: string, uid: ?int, pid: int, comm: string, rate_hz: int,\n"
	"  channel_mask: int, watermark: int, clock: string, output: ?string,\n"
	"  format: ?string, records: ?int, gaps: ?int, kernel_session: ?int)\n\n"
	"method GetStatus() -> (version: string, uptime_ns: int, devices: int,\n"
	"  sessions: int, held_sessions: int, udev_overflows: int,\n"
	"  netlink_overflows: int, reenumerations: int, settings_applied: int,\n"
	"  settings_failed: int, clients: int, config_generation: int)\n"
	"method ListDevices() -> (devices: []Device)\n"
	"method ListSessions() -> (sessions: []Session)\n"
	"method StartSession(device: string, comm: ?string, rate_hz: ?int,\n"
	"  channel_mask: ?int, watermark: ?int, clock: ?string, output: ?string,\n"
	"  format: ?string, rotate_bytes: ?int) -> (session: Session)\n"
	"method StopSession(id: int) -> (session: Session)\n"
	"method SetDeviceSettings(device: string, settings: [string]string,\n"
	"  persist: bool) -> (device: Device)\n"
	"method Reload() -> (config_generation: int)\n\n"
	"error NoSuchDevice (device: string)\n"
	"error NoSuchSession (id: int)\n"
	"error PermissionDenied ()\n"
	"error InvalidSetting (key: string, message: string)\n"
	"error ConfigError (file: string, line: int, message: string)\n"
	"error KernelRefused (errno: int, message: string)\n"
	"error Failed (errno: int, message: string)\n"
	"error InvalidRequest (message: string)\n";

static struct json_object *error_param(const char *error, const char *key,
				       struct json_object *value)
{
	struct json_object *p = json_object_new_object();

	if (key)
		json_object_object_add(p, key, value);
	return varlink_error_new(error, p);
}

static struct json_object *error_errno(const char *error, int err,
				       const char *message)
{
	struct json_object *p = json_object_new_object();

	json_object_object_add(p, "errno", json_object_new_int(err));
	json_object_object_add(p, "message", json_object_new_string(message));
	return varlink_error_new(error, p);
}

static struct json_object *invalid_parameter(const char *name)
{
	return error_param("org.varlink.service.InvalidParameter", "parameter",
			   json_object_new_string(name));
}

static struct log_about client_about(const struct client *client)
{
	struct log_about about = LOG_ABOUT_NONE;

	about.client_uid = (int)client->uid;
	about.client_pid = client->pid;
	return about;
}

/* ---- org.varlink.service ------------------------------------------------- */

static struct json_object *m_get_info(struct control *control, struct client *client,
				      struct json_object *params)
{
	struct json_object *p = json_object_new_object();
	struct json_object *ifaces = json_object_new_array();

	(void)control;
	(void)client;
	(void)params;
	json_object_object_add(p, "vendor", json_object_new_string("vsensor"));
	json_object_object_add(p, "product", json_object_new_string("vsensord"));
	json_object_object_add(p, "version", json_object_new_string(vsensor_api_version()));
	json_object_object_add(p, "url", json_object_new_string("docs/vsensord.md"));
	json_object_array_add(ifaces, json_object_new_string("org.varlink.service"));
	json_object_array_add(ifaces, json_object_new_string(CONTROL_IFACE));
	json_object_object_add(p, "interfaces", ifaces);
	return varlink_reply_new(p);
}

static struct json_object *m_get_description(struct control *control,
					     struct client *client,
					     struct json_object *params)
{
	const char *iface;

	(void)control;
	(void)client;
	if (varlink_param_string(params, "interface", &iface))
		return invalid_parameter("interface");
	if (strcmp(iface, CONTROL_IFACE))
		return error_param("org.varlink.service.InterfaceNotFound", "interface",
				   json_object_new_string(iface));
	{
		struct json_object *p = json_object_new_object();

		json_object_object_add(p, "description",
				       json_object_new_string(interface_description));
		return varlink_reply_new(p);
	}
}

/* ---- io.vsensor ------------------------------------------------------------ */

static struct json_object *m_get_status(struct control *control, struct client *client,
					struct json_object *params)
{
	struct vsensord *d = control->d;
	struct vsensord_stats *st = &d->stats;
	struct json_object *p = json_object_new_object();

	(void)client;
	(void)params;
	json_object_object_add(p, "version", json_object_new_string(vsensor_api_version()));
	json_object_object_add(p, "uptime_ns",
			       json_object_new_uint64(loop_now_ns() - st->start_ns));
	json_object_object_add(p, "devices",
			       json_object_new_uint64(devices_count(d->devices)));
	json_object_object_add(p, "sessions",
			       json_object_new_uint64(devices_kernel_sessions(d->devices)));
	json_object_object_add(p, "held_sessions",
			       json_object_new_uint64(capture_count(d->capture)));
	json_object_object_add(p, "udev_overflows", json_object_new_uint64(st->udev_overflows));
	json_object_object_add(p, "netlink_overflows",
			       json_object_new_uint64(st->netlink_overflows));
	json_object_object_add(p, "reenumerations", json_object_new_uint64(st->reenumerations));
	json_object_object_add(p, "settings_applied",
			       json_object_new_uint64(st->settings_applied));
	json_object_object_add(p, "settings_failed", json_object_new_uint64(st->settings_failed));
	json_object_object_add(p, "clients", json_object_new_uint64(control->nr_clients));
	json_object_object_add(p, "config_generation",
			       json_object_new_uint64(st->config_generation));
	return varlink_reply_new(p);
}

static struct json_object *device_json(const struct device *dev)
{
	struct json_object *o = json_object_new_object();
	struct json_object *set = json_object_new_object();
	char value[64];
	int k;

	json_object_object_add(o, "name", json_object_new_string(dev->name));
	json_object_object_add(o, "serial", json_object_new_string(dev->serial ? dev->serial : ""));
	json_object_object_add(o, "model", json_object_new_string(dev->model ? dev->model : ""));
	json_object_object_add(o, "devnode", dev->devnode ?
			       json_object_new_string(dev->devnode) : NULL);
	json_object_object_add(o, "identity", json_object_new_string(dev->identity));
	json_object_object_add(o, "online", json_object_new_boolean(1));
	for (k = 0; k < NR_SETTINGS; k++) {
		if (!dev->settings.set[k])
			continue;
		settings_format(k, dev->settings.value[k], value, sizeof(value));
		json_object_object_add(set, settings_key_name(k), json_object_new_string(value));
	}
	json_object_object_add(o, "settings", set);
	json_object_object_add(o, "settings_result", dev->settings_msg[0] ?
			       json_object_new_string(dev->settings_msg) : NULL);
	json_object_object_add(o, "bus", dev->bus ? json_object_new_string(dev->bus) : NULL);
	json_object_object_add(o, "bus_address", dev->bus_address ?
			       json_object_new_string(dev->bus_address) : NULL);
	return o;
}

static struct json_object *m_list_devices(struct control *control, struct client *client,
					  struct json_object *params)
{
	struct json_object *p = json_object_new_object();
	struct json_object *arr = json_object_new_array();
	const struct device *dev;

	(void)client;
	(void)params;
	for (dev = devices_first(control->d->devices); dev; dev = dev->next)
		json_object_array_add(arr, device_json(dev));
	json_object_object_add(p, "devices", arr);
	return varlink_reply_new(p);
}

/* A kernel session not held by this daemon, as a Session. */
static int add_kernel_session(const struct vsensor_nl_session *s, void *data)
{
	const struct vsensor_config *config = vsensor_nl_session_get_config(s);
	const struct vsensor_stats *stats = vsensor_nl_session_get_stats(s);
	uint64_t id = vsensor_nl_session_get_id(s);
	uint32_t pid = vsensor_nl_session_get_pid(s);
	struct json_object *arr = data, *o;
	char name[32];

	if (pid == (uint32_t)getpid())
		return 0;	/* ours: listed as held */
	o = json_object_new_object();
	snprintf(name, sizeof(name), VSENSOR_NAME "%u", vsensor_nl_session_get_dev_id(s));
	json_object_object_add(o, "id", json_object_new_uint64(id));
	json_object_object_add(o, "held", json_object_new_boolean(0));
	json_object_object_add(o, "device", json_object_new_string(name));
	json_object_object_add(o, "serial", json_object_new_string(""));
	json_object_object_add(o, "state", json_object_new_string("open"));
	json_object_object_add(o, "pid", json_object_new_uint64(pid));
	json_object_object_add(o, "comm", json_object_new_string(vsensor_nl_session_get_comm(s)));
	json_object_object_add(o, "rate_hz", json_object_new_uint64(config->rate_hz));
	json_object_object_add(o, "channel_mask",
			       json_object_new_uint64(config->channel_mask));
	json_object_object_add(o, "watermark", json_object_new_uint64(config->watermark));
	json_object_object_add(o, "clock",
			       json_object_new_string(capture_clock_name(config->clock_id)));
	json_object_object_add(o, "kernel_session", json_object_new_uint64(id));
	json_object_object_add(o, "delivered", json_object_new_uint64(stats->delivered));
	json_object_object_add(o, "dropped", json_object_new_uint64(stats->dropped));
	json_object_array_add(arr, o);
	return 0;
}

static struct json_object *m_list_sessions(struct control *control, struct client *client,
					   struct json_object *params)
{
	struct json_object *p = json_object_new_object();
	struct json_object *arr = json_object_new_array();
	struct vsensor_nl *nl = devices_netlink(control->d->devices);

	(void)client;
	(void)params;
	capture_list(control->d->capture, arr);
	if (nl)
		vsensor_nl_session_list(nl, add_kernel_session, arr);
	json_object_object_add(p, "sessions", arr);
	return varlink_reply_new(p);
}

static const char *const start_params[] = {
	"device", "comm", "rate_hz", "channel_mask", "watermark", "clock",
	"output", "format", "rotate_bytes", NULL,
};

static struct json_object *m_start_session(struct control *control, struct client *client,
					   struct json_object *params)
{
	struct capture_request req;
	struct json_object *session, *p;
	const char *clock = NULL, *format = NULL, *claimed = NULL;
	int64_t v;
	char comm[32] = "", path[64], err[256];
	FILE *f;
	int ret;

	memset(&req, 0, sizeof(req));
	if (varlink_param_string(params, "device", &req.device))
		return invalid_parameter("device");
#define INT_PARAM(name, field, min, max)					\
	do {									\
		ret = varlink_param_int(params, name, min, max, &v);		\
		if (ret == -EINVAL)						\
			return invalid_parameter(name);				\
		if (!ret)							\
			field = (uint32_t)v;					\
	} while (0)
	INT_PARAM("rate_hz", req.config.rate_hz, 1, UINT32_MAX);
	INT_PARAM("channel_mask", req.config.channel_mask, 1, UINT32_MAX);
	INT_PARAM("watermark", req.config.watermark, 1, UINT32_MAX);
#undef INT_PARAM
	ret = varlink_param_int(params, "rotate_bytes", 0, INT64_MAX, &v);
	if (ret == -EINVAL)
		return invalid_parameter("rotate_bytes");
	if (!ret)
		req.rotate_bytes = (uint64_t)v;
	if (varlink_param_string(params, "clock", &clock) == -EINVAL)
		return invalid_parameter("clock");
	if (clock) {
		req.clock_set = true;
		if (!strcmp(clock, "realtime"))
			req.config.clock_id = VSENSOR_CLOCK_REALTIME;
		else if (!strcmp(clock, "monotonic"))
			req.config.clock_id = VSENSOR_CLOCK_MONOTONIC;
		else if (!strcmp(clock, "boottime"))
			req.config.clock_id = VSENSOR_CLOCK_BOOTTIME;
		else
			return invalid_parameter("clock");
	}
	if (varlink_param_string(params, "format", &format) == -EINVAL)
		return invalid_parameter("format");
	if (format && !strcmp(format, "csv"))
		req.format = CAPTURE_CSV;
	else if (format && strcmp(format, "bin"))
		return invalid_parameter("format");
	if (varlink_param_string(params, "output", &req.output) == -EINVAL)
		return invalid_parameter("output");

	if (varlink_param_string(params, "comm", &claimed) == -EINVAL)
		return invalid_parameter("comm");

	req.uid = client->uid;
	req.pid = client->pid;
	/*
	 * The owner's command: its /proc/PID/comm, or, when ProtectProc=
	 * hides other users' processes from us, what the client says (the
	 * same string: any process sets its own comm with PR_SET_NAME).
	 */
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)client->pid);
	f = fopen(path, "re");
	if (f) {
		if (fgets(comm, sizeof(comm), f))
			comm[strcspn(comm, "\n")] = '\0';
		fclose(f);
	}
	if (!comm[0] && claimed)
		snprintf(comm, sizeof(comm), "%.15s", claimed);
	req.comm = comm;
	ret = capture_start(control->d->capture, &req, &session, err, sizeof(err));
	if (ret == -ENODEV)
		return error_param(CONTROL_IFACE ".NoSuchDevice", "device",
				   json_object_new_string(req.device));
	if (ret == -EINVAL && strstr(err, "output"))
		return invalid_parameter("output");
	if (ret == -EINVAL || ret == -E2BIG || ret == -ERANGE)
		return error_errno(CONTROL_IFACE ".KernelRefused", -ret, err);
	if (ret)
		return error_errno(CONTROL_IFACE ".Failed", -ret, err);
	p = json_object_new_object();
	json_object_object_add(p, "session", session);
	return varlink_reply_new(p);
}

static struct json_object *m_stop_session(struct control *control, struct client *client,
					  struct json_object *params)
{
	struct json_object *session, *p;
	int64_t id;

	(void)client;
	if (varlink_param_int(params, "id", 1, INT64_MAX, &id))
		return invalid_parameter("id");
	if (capture_stop(control->d->capture, (uint64_t)id, &session))
		return error_param(CONTROL_IFACE ".NoSuchSession", "id",
				   json_object_new_int64(id));
	p = json_object_new_object();
	json_object_object_add(p, "session", session);
	return varlink_reply_new(p);
}

static struct json_object *m_set_device_settings(struct control *control,
						 struct client *client,
						 struct json_object *params)
{
	struct vsensord *d = control->d;
	struct settings_values values;
	struct json_object *map, *p;
	const struct device *dev;
	const char *name;
	bool persist = false;
	char msg[256];
	int ret;

	memset(&values, 0, sizeof(values));
	if (varlink_param_string(params, "device", &name))
		return invalid_parameter("device");
	if (varlink_param_string_map(params, "settings", &map))
		return invalid_parameter("settings");
	if (varlink_param_bool(params, "persist", &persist) == -EINVAL)
		return invalid_parameter("persist");
	json_object_object_foreach(map, key, val) {
		const char *why = NULL;
		enum settings_key k;
		uint32_t v;

		if (settings_parse(key, json_object_get_string(val), &k, &v, &why)) {
			p = json_object_new_object();
			json_object_object_add(p, "key", json_object_new_string(key));
			json_object_object_add(p, "message", json_object_new_string(why));
			return varlink_error_new(CONTROL_IFACE ".InvalidSetting", p);
		}
		values.set[k] = true;
		values.value[k] = v;
	}
	dev = devices_find(d->devices, name);
	if (!dev)
		return error_param(CONTROL_IFACE ".NoSuchDevice", "device",
				   json_object_new_string(name));
	ret = devices_apply(d->devices, dev, &values, msg, sizeof(msg));
	if (ret)
		return error_errno(CONTROL_IFACE ".KernelRefused", -ret, msg);
	if (persist) {
		struct log_about about = client_about(client);

		about.device = dev->name;
		about.serial = dev->serial;
		ret = settings_persist(d->settings, dev->identity, &values);
		if (ret) {
			snprintf(msg, sizeof(msg), "%s: %s", d->state_file, strerror(-ret));
			return error_errno(CONTROL_IFACE ".Failed", -ret, msg);
		}
		log_info(&about, "settings of %s persisted for identity %s", dev->name,
			 dev->identity);
	}
	p = json_object_new_object();
	json_object_object_add(p, "device", device_json(dev));
	return varlink_reply_new(p);
}

static struct json_object *m_reload(struct control *control, struct client *client,
				    struct json_object *params)
{
	struct vsensord *d = control->d;
	struct settings_error err;
	struct json_object *p;

	(void)client;
	(void)params;
	memset(&err, 0, sizeof(err));
	if (d->reload(d, &err)) {
		p = json_object_new_object();
		json_object_object_add(p, "file", json_object_new_string(err.file));
		json_object_object_add(p, "line", json_object_new_int(err.line));
		json_object_object_add(p, "message", json_object_new_string(err.message));
		return varlink_error_new(CONTROL_IFACE ".ConfigError", p);
	}
	p = json_object_new_object();
	json_object_object_add(p, "config_generation",
			       json_object_new_uint64(d->stats.config_generation));
	return varlink_reply_new(p);
}

static const char *const no_params[] = { NULL };
static const char *const description_params[] = { "interface", NULL };
static const char *const stop_params[] = { "id", NULL };
static const char *const set_params[] = { "device", "settings", "persist", NULL };

static const struct method methods[] = {
	{ "org.varlink.service.GetInfo", m_get_info, false, no_params },
	{ "org.varlink.service.GetInterfaceDescription", m_get_description, false,
	  description_params },
	{ CONTROL_IFACE ".GetStatus", m_get_status, false, no_params },
	{ CONTROL_IFACE ".ListDevices", m_list_devices, false, no_params },
	{ CONTROL_IFACE ".ListSessions", m_list_sessions, false, no_params },
	{ CONTROL_IFACE ".StartSession", m_start_session, true, start_params },
	{ CONTROL_IFACE ".StopSession", m_stop_session, true, stop_params },
	{ CONTROL_IFACE ".SetDeviceSettings", m_set_device_settings, true, set_params },
	{ CONTROL_IFACE ".Reload", m_reload, true, no_params },
};

/* ---- dispatch ---------------------------------------------------------------- */

static struct json_object *dispatch(struct control *control, struct client *client,
				    const struct varlink_call *call)
{
	const struct method *m = NULL;
	const char *unknown;
	size_t i;

	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (!strcmp(methods[i].name, call->method))
			m = &methods[i];
	if (!m) {
		if (varlink_method_in(call->method, CONTROL_IFACE) ||
		    varlink_method_in(call->method, "org.varlink.service"))
			return error_param("org.varlink.service.MethodNotFound", "method",
					   json_object_new_string(call->method));
		{
			char iface[256];
			const char *dot = strrchr(call->method, '.');
			size_t len = dot ? (size_t)(dot - call->method) : strlen(call->method);

			snprintf(iface, sizeof(iface), "%.*s", (int)len, call->method);
			return error_param("org.varlink.service.InterfaceNotFound",
					   "interface", json_object_new_string(iface));
		}
	}
	unknown = varlink_params_unknown(call->params, m->params);
	if (unknown)
		return invalid_parameter(unknown);
	if (m->writes && !client->may_write) {
		struct log_about about = client_about(client);

		log_notice(&about, "%s refused: uid %u is not root or in group %s",
			   call->method, (unsigned int)client->uid, CONTROL_GROUP);
		return varlink_error_new(CONTROL_IFACE ".PermissionDenied", NULL);
	}
	return m->fn(control, client, call->params);
}

static void client_free(struct client *client)
{
	struct control *control = client->control;
	struct client **pp;

	for (pp = &control->clients; *pp; pp = &(*pp)->next) {
		if (*pp == client) {
			*pp = client->next;
			break;
		}
	}
	control->nr_clients--;
	loop_remove_fd(client->src);
	varlink_conn_free(client->conn);
	free(client);
}

/* Queue @msg (taken) and send what can be sent; false if the client goes. */
static bool client_send(struct client *client, struct json_object *msg)
{
	int ret = varlink_conn_queue(client->conn, msg);

	json_object_put(msg);
	if (ret) {
		struct log_about about = client_about(client);

		log_notice(&about, "client dropped: it does not read its replies");
		return false;
	}
	ret = varlink_conn_flush(client->conn);
	if (ret && ret != -EAGAIN)
		return false;
	loop_set_events(client->src, EPOLLIN | (ret ? EPOLLOUT : 0));
	return true;
}

static bool client_invalid(struct client *client, const char *why)
{
	struct json_object *p = json_object_new_object();

	json_object_object_add(p, "message", json_object_new_string(why));
	client->closing = true;
	return client_send(client, varlink_error_new(CONTROL_IFACE ".InvalidRequest", p));
}

/* Handle every complete message; false when the client is to go now. */
static bool client_process(struct client *client)
{
	struct varlink_call call;
	struct json_object *reply;
	const char *msg;
	ssize_t len;

	while (!client->closing) {
		len = varlink_conn_next(client->conn, &msg);
		if (len == -EAGAIN)
			return true;
		if (len == -E2BIG)
			return client_invalid(client, "message too long");
		if (len < 0)
			return false;
		if (varlink_call_parse(msg, (size_t)len, &call))
			return client_invalid(client, "not a Varlink call");
		reply = dispatch(client->control, client, &call);
		if (call.oneway) {
			json_object_put(reply);
		} else if (!client_send(client, reply)) {
			varlink_call_release(&call);
			return false;
		}
		varlink_call_release(&call);
	}
	return true;
}

static int client_on_event(int fd, uint32_t events, void *data)
{
	struct client *client = data;
	ssize_t n;
	int ret;

	(void)fd;
	if (events & EPOLLOUT) {
		ret = varlink_conn_flush(client->conn);
		if (ret && ret != -EAGAIN)
			goto drop;
		if (!ret && client->closing)
			goto drop;
		loop_set_events(client->src, EPOLLIN | (ret ? EPOLLOUT : 0));
	}
	if (!(events & (EPOLLIN | EPOLLHUP | EPOLLERR)) || client->closing)
		return 0;
	n = varlink_conn_fill(client->conn);
	if (n == -EAGAIN)
		return 0;
	if (n <= 0)
		goto drop;
	if (!client_process(client))
		goto drop;
	if (client->closing && !varlink_conn_has_output(client->conn))
		goto drop;
	return 0;
drop:
	client_free(client);
	return 0;
}

/* Root, or group vsensor among the peer's groups (SO_PEERGROUPS). */
static bool peer_may_write(struct control *control, int fd, const struct ucred *cred)
{
	gid_t groups[CONTROL_NGROUPS_MAX];
	socklen_t len = sizeof(groups);
	size_t i;

	if (cred->uid == 0)
		return true;
	if (control->group == (gid_t)-1)
		return false;
	if (cred->gid == control->group)
		return true;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len))
		return false;
	for (i = 0; i < len / sizeof(gid_t); i++)
		if (groups[i] == control->group)
			return true;
	return false;
}

static int control_on_accept(int fd, uint32_t events, void *data)
{
	struct control *control = data;
	struct client *client;
	struct ucred cred;
	socklen_t len = sizeof(cred);
	int cfd;

	(void)events;
	cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (cfd < 0)
		return 0;
	if (control->nr_clients >= CONTROL_MAX_CLIENTS ||
	    getsockopt(cfd, SOL_SOCKET, SO_PEERCRED, &cred, &len)) {
		close(cfd);
		return 0;
	}
	client = calloc(1, sizeof(*client));
	if (!client) {
		close(cfd);
		return 0;
	}
	client->control = control;
	client->uid = cred.uid;
	client->pid = cred.pid;
	client->may_write = peer_may_write(control, cfd, &cred);
	client->conn = varlink_conn_new(cfd, VARLINK_MSG_MAX, VARLINK_OUT_MAX);
	if (!client->conn) {
		close(cfd);
		free(client);
		return 0;
	}
	client->src = loop_add_fd(control->d->loop, cfd, EPOLLIN, client_on_event, client);
	if (!client->src) {
		varlink_conn_free(client->conn);
		free(client);
		return 0;
	}
	client->next = control->clients;
	control->clients = client;
	control->nr_clients++;
	return 0;
}

int control_listen(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, err;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    chmod(path, 0666) || listen(fd, SOMAXCONN)) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

struct control *control_new(struct vsensord *d, int listen_fd)
{
	struct control *control = calloc(1, sizeof(*control));
	struct group grbuf, *gr;
	char buf[4096];

	if (!control)
		return NULL;
	control->d = d;
	control->listen_fd = listen_fd;
	if (getgrnam_r(CONTROL_GROUP, &grbuf, buf, sizeof(buf), &gr) || !gr)
		control->group = (gid_t)-1;
	else
		control->group = gr->gr_gid;
	fcntl(listen_fd, F_SETFL, fcntl(listen_fd, F_GETFL) | O_NONBLOCK);
	control->listen_src = loop_add_fd(d->loop, listen_fd, EPOLLIN,
					  control_on_accept, control);
	if (!control->listen_src) {
		free(control);
		return NULL;
	}
	return control;
}

void control_free(struct control *control)
{
	if (!control)
		return;
	while (control->clients)
		client_free(control->clients);
	loop_remove_fd(control->listen_src);
	close(control->listen_fd);
	free(control);
}

size_t control_clients(const struct control *control)
{
	return control->nr_clients;
}
