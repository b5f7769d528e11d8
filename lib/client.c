/*
 * libvsensor: the client of vsensord's Varlink interface io.vsensor. One
 * call at a time on one connection, each bounded by the client's timeout;
 * a daemon's error reply becomes errno and a sentence.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "varlink.h"

#define CLIENT_TIMEOUT_NS	(10 * 1000000000LL)
#define NSEC_PER_SEC		1000000000LL
#define NSEC_PER_MSEC		1000000LL

struct vsensor_client {
	char path[sizeof(((struct sockaddr_un *)NULL)->sun_path)];
	/* NULL after the connection failed; the next call reconnects */
	struct varlink_conn *conn;
	int64_t timeout_ns;
	char error_name[128];	/* of the last failure; "" when local */
	char error_message[512];	/* "" when the last call succeeded */
};

const char *vsensor_json_string(struct json_object *obj, const char *key)
{
	const char *value;

	return varlink_param_string(obj, key, &value) ? NULL : value;
}

int64_t vsensor_json_int(struct json_object *obj, const char *key,
			 int64_t min, int64_t max, int64_t absent)
{
	int64_t value;

	return varlink_param_int(obj, key, min, max, &value) ? absent : value;
}

bool vsensor_json_bool(struct json_object *obj, const char *key)
{
	bool value;

	return varlink_param_bool(obj, key, &value) ? false : value;
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

/* Wait for @events on @fd until @deadline (< 0: forever): 0 or -errno. */
static int wait_fd(int fd, short events, int64_t deadline)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	int64_t left;
	int ret;

	for (;;) {
		left = -1;
		if (deadline >= 0) {
			left = deadline - now_ns();
			if (left <= 0)
				return -ETIMEDOUT;
			/* round up: a wait of 0 ms would spin */
			left = (left + NSEC_PER_MSEC - 1) / NSEC_PER_MSEC;
			if (left > INT32_MAX)
				left = INT32_MAX;
		}
		ret = poll(&pfd, 1, (int)left);
		if (ret > 0)
			return 0;
		if (ret < 0 && errno != EINTR)
			return -errno;
	}
}

static int client_connect(struct vsensor_client *client)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = 0 };
	int fd, err;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* a full backlog: connect(2) waits at most the timeout */
	if (client->timeout_ns >= 0) {
		tv.tv_sec = client->timeout_ns / NSEC_PER_SEC;
		tv.tv_usec = client->timeout_ns % NSEC_PER_SEC / 1000;
		if (!tv.tv_sec && !tv.tv_usec)
			tv.tv_usec = 1;
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	}
	memcpy(addr.sun_path, client->path, sizeof(client->path));
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) ||
	    fcntl(fd, F_SETFL, O_NONBLOCK)) {
		err = errno == EAGAIN ? -ETIMEDOUT : -errno;
		goto err_close;
	}
	/* a reply as long as the daemon queues, a request as it takes */
	client->conn = varlink_conn_new(fd, VARLINK_OUT_MAX, VARLINK_MSG_MAX);
	if (!client->conn) {
		err = -errno;
		goto err_close;
	}
	return 0;

err_close:
	close(fd);
	return err;
}

static void client_disconnect(struct vsensor_client *client)
{
	varlink_conn_free(client->conn);
	client->conn = NULL;
}

/* The socket path of @address: "PATH", "unix:PATH"; NULL for the default. */
static int resolve_address(const char *address, char *path, size_t size)
{
	if (!address) {
		address = secure_getenv("VSENSOR_SOCKET");
		if (!address || !*address)
			address = VSENSOR_CLIENT_ADDRESS;
	}
	if (!strncmp(address, "unix:", 5))
		address += 5;
	if (!*address || strlen(address) >= size)
		return -EINVAL;
	strcpy(path, address);
	return 0;
}

struct vsensor_client *vsensor_client_new(const char *address)
{
	struct vsensor_client *client;
	int err;

	client = calloc(1, sizeof(*client));
	if (!client)
		return NULL;
	client->timeout_ns = CLIENT_TIMEOUT_NS;
	err = resolve_address(address, client->path, sizeof(client->path));
	if (!err)
		err = client_connect(client);
	if (err) {
		free(client);
		errno = -err;
		return NULL;
	}
	return client;
}

