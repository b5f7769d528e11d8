/*
 * Tests of lib/client.c against a fake vsensord (fake-daemon.h). Requests, replies and their accessors, the
 * mapping of every error reply to errno and a message, timeouts, a daemon
 * that hangs up or answers nonsense, and a daemon not running.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <vsensor/vsensor.h>

#include "fake-daemon.h"
#include "unit.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define MS		1000000LL

static struct vsensor_client *client;

/* Start the fake daemon on @steps and connect a client to it. */
static void start(const struct step *steps, size_t n)
{
	fake_daemon_start(steps, n);
	client = vsensor_client_new(path);
	ck_assert_ptr_nonnull(client);
}

static void finish(void)
{
	vsensor_client_free(client);
	client = NULL;
	fake_daemon_finish();
}

START_TEST(test_not_running)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd;

	make_path();
	errno = 0;
	ck_assert_ptr_null(vsensor_client_new(path));
	ck_assert_int_eq(errno, ENOENT);

	/* a socket nobody listens on: what a dead daemon leaves behind */
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	close(fd);
	errno = 0;
	ck_assert_ptr_null(vsensor_client_new(path));
	ck_assert_int_eq(errno, ECONNREFUSED);
	unlink(path);
	rmdir(dir);
}
END_TEST

START_TEST(test_address)
{
	char address[256];

	memset(address, 'a', sizeof(address) - 1);
	address[0] = '/';
	address[sizeof(address) - 1] = '\0';
	errno = 0;
	ck_assert_ptr_null(vsensor_client_new(address));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_null(vsensor_client_new("unix:"));
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_ptr_null(vsensor_client_new(""));
	ck_assert_int_eq(errno, EINVAL);

	make_path();
	listen_on();
	snprintf(address, sizeof(address), "unix:%s", path);
	client = vsensor_client_new(address);
	ck_assert_ptr_nonnull(client);
	vsensor_client_free(client);
	setenv("VSENSOR_SOCKET", path, 1);
	client = vsensor_client_new(NULL);
	ck_assert_ptr_nonnull(client);
	vsensor_client_free(client);
	unsetenv("VSENSOR_SOCKET");
	close(listen_fd);
	unlink(path);
	rmdir(dir);
	vsensor_client_free(NULL);
}
END_TEST

START_TEST(test_get_status)
{
	static const struct step steps[] = {
		{ "{\"method\":\"io.vsensor.GetStatus\",\"parameters\":{}}", STEP_REPLY,
		  "{\"parameters\":{\"version\":\"0.1.0\",\"uptime_ns\":1500000000,"
		  "\"devices\":2,\"sessions\":3,\"held_sessions\":1,\"udev_overflows\":0,"
		  "\"future\":\"text\",\"big\":9223372036854775807}}" },
	};
	struct vsensor_daemon_status *status;
	uint64_t value = 0;

	start(steps, ARRAY_SIZE(steps));
	status = vsensor_client_get_status(client);
	ck_assert_ptr_nonnull(status);
	ck_assert_ptr_null(vsensor_client_get_error(client));
	ck_assert_ptr_null(vsensor_client_get_error_message(client));
	ck_assert_str_eq(vsensor_daemon_status_get_version(status), "0.1.0");
	ck_assert_uint_eq(vsensor_daemon_status_get_num_counters(status), 6);
	ck_assert_str_eq(vsensor_daemon_status_get_counter_name(status, 0), "uptime_ns");
	ck_assert_uint_eq(vsensor_daemon_status_get_counter_value(status, 0), 1500000000);
	ck_assert_str_eq(vsensor_daemon_status_get_counter_name(status, 4),
			 "udev_overflows");
	ck_assert_str_eq(vsensor_daemon_status_get_counter_name(status, 5), "big");
	ck_assert_uint_eq(vsensor_daemon_status_get_counter_value(status, 5), INT64_MAX);
	errno = 0;
	ck_assert_ptr_null(vsensor_daemon_status_get_counter_name(status, 6));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(vsensor_daemon_status_get_counter(status, "held_sessions",
							   &value), 0);
	ck_assert_uint_eq(value, 1);
	ck_assert_int_eq(vsensor_daemon_status_get_counter(status, "version", &value), -1);
	ck_assert_int_eq(errno, ENOENT);
	vsensor_daemon_status_free(status);
	vsensor_daemon_status_free(NULL);
	finish();
}
END_TEST

