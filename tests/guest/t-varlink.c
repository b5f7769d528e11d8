// SPDX-License-Identifier: GPL-2.0
/*
 * Guest tests of vsensord's Varlink socket, spoken raw (not through
 * libvsensor) so any message can be malformed: introspection, typed errors
 * for unknown methods and interfaces and bad parameters, refusal of a
 * non-member, and robustness: a malformed, oversized or flooding client is
 * answered or dropped while another client keeps being served.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <json-c/json.h>

#include "common.h"

#define SOCKET_PATH	"/run/vsensor/io.vsensor"
#define REPLY_MAX	(256 * 1024)

static int vl_connect(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	ck_assert_int_ge(fd, 0);
	strcpy(sa.sun_path, SOCKET_PATH);
	ck_assert_msg(!connect(fd, (struct sockaddr *)&sa, sizeof(sa)),
		      "connect %s: %m", SOCKET_PATH);
	return fd;
}

static void vl_send_raw(int fd, const void *buf, size_t len)
{
	ck_assert_int_eq(send(fd, buf, len, MSG_NOSIGNAL), (ssize_t)len);
}

/* Send @json and its NUL. */
static void vl_send(int fd, const char *json)
{
	vl_send_raw(fd, json, strlen(json) + 1);
}

/*
 * Read one message (up to its NUL) within @ms: the parsed object, or NULL
 * at end of file. Fails the test on timeout.
 */
static struct json_object *vl_recv(int fd, int ms)
{
	static char buf[REPLY_MAX];
	size_t len = 0;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct json_object *obj;
	ssize_t n;

	for (;;) {
		ck_assert_msg(poll(&p, 1, ms * (int)vt_slow()) == 1,
			      "no reply within %d ms", ms);
		n = recv(fd, buf + len, 1, 0);	/* byte by byte: stop at NUL */
		if (n <= 0)
			return NULL;
		if (buf[len] == '\0')
			break;
		ck_assert_uint_lt(++len, sizeof(buf) - 1);
	}
	obj = json_tokener_parse(buf);
	ck_assert_msg(obj, "reply is not JSON: %s", buf);
	return obj;
}

static const char *str_at(struct json_object *o, const char *k1, const char *k2)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, k1, &v))
		return NULL;
	if (k2 && !json_object_object_get_ex(v, k2, &v))
		return NULL;
	return json_object_get_string(v);
}

/* Call @json on @fd, expect the error @error (NULL: a reply). */
static struct json_object *vl_call(int fd, const char *json, const char *error)
{
	struct json_object *r;

	vl_send(fd, json);
	r = vl_recv(fd, 5000);
	ck_assert_msg(r, "connection closed instead of a reply to %s", json);
	if (error)
		ck_assert_str_eq(str_at(r, "error", NULL) ?: "(none)", error);
	else
		ck_assert_msg(!str_at(r, "error", NULL), "%s -> %s", json,
			      json_object_to_json_string(r));
	return r;
}

static void vl_status_ok(int fd)
{
	json_object_put(vl_call(fd, "{\"method\":\"io.vsensor.GetStatus\"}", NULL));
}

/* The peer closed @fd (after what it had to say). */
static void expect_closed(int fd)
{
	struct json_object *r;

	while ((r = vl_recv(fd, 5000)))
		json_object_put(r);
}

START_TEST(test_get_info)
{
	int fd = vl_connect();
	struct json_object *r = vl_call(fd, "{\"method\":\"org.varlink.service.GetInfo\"}", NULL);
	struct json_object *p, *ifaces;
	size_t i;
	int found = 0;

	ck_assert(json_object_object_get_ex(r, "parameters", &p));
	ck_assert_str_eq(str_at(r, "parameters", "product"), "vsensord");
	ck_assert(json_object_object_get_ex(p, "interfaces", &ifaces));
	for (i = 0; i < json_object_array_length(ifaces); i++)
		found += !strcmp(json_object_get_string(json_object_array_get_idx(ifaces, i)),
				 "io.vsensor");
	ck_assert_int_eq(found, 1);
	json_object_put(r);
	r = vl_call(fd, "{\"method\":\"org.varlink.service.GetInterfaceDescription\","
		    "\"parameters\":{\"interface\":\"io.vsensor\"}}", NULL);
	ck_assert_ptr_nonnull(strstr(str_at(r, "parameters", "description"),
				     "method StartSession("));
	json_object_put(r);
	close(fd);
}
END_TEST

