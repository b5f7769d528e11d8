/*
 * Varlink codec on json-c (lib/varlink.h): the framing of NUL-terminated
 * messages over a stream socket with bounded buffers, the strict parsing of
 * calls and replies, and the typed accessors of their parameters.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "varlink.h"

/* Nesting json-c accepts in one message; our deepest is 3 (settings). */
#define VARLINK_JSON_DEPTH	32

struct varlink_conn {
	int fd;
	/* received bytes: [in_start, in_len) are not consumed yet */
	char *in;
	size_t in_cap, in_len, in_start;
	size_t in_scanned;	/* [in_start, in_scanned) holds no NUL */
	size_t in_max;		/* longest message, without its NUL */
	bool in_broken;		/* a message was too long: -E2BIG from now on */
	/* queued bytes: [out_start, out_len) are not sent yet */
	char *out;
	size_t out_cap, out_len, out_start;
	size_t out_max;
};

struct varlink_conn *varlink_conn_new(int fd, size_t in_max, size_t out_max)
{
	struct varlink_conn *conn;

	if (fd < 0 || !in_max || !out_max || in_max == SIZE_MAX) {
		errno = EINVAL;
		return NULL;
	}
	conn = calloc(1, sizeof(*conn));
	if (!conn)
		return NULL;
	conn->fd = fd;
	conn->in_max = in_max;
	conn->out_max = out_max;
	return conn;
}

void varlink_conn_free(struct varlink_conn *conn)
{
	if (!conn)
		return;
	close(conn->fd);
	free(conn->out);
	free(conn->in);
	free(conn);
}

int varlink_conn_get_fd(const struct varlink_conn *conn)
{
	return conn->fd;
}

/* Grow @buf to hold at least @need bytes, at most @limit. */
static int buf_reserve(char **buf, size_t *cap, size_t need, size_t limit)
{
	size_t new_cap = *cap ? *cap : 4096;
	char *p;

	if (need <= *cap)
		return 0;
	while (new_cap < need && new_cap <= limit / 2)
		new_cap *= 2;
	if (new_cap < need || new_cap > limit)
		new_cap = limit;
	p = realloc(*buf, new_cap);
	if (!p)
		return -ENOMEM;
	*buf = p;
	*cap = new_cap;
	return 0;
}

/* Drop what was consumed: the pending bytes move to the front. */
static void in_compact(struct varlink_conn *conn)
{
	size_t pending = conn->in_len - conn->in_start;

	if (!conn->in_start)
		return;
	memmove(conn->in, conn->in + conn->in_start, pending);
	conn->in_scanned -= conn->in_start;
	conn->in_len = pending;
	conn->in_start = 0;
}