#define SESSION_HELD \
	"{\"id\":4,\"held\":true,\"device\":\"vsensor0\",\"serial\":\"S-0\"," \
	"\"state\":\"running\",\"uid\":0,\"pid\":0,\"comm\":\"vsensorctl\"," \
	"\"rate_hz\":200,\"channel_mask\":5,\"watermark\":8,\"clock\":\"boottime\"," \
	"\"output\":\"run.csv\",\"format\":\"csv\",\"records\":1000,\"gaps\":1," \
	"\"kernel_session\":77}"
#define SESSION_KERNEL \
	"{\"id\":9,\"held\":false,\"device\":\"vsensor1\",\"serial\":\"S-1\"," \
	"\"state\":\"open\",\"uid\":null,\"pid\":312,\"comm\":\"cat\"," \
	"\"rate_hz\":100,\"channel_mask\":15,\"watermark\":1,\"clock\":\"monotonic\"," \
	"\"output\":null,\"format\":null,\"records\":null,\"gaps\":null," \
	"\"kernel_session\":null}"

static void check_held(const struct vsensor_daemon_session *s)
{
	ck_assert_uint_eq(vsensor_daemon_session_get_id(s), 4);
	ck_assert(vsensor_daemon_session_is_held(s));
	ck_assert_str_eq(vsensor_daemon_session_get_device(s), "vsensor0");
	ck_assert_str_eq(vsensor_daemon_session_get_serial(s), "S-0");
	ck_assert_str_eq(vsensor_daemon_session_get_state(s), "running");
	ck_assert_int_eq(vsensor_daemon_session_get_uid(s), 0);
	ck_assert_uint_eq(vsensor_daemon_session_get_pid(s), 0);
	ck_assert_str_eq(vsensor_daemon_session_get_comm(s), "vsensorctl");
	ck_assert_uint_eq(vsensor_daemon_session_get_rate_hz(s), 200);
	ck_assert_uint_eq(vsensor_daemon_session_get_channel_mask(s), 5);
	ck_assert_uint_eq(vsensor_daemon_session_get_watermark(s), 8);
	ck_assert_str_eq(vsensor_daemon_session_get_clock(s), "boottime");
	ck_assert_str_eq(vsensor_daemon_session_get_output(s), "run.csv");
	ck_assert_str_eq(vsensor_daemon_session_get_format(s), "csv");
	ck_assert_int_eq(vsensor_daemon_session_get_records(s), 1000);
	ck_assert_int_eq(vsensor_daemon_session_get_gaps(s), 1);
	ck_assert_int_eq(vsensor_daemon_session_get_kernel_session(s), 77);
}

static void check_kernel(const struct vsensor_daemon_session *s)
{
	ck_assert_uint_eq(vsensor_daemon_session_get_id(s), 9);
	ck_assert(!vsensor_daemon_session_is_held(s));
	ck_assert_str_eq(vsensor_daemon_session_get_state(s), "open");
	ck_assert_int_eq(vsensor_daemon_session_get_uid(s), -1);
	ck_assert_uint_eq(vsensor_daemon_session_get_pid(s), 312);
	ck_assert_ptr_null(vsensor_daemon_session_get_output(s));
	ck_assert_ptr_null(vsensor_daemon_session_get_format(s));
	ck_assert_int_eq(vsensor_daemon_session_get_records(s), -1);
	ck_assert_int_eq(vsensor_daemon_session_get_gaps(s), -1);
	ck_assert_int_eq(vsensor_daemon_session_get_kernel_session(s), -1);
}

static int count_sessions(const struct vsensor_daemon_session *s, void *data)
{
	int *n = data;

	if ((*n)++ == 0)
		check_held(s);
	else
		check_kernel(s);
	return 0;
}

static int stop_at_first(const struct vsensor_daemon_session *s, void *data)
{
	(void)s;
	++*(int *)data;
	return 1;
}

/* a negative return stops the walk too, and is the caller's, not an error */
static int stop_negative(const struct vsensor_daemon_session *s, void *data)
{
	(void)s;
	++*(int *)data;
	return -1;
}

