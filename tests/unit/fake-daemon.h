/*
 * Unit test helper: a fake vsensord. A child process on a temporary
 * AF_UNIX socket (path) that checks each request byte for byte and
 * answers from a script, over as many connections as the script takes.
 */
#ifndef TEST_FAKE_DAEMON_H
#define TEST_FAKE_DAEMON_H

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "varlink.h"

/* What the fake daemon does after it checked a request. */
enum step_kind {
	STEP_REPLY,	/* send reply (NUL appended) */
	STEP_REPLY_BYE,	/* send reply, then wait until the client hangs up */
	STEP_PARTIAL,	/* send reply without its NUL, then hang up */
	STEP_HANG,	/* answer nothing until the client hangs up */
	STEP_CLOSE,	/* hang up at once */
};

struct step {
	const char *request;	/* what the client must send */
	enum step_kind kind;
	const char *reply;
};

static char dir[64];
static char path[128];
static int listen_fd = -1;
static pid_t server;

static inline void make_path(void)
{
	snprintf(dir, sizeof(dir), "/tmp/test-vsensord.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/io.vsensor", dir);
}

static inline void listen_on(void)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };

	strcpy(addr.sun_path, path);
	listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(listen_fd, 0);
	ck_assert_int_eq(bind(listen_fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	ck_assert_int_eq(listen(listen_fd, 4), 0);
}

/* The next request on @conn, or NULL at the end of the connection. */
static inline const char *next_request(struct varlink_conn *conn)
{
	const char *msg;
	ssize_t n;

	while ((n = varlink_conn_next(conn, &msg)) == -EAGAIN) {
		if (varlink_conn_fill(conn) <= 0)
			return NULL;
	}
	return n >= 0 ? msg : NULL;
}

static inline void send_all(int fd, const char *data, size_t len)
{
	ssize_t n;

	while (len) {
		n = send(fd, data, len, MSG_NOSIGNAL);
		if (n <= 0)
			_exit(3);
		data += n;
		len -= (size_t)n;
	}
}

/* The fake daemon: runs @steps over as many connections as it takes. */
static inline void serve(const struct step *steps, size_t n)
{
	struct varlink_conn *conn = NULL;
	const char *req;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!conn) {
			conn = varlink_conn_new(accept(listen_fd, NULL, NULL),
						VARLINK_MSG_MAX, VARLINK_OUT_MAX);
			if (!conn)
				_exit(2);
		}
		req = next_request(conn);
		if (!req || strcmp(req, steps[i].request)) {
			fprintf(stderr, "step %zu: request %s, expected %s\n", i,
				req ? req : "(none)", steps[i].request);
			_exit(1);
		}
		switch (steps[i].kind) {
		case STEP_REPLY:
			send_all(varlink_conn_get_fd(conn), steps[i].reply,
				 strlen(steps[i].reply) + 1);
			break;
		case STEP_PARTIAL:
			send_all(varlink_conn_get_fd(conn), steps[i].reply,
				 strlen(steps[i].reply));
			varlink_conn_free(conn);
			conn = NULL;
			break;
		case STEP_REPLY_BYE:
			send_all(varlink_conn_get_fd(conn), steps[i].reply,
				 strlen(steps[i].reply) + 1);
			/* fall through */
		case STEP_HANG:
			while (next_request(conn))
				;
			/* fall through */
		case STEP_CLOSE:
			varlink_conn_free(conn);
			conn = NULL;
			break;
		}
	}
	varlink_conn_free(conn);
	_exit(0);
}

/* Start the fake daemon on @steps, listening on path. */
static inline void fake_daemon_start(const struct step *steps, size_t n)
{
	make_path();
	listen_on();
	server = fork();
	ck_assert_int_ge(server, 0);
	if (!server)
		serve(steps, n);
}

/* The fake daemon must have seen every request it expected. */
static inline void fake_daemon_finish(void)
{
	int status;

	ck_assert_int_eq(waitpid(server, &status, 0), server);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "fake daemon failed: status 0x%x", status);
	close(listen_fd);
	unlink(path);
	rmdir(dir);
}

#endif /* TEST_FAKE_DAEMON_H */
