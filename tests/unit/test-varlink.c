/*
 * Tests of lib/varlink.c: the framing over a socket pair (several messages
 * in one read, one message over many, limits in and out, partial writes, a
 * peer gone), the strictness of call and reply parsing, the parameter
 * accessors and the messages built.
 */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "varlink.h"
#include "unit.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static int peer;
static struct varlink_conn *conn;

/* A connection on one end of a non-blocking socket pair; @peer the other. */
static void conn_setup(size_t in_max, size_t out_max)
{
	int sv[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
	conn = varlink_conn_new(sv[0], in_max, out_max);
	ck_assert_ptr_nonnull(conn);
	peer = sv[1];
}

static void conn_teardown(void)
{
	varlink_conn_free(conn);
	conn = NULL;
	close(peer);
}

static void peer_write(const char *data, size_t len)
{
	ck_assert_int_eq(write(peer, data, len), (ssize_t)len);
}

/* The next message must be @expected. */
static void expect_msg(const char *expected)
{
	const char *msg;
	ssize_t n = varlink_conn_next(conn, &msg);

	ck_assert_int_eq(n, (ssize_t)strlen(expected));
	ck_assert_int_eq(memcmp(msg, expected, (size_t)n), 0);
	ck_assert_int_eq(msg[n], '\0');
}

static void expect_next(ssize_t err)
{
	const char *msg;

	ck_assert_int_eq(varlink_conn_next(conn, &msg), err);
}

START_TEST(test_new_invalid)
{
	errno = 0;
	ck_assert_ptr_null(varlink_conn_new(-1, 10, 10));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_null(varlink_conn_new(0, 0, 10));
	ck_assert_ptr_null(varlink_conn_new(0, 10, 0));
	varlink_conn_free(NULL);
}
END_TEST

START_TEST(test_several_in_one_read)
{
	static const char data[] = "{\"a\":1}\0{}\0\0{\"b\"";

	conn_setup(VARLINK_MSG_MAX, VARLINK_OUT_MAX);
	ck_assert_int_eq(varlink_conn_get_fd(conn) >= 0, 1);
	expect_next(-EAGAIN);
	ck_assert_int_eq(varlink_conn_fill(conn), -EAGAIN);
	peer_write(data, sizeof(data) - 1);
	ck_assert_int_eq(varlink_conn_fill(conn), sizeof(data) - 1);
	expect_msg("{\"a\":1}");
	expect_msg("{}");
	expect_msg("");		/* an empty message is a message */
	expect_next(-EAGAIN);
	peer_write(":2}", 4);	/* with its NUL */
	ck_assert_int_eq(varlink_conn_fill(conn), 4);
	expect_msg("{\"b\":2}");
	expect_next(-EAGAIN);
	close(peer);
	peer = -1;
	ck_assert_int_eq(varlink_conn_fill(conn), 0);
	conn_teardown();
}
END_TEST

START_TEST(test_split_byte_by_byte)
{
	static const char data[] = "{\"method\":\"io.vsensor.GetStatus\"}";
	size_t i;

	conn_setup(64, 64);
	for (i = 0; i < sizeof(data); i++) {
		expect_next(-EAGAIN);
		peer_write(data + i, 1);
		ck_assert_int_eq(varlink_conn_fill(conn), 1);
	}
	expect_msg(data);
	expect_next(-EAGAIN);
	conn_teardown();
}
END_TEST

/* in_max bytes and a NUL fit; one more byte is -E2BIG, for good. */
START_TEST(test_in_limit)
{
	conn_setup(8, 64);
	peer_write("12345678\0", 9);
	ck_assert_int_eq(varlink_conn_fill(conn), 9);
	expect_msg("12345678");
	peer_write("123456789\0", 10);
	ck_assert_int_eq(varlink_conn_fill(conn), 9);	/* in_max + 1 at most */
	expect_next(-E2BIG);
	expect_next(-E2BIG);
	ck_assert_int_eq(varlink_conn_fill(conn), -E2BIG);
	conn_teardown();
}
END_TEST

/* The limit is on one message: many small ones pass through. */
START_TEST(test_in_limit_many_messages)
{
	int i;

	conn_setup(4, 64);
	for (i = 0; i < 100; i++) {
		peer_write("ab\0cd\0", 6);
		ck_assert_int_eq(varlink_conn_fill(conn), 5);
		expect_msg("ab");
		expect_next(-EAGAIN);
		ck_assert_int_eq(varlink_conn_fill(conn), 1);
		expect_msg("cd");
		expect_next(-EAGAIN);
	}
	conn_teardown();
}
END_TEST

/* Filling a buffer that holds messages not taken yet. */
START_TEST(test_in_full_of_messages)
{
	conn_setup(4, 64);
	peer_write("ab\0cd\0", 6);
	ck_assert_int_eq(varlink_conn_fill(conn), 5);
	ck_assert_int_eq(varlink_conn_fill(conn), -ENOBUFS);
	expect_msg("ab");
	ck_assert_int_eq(varlink_conn_fill(conn), 1);
	expect_msg("cd");
	conn_teardown();
}
END_TEST

/* A big message arrives in pieces as the buffer grows. */
START_TEST(test_in_large)
{
	size_t len = VARLINK_MSG_MAX, off = 0;
	char *data = malloc(len + 1);
	const char *msg;
	ssize_t n;

	ck_assert_ptr_nonnull(data);
	memset(data, 'x', len);
	data[len] = '\0';
	conn_setup(VARLINK_MSG_MAX, 64);
	while (off < len + 1) {
		n = write(peer, data + off, len + 1 - off);
		if (n < 0) {
			ck_assert_int_eq(errno, EAGAIN);
			n = 0;
		}
		off += (size_t)n;
		ck_assert_int_gt(varlink_conn_fill(conn), 0);
	}
	while (varlink_conn_fill(conn) > 0)
		;
	n = varlink_conn_next(conn, &msg);
	ck_assert_int_eq(n, (ssize_t)len);
	ck_assert_int_eq(memcmp(msg, data, len), 0);
	free(data);
	conn_teardown();
}
END_TEST

static struct json_object *parse(const char *text)
{
	struct json_object *obj = json_tokener_parse(text);

	ck_assert_ptr_nonnull(obj);
	return obj;
}

/* What the peer received, all of it. */
static size_t peer_read(char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;

	while ((n = read(peer, buf + len, size - len)) > 0)
		len += (size_t)n;
	return len;
}

START_TEST(test_queue_and_flush)
{
	static const char expected[] =
		"{\"parameters\":{}}\0{\"s\":\"a\\u0000/b\"}";	/* and a NUL */
	struct json_object *obj;
	char buf[256];
	size_t len;

	conn_setup(64, 64);
	ck_assert(!varlink_conn_has_output(conn));
	ck_assert_int_eq(varlink_conn_flush(conn), 0);
	obj = varlink_reply_new(NULL);
	ck_assert_int_eq(varlink_conn_queue(conn, obj), 0);
	json_object_put(obj);
	/* a NUL in a string is escaped: the frame's NUL stays the only one */
	obj = json_object_new_object();
	json_object_object_add(obj, "s", json_object_new_string_len("a\0/b", 4));
	ck_assert_int_eq(varlink_conn_queue(conn, obj), 0);
	json_object_put(obj);
	ck_assert(varlink_conn_has_output(conn));
	ck_assert_int_eq(varlink_conn_flush(conn), 0);
	ck_assert(!varlink_conn_has_output(conn));
	len = peer_read(buf, sizeof(buf));
	ck_assert_uint_eq(len, sizeof(expected));
	ck_assert_int_eq(memcmp(buf, expected, len), 0);
	conn_teardown();
}
END_TEST

/* A message and its NUL must fit under out_max with what is queued. */
START_TEST(test_out_limit)
{
	struct json_object *obj = parse("{\"a\":\"123\"}");	/* 11 bytes */

	conn_setup(64, 24);
	ck_assert_int_eq(varlink_conn_queue(conn, obj), 0);	/* 12 */
	ck_assert_int_eq(varlink_conn_queue(conn, obj), 0);	/* 24 */
	ck_assert_int_eq(varlink_conn_queue(conn, obj), -ENOBUFS);
	ck_assert_int_eq(varlink_conn_flush(conn), 0);
	ck_assert_int_eq(varlink_conn_queue(conn, obj), 0);
	json_object_put(obj);
	obj = parse("{\"a\":\"12345678901234567890123\"}");	/* 31 */
	ck_assert_int_eq(varlink_conn_queue(conn, obj), -ENOBUFS);
	json_object_put(obj);
	conn_teardown();
}
END_TEST

/* A peer that does not read: -EAGAIN, then the rest once it does. */
START_TEST(test_partial_writes)
{
	struct json_object *obj, *big;
	size_t len = 200000, got = 0, expected = 0;
	char *text = malloc(len + 1), *buf = malloc(4 * len);
	int sndbuf = 4096, i, ret;
	ssize_t n;

	ck_assert(text && buf);
	memset(text, 'y', len);
	text[len] = '\0';
	conn_setup(64, VARLINK_OUT_MAX);
	setsockopt(varlink_conn_get_fd(conn), SOL_SOCKET, SO_SNDBUF, &sndbuf,
		   sizeof(sndbuf));
	big = json_object_new_string(text);
	obj = json_object_new_object();
	json_object_object_add(obj, "t", big);
	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(varlink_conn_queue(conn, obj), 0);
		expected += len + 9;	/* {"t":"..."} and NUL */
	}
	ck_assert_int_eq(varlink_conn_flush(conn), -EAGAIN);
	ck_assert(varlink_conn_has_output(conn));
	do {
		ret = varlink_conn_flush(conn);
		while ((n = read(peer, buf + got, 4 * len - got)) > 0)
			got += (size_t)n;
	} while (ret == -EAGAIN);
	ck_assert_int_eq(ret, 0);
	while ((n = read(peer, buf + got, 4 * len - got)) > 0)
		got += (size_t)n;
	ck_assert_uint_eq(got, expected);
	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(memcmp(buf + (size_t)i * (len + 9), "{\"t\":\"", 6), 0);
		ck_assert_int_eq(buf[(size_t)i * (len + 9) + len + 8], '\0');
	}
	json_object_put(obj);
	free(buf);
	free(text);
	conn_teardown();
}
END_TEST

