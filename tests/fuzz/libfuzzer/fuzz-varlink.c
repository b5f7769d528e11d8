// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: the Varlink codec (lib/varlink.c) as vsensord and the
 * client use it. The input is two bytes of setup (the message limit
 * in_max: byte 0 % 64, 0 meaning VARLINK_MSG_MAX; the size of each write:
 * byte 1 + 1), then a byte stream written in pieces to one end of a socket
 * pair. The connection on the other end must hand back exactly the
 * NUL-separated messages of the stream, and -E2BIG exactly at the first
 * one longer than in_max. Each message goes through the call and reply
 * parsers and every parameter accessor; a call that parses must have a
 * valid method and survive a round trip through json-c's serialiser.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "varlink.h"

static const char *const no_params[] = { NULL };

static void check_params(struct json_object *params)
{
	struct json_object *map;
	const char *s;
	int64_t v;
	bool b;

	if (!json_object_is_type(params, json_type_object))
		abort();
	if (!varlink_params_unknown(params, no_params) !=
	    !json_object_object_length(params))
		abort();
	json_object_object_foreach(params, key, val) {
		int rs = varlink_param_string(params, key, &s);
		int ri = varlink_param_int(params, key, -1000, 1000, &v);
		int rb = varlink_param_bool(params, key, &b);
		int rm = varlink_param_string_map(params, key, &map);

		if (!val && (rs != -ENOENT || ri != -ENOENT || rb != -ENOENT ||
			     rm != -ENOENT))
			abort();
		if (val && (rs == -ENOENT || ri == -ENOENT || rb == -ENOENT ||
			    rm == -ENOENT))
			abort();
		/* one type each: at most one accessor takes a value */
		if ((!rs) + (!ri) + (!rb) + (!rm) > 1)
			abort();
		if (!rs && strlen(s) != (size_t)json_object_get_string_len(val))
			abort();
		if (!ri && (v < -1000 || v > 1000))
			abort();
	}
}

static void check_message(const char *msg, size_t len)
{
	struct varlink_reply reply;
	struct varlink_call call, again;
	const char *dot, *text;
	char interface[256];
	size_t text_len;

	if (!varlink_reply_parse(msg, len, &reply)) {
		check_params(reply.params);
		varlink_reply_release(&reply);
	}
	if (varlink_call_parse(msg, len, &call))
		return;
	dot = strrchr(call.method, '.');
	if (!dot || (size_t)(dot - call.method) >= sizeof(interface))
		goto out;
	memcpy(interface, call.method, (size_t)(dot - call.method));
	interface[dot - call.method] = '\0';
	if (!varlink_method_in(call.method, interface) || dot[1] < 'A' ||
	    dot[1] > 'Z')
		abort();
	check_params(call.params);
	text = json_object_to_json_string_length(call.root,
						 JSON_C_TO_STRING_PLAIN, &text_len);
	if (!text || varlink_call_parse(text, text_len, &again))
		abort();
	if (strcmp(again.method, call.method) || again.more != call.more ||
	    again.oneway != call.oneway)
		abort();
	varlink_call_release(&again);
out:
	varlink_call_release(&call);
}

/* Take every complete message; false once the stream is too long. */
static bool drain(struct varlink_conn *conn, const uint8_t *data, size_t size,
		  size_t in_max, size_t *start)
{
	const uint8_t *nul;
	const char *msg;
	ssize_t n;

	while ((n = varlink_conn_next(conn, &msg)) >= 0) {
		nul = memchr(data + *start, 0, size - *start);
		if (!nul || (size_t)n != (size_t)(nul - (data + *start)) ||
		    (size_t)n > in_max || memcmp(msg, data + *start, (size_t)n) ||
		    msg[n])
			abort();
		check_message(msg, (size_t)n);
		*start += (size_t)n + 1;
	}
	if (n == -EAGAIN)
		return true;
	/* -E2BIG: the message being received has no NUL within in_max + 1 */
	if (n != -E2BIG || size - *start <= in_max ||
	    memchr(data + *start, 0, in_max + 1))
		abort();
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t in_max, piece, off = 0, start = 0, len;
	struct varlink_conn *conn;
	bool open = true;
	ssize_t n;
	int sv[2];

	if (size < 2)
		return 0;
	in_max = data[0] % 64 ? data[0] % 64 : VARLINK_MSG_MAX;
	piece = (size_t)data[1] + 1;
	data += 2;
	size -= 2;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv))
		return 0;
	conn = varlink_conn_new(sv[0], in_max, VARLINK_OUT_MAX);
	if (!conn)
		abort();
	while (open && off < size) {
		len = size - off < piece ? size - off : piece;
		n = write(sv[1], data + off, len);
		if (n <= 0)
			abort();
		off += (size_t)n;
		while (open) {
			n = varlink_conn_fill(conn);
			if (n == -EAGAIN)
				break;
			if (n <= 0)
				abort();
			open = drain(conn, data, off, in_max, &start);
		}
	}
	/* all of it arrived: what is left is one incomplete message */
	if (open && (memchr(data + start, 0, size - start) ||
		     size - start > in_max))
		abort();
	varlink_conn_free(conn);
	close(sv[1]);
	return 0;
}