START_TEST(test_typed_errors)
{
	int fd = vl_connect();
	struct json_object *r;

	json_object_put(vl_call(fd, "{\"method\":\"io.vsensor.Frobnicate\"}",
				"org.varlink.service.MethodNotFound"));
	json_object_put(vl_call(fd, "{\"method\":\"org.example.Nothing\"}",
				"org.varlink.service.InterfaceNotFound"));
	r = vl_call(fd, "{\"method\":\"io.vsensor.StopSession\",\"parameters\":{\"id\":\"x\"}}",
		    "org.varlink.service.InvalidParameter");
	ck_assert_str_eq(str_at(r, "parameters", "parameter"), "id");
	json_object_put(r);
	r = vl_call(fd, "{\"method\":\"io.vsensor.GetStatus\",\"parameters\":{\"bogus\":1}}",
		    "org.varlink.service.InvalidParameter");
	ck_assert_str_eq(str_at(r, "parameters", "parameter"), "bogus");
	json_object_put(r);
	r = vl_call(fd, "{\"method\":\"io.vsensor.StartSession\",\"parameters\":"
		    "{\"device\":\"vsensor0\",\"rate_hz\":-5}}",
		    "org.varlink.service.InvalidParameter");
	ck_assert_str_eq(str_at(r, "parameters", "parameter"), "rate_hz");
	json_object_put(r);
	json_object_put(vl_call(fd, "{\"method\":\"io.vsensor.StopSession\","
				"\"parameters\":{\"id\":999999}}", "io.vsensor.NoSuchSession"));
	json_object_put(vl_call(fd, "{\"method\":\"io.vsensor.StartSession\","
				"\"parameters\":{\"device\":\"vsensor99\"}}",
				"io.vsensor.NoSuchDevice"));
	r = vl_call(fd, "{\"method\":\"io.vsensor.SetDeviceSettings\",\"parameters\":"
		    "{\"device\":\"vsensor0\",\"settings\":{\"amplitude\":\"2000000\"},"
		    "\"persist\":false}}", "io.vsensor.InvalidSetting");
	ck_assert_str_eq(str_at(r, "parameters", "key"), "amplitude");
	json_object_put(r);
	/* every error left the connection usable */
	vl_status_ok(fd);
	close(fd);
}
END_TEST

START_TEST(test_two_calls_in_one_write_and_oneway)
{
	static const char two[] = "{\"method\":\"io.vsensor.GetStatus\",\"oneway\":true}\0"
				  "{\"method\":\"io.vsensor.Frobnicate\"}\0"
				  "{\"method\":\"io.vsensor.GetStatus\"}";
	int fd = vl_connect();
	struct json_object *r;

	vl_send_raw(fd, two, sizeof(two));
	/* the oneway call has no reply: the first is the error's */
	r = vl_recv(fd, 5000);
	ck_assert_str_eq(str_at(r, "error", NULL), "org.varlink.service.MethodNotFound");
	json_object_put(r);
	r = vl_recv(fd, 5000);
	ck_assert_ptr_null(str_at(r, "error", NULL));
	ck_assert_ptr_nonnull(str_at(r, "parameters", "version"));
	json_object_put(r);
	close(fd);
}
END_TEST

START_TEST(test_malformed_is_answered_and_closed)
{
	static const char *const bad[] = {
		"not json", "[1,2]", "{\"method\":5}", "{\"parameters\":{}}",
		"{\"method\":\"io.vsensor.GetStatus\",\"parameters\":[]}",
		"{\"method\":\"nodot\"}", "{\"method\":\"io.vsensor.GetStatus\",\"more\":1}",
	};
	int other = vl_connect();
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int fd = vl_connect();
		struct json_object *r;

		vl_send(fd, bad[i]);
		r = vl_recv(fd, 5000);
		ck_assert_msg(r, "no error reply to %s", bad[i]);
		ck_assert_str_eq(str_at(r, "error", NULL), "io.vsensor.InvalidRequest");
		json_object_put(r);
		expect_closed(fd);
		close(fd);
		vl_status_ok(other);
	}
	close(other);
}
END_TEST