START_TEST(test_list_sessions)
{
	static const struct step steps[] = {
		{ "{\"method\":\"io.vsensor.ListSessions\",\"parameters\":{}}", STEP_REPLY,
		  "{\"parameters\":{\"sessions\":[" SESSION_HELD "," SESSION_KERNEL "]}}" },
		{ "{\"method\":\"io.vsensor.ListSessions\",\"parameters\":{}}", STEP_REPLY,
		  "{\"parameters\":{\"sessions\":[" SESSION_HELD "," SESSION_KERNEL "]}}" },
		{ "{\"method\":\"io.vsensor.ListSessions\",\"parameters\":{}}", STEP_REPLY,
		  "{\"parameters\":{\"sessions\":[" SESSION_HELD "," SESSION_KERNEL "]}}" },
		{ "{\"method\":\"io.vsensor.ListSessions\",\"parameters\":{}}", STEP_REPLY,
		  "{\"parameters\":{\"sessions\":[]}}" },
		{ "{\"method\":\"io.vsensor.ListSessions\",\"parameters\":{}}", STEP_REPLY,
		  "{\"parameters\":{\"sessions\":[1]}}" },
	};
	int n = 0;

	start(steps, ARRAY_SIZE(steps));
	ck_assert_int_eq(vsensor_client_list_sessions(client, count_sessions, &n), 0);
	ck_assert_int_eq(n, 2);
	n = 0;
	ck_assert_int_eq(vsensor_client_list_sessions(client, stop_at_first, &n), 0);
	ck_assert_int_eq(n, 1);
	n = 0;
	ck_assert_int_eq(vsensor_client_list_sessions(client, stop_negative, &n), 0);
	ck_assert_int_eq(n, 1);
	n = 0;
	ck_assert_int_eq(vsensor_client_list_sessions(client, count_sessions, &n), 0);
	ck_assert_int_eq(n, 0);
	errno = 0;
	ck_assert_int_eq(vsensor_client_list_sessions(client, count_sessions, &n), -1);
	ck_assert_int_eq(errno, EPROTO);
	finish();
}
END_TEST

static int check_device(const struct vsensor_daemon_device *dev, void *data)
{
	++*(int *)data;
	ck_assert_str_eq(vsensor_daemon_device_get_name(dev), "vsensor0");
	ck_assert_str_eq(vsensor_daemon_device_get_serial(dev), "S-0");
	ck_assert_str_eq(vsensor_daemon_device_get_model(dev), "VSN1000");
	ck_assert_ptr_null(vsensor_daemon_device_get_devnode(dev));
	ck_assert_str_eq(vsensor_daemon_device_get_identity(dev), "S-0");
	ck_assert(!vsensor_daemon_device_is_online(dev));
	ck_assert_str_eq(vsensor_daemon_device_get_settings_result(dev), "applied");
	ck_assert_uint_eq(vsensor_daemon_device_get_num_settings(dev), 2);
	ck_assert_str_eq(vsensor_daemon_device_get_setting_key(dev, 0), "waveform");
	ck_assert_str_eq(vsensor_daemon_device_get_setting_value(dev, 0), "square");
	ck_assert_str_eq(vsensor_daemon_device_get_setting_key(dev, 1), "amplitude");
	ck_assert_str_eq(vsensor_daemon_device_get_setting_value(dev, 1), "500");
	errno = 0;
	ck_assert_ptr_null(vsensor_daemon_device_get_setting_key(dev, 2));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_null(vsensor_daemon_device_get_setting_value(dev, 2));
	return 0;
}

#define DEVICE \
	"{\"name\":\"vsensor0\",\"serial\":\"S-0\",\"model\":\"VSN1000\"," \
	"\"devnode\":null,\"identity\":\"S-0\",\"online\":false," \
	"\"settings\":{\"waveform\":\"square\",\"amplitude\":\"500\"}," \
	"\"settings_result\":\"applied\"}"