/* A peer gone: EPIPE, and no SIGPIPE (its default action would kill us). */
START_TEST(test_peer_gone)
{
	struct json_object *obj = varlink_reply_new(NULL);

	signal(SIGPIPE, SIG_DFL);
	conn_setup(64, 64);
	close(peer);
	peer = -1;
	ck_assert_int_eq(varlink_conn_queue(conn, obj), 0);
	ck_assert_int_eq(varlink_conn_flush(conn), -EPIPE);
	json_object_put(obj);
	conn_teardown();
}
END_TEST

static const struct good_call {
	const char *msg;
	const char *method;
	const char *params;
	bool more, oneway;
} good_calls[] = {
	{ "{\"method\":\"io.vsensor.GetStatus\"}", "io.vsensor.GetStatus", "{}", false, false },
	{ " {\"method\" : \"io.vsensor.StopSession\", \"parameters\": {\"id\": 3}}\n",
	  "io.vsensor.StopSession", "{\"id\":3}", false, false },
	{ "{\"method\":\"org.varlink.service.GetInfo\",\"more\":true,\"oneway\":false}",
	  "org.varlink.service.GetInfo", "{}", true, false },
	{ "{\"oneway\":true,\"parameters\":{},\"method\":\"a-b.c1.M2\"}",
	  "a-b.c1.M2", "{}", false, true },
	{ "{\"method\":\"a--b.9x.M\",\"parameters\":{\"s\":{\"k\":[1,{\"d\":null}]}}}",
	  "a--b.9x.M", "{\"s\":{\"k\":[1,{\"d\":null}]}}", false, false },
	{ "{\"method\":\"x.y.\\u0047et\"}", "x.y.Get", "{}", false, false },
};

