/*
 * Tests of cli/common.c: exit codes, the error line on
 * stderr, device argument checks and command dispatch.
 */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vsensorctl.h"
#include "unit.h"

START_TEST(test_exit_codes_for_open)
{
	ck_assert_int_eq(exit_code_for_open(ENOENT), EXIT_NOT_FOUND);
	ck_assert_int_eq(exit_code_for_open(ENODEV), EXIT_NOT_FOUND);
	ck_assert_int_eq(exit_code_for_open(ENXIO), EXIT_NOT_FOUND);
	ck_assert_int_eq(exit_code_for_open(EACCES), EXIT_REFUSED);
	ck_assert_int_eq(exit_code_for_open(EPERM), EXIT_REFUSED);
	ck_assert_int_eq(exit_code_for_open(EBUSY), EXIT_REFUSED);
	ck_assert_int_eq(exit_code_for_open(EINVAL), EXIT_REFUSED);
	ck_assert_int_eq(EXIT_OK, 0);
	ck_assert_int_eq(EXIT_USAGE, 1);
	ck_assert_int_eq(EXIT_REFUSED, 2);
	ck_assert_int_eq(EXIT_NOT_FOUND, 3);
}
END_TEST

/* stderr goes to memory for the test; stderr_text() returns what came. */
static int stderr_fd = -1;
static char stderr_buf[512];

static void stderr_capture(void)
{
	stderr_fd = memfd_create("stderr", 0);
	ck_assert_int_ge(stderr_fd, 0);
	ck_assert_int_eq(dup2(stderr_fd, STDERR_FILENO), STDERR_FILENO);
}

static const char *stderr_text(void)
{
	ssize_t n;

	n = pread(stderr_fd, stderr_buf, sizeof(stderr_buf) - 1, 0);
	ck_assert_int_ge(n, 0);
	stderr_buf[n] = '\0';
	return stderr_buf;
}

static void stderr_release(void)
{
	if (stderr_fd >= 0)
		close(stderr_fd);
}

START_TEST(test_error_line)
{
	ck_assert_int_eq(cli_error(EXIT_REFUSED, "x %d \"%s\"", 5, "y"),
			 EXIT_REFUSED);
	ck_assert_str_eq(stderr_text(), "Error: x 5 \"y\".\n");
}
END_TEST

START_TEST(test_error_line_errno)
{
	errno = ENOENT;
	ck_assert_int_eq(cli_error(EXIT_NOT_FOUND, "open %s: %m", "vsensor9"),
			 EXIT_NOT_FOUND);
	ck_assert_str_eq(stderr_text(),
			 "Error: open vsensor9: No such file or directory.\n");
}
END_TEST

/* Not there because the module is not (the build host never has it). */
START_TEST(test_open_error)
{
	ck_assert_int_eq(cli_open_error(ENOENT, "vsensor9"), EXIT_NOT_FOUND);
	ck_assert_int_eq(cli_open_error(ENODEV, "vsensor9"), EXIT_NOT_FOUND);
	ck_assert_int_eq(cli_open_error(EACCES, "vsensor9"), EXIT_REFUSED);
	ck_assert_str_eq(stderr_text(),
			 "Error: vsensor module not loaded.\n"
			 "Error: open vsensor9: No such device.\n"
			 "Error: open vsensor9: Permission denied.\n");
}
END_TEST