START_TEST(test_devices)
{
	static const struct step steps[] = {
		{ "{\"method\":\"io.vsensor.ListDevices\",\"parameters\":{}}", STEP_REPLY,
		  "{\"parameters\":{\"devices\":[" DEVICE "]}}" },
		{ "{\"method\":\"io.vsensor.SetDeviceSettings\",\"parameters\":"
		  "{\"settings\":{\"waveform\":\"square\",\"amplitude\":\"500\"},"
		  "\"device\":\"vsensor0\",\"persist\":true}}", STEP_REPLY,
		  "{\"parameters\":{\"device\":" DEVICE "}}" },
		{ "{\"method\":\"io.vsensor.SetDeviceSettings\",\"parameters\":"
		  "{\"settings\":{},\"device\":\"S-0\",\"persist\":false}}", STEP_REPLY,
		  "{\"parameters\":{}}" },
	};
	static const char *const keys[] = { "waveform", "amplitude" };
	static const char *const values[] = { "square", "500" };
	struct vsensor_daemon_device *dev;
	int n = 0;

	start(steps, ARRAY_SIZE(steps));
	ck_assert_int_eq(vsensor_client_list_devices(client, check_device, &n), 0);
	ck_assert_int_eq(n, 1);
	dev = vsensor_client_set_device_settings(client, "vsensor0", keys, values,
						 2, true);
	ck_assert_ptr_nonnull(dev);
	check_device(dev, &n);
	vsensor_daemon_device_free(dev);
	vsensor_daemon_device_free(NULL);
	/* a reply without its device is the daemon's mistake */
	errno = 0;
	ck_assert_ptr_null(vsensor_client_set_device_settings(client, "S-0", NULL,
							      NULL, 0, false));
	ck_assert_int_eq(errno, EPROTO);
	ck_assert_ptr_null(vsensor_client_get_error(client));
	ck_assert_str_eq(vsensor_client_get_error_message(client),
			 "vsensord: the reply has no valid \"device\"");
	/* refused here, nothing sent */
	errno = 0;
	ck_assert_ptr_null(vsensor_client_set_device_settings(client, NULL, keys,
							      values, 2, true));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_null(vsensor_client_set_device_settings(client, "S-0", NULL,
							      values, 2, true));
	ck_assert_int_eq(errno, EINVAL);
	finish();
}
END_TEST