void vsensor_client_free(struct vsensor_client *client)
{
	if (!client)
		return;
	client_disconnect(client);
	free(client);
}

void vsensor_client_set_timeout(struct vsensor_client *client,
				int64_t timeout_ns)
{
	client->timeout_ns = timeout_ns < 0 ? -1 : timeout_ns;
}

const char *vsensor_client_get_error(struct vsensor_client *client)
{
	return client && client->error_name[0] ? client->error_name : NULL;
}

const char *vsensor_client_get_error_message(struct vsensor_client *client)
{
	return client && client->error_message[0] ? client->error_message : NULL;
}

/* A parameter of an error reply for its message; "?" when missing. */
static const char *err_str(struct json_object *params, const char *key)
{
	const char *value = vsensor_json_string(params, key);

	return value ? value : "?";
}

static int64_t err_int(struct json_object *params, const char *key)
{
	return vsensor_json_int(params, key, INT64_MIN, INT64_MAX, -1);
}

static void describe_no_device(struct vsensor_client *c, struct json_object *p)
{
	snprintf(c->error_message, sizeof(c->error_message),
		 "%s: no such device", err_str(p, "device"));
}

static void describe_no_session(struct vsensor_client *c, struct json_object *p)
{
	snprintf(c->error_message, sizeof(c->error_message),
		 "%" PRId64 ": no such session", err_int(p, "id"));
}

static void describe_permission(struct vsensor_client *c, struct json_object *p)
{
	(void)p;
	snprintf(c->error_message, sizeof(c->error_message),
		 "permission denied (root or group vsensor only)");
}

static void describe_setting(struct vsensor_client *c, struct json_object *p)
{
	snprintf(c->error_message, sizeof(c->error_message),
		 "invalid setting \"%s\": %s", err_str(p, "key"),
		 err_str(p, "message"));
}

static void describe_config(struct vsensor_client *c, struct json_object *p)
{
	snprintf(c->error_message, sizeof(c->error_message), "%s:%" PRId64 ": %s",
		 err_str(p, "file"), err_int(p, "line"), err_str(p, "message"));
}

/* KernelRefused, Failed: the daemon's message, else its errno's. */
static void describe_errno(struct vsensor_client *c, struct json_object *p)
{
	const char *msg = vsensor_json_string(p, "message");

	snprintf(c->error_message, sizeof(c->error_message), "%s",
		 msg ? msg : strerror(errno));
}

static void describe_parameter(struct vsensor_client *c, struct json_object *p)
{
	snprintf(c->error_message, sizeof(c->error_message),
		 "invalid parameter \"%s\"", err_str(p, "parameter"));
}

static void describe_unsupported(struct vsensor_client *c, struct json_object *p)
{
	(void)p;
	snprintf(c->error_message, sizeof(c->error_message),
		 "vsensord does not know %s (an older version?)", c->error_name);
}

/* Anything else: the error's own name. */
static void describe_other(struct vsensor_client *c, struct json_object *p)
{
	(void)p;
	snprintf(c->error_message, sizeof(c->error_message), "vsensord: %s",
		 c->error_name);
}

/* The errors of io.vsensor and org.varlink.service: errno and sentence. */
static const struct {
	const char *name;
	int err;		/* 0: the reply's "errno" parameter */
	void (*describe)(struct vsensor_client *c, struct json_object *params);
} varlink_errors[] = {
	{ "io.vsensor.NoSuchDevice", ENOENT, describe_no_device },
	{ "io.vsensor.NoSuchSession", ENOENT, describe_no_session },
	{ "io.vsensor.PermissionDenied", EPERM, describe_permission },
	{ "io.vsensor.InvalidSetting", EINVAL, describe_setting },
	{ "io.vsensor.ConfigError", EINVAL, describe_config },
	{ "io.vsensor.KernelRefused", 0, describe_errno },
	{ "io.vsensor.Failed", 0, describe_errno },
	{ "io.vsensor.InvalidRequest", EPROTO, describe_other },
	{ "org.varlink.service.InvalidParameter", EINVAL, describe_parameter },
	{ "org.varlink.service.MethodNotFound", EOPNOTSUPP, describe_unsupported },
	{ "org.varlink.service.InterfaceNotFound", EOPNOTSUPP,
	  describe_unsupported },
};