static const char *const bad_calls[] = {
	"",
	" ",
	"{",
	"[]",
	"\"io.vsensor.GetStatus\"",
	"null",
	"{}",
	"{\"parameters\":{}}",
	"{\"method\":1}",
	"{\"method\":null}",
	"{\"method\":\"GetStatus\"}",
	"{\"method\":\"vsensor.\"}",
	"{\"method\":\".GetStatus\"}",
	"{\"method\":\"io.vsensor.getStatus\"}",
	"{\"method\":\"io..vsensor.Get\"}",
	"{\"method\":\"io.vsensor.Get Status\"}",
	"{\"method\":\"io.vsensor.Get_Status\"}",
	"{\"method\":\"1o.vsensor.Get\"}",
	"{\"method\":\"-io.vsensor.Get\"}",
	"{\"method\":\"io-.vsensor.Get\"}",
	"{\"method\":\"io.vsensor.Get\\u0000\"}",
	"{\"method\":\"io.vsensor.Get\",\"parameters\":[]}",
	"{\"method\":\"io.vsensor.Get\",\"parameters\":null}",
	"{\"method\":\"io.vsensor.Get\",\"parameters\":\"{}\"}",
	"{\"method\":\"io.vsensor.Get\",\"more\":1}",
	"{\"method\":\"io.vsensor.Get\",\"oneway\":\"true\"}",
	"{\"method\":\"io.vsensor.Get\",\"upgrade\":false}",
	"{\"method\":\"io.vsensor.Get\",\"Method\":\"x.Y\"}",
	"{\"method\":\"io.vsensor.Get\"}x",
	"{\"method\":\"io.vsensor.Get\"}{}",
	"{\"method\":\"io.vsensor.Get\",}",
	"{\"method\":\"io.vsensor.G\xc3\xa9t\"}",
	"{\"method\":\"io.vsensor.Get\",\"parameters\":{\"s\":\"\xff\"}}",
};