START_TEST(test_sessions)
{
	static const struct step steps[] = {
		{ "{\"method\":\"io.vsensor.StartSession\",\"parameters\":"
		  "{\"device\":\"vsensor0\",\"comm\":\"test-client\",\"rate_hz\":200,\"channel_mask\":5,"
		  "\"watermark\":8,\"clock\":\"boottime\",\"output\":\"run.csv\","
		  "\"format\":\"csv\",\"rotate_bytes\":1048576}}", STEP_REPLY,
		  "{\"parameters\":{\"session\":" SESSION_HELD "}}" },
		{ "{\"method\":\"io.vsensor.StartSession\",\"parameters\":"
		  "{\"device\":\"S-0\",\"comm\":\"test-client\"}}", STEP_REPLY,
		  "{\"parameters\":{\"session\":" SESSION_HELD "}}" },
		{ "{\"method\":\"io.vsensor.StopSession\",\"parameters\":{\"id\":4}}",
		  STEP_REPLY, "{\"parameters\":{\"session\":" SESSION_HELD "}}" },
		{ "{\"method\":\"io.vsensor.Reload\",\"parameters\":{}}", STEP_REPLY,
		  "{\"parameters\":{\"config_generation\":3}}" },
	};
	struct vsensor_capture_config *config = vsensor_capture_config_new();
	struct vsensor_daemon_session *s;
	uint64_t generation = 0;

	ck_assert_ptr_nonnull(config);
	ck_assert_int_eq(vsensor_capture_config_set_rate_hz(config, 100), 0);
	ck_assert_int_eq(vsensor_capture_config_set_rate_hz(config, 200), 0);
	ck_assert_int_eq(vsensor_capture_config_set_channel_mask(config, 5), 0);
	ck_assert_int_eq(vsensor_capture_config_set_watermark(config, 8), 0);
	ck_assert_int_eq(vsensor_capture_config_set_clock(config, "boottime"), 0);
	ck_assert_int_eq(vsensor_capture_config_set_output(config, "run.csv"), 0);
	ck_assert_int_eq(vsensor_capture_config_set_format(config, "csv"), 0);
	ck_assert_int_eq(vsensor_capture_config_set_rotate_bytes(config, 1 << 20), 0);
	errno = 0;
	ck_assert_int_eq(vsensor_capture_config_set_format(config, NULL), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(vsensor_capture_config_set_rotate_bytes(config, UINT64_MAX), -1);

	start(steps, ARRAY_SIZE(steps));
	s = vsensor_client_start_session(client, "vsensor0", config);
	ck_assert_ptr_nonnull(s);
	check_held(s);
	vsensor_daemon_session_free(s);
	s = vsensor_client_start_session(client, "S-0", NULL);
	ck_assert_ptr_nonnull(s);
	vsensor_daemon_session_free(s);
	s = vsensor_client_stop_session(client, 4);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(vsensor_daemon_session_get_id(s), 4);
	vsensor_daemon_session_free(s);
	vsensor_daemon_session_free(NULL);
	ck_assert_int_eq(vsensor_client_reload(client, &generation), 0);
	ck_assert_uint_eq(generation, 3);
	finish();
	vsensor_capture_config_free(config);
	vsensor_capture_config_free(NULL);
}
END_TEST

/* Each error reply: its errno, its name and the sentence made of it. */
static const struct error_case {
	const char *reply;
	int err;
	const char *name;
	const char *message;
} errors[] = {
	{ "{\"error\":\"io.vsensor.NoSuchDevice\",\"parameters\":{\"device\":\"vsensor9\"}}",
	  ENOENT, "io.vsensor.NoSuchDevice", "vsensor9: no such device" },
	{ "{\"error\":\"io.vsensor.NoSuchSession\",\"parameters\":{\"id\":12}}",
	  ENOENT, "io.vsensor.NoSuchSession", "12: no such session" },
	{ "{\"error\":\"io.vsensor.PermissionDenied\",\"parameters\":{}}",
	  EPERM, "io.vsensor.PermissionDenied",
	  "permission denied (root or group vsensor only)" },
	{ "{\"error\":\"io.vsensor.InvalidSetting\",\"parameters\":"
	  "{\"key\":\"amplitude\",\"message\":\"2000000 is out of range 0..1000000\"}}",
	  EINVAL, "io.vsensor.InvalidSetting",
	  "invalid setting \"amplitude\": 2000000 is out of range 0..1000000" },
	{ "{\"error\":\"io.vsensor.ConfigError\",\"parameters\":"
	  "{\"file\":\"/etc/vsensor/vsensord.conf\",\"line\":7,\"message\":\"unknown key\"}}",
	  EINVAL, "io.vsensor.ConfigError",
	  "/etc/vsensor/vsensord.conf:7: unknown key" },
	{ "{\"error\":\"io.vsensor.KernelRefused\",\"parameters\":"
	  "{\"errno\":16,\"message\":\"device busy\"}}",
	  EBUSY, "io.vsensor.KernelRefused", "device busy" },
	{ "{\"error\":\"io.vsensor.KernelRefused\",\"parameters\":{\"errno\":22}}",
	  EINVAL, "io.vsensor.KernelRefused", "Invalid argument" },
	{ "{\"error\":\"io.vsensor.Failed\",\"parameters\":"
	  "{\"errno\":28,\"message\":\"capture directory full\"}}",
	  ENOSPC, "io.vsensor.Failed", "capture directory full" },
	/* an errno that is none: EIO */
	{ "{\"error\":\"io.vsensor.Failed\",\"parameters\":{\"errno\":-3,\"message\":\"x\"}}",
	  EIO, "io.vsensor.Failed", "x" },
	{ "{\"error\":\"io.vsensor.Failed\"}", EIO, "io.vsensor.Failed",
	  "Input/output error" },
	{ "{\"error\":\"org.varlink.service.InvalidParameter\",\"parameters\":"
	  "{\"parameter\":\"rate_hz\"}}",
	  EINVAL, "org.varlink.service.InvalidParameter",
	  "invalid parameter \"rate_hz\"" },
	{ "{\"error\":\"org.varlink.service.MethodNotFound\",\"parameters\":"
	  "{\"method\":\"io.vsensor.Reload\"}}",
	  EOPNOTSUPP, "org.varlink.service.MethodNotFound",
	  "vsensord does not know org.varlink.service.MethodNotFound (an older version?)" },
	{ "{\"error\":\"io.vsensor.InvalidRequest\",\"parameters\":{}}",
	  EPROTO, "io.vsensor.InvalidRequest", "vsensord: io.vsensor.InvalidRequest" },
	{ "{\"error\":\"com.example.Weird\",\"parameters\":{}}",
	  EPROTO, "com.example.Weird", "vsensord: com.example.Weird" },
};

START_TEST(test_error)
{
	const struct error_case *t = &errors[_i];
	const struct step steps[] = {
		{ "{\"method\":\"io.vsensor.Reload\",\"parameters\":{}}", STEP_REPLY,
		  t->reply },
		/* the connection stays usable after an error reply */
		{ "{\"method\":\"io.vsensor.Reload\",\"parameters\":{}}", STEP_REPLY,
		  "{\"parameters\":{\"config_generation\":1}}" },
	};

	start(steps, ARRAY_SIZE(steps));
	errno = 0;
	ck_assert_int_eq(vsensor_client_reload(client, NULL), -1);
	ck_assert_int_eq(errno, t->err);
	ck_assert_str_eq(vsensor_client_get_error(client), t->name);
	ck_assert_str_eq(vsensor_client_get_error_message(client), t->message);
	ck_assert_int_eq(vsensor_client_reload(client, NULL), 0);
	ck_assert_ptr_null(vsensor_client_get_error(client));
	ck_assert_ptr_null(vsensor_client_get_error_message(client));
	finish();
}
END_TEST

/* Failures of the exchange itself: errno, no error name, a reconnection. */
static const struct failure_case {
	enum step_kind kind;
	const char *reply;
	int err;
	const char *message;
} failures[] = {
	{ STEP_HANG, NULL, ETIMEDOUT, "vsensord: Connection timed out" },
	{ STEP_CLOSE, NULL, ECONNRESET, "vsensord: Connection reset by peer" },
	{ STEP_REPLY_BYE, "not json", EPROTO, "vsensord: Protocol error" },
	{ STEP_REPLY_BYE, "[]", EPROTO, "vsensord: Protocol error" },
	{ STEP_REPLY_BYE, "{\"parameters\":{},\"continues\":true}", EPROTO,
	  "vsensord: Protocol error" },
	/* a well-formed reply without what the method returns */
	{ STEP_REPLY, "{\"parameters\":{\"config_generation\":-1}}", EPROTO,
	  "vsensord: the reply has no valid \"config_generation\"" },
	/* half a reply, then the end */
	{ STEP_PARTIAL, "{\"parameters\":", ECONNRESET,
	  "vsensord: Connection reset by peer" },
};

START_TEST(test_failure)
{
	const struct failure_case *t = &failures[_i];
	const struct step steps[] = {
		{ "{\"method\":\"io.vsensor.Reload\",\"parameters\":{}}", t->kind,
		  t->reply },
		{ "{\"method\":\"io.vsensor.Reload\",\"parameters\":{}}", STEP_CLOSE,
		  NULL },
		{ "{\"method\":\"io.vsensor.Reload\",\"parameters\":{}}", STEP_REPLY,
		  "{\"parameters\":{\"config_generation\":2}}" },
	};
	uint64_t generation = 0;

	start(steps, ARRAY_SIZE(steps));
	vsensor_client_set_timeout(client, 200 * MS);
	errno = 0;
	ck_assert_int_eq(vsensor_client_reload(client, &generation), -1);
	ck_assert_int_eq(errno, t->err);
	ck_assert_ptr_null(vsensor_client_get_error(client));
	ck_assert_str_eq(vsensor_client_get_error_message(client), t->message);
	/* the next call reconnects if it must (to a daemon that hangs up) */
	errno = 0;
	ck_assert_int_eq(vsensor_client_reload(client, &generation), -1);
	ck_assert_int_eq(errno, ECONNRESET);
	ck_assert_int_eq(vsensor_client_reload(client, &generation), 0);
	ck_assert_uint_eq(generation, 2);
	finish();
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("client");
	TCase *tc = tcase_create("client");

	tcase_add_test(tc, test_not_running);
	tcase_add_test(tc, test_address);
	tcase_add_test(tc, test_get_status);
	tcase_add_test(tc, test_list_sessions);
	tcase_add_test(tc, test_devices);
	tcase_add_test(tc, test_sessions);
	tcase_add_loop_test(tc, test_error, 0, ARRAY_SIZE(errors));
	tcase_add_loop_test(tc, test_failure, 0, ARRAY_SIZE(failures));
	suite_add_tcase(suite, tc);

	return unit_run(suite);
}
