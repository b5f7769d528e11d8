/*
 * Tests of the vsensorctl program as built: exit codes, what goes to stdout
 * and what to stderr, for everything that needs no vsensor hardware
 * (usage, help, errors, devices that do not exist).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <vsensor/vsensor.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define MAX_ARGS	8

struct result {
	int status;
	char out[2048];
	char err[2048];
};

static void read_back(int fd, char *buf, size_t size)
{
	ssize_t n = pread(fd, buf, size - 1, 0);

	ck_assert_int_ge(n, 0);
	buf[n] = '\0';
	close(fd);
}

/*
 * Run @prefix (NULL-terminated, may be empty) then vsensorctl with @args and
 * collect what it did.
 */
static void run_with(const char *const *prefix, const char *const *args,
		     struct result *res)
{
	const char *argv[2 * MAX_ARGS + 2];
	int out = memfd_create("out", 0), err = memfd_create("err", 0);
	int n = 0, i, wstatus;
	pid_t pid;

	for (i = 0; prefix[i]; i++)
		argv[n++] = prefix[i];
	argv[n++] = VSENSORCTL;
	for (i = 0; args[i]; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	ck_assert(out >= 0 && err >= 0);

	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(out, STDOUT_FILENO);
		dup2(err, STDERR_FILENO);
		setenv("LD_LIBRARY_PATH", LIBVSENSOR_DIR, 1);
		execvp(argv[0], (char **)argv);
		_exit(127);
	}
	ck_assert_int_eq(waitpid(pid, &wstatus, 0), pid);
	ck_assert_msg(WIFEXITED(wstatus), "vsensorctl killed by signal %d",
		      WTERMSIG(wstatus));
	res->status = WEXITSTATUS(wstatus);
	read_back(out, res->out, sizeof(res->out));
	read_back(err, res->err, sizeof(res->err));
}

static void run(const char *const *args, struct result *res)
{
	static const char *const no_prefix[] = { NULL };

	run_with(no_prefix, args, res);
}

static const struct {
	const char *args[MAX_ARGS];
	int status;
	const char *out;
	const char *err;
} cases[] = {
	{ { NULL }, 1, "",
	  "Error: missing OBJECT, try \"vsensorctl help\".\n" },
	{ { "-x", "device" }, 1, "",
	  "Error: unknown option \"-x\", try \"vsensorctl help\".\n" },
	{ { "--frob" }, 1, "",
	  "Error: unknown option \"--frob\", try \"vsensorctl help\".\n" },
	{ { "frob" }, 1, "",
	  "Error: unknown object \"frob\", try \"vsensorctl help\".\n" },
	{ { "device", "frob" }, 1, "",
	  "Error: unknown command \"frob\", try \"vsensorctl device help\".\n" },
	/* Options come before the object. */
	{ { "device", "-j" }, 1, "",
	  "Error: unknown command \"-j\", try \"vsensorctl device help\".\n" },
	{ { "device", "list", "vsensor0" }, 1, "",
	  "Error: \"list\" takes no argument.\n" },
	{ { "device", "show", "0", "1" }, 1, "",
	  "Error: too many arguments to \"show\".\n" },
	{ { "device", "show", "sensor0" }, 1, "",
	  "Error: \"sensor0\" is not a device, expected N, vsensorN or /dev/vsensorN.\n" },
	{ { "device", "show", "vsensor2147483647" }, 3, "",
	  "Error: vsensor2147483647: no such device.\n" },
	/* JSON stays a valid document when nothing is found. */
	{ { "-j", "device", "show", "2147483647" }, 3, "[]\n",
	  "Error: 2147483647: no such device.\n" },
	{ { "read" }, 1, "", "Error: missing DEV.\n" },
	{ { "read", "vsensor0" }, 1, "", "Error: missing -n COUNT.\n" },
	{ { "read", "vsensor0", "-n" }, 1, "",
	  "Error: option \"-n\" needs a value.\n" },
	{ { "read", "vsensor0", "-n", "0" }, 1, "",
	  "Error: invalid COUNT \"0\".\n" },
	{ { "read", "vsensor0", "-n", "-3" }, 1, "",
	  "Error: invalid COUNT \"-3\".\n" },
	{ { "read", "vsensor0", "-n", "1", "--timeout", "1s" }, 1, "",
	  "Error: invalid timeout \"1s\".\n" },
	{ { "read", "vsensor0", "-n", "1", "--timeout", "2147483648" }, 1, "",
	  "Error: invalid timeout \"2147483648\".\n" },
	{ { "read", "vsensor0", "-n", "1", "--frob" }, 1, "",
	  "Error: unknown option \"--frob\" for \"read\".\n" },
	{ { "read", "vsensor0", "vsensor1", "-n", "1" }, 1, "",
	  "Error: too many arguments to \"read\".\n" },
	{ { "read", "/dev/null", "-n", "1" }, 1, "",
	  "Error: \"/dev/null\" is not a device, expected N, vsensorN or /dev/vsensorN.\n" },
	{ { "read", "vsensor2147483647", "-n", "1" }, 3, "",
	  "Error: open vsensor2147483647: No such file or directory.\n" },
	{ { "-j", "read", "-n", "5", "--nonblock", "/dev/vsensor2147483647" }, 3, "",
	  "Error: open /dev/vsensor2147483647: No such file or directory.\n" },
};