START_TEST(test_call_good)
{
	const struct good_call *t = &good_calls[_i];
	struct varlink_call call;

	ck_assert_int_eq(varlink_call_parse(t->msg, strlen(t->msg), &call), 0);
	ck_assert_str_eq(call.method, t->method);
	ck_assert_str_eq(json_object_to_json_string_ext(call.params,
							JSON_C_TO_STRING_PLAIN),
			 t->params);
	ck_assert_int_eq(call.more, t->more);
	ck_assert_int_eq(call.oneway, t->oneway);
	varlink_call_release(&call);
	ck_assert_ptr_null(call.root);
}
END_TEST

START_TEST(test_call_bad)
{
	const char *msg = bad_calls[_i];
	struct varlink_call call;

	ck_assert_int_eq(varlink_call_parse(msg, strlen(msg), &call), -EINVAL);
	ck_assert_ptr_null(call.root);
	ck_assert_ptr_null(call.method);
}
END_TEST

/* Only @len bytes count; a NUL inside them is no JSON. */
START_TEST(test_call_length)
{
	static const char msg[] = "{\"method\":\"a.b.C\"}\0{}";
	struct varlink_call call;

	ck_assert_int_eq(varlink_call_parse(msg, 18, &call), 0);
	varlink_call_release(&call);
	ck_assert_int_eq(varlink_call_parse(msg, 17, &call), -EINVAL);
	ck_assert_int_eq(varlink_call_parse(msg, sizeof(msg) - 1, &call), -EINVAL);
}
END_TEST

/* Nesting: 32 levels in all (call, parameters, 30 more) parse, 33 do not. */
START_TEST(test_call_depth)
{
	static const char head[] = "{\"method\":\"a.b.C\",\"parameters\":";
	char msg[256];
	struct varlink_call call;
	int depth, i;

	for (depth = 30; depth <= 31; depth++) {
		size_t len = 0;

		len += (size_t)sprintf(msg + len, "%s", head);
		for (i = 0; i < depth; i++)
			len += (size_t)sprintf(msg + len, "{\"a\":");
		len += (size_t)sprintf(msg + len, "1");
		for (i = 0; i < depth + 1; i++)
			msg[len++] = '}';
		msg[len] = '\0';
		ck_assert_int_eq(varlink_call_parse(msg, len, &call),
				 depth == 30 ? 0 : -EINVAL);
		if (depth == 30)
			varlink_call_release(&call);
	}
}
END_TEST

START_TEST(test_reply_parse)
{
	static const char ok[] = "{\"parameters\":{\"a\":1},\"continues\":true,\"x\":0}";
	static const char err[] = "{\"error\":\"io.vsensor.NoSuchDevice\"}";
	static const char *const bad[] = {
		"[]", "{\"error\":1}", "{\"error\":\"NoSuchDevice\"}",
		"{\"parameters\":[]}", "{\"continues\":\"yes\"}", "{} {}",
	};
	struct varlink_reply reply;
	size_t i;

	ck_assert_int_eq(varlink_reply_parse(ok, strlen(ok), &reply), 0);
	ck_assert_ptr_null(reply.error);
	ck_assert(reply.continues);
	ck_assert_int_eq(json_object_object_length(reply.params), 1);
	varlink_reply_release(&reply);
	ck_assert_int_eq(varlink_reply_parse(err, strlen(err), &reply), 0);
	ck_assert_str_eq(reply.error, "io.vsensor.NoSuchDevice");
	ck_assert(!reply.continues);
	ck_assert_int_eq(json_object_object_length(reply.params), 0);
	varlink_reply_release(&reply);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ck_assert_int_eq(varlink_reply_parse(bad[i], strlen(bad[i]), &reply),
				 -EINVAL);
		ck_assert_ptr_null(reply.root);
	}
}
END_TEST