/* Record the daemon's error reply; returns its errno. */
static int client_set_error(struct vsensor_client *client, const char *name,
			    struct json_object *params)
{
	size_t i;
	int err;

	snprintf(client->error_name, sizeof(client->error_name), "%s", name);
	for (i = 0; i < sizeof(varlink_errors) / sizeof(varlink_errors[0]); i++) {
		if (strcmp(name, varlink_errors[i].name))
			continue;
		err = varlink_errors[i].err;
		if (!err)
			err = (int)vsensor_json_int(params, "errno", 1, 4095, EIO);
		errno = err;	/* for describe_errno()'s strerror */
		varlink_errors[i].describe(client, params);
		return err;
	}
	describe_other(client, params);
	return EPROTO;
}

/* A failure here, not the daemon's: the connection is not trusted again. */
static int client_fail(struct vsensor_client *client, int err)
{
	client_disconnect(client);
	client->error_name[0] = '\0';
	snprintf(client->error_message, sizeof(client->error_message),
		 "vsensord: %s", strerror(err));
	return err;
}

static int send_request(struct varlink_conn *conn, int64_t deadline)
{
	int err;

	while ((err = varlink_conn_flush(conn)) == -EAGAIN) {
		err = wait_fd(varlink_conn_get_fd(conn), POLLOUT, deadline);
		if (err)
			return err;
	}
	return err;
}

/* The next reply, parsed into @reply: 0 or -errno. */
static int receive_reply(struct varlink_conn *conn, int64_t deadline,
			 struct varlink_reply *reply)
{
	const char *msg;
	ssize_t n;
	int err;

	for (;;) {
		n = varlink_conn_next(conn, &msg);
		if (n >= 0)
			break;
		if (n != -EAGAIN)
			return (int)n;
		n = varlink_conn_fill(conn);
		if (n == 0)
			return -ECONNRESET;
		if (n == -EAGAIN) {
			err = wait_fd(varlink_conn_get_fd(conn), POLLIN, deadline);
			if (err)
				return err;
		} else if (n < 0) {
			return (int)n;
		}
	}
	if (varlink_reply_parse(msg, (size_t)n, reply))
		return -EPROTO;
	/* we never ask for more: a continued reply is not ours to read */
	if (reply->continues) {
		varlink_reply_release(reply);
		return -EPROTO;
	}
	return 0;
}

/*
 * Call @method with @params (taken): its reply's parameters (a reference
 * the caller puts), or NULL with errno.
 */
static struct json_object *client_call(struct vsensor_client *client,
				       const char *method,
				       struct json_object *params)
{
	struct varlink_reply reply;
	struct json_object *msg, *result;
	int64_t deadline = -1;
	int err = 0;

	client->error_name[0] = client->error_message[0] = '\0';
	msg = varlink_call_new(method, params);
	if (!msg) {
		errno = ENOMEM;
		return NULL;
	}
	if (client->timeout_ns >= 0)
		deadline = now_ns() + client->timeout_ns;
	if (!client->conn)
		err = client_connect(client);
	if (!err)
		err = varlink_conn_queue(client->conn, msg);
	json_object_put(msg);
	if (!err)
		err = send_request(client->conn, deadline);
	if (!err)
		err = receive_reply(client->conn, deadline, &reply);
	if (err) {
		errno = client_fail(client, -err);
		return NULL;
	}
	if (reply.error) {
		err = client_set_error(client, reply.error, reply.params);
		varlink_reply_release(&reply);
		errno = err;
		return NULL;
	}
	result = json_object_get(reply.params);
	varlink_reply_release(&reply);
	return result;
}