ssize_t varlink_conn_fill(struct varlink_conn *conn)
{
	size_t limit = conn->in_max + 1;	/* one message and its NUL */
	ssize_t n;
	int err;

	if (conn->in_broken)
		return -E2BIG;
	in_compact(conn);
	if (conn->in_len == limit) {
		/* full: of one message too long, or of messages not taken */
		if (!memchr(conn->in, '\0', conn->in_len))
			return -E2BIG;
		return -ENOBUFS;
	}
	err = buf_reserve(&conn->in, &conn->in_cap,
			  conn->in_len < conn->in_cap ? conn->in_cap :
			  conn->in_cap + 1, limit);
	if (err)
		return err;
	do {
		n = read(conn->fd, conn->in + conn->in_len,
			 conn->in_cap - conn->in_len);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	conn->in_len += (size_t)n;
	return n;
}

ssize_t varlink_conn_next(struct varlink_conn *conn, const char **msg)
{
	char *start, *nul;
	size_t len;

	if (conn->in_broken)
		return -E2BIG;
	if (!conn->in)
		return -EAGAIN;
	start = conn->in + conn->in_start;
	nul = conn->in_len > conn->in_scanned ?
	      memchr(conn->in + conn->in_scanned, '\0',
		     conn->in_len - conn->in_scanned) : NULL;
	if (!nul) {
		conn->in_scanned = conn->in_len;
		if (conn->in_len - conn->in_start <= conn->in_max)
			return -EAGAIN;
		conn->in_broken = true;
		return -E2BIG;
	}
	len = (size_t)(nul - start);
	if (len > conn->in_max) {
		conn->in_broken = true;
		return -E2BIG;
	}
	conn->in_start += len + 1;
	conn->in_scanned = conn->in_start;
	*msg = start;
	return (ssize_t)len;
}

int varlink_conn_queue(struct varlink_conn *conn, struct json_object *obj)
{
	size_t len, pending;
	const char *text;
	int err;

	text = json_object_to_json_string_length(obj, JSON_C_TO_STRING_PLAIN |
						 JSON_C_TO_STRING_NOSLASHESCAPE,
						 &len);
	if (!text)
		return -ENOMEM;
	pending = conn->out_len - conn->out_start;
	if (len >= conn->out_max || pending > conn->out_max - len - 1)
		return -ENOBUFS;
	if (conn->out_start) {
		memmove(conn->out, conn->out + conn->out_start, pending);
		conn->out_len = pending;
		conn->out_start = 0;
	}
	err = buf_reserve(&conn->out, &conn->out_cap, pending + len + 1,
			  conn->out_max);
	if (err)
		return err;
	/* json-c escapes a NUL in a string: the only NUL is the frame's */
	memcpy(conn->out + conn->out_len, text, len + 1);
	conn->out_len += len + 1;
	return 0;
}

int varlink_conn_flush(struct varlink_conn *conn)
{
	ssize_t n;

	while (conn->out_start < conn->out_len) {
		/* MSG_NOSIGNAL: a peer gone is EPIPE, never SIGPIPE */
		n = send(conn->fd, conn->out + conn->out_start,
			 conn->out_len - conn->out_start, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == EWOULDBLOCK ? -EAGAIN : -errno;
		conn->out_start += (size_t)n;
	}
	conn->out_start = conn->out_len = 0;
	return 0;
}

bool varlink_conn_has_output(const struct varlink_conn *conn)
{
	return conn->out_start < conn->out_len;
}

/* [A-Za-z0-9], and '-' between them: one label of an interface name. */
static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

/*
 * An interface name as the Varlink spec has it: dot-separated labels of
 * letters and digits with inner dashes, at least two, the first starting
 * with a letter: "io.vsensor", "org.varlink.service".
 */
static bool valid_interface(const char *s, size_t len)
{
	size_t i, labels = 1;

	if (!len || !((s[0] >= 'a' && s[0] <= 'z') ||
		      (s[0] >= 'A' && s[0] <= 'Z')))
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] == '.') {
			if (!is_alnum(s[i - 1]) || i + 1 == len ||
			    !is_alnum(s[i + 1]))
				return false;
			labels++;
		} else if (s[i] == '-') {
			if (i + 1 == len || (s[i + 1] != '-' && !is_alnum(s[i + 1])))
				return false;
		} else if (!is_alnum(s[i])) {
			return false;
		}
	}
	return labels >= 2;
}

/* A method or error name: an upper-case letter, then letters and digits. */
static bool valid_member(const char *s)
{
	if (!(*s >= 'A' && *s <= 'Z'))
		return false;
	while (*++s) {
		if (!is_alnum(*s))
			return false;
	}
	return true;
}

/* "interface.Member" with both parts valid. */
static bool valid_qualified_name(const char *name)
{
	const char *dot = strrchr(name, '.');

	return dot && valid_interface(name, (size_t)(dot - name)) &&
	       valid_member(dot + 1);
}

bool varlink_method_in(const char *method, const char *interface)
{
	size_t len = strlen(interface);

	return !strncmp(method, interface, len) && method[len] == '.' &&
	       !strchr(method + len + 1, '.');
}