START_TEST(test_method_in)
{
	ck_assert(varlink_method_in("io.vsensor.Start", "io.vsensor"));
	ck_assert(varlink_method_in("org.varlink.service.GetInfo",
				    "org.varlink.service"));
	ck_assert(!varlink_method_in("io.vsensor.x.Start", "io.vsensor"));
	ck_assert(!varlink_method_in("io.vsensorx.Start", "io.vsensor"));
	ck_assert(!varlink_method_in("io.vsensor", "io.vsensor"));
	ck_assert(!varlink_method_in("io.Start", "io.vsensor"));
}
END_TEST

static const char params_text[] =
	"{\"s\":\"str\",\"n\":null,\"i\":-5,\"big\":9223372036854775807,"
	"\"huge\":9223372036854775808,\"d\":1.0,\"b\":true,\"nul\":\"a\\u0000b\","
	"\"map\":{\"k\":\"v\",\"l\":\"w\"},\"badmap\":{\"k\":1},\"arr\":[]}";

START_TEST(test_params)
{
	struct json_object *params = parse(params_text), *map;
	const char *s = NULL;
	int64_t v = 0;
	bool b = false;

	ck_assert_int_eq(varlink_param_string(params, "s", &s), 0);
	ck_assert_str_eq(s, "str");
	ck_assert_int_eq(varlink_param_string(params, "none", &s), -ENOENT);
	ck_assert_int_eq(varlink_param_string(params, "n", &s), -ENOENT);
	ck_assert_int_eq(varlink_param_string(params, "i", &s), -EINVAL);
	ck_assert_int_eq(varlink_param_string(params, "nul", &s), -EINVAL);
	ck_assert_int_eq(varlink_param_string(NULL, "s", &s), -ENOENT);

	ck_assert_int_eq(varlink_param_int(params, "i", -5, 5, &v), 0);
	ck_assert_int_eq(v, -5);
	ck_assert_int_eq(varlink_param_int(params, "i", -4, 5, &v), -EINVAL);
	ck_assert_int_eq(varlink_param_int(params, "i", -10, -6, &v), -EINVAL);
	ck_assert_int_eq(varlink_param_int(params, "big", 0, INT64_MAX, &v), 0);
	ck_assert_int_eq(v, INT64_MAX);
	ck_assert_int_eq(varlink_param_int(params, "huge", 0, INT64_MAX, &v),
			 -EINVAL);
	ck_assert_int_eq(varlink_param_int(params, "d", 0, 5, &v), -EINVAL);
	ck_assert_int_eq(varlink_param_int(params, "s", 0, 5, &v), -EINVAL);
	ck_assert_int_eq(varlink_param_int(params, "b", 0, 5, &v), -EINVAL);
	ck_assert_int_eq(varlink_param_int(params, "n", 0, 5, &v), -ENOENT);
	ck_assert_int_eq(varlink_param_int(params, "none", 0, 5, &v), -ENOENT);
	ck_assert_int_eq(v, INT64_MAX);	/* untouched on failure */

	ck_assert_int_eq(varlink_param_bool(params, "b", &b), 0);
	ck_assert(b);
	ck_assert_int_eq(varlink_param_bool(params, "i", &b), -EINVAL);
	ck_assert_int_eq(varlink_param_bool(params, "s", &b), -EINVAL);
	ck_assert_int_eq(varlink_param_bool(params, "none", &b), -ENOENT);

	ck_assert_int_eq(varlink_param_string_map(params, "map", &map), 0);
	ck_assert_int_eq(json_object_object_length(map), 2);
	ck_assert_int_eq(varlink_param_string_map(params, "badmap", &map), -EINVAL);
	ck_assert_int_eq(varlink_param_string_map(params, "arr", &map), -EINVAL);
	ck_assert_int_eq(varlink_param_string_map(params, "s", &map), -EINVAL);
	ck_assert_int_eq(varlink_param_string_map(params, "none", &map), -ENOENT);
	json_object_put(params);
}
END_TEST

