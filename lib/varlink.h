/*
 * Varlink codec on json-c: NUL-terminated JSON messages over a stream
 * socket (https://varlink.org), the connection buffers both peers use and
 * the typed accessors of a call's parameters. Shared by libvsensor's client
 * (lib/client.c) and vsensord (daemon/control.c); never exported.
 */
#ifndef VSENSOR_VARLINK_H
#define VSENSOR_VARLINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>

/* Limits of one connection: a message, and replies queued unread. */
#define VARLINK_MSG_MAX		(64 * 1024)
#define VARLINK_OUT_MAX		(1024 * 1024)

/* A connection: its socket and its input and output buffers. */
struct varlink_conn;

/* Takes @fd (closed by varlink_conn_free()); NULL with errno on failure. */
struct varlink_conn *varlink_conn_new(int fd, size_t in_max, size_t out_max);
void varlink_conn_free(struct varlink_conn *conn);
int varlink_conn_get_fd(const struct varlink_conn *conn);

/*
 * Read what the socket has: bytes read (> 0), 0 at end of file, -EAGAIN
 * when nothing is there (non-blocking socket), -errno on error. The input
 * buffer holds at most in_max + 1 bytes: -E2BIG when they are one message
 * too long, -ENOBUFS when complete messages in it were not taken with
 * varlink_conn_next() first.
 */
ssize_t varlink_conn_fill(struct varlink_conn *conn);
/*
 * The next complete message (without its NUL), valid until the next call on
 * @conn: its length; -EAGAIN when none is complete yet; -E2BIG when the
 * message being received is longer than in_max (the stream cannot be
 * resynchronised: close it).
 */
ssize_t varlink_conn_next(struct varlink_conn *conn, const char **msg);
/*
 * Queue @obj (serialised, NUL appended) for sending. -ENOBUFS when it does
 * not fit under out_max (a client that does not read: close it).
 */
int varlink_conn_queue(struct varlink_conn *conn, struct json_object *obj);
/* Write what is queued: 0 when all is sent, -EAGAIN when some is left. */
int varlink_conn_flush(struct varlink_conn *conn);
bool varlink_conn_has_output(const struct varlink_conn *conn);

/* A request: {"method": "...", "parameters": {...}, "more", "oneway"}. */
struct varlink_call {
	struct json_object *root;	/* owns everything below */
	const char *method;		/* "io.vsensor.GetStatus" */
	struct json_object *params;	/* an object; empty when absent */
	bool more;
	bool oneway;
};

/*
 * Parse @len bytes at @msg: 0, or -EINVAL when it is not a JSON object with
 * a string "method" of the form interface.Method, an object "parameters" (if
 * present) and booleans "more"/"oneway" (if present). Release with
 * varlink_call_release() after success.
 * Strictly: no other member, nothing but whitespace after the object, no
 * NUL in @msg or in the method, valid UTF-8, nesting below 32 levels.
 */
int varlink_call_parse(const char *msg, size_t len, struct varlink_call *call);
void varlink_call_release(struct varlink_call *call);
/* A reply: {"parameters": {...}, "continues"} or {"error": "...", ...}. */
struct varlink_reply {
	struct json_object *root;	/* owns everything below */
	const char *error;		/* "io.vsensor.NoSuchDevice", or NULL */
	struct json_object *params;	/* an object; empty when absent */
	bool continues;
};

/*
 * Parse a reply as varlink_call_parse() parses a call: 0, or -EINVAL when
 * it is not a JSON object with an "error" of the form interface.Name (if
 * present), an object "parameters" (if present) and a boolean "continues"
 * (if present); other members are ignored. Release with
 * varlink_reply_release() after success.
 */
int varlink_reply_parse(const char *msg, size_t len,
			struct varlink_reply *reply);
void varlink_reply_release(struct varlink_reply *reply);

/* The interface part of a method ("io.vsensor" of "io.vsensor.Start"). */
bool varlink_method_in(const char *method, const char *interface);

/*
 * Typed parameters: 0 and the value; -ENOENT when absent or null (not an
 * error for an optional parameter); -EINVAL when present with the wrong
 * type or out of [min, max], or a string with a NUL in it.
 */
int varlink_param_string(struct json_object *params, const char *name,
			 const char **value);
int varlink_param_int(struct json_object *params, const char *name,
		      int64_t min, int64_t max, int64_t *value);
int varlink_param_bool(struct json_object *params, const char *name,
		       bool *value);
/* An object whose values are all strings ("settings": {"k": "v"}). */
int varlink_param_string_map(struct json_object *params, const char *name,
			     struct json_object **map);
/* The first parameter of @params not in the NULL-terminated @known. */
const char *varlink_params_unknown(struct json_object *params,
				   const char *const *known);

/* {"parameters": @params} (@params taken; NULL gives {}). */
struct json_object *varlink_reply_new(struct json_object *params);
/* {"error": @error, "parameters": @params} (@params taken; NULL gives {}). */
struct json_object *varlink_error_new(const char *error,
				      struct json_object *params);
/* {"method": @method, "parameters": @params} (@params taken). */
struct json_object *varlink_call_new(const char *method,
				     struct json_object *params);

#endif /* VSENSOR_VARLINK_H */