/* Help goes to stdout (it was asked for) and exits 0. */
static const struct help_case {
	const char *args[MAX_ARGS];
	const char *first_line;
} helps[] = {
	{ { "help" }, "Usage: vsensorctl [ OPTIONS ] OBJECT { COMMAND | help }\n" },
	{ { "-h" }, "Usage: vsensorctl [ OPTIONS ] OBJECT { COMMAND | help }\n" },
	{ { "--help" }, "Usage: vsensorctl [ OPTIONS ] OBJECT { COMMAND | help }\n" },
	{ { "-j", "help" }, "Usage: vsensorctl [ OPTIONS ] OBJECT { COMMAND | help }\n" },
	{ { "device", "help" }, "Usage: vsensorctl device [ list | show [ DEV ] | help ]\n" },
	{ { "read", "help" }, "Usage: vsensorctl read DEV -n COUNT [ --nonblock ] [ --timeout MS ]\n" },
};

/*
 * Discovery against fake devices: umockdev-run gives vsensorctl a sysfs with
 * devices.umockdev in it (vsensor10 with a serial to escape, vsensor0,
 * vsensor2 without character device, model or a valid sample_rate, and a
 * device not named vsensorN, which is left out).
 */
static const struct fake_case {
	const char *args[MAX_ARGS];
	int status;
	const char *out;
	const char *err;
} fakes[] = {
	{ { "device", "list" }, 0,
	  "vsensor0 devnode /dev/vsensor0 model VSN1000 serial VSN1000-000000 "
	  "channels 4 sample_rate 100 sample_rate_max 100000 fifo_depth 256\n"
	  "vsensor2 devnode - model - serial VSN2000-000002 "
	  "channels 8 sample_rate 0 sample_rate_max 5000 fifo_depth 64\n"
	  "vsensor10 devnode /dev/vsensor10 model VSN1000 serial VSN1000-000010 \"q\"\\ "
	  "channels 4 sample_rate 100 sample_rate_max 100000 fifo_depth 256\n", "" },
	{ { "-j", "device", "show", "/dev/vsensor10" }, 0,
	  "[{\"name\":\"vsensor10\",\"devnode\":\"/dev/vsensor10\",\"model\":\"VSN1000\","
	  "\"serial\":\"VSN1000-000010 \\\"q\\\"\\\\\",\"channels\":4,"
	  "\"sample_rate\":100,\"sample_rate_max\":100000,\"fifo_depth\":256}]\n", "" },
	{ { "-j", "device", "show", "2" }, 0,
	  "[{\"name\":\"vsensor2\",\"devnode\":null,\"model\":null,"
	  "\"serial\":\"VSN2000-000002\",\"channels\":8,"
	  "\"sample_rate\":0,\"sample_rate_max\":5000,\"fifo_depth\":64}]\n", "" },
	{ { "device", "show", "vsensor3" }, 3, "",
	  "Error: vsensor3: no such device.\n" },
	{ { "device", "show", "7" }, 3, "", "Error: 7: no such device.\n" },
};