/* A string without a NUL inside (json-c allows "\u0000"). */
static const char *plain_string(struct json_object *obj)
{
	const char *s = json_object_get_string(obj);

	if ((size_t)json_object_get_string_len(obj) != strlen(s))
		return NULL;
	return s;
}

/* One JSON object from exactly @len bytes, strictly; NULL when it is not. */
static struct json_object *parse_object(const char *msg, size_t len)
{
	struct json_object *root = NULL;
	struct json_tokener *tok;

	if (len > INT32_MAX || memchr(msg, '\0', len))
		return NULL;
	tok = json_tokener_new_ex(VARLINK_JSON_DEPTH);
	if (!tok)
		return NULL;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
				    JSON_TOKENER_VALIDATE_UTF8);
	root = json_tokener_parse_ex(tok, msg, (int)len);
	if (root && (json_tokener_get_parse_end(tok) != len ||
		     !json_object_is_type(root, json_type_object))) {
		json_object_put(root);
		root = NULL;
	}
	json_tokener_free(tok);
	return root;
}

/* The "parameters" of @root, added empty when absent; NULL if no object. */
static struct json_object *root_params(struct json_object *root)
{
	struct json_object *params;

	if (json_object_object_get_ex(root, "parameters", &params))
		return json_object_is_type(params, json_type_object) ?
		       params : NULL;
	params = json_object_new_object();
	if (params && json_object_object_add(root, "parameters", params)) {
		json_object_put(params);
		return NULL;
	}
	return params;
}

/* A boolean member of @root: absent is false; -EINVAL if not a boolean. */
static int root_bool(struct json_object *root, const char *key, bool *value)
{
	struct json_object *obj;

	*value = false;
	if (!json_object_object_get_ex(root, key, &obj))
		return 0;
	if (!json_object_is_type(obj, json_type_boolean))
		return -EINVAL;
	*value = json_object_get_boolean(obj);
	return 0;
}

static const char *const call_members[] = {
	"method", "parameters", "more", "oneway", NULL
};

int varlink_call_parse(const char *msg, size_t len, struct varlink_call *call)
{
	struct json_object *root, *method;

	memset(call, 0, sizeof(*call));
	root = parse_object(msg, len);
	if (!root)
		return -EINVAL;
	if (varlink_params_unknown(root, call_members) ||
	    !json_object_object_get_ex(root, "method", &method) ||
	    !json_object_is_type(method, json_type_string))
		goto err_put;
	call->method = plain_string(method);
	if (!call->method || !valid_qualified_name(call->method))
		goto err_put;
	call->params = root_params(root);
	if (!call->params || root_bool(root, "more", &call->more) ||
	    root_bool(root, "oneway", &call->oneway))
		goto err_put;
	call->root = root;
	return 0;

err_put:
	json_object_put(root);
	memset(call, 0, sizeof(*call));
	return -EINVAL;
}

void varlink_call_release(struct varlink_call *call)
{
	json_object_put(call->root);
	memset(call, 0, sizeof(*call));
}

int varlink_reply_parse(const char *msg, size_t len,
			struct varlink_reply *reply)
{
	struct json_object *root, *error;

	memset(reply, 0, sizeof(*reply));
	root = parse_object(msg, len);
	if (!root)
		return -EINVAL;
	if (json_object_object_get_ex(root, "error", &error)) {
		if (!json_object_is_type(error, json_type_string))
			goto err_put;
		reply->error = plain_string(error);
		if (!reply->error || !valid_qualified_name(reply->error))
			goto err_put;
	}
	reply->params = root_params(root);
	if (!reply->params || root_bool(root, "continues", &reply->continues))
		goto err_put;
	reply->root = root;
	return 0;

err_put:
	json_object_put(root);
	memset(reply, 0, sizeof(*reply));
	return -EINVAL;
}