START_TEST(test_params_unknown)
{
	static const char *const known[] = { "device", "persist", NULL };
	static const char *const none[] = { NULL };
	struct json_object *params;

	params = parse("{\"device\":\"0\",\"persist\":true}");
	ck_assert_ptr_null(varlink_params_unknown(params, known));
	json_object_put(params);
	params = parse("{\"device\":\"0\",\"bogus\":1,\"other\":2}");
	ck_assert_str_eq(varlink_params_unknown(params, known), "bogus");
	ck_assert_str_eq(varlink_params_unknown(params, none), "device");
	json_object_put(params);
	params = parse("{}");
	ck_assert_ptr_null(varlink_params_unknown(params, none));
	json_object_put(params);
}
END_TEST

static void expect_json(struct json_object *obj, const char *text)
{
	ck_assert_ptr_nonnull(obj);
	ck_assert_str_eq(json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN),
			 text);
	json_object_put(obj);
}

START_TEST(test_build)
{
	expect_json(varlink_reply_new(NULL), "{\"parameters\":{}}");
	expect_json(varlink_reply_new(parse("{\"a\":1}")),
		    "{\"parameters\":{\"a\":1}}");
	expect_json(varlink_error_new("io.vsensor.NoSuchSession",
				      parse("{\"id\":4}")),
		    "{\"error\":\"io.vsensor.NoSuchSession\",\"parameters\":{\"id\":4}}");
	expect_json(varlink_error_new("io.vsensor.PermissionDenied", NULL),
		    "{\"error\":\"io.vsensor.PermissionDenied\",\"parameters\":{}}");
	expect_json(varlink_call_new("io.vsensor.Reload", NULL),
		    "{\"method\":\"io.vsensor.Reload\",\"parameters\":{}}");
}
END_TEST

/* What a client builds, a server parses back. */
START_TEST(test_round_trip)
{
	struct json_object *msg = varlink_call_new("io.vsensor.StopSession",
						   parse("{\"id\":12}"));
	struct varlink_call call;
	const char *text, *got;
	int64_t id;
	ssize_t n;

	conn_setup(64, 64);
	ck_assert_int_eq(varlink_conn_queue(conn, msg), 0);
	ck_assert_int_eq(varlink_conn_flush(conn), 0);
	json_object_put(msg);
	text = "{\"method\":\"io.vsensor.StopSession\",\"parameters\":{\"id\":12}}";
	{
		char buf[128];

		ck_assert_int_eq(peer_read(buf, sizeof(buf)), strlen(text) + 1);
		peer_write(buf, strlen(text) + 1);
	}
	ck_assert_int_gt(varlink_conn_fill(conn), 0);
	n = varlink_conn_next(conn, &got);
	ck_assert_int_eq(n, (ssize_t)strlen(text));
	ck_assert_int_eq(varlink_call_parse(got, (size_t)n, &call), 0);
	ck_assert_int_eq(varlink_param_int(call.params, "id", 1, INT64_MAX, &id), 0);
	ck_assert_int_eq(id, 12);
	varlink_call_release(&call);
	conn_teardown();
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("varlink");
	TCase *framing = tcase_create("framing");
	TCase *parsing = tcase_create("parsing");

	tcase_add_test(framing, test_new_invalid);
	tcase_add_test(framing, test_several_in_one_read);
	tcase_add_test(framing, test_split_byte_by_byte);
	tcase_add_test(framing, test_in_limit);
	tcase_add_test(framing, test_in_limit_many_messages);
	tcase_add_test(framing, test_in_full_of_messages);
	tcase_add_test(framing, test_in_large);
	tcase_add_test(framing, test_queue_and_flush);
	tcase_add_test(framing, test_out_limit);
	tcase_add_test(framing, test_partial_writes);
	tcase_add_test(framing, test_peer_gone);
	tcase_add_test(framing, test_round_trip);
	suite_add_tcase(suite, framing);

	tcase_add_loop_test(parsing, test_call_good, 0, ARRAY_SIZE(good_calls));
	tcase_add_loop_test(parsing, test_call_bad, 0, ARRAY_SIZE(bad_calls));
	tcase_add_test(parsing, test_call_length);
	tcase_add_test(parsing, test_call_depth);
	tcase_add_test(parsing, test_reply_parse);
	tcase_add_test(parsing, test_method_in);
	tcase_add_test(parsing, test_params);
	tcase_add_test(parsing, test_params_unknown);
	tcase_add_test(parsing, test_build);
	suite_add_tcase(suite, parsing);

	return unit_run(suite);
}