/* A reply without a valid @key: EPROTO. */
static void reply_invalid(struct vsensor_client *client, const char *key)
{
	client->error_name[0] = '\0';
	snprintf(client->error_message, sizeof(client->error_message),
		 "vsensord: the reply has no valid \"%s\"", key);
	errno = EPROTO;
}

/* The member @key of a reply that must be there: NULL and EPROTO if not. */
static struct json_object *reply_member(struct vsensor_client *client,
					struct json_object *reply,
					const char *key, enum json_type type)
{
	struct json_object *obj;

	if (json_object_object_get_ex(reply, key, &obj) &&
	    json_object_is_type(obj, type))
		return obj;
	reply_invalid(client, key);
	return NULL;
}

struct vsensor_daemon_status *
vsensor_client_get_status(struct vsensor_client *client)
{
	struct vsensor_daemon_status *status;
	struct json_object *reply;

	reply = client_call(client, "io.vsensor.GetStatus", NULL);
	if (!reply)
		return NULL;
	status = vsensor_daemon_status_new(reply);
	json_object_put(reply);
	return status;
}

/* Call @fn for each object of the array @key of a List method's reply. */
static int list(struct vsensor_client *client, const char *method,
		const char *key, int (*each)(struct json_object *obj, void *ctx),
		void *ctx)
{
	struct json_object *reply, *array;
	size_t i, n;
	int ret = 0;

	reply = client_call(client, method, NULL);
	if (!reply)
		return -1;
	array = reply_member(client, reply, key, json_type_array);
	if (!array) {
		ret = -1;
		goto out_put;
	}
	n = json_object_array_length(array);
	for (i = 0; i < n && !ret; i++)
		ret = each(json_object_array_get_idx(array, i), ctx);
	if (ret < 0)
		ret = -1;
out_put:
	json_object_put(reply);
	return ret;
}

struct list_ctx {
	int (*dev_fn)(const struct vsensor_daemon_device *dev, void *data);
	int (*session_fn)(const struct vsensor_daemon_session *s, void *data);
	void *data;
};

/* -1 with errno when the object is unusable, else what @fn returned. */
static int each_device(struct json_object *obj, void *arg)
{
	struct list_ctx *ctx = arg;
	struct vsensor_daemon_device *dev;
	int ret;

	dev = vsensor_daemon_device_new(obj);
	if (!dev)
		return -1;
	ret = ctx->dev_fn(dev, ctx->data);
	vsensor_daemon_device_free(dev);
	return ret != 0;	/* any non-zero stops the walk, not an error */
}

static int each_session(struct json_object *obj, void *arg)
{
	struct list_ctx *ctx = arg;
	struct vsensor_daemon_session *s;
	int ret;

	s = vsensor_daemon_session_new(obj);
	if (!s)
		return -1;
	ret = ctx->session_fn(s, ctx->data);
	vsensor_daemon_session_free(s);
	return ret != 0;	/* any non-zero stops the walk, not an error */
}

int vsensor_client_list_devices(struct vsensor_client *client,
				int (*fn)(const struct vsensor_daemon_device *dev,
					  void *data), void *data)
{
	struct list_ctx ctx = { .dev_fn = fn, .data = data };

	return list(client, "io.vsensor.ListDevices", "devices", each_device,
		    &ctx) < 0 ? -1 : 0;
}

int vsensor_client_list_sessions(struct vsensor_client *client,
				 int (*fn)(const struct vsensor_daemon_session *s,
					   void *data), void *data)
{
	struct list_ctx ctx = { .session_fn = fn, .data = data };

	return list(client, "io.vsensor.ListSessions", "sessions",
		    each_session, &ctx) < 0 ? -1 : 0;
}

/* A method whose reply is {"session": Session}. */
static struct vsensor_daemon_session *
session_call(struct vsensor_client *client, const char *method,
	     struct json_object *params)
{
	struct vsensor_daemon_session *s = NULL;
	struct json_object *reply, *obj;

	reply = client_call(client, method, params);
	if (!reply)
		return NULL;
	obj = reply_member(client, reply, "session", json_type_object);
	if (obj)
		s = vsensor_daemon_session_new(obj);
	json_object_put(reply);
	return s;
}