START_TEST(test_check_device_arg)
{
	ck_assert_int_eq(check_device_arg("vsensor1"), 0);
	ck_assert_int_eq(check_device_arg("/dev/vsensor2"), 0);
	ck_assert_int_eq(check_device_arg("3"), 0);
	/* serials: 1 to 31 of A-Za-z0-9-_, not "-" first */
	ck_assert_int_eq(check_device_arg("sensor1"), 0);
	ck_assert_int_eq(check_device_arg("pci-0000-01-00-0"), 0);
	ck_assert_int_eq(check_device_arg("LAB_7-x"), 0);
	ck_assert_int_eq(check_device_arg("a123456789012345678901234567890"), 0);
	ck_assert_str_eq(stderr_text(), "");
	ck_assert_int_eq(check_device_arg("sensor.1"), -1);
	ck_assert_str_eq(stderr_text(),
			 "Error: \"sensor.1\" is not a device, expected N, vsensorN, /dev/vsensorN or a serial.\n");
	/* too long, "-" first, empty; all digits and "vsensor..." are N and names */
	ck_assert_int_eq(check_device_arg("a1234567890123456789012345678901"), -1);
	ck_assert_int_eq(check_device_arg("-x"), -1);
	ck_assert_int_eq(check_device_arg(""), -1);
	ck_assert_int_eq(check_device_arg("99999999999"), -1);
	ck_assert_int_eq(check_device_arg("vsensorx"), -1);
}
END_TEST

static int last_argc;
static char **last_argv;

static int run_a(int argc, char **argv)
{
	last_argc = argc;
	last_argv = argv;
	return 10;
}

static int run_b(int argc, char **argv)
{
	last_argc = argc;
	last_argv = argv;
	return 20;
}

static const struct cmd cmds[] = {
	{ "alpha", run_a },
	{ "beta", run_b },
	{ "alphabet", run_b },
	{ NULL, NULL },
};

START_TEST(test_run_cmd_dispatch)
{
	char *argv[] = { "beta", "x", "y", NULL };

	ck_assert_int_eq(run_cmd(cmds, "thing", 3, argv), 20);
	ck_assert_int_eq(last_argc, 3);
	ck_assert_ptr_eq(last_argv, argv);
	argv[0] = "alpha";
	ck_assert_int_eq(run_cmd(cmds, NULL, 1, argv), 10);
	ck_assert_int_eq(last_argc, 1);
	ck_assert_str_eq(stderr_text(), "");
}
END_TEST

START_TEST(test_run_cmd_unknown)
{
	char *argv[] = { "gamma", NULL };

	ck_assert_int_eq(run_cmd(cmds, "thing", 1, argv), EXIT_USAGE);
	ck_assert_int_eq(run_cmd(cmds, NULL, 1, argv), EXIT_USAGE);
	ck_assert_int_eq(last_argc, 0);
	ck_assert_str_eq(stderr_text(),
			 "Error: unknown command \"gamma\" for \"thing\", expected alpha, beta or alphabet.\n"
			 "Error: unknown object \"gamma\", expected alpha, beta or alphabet.\n");
}
END_TEST

/* A unique prefix runs its entry, named in full; an ambiguous one names both. */
START_TEST(test_run_cmd_prefix)
{
	char *argv[] = { "b", "x", NULL };

	ck_assert_int_eq(run_cmd(cmds, "thing", 2, argv), 20);
	ck_assert_str_eq(last_argv[0], "beta");
	ck_assert_int_eq(last_argc, 2);
	argv[0] = "alph";
	ck_assert_int_eq(run_cmd(cmds, "thing", 2, argv), EXIT_USAGE);
	argv[0] = "alpha";	/* a whole name is never ambiguous */
	ck_assert_int_eq(run_cmd(cmds, "thing", 2, argv), 10);
	ck_assert_str_eq(stderr_text(),
			 "Error: \"alph\" is ambiguous: alpha or alphabet.\n");
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("common");
	TCase *tc = tcase_create("exit codes");

	tcase_add_test(tc, test_exit_codes_for_open);
	suite_add_tcase(suite, tc);

	tc = tcase_create("stderr");
	tcase_add_checked_fixture(tc, stderr_capture, stderr_release);
	tcase_add_test(tc, test_error_line);
	tcase_add_test(tc, test_error_line_errno);
	tcase_add_test(tc, test_check_device_arg);
	tcase_add_test(tc, test_run_cmd_dispatch);
	tcase_add_test(tc, test_run_cmd_unknown);
	tcase_add_test(tc, test_open_error);
	tcase_add_test(tc, test_run_cmd_prefix);
	suite_add_tcase(suite, tc);

	return unit_run(suite);
}