START_TEST(test_case)
{
	struct result res;

	run(cases[_i].args, &res);
	ck_assert_int_eq(res.status, cases[_i].status);
	ck_assert_str_eq(res.out, cases[_i].out);
	ck_assert_str_eq(res.err, cases[_i].err);
}
END_TEST

START_TEST(test_help)
{
	struct result res;

	run(helps[_i].args, &res);
	ck_assert_int_eq(res.status, 0);
	ck_assert_str_eq(res.err, "");
	ck_assert_int_eq(strncmp(res.out, helps[_i].first_line,
				 strlen(helps[_i].first_line)), 0);
}
END_TEST

START_TEST(test_version)
{
	const char *const args[] = { "--version", NULL };
	char expected[64];
	struct result res;

	run(args, &res);
	snprintf(expected, sizeof(expected), "vsensorctl, libvsensor %s\n",
		 vsensor_api_version());
	ck_assert_int_eq(res.status, 0);
	ck_assert_str_eq(res.out, expected);
	ck_assert_str_eq(res.err, "");
}
END_TEST

/* Listing works without devices: nothing in text, [] in JSON. */
START_TEST(test_list_without_devices)
{
	static const struct {
		const char *args[MAX_ARGS];
		const char *out;
	} lists[] = {
		{ { "device" }, "" },
		{ { "device", "list" }, "" },
		{ { "device", "show" }, "" },
		{ { "-j", "device", "list" }, "[]\n" },
		{ { "-j", "-p", "device" }, "[]\n" },
	};
	struct result res;
	size_t i;

	if (access("/sys/bus/vsensor", F_OK) == 0)
		return;	/* the module is loaded here: the guest suite covers it */

	for (i = 0; i < ARRAY_SIZE(lists); i++) {
		run(lists[i].args, &res);
		ck_assert_int_eq(res.status, 0);
		ck_assert_str_eq(res.out, lists[i].out);
		ck_assert_str_eq(res.err, "");
	}
}
END_TEST

START_TEST(test_fake_devices)
{
	static const char *const umockdev[] = {
		"umockdev-run", "--device", UNIT_DIR "/devices.umockdev", "--",
		NULL
	};
	struct result res;

	/* mk/deps installs umockdev: its absence is a failure, not a skip */
	ck_assert_msg(system("command -v umockdev-run >/dev/null") == 0,
		      "umockdev-run not installed (run make deps)");

	/* umockdev preloads its library; ASan must allow that. */
	setenv("ASAN_OPTIONS", "detect_leaks=1:verify_asan_link_order=0", 1);
	run_with(umockdev, fakes[_i].args, &res);
	ck_assert_int_eq(res.status, fakes[_i].status);
	ck_assert_str_eq(res.out, fakes[_i].out);
	ck_assert_str_eq(res.err, fakes[_i].err);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("vsensorctl");
	TCase *tc = tcase_create("vsensorctl");
	SRunner *runner;
	int failed;

	tcase_add_loop_test(tc, test_case, 0, ARRAY_SIZE(cases));
	tcase_add_loop_test(tc, test_help, 0, ARRAY_SIZE(helps));
	tcase_add_test(tc, test_version);
	tcase_add_test(tc, test_list_without_devices);
	tcase_add_loop_test(tc, test_fake_devices, 0, ARRAY_SIZE(fakes));
	suite_add_tcase(suite, tc);

	runner = srunner_create(suite);
	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? 1 : 0;
}