/* Add @key: @value (taken, may be NULL) to @obj: 0, or -1 and ENOMEM. */
static int add(struct json_object *obj, const char *key,
	       struct json_object *value)
{
	if (!value || json_object_object_add(obj, key, value)) {
		json_object_put(value);
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

/* This process's command name (/proc/self/comm): true when known. */
static bool self_comm(char *buf, size_t len)
{
	FILE *f = fopen("/proc/self/comm", "re");
	bool ok;

	if (!f)
		return false;
	ok = fgets(buf, (int)len, f) != NULL;
	fclose(f);
	if (ok)
		buf[strcspn(buf, "\n")] = '\0';
	return ok && buf[0];
}

struct vsensor_daemon_session *
vsensor_client_start_session(struct vsensor_client *client, const char *device,
			     const struct vsensor_capture_config *config)
{
	struct json_object *params;
	char comm[32];

	if (!device) {
		errno = EINVAL;
		return NULL;
	}
	params = json_object_new_object();
	if (!params || add(params, "device", json_object_new_string(device)))
		goto err_put;
	/* Who asks, for `session list`: the daemon may not see our /proc. */
	if (self_comm(comm, sizeof(comm)) &&
	    add(params, "comm", json_object_new_string(comm)))
		goto err_put;
	if (config) {
		json_object_object_foreach(vsensor_capture_config_get_params(config),
					   key, val) {
			if (add(params, key, json_object_get(val)))
				goto err_put;
		}
	}
	return session_call(client, "io.vsensor.StartSession", params);

err_put:
	json_object_put(params);
	errno = ENOMEM;
	return NULL;
}

struct vsensor_daemon_session *
vsensor_client_stop_session(struct vsensor_client *client, uint64_t id)
{
	struct json_object *params;

	if (id > INT64_MAX) {
		errno = EINVAL;
		return NULL;
	}
	params = json_object_new_object();
	if (!params || add(params, "id", json_object_new_int64((int64_t)id))) {
		json_object_put(params);
		errno = ENOMEM;
		return NULL;
	}
	return session_call(client, "io.vsensor.StopSession", params);
}

struct vsensor_daemon_device *
vsensor_client_set_device_settings(struct vsensor_client *client,
				   const char *device,
				   const char *const *keys,
				   const char *const *values, size_t n,
				   bool persist)
{
	struct vsensor_daemon_device *dev = NULL;
	struct json_object *params, *settings, *reply, *obj;
	size_t i;

	if (!device || (n && (!keys || !values))) {
		errno = EINVAL;
		return NULL;
	}
	for (i = 0; i < n; i++) {
		if (!keys[i] || !values[i]) {
			errno = EINVAL;
			return NULL;
		}
	}
	params = json_object_new_object();
	if (!params) {
		errno = ENOMEM;
		return NULL;
	}
	settings = json_object_new_object();
	if (add(params, "settings", settings) ||
	    add(params, "device", json_object_new_string(device)))
		goto err_put_params;
	for (i = 0; i < n; i++) {
		if (add(settings, keys[i], json_object_new_string(values[i])))
			goto err_put_params;
	}
	if (add(params, "persist", json_object_new_boolean(persist)))
		goto err_put_params;

	reply = client_call(client, "io.vsensor.SetDeviceSettings", params);
	if (!reply)
		return NULL;
	obj = reply_member(client, reply, "device", json_type_object);
	if (obj)
		dev = vsensor_daemon_device_new(obj);
	json_object_put(reply);
	return dev;

err_put_params:
	json_object_put(params);
	errno = ENOMEM;
	return NULL;
}

int vsensor_client_reload(struct vsensor_client *client, uint64_t *generation)
{
	struct json_object *reply;
	int64_t value;
	int ret = 0;

	reply = client_call(client, "io.vsensor.Reload", NULL);
	if (!reply)
		return -1;
	value = vsensor_json_int(reply, "config_generation", 0, INT64_MAX, -1);
	if (value < 0) {
		reply_invalid(client, "config_generation");
		ret = -1;
	} else if (generation) {
		*generation = (uint64_t)value;
	}
	json_object_put(reply);
	return ret;
}