void varlink_reply_release(struct varlink_reply *reply)
{
	json_object_put(reply->root);
	memset(reply, 0, sizeof(*reply));
}

/* The member @name of @params: 0, -ENOENT when absent or null. */
static int param_get(struct json_object *params, const char *name,
		     struct json_object **value)
{
	if (!params || !json_object_object_get_ex(params, name, value) ||
	    !*value)
		return -ENOENT;
	return 0;
}

int varlink_param_string(struct json_object *params, const char *name,
			 const char **value)
{
	struct json_object *obj;
	const char *s;
	int err;

	err = param_get(params, name, &obj);
	if (err)
		return err;
	if (!json_object_is_type(obj, json_type_string))
		return -EINVAL;
	s = plain_string(obj);
	if (!s)
		return -EINVAL;
	*value = s;
	return 0;
}

int varlink_param_int(struct json_object *params, const char *name,
		      int64_t min, int64_t max, int64_t *value)
{
	struct json_object *obj;
	int64_t v;
	int err;

	err = param_get(params, name, &obj);
	if (err)
		return err;
	if (!json_object_is_type(obj, json_type_int))
		return -EINVAL;
	v = json_object_get_int64(obj);
	/* json-c holds what exceeds INT64_MAX as a u64 and clamps it here */
	if (v == INT64_MAX && json_object_get_uint64(obj) > INT64_MAX)
		return -EINVAL;
	if (v < min || v > max)
		return -EINVAL;
	*value = v;
	return 0;
}

int varlink_param_bool(struct json_object *params, const char *name,
		       bool *value)
{
	struct json_object *obj;
	int err;

	err = param_get(params, name, &obj);
	if (err)
		return err;
	if (!json_object_is_type(obj, json_type_boolean))
		return -EINVAL;
	*value = json_object_get_boolean(obj);
	return 0;
}

int varlink_param_string_map(struct json_object *params, const char *name,
			     struct json_object **map)
{
	struct json_object *obj;
	int err;

	err = param_get(params, name, &obj);
	if (err)
		return err;
	if (!json_object_is_type(obj, json_type_object))
		return -EINVAL;
	json_object_object_foreach(obj, key, val) {
		(void)key;
		if (!json_object_is_type(val, json_type_string) ||
		    !plain_string(val))
			return -EINVAL;
	}
	*map = obj;
	return 0;
}

const char *varlink_params_unknown(struct json_object *params,
				   const char *const *known)
{
	const char *const *k;

	if (!params || !json_object_is_type(params, json_type_object))
		return NULL;
	json_object_object_foreach(params, key, val) {
		(void)val;
		for (k = known; *k; k++) {
			if (!strcmp(key, *k))
				break;
		}
		if (!*k)
			return key;
	}
	return NULL;
}

/* {@key: @value, "parameters": @params}; @params taken, NULL gives {}. */
static struct json_object *message_new(const char *key, const char *value,
				       struct json_object *params)
{
	struct json_object *msg, *str;

	if (!params)
		params = json_object_new_object();
	if (!params)
		return NULL;
	msg = json_object_new_object();
	if (!msg)
		goto err_put_params;
	if (key) {
		str = json_object_new_string(value);
		if (!str || json_object_object_add(msg, key, str)) {
			json_object_put(str);
			goto err_put_msg;
		}
	}
	if (json_object_object_add(msg, "parameters", params)) {
		json_object_put(msg);
		goto err_put_params;
	}
	return msg;

err_put_msg:
	json_object_put(msg);
err_put_params:
	json_object_put(params);
	return NULL;
}

struct json_object *varlink_reply_new(struct json_object *params)
{
	return message_new(NULL, NULL, params);
}

struct json_object *varlink_error_new(const char *error,
				      struct json_object *params)
{
	return message_new("error", error, params);
}

struct json_object *varlink_call_new(const char *method,
				     struct json_object *params)
{
	return message_new("method", method, params);
}