START_TEST(test_oversized_is_answered_and_closed)
{
	size_t len = 70 * 1024;
	char *big = malloc(len);
	int other = vl_connect(), fd = vl_connect();
	struct json_object *r;

	memset(big, ' ', len);
	vl_send_raw(fd, big, len);	/* no NUL: longer than any message may be */
	r = vl_recv(fd, 5000);
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(str_at(r, "error", NULL), "io.vsensor.InvalidRequest");
	json_object_put(r);
	expect_closed(fd);
	vl_status_ok(other);
	close(fd);
	close(other);
	free(big);
}
END_TEST

START_TEST(test_non_member_is_refused)
{
	pid_t pid = fork();
	int status;

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int fd;
		struct json_object *r;

		if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
			_exit(10);
		fd = vl_connect();
		r = vl_call(fd, "{\"method\":\"io.vsensor.StartSession\",\"parameters\":"
			    "{\"device\":\"vsensor0\"}}", "io.vsensor.PermissionDenied");
		json_object_put(r);
		json_object_put(vl_call(fd, "{\"method\":\"io.vsensor.Reload\"}",
					"io.vsensor.PermissionDenied"));
		json_object_put(vl_call(fd, "{\"method\":\"io.vsensor.SetDeviceSettings\","
					"\"parameters\":{\"device\":\"vsensor0\",\"settings\":{},"
					"\"persist\":true}}", "io.vsensor.PermissionDenied"));
		/* reading is for everyone */
		vl_status_ok(fd);
		json_object_put(vl_call(fd, "{\"method\":\"io.vsensor.ListSessions\"}", NULL));
		_exit(0);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "child status 0x%x", status);
}
END_TEST

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/*
 * Send all of @len on the non-blocking @fd: 1, or 0 once the peer stopped
 * reading for a second, or -1 once it closed.
 */
static int send_all_nb(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
		struct pollfd p = { .fd = fd, .events = POLLOUT };

		if (n > 0) {
			buf += n;
			len -= (size_t)n;
		} else if (n < 0 && errno == EAGAIN) {
			if (poll(&p, 1, 1000 * (int)vt_slow()) == 0)
				return 0;
		} else {
			return -1;
		}
	}
	return 1;
}

/* A client that sends and never reads is dropped; others go on. */
START_TEST(test_flooding_client_does_not_stall_others)
{
	static const char req[] = "{\"method\":\"io.vsensor.GetStatus\"}";
	int other = vl_connect(), flood = vl_connect();
	double t0, worst = 0;
	char buf[65536];
	int i, sent = 0, ret = 1;
	ssize_t n;

	fcntl(flood, F_SETFL, O_NONBLOCK);
	/* replies to 12000 calls (~4 MiB) asked for, never read */
	for (i = 0; i < 12000 && ret == 1; i++) {
		ret = send_all_nb(flood, req, sizeof(req));
		sent += ret == 1;
		if (i % 1000 == 0) {
			t0 = now_ms();
			vl_status_ok(other);
			if (now_ms() - t0 > worst)
				worst = now_ms() - t0;
		}
	}
	printf("# flood: %d calls sent (%s), slowest reply to another client %.1f ms\n",
	       sent, ret < 0 ? "then dropped" : ret ? "all" : "then not read",
	       worst);
	ck_assert_int_gt(sent, 2000);
	ck_assert_double_lt(worst, 1000.0 * vt_slow());
	/* the flooder is dropped: reading its socket ends (EOF or reset) */
	fcntl(flood, F_SETFL, 0);
	do {
		struct pollfd p = { .fd = flood, .events = POLLIN };

		ck_assert_int_eq(poll(&p, 1, 10000 * (int)vt_slow()), 1);
		n = recv(flood, buf, sizeof(buf), 0);
	} while (n > 0);
	vl_status_ok(other);
	close(flood);
	close(other);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("varlink");
	TCase *tc = tcase_create("socket");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_get_info);
	tcase_add_test(tc, test_typed_errors);
	tcase_add_test(tc, test_two_calls_in_one_write_and_oneway);
	tcase_add_test(tc, test_malformed_is_answered_and_closed);
	tcase_add_test(tc, test_oversized_is_answered_and_closed);
	tcase_add_test(tc, test_non_member_is_refused);
	tcase_add_test(tc, test_flooding_client_does_not_stall_others);
	suite_add_tcase(s, tc);
	return vt_run(s);
}
