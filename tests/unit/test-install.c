/*
 * Tests of libvsensor as installed (make -C lib install DESTDIR=...): a
 * program that includes <vsensor/vsensor.h> builds and links with
 * `pkg-config --cflags --libs vsensor` from the installed files alone, and
 * the old name libvsensor.pc gives the same flags; the man 3 pages and
 * their links are there. And every program the userspace installs (make
 * install-user, what debian/rules ships) has its man page.
 */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include "unit.h"

#define CMD_LEN		4096

static char destdir[] = "/tmp/test-install.XXXXXX";
static char pcpath[CMD_LEN];

/* Run @fmt through the shell; its exit status, or -1. */
static int shell(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int shell(const char *fmt, ...)
{
	char cmd[CMD_LEN];
	va_list ap;
	int n, status;

	va_start(ap, fmt);
	n = vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	ck_assert_int_lt(n, (int)sizeof(cmd));
	status = system(cmd);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The library of this build (LIBVSENSOR_DIR is $(BUILD)/lib) into destdir. */
static void install_setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(destdir));
	ck_assert_int_eq(shell("env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -s "
			       "-C %s/../../lib install DESTDIR=%s BUILD=%s/.. "
			       "PREFIX=/usr LIBDIR=/usr/lib INCLUDEDIR=/usr/include "
			       ">%s/make.log 2>&1",
			       UNIT_DIR, destdir, LIBVSENSOR_DIR, destdir), 0);
	snprintf(pcpath, sizeof(pcpath),
		 "PKG_CONFIG_SYSROOT_DIR=%s PKG_CONFIG_PATH=%s/usr/lib/pkgconfig",
		 destdir, destdir);
}

static void install_teardown(void)
{
	shell("rm -rf %s", destdir);
}

static const char program[] =
	"#include <vsensor/vsensor.h>\n"
	"int main(void)\n"
	"{\n"
	"\tstruct vsensor_record rec = { .seq = 1 };\n"
	"\treturn vsensor_api_version() && rec.seq == 1 ? 0 : 1;\n"
	"}\n";

START_TEST(test_build_with_pkg_config)
{
	char path[CMD_LEN];
	FILE *f;

	snprintf(path, sizeof(path), "%s/prog.c", destdir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_ge(fputs(program, f), 0);
	ck_assert_int_eq(fclose(f), 0);
	/* -MD lists every header the program read */
	ck_assert_int_eq(shell("cd %s && cc -std=c11 -Wall -Werror -MD -o prog prog.c "
			       "$(%s pkg-config --cflags --libs vsensor)",
			       destdir, pcpath), 0);
	ck_assert_int_eq(shell("grep -q '%s/usr/include/vsensor/vsensor-uapi.h' %s/prog.d",
			       destdir, destdir), 0);
	/* nothing from the top-level install (<linux/vsensor.h>) */
	ck_assert_int_eq(shell("grep -q 'linux/vsensor.h' %s/prog.d", destdir), 1);
}
END_TEST

/* docs/examples build with their Makefile from the installed files alone. */
START_TEST(test_examples_build)
{
	ck_assert_int_eq(shell("cp %s/../../docs/examples/*.c %s/../../docs/examples/Makefile "
			       "%s/ && %s env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -s -C %s "
			       ">%s/examples.log 2>&1",
			       UNIT_DIR, UNIT_DIR, destdir, pcpath, destdir, destdir), 0);
	ck_assert_int_eq(shell("test -x %s/reader && test -x %s/monitor && "
			       "test -x %s/stimulus", destdir, destdir, destdir), 0);
}
END_TEST

/* The man 3 pages, and a .so link per function to an installed page. */
START_TEST(test_man_pages)
{
	const char *man3 = "usr/share/man/man3";

	ck_assert_int_eq(shell("test -s %s/%s/libvsensor.3 && grep -qx '.so man3/vsensor_session.3' "
			       "%s/%s/vsensor_session_read.3", destdir, man3, destdir, man3), 0);
	ck_assert_int_eq(shell("cd %s/%s && for f in *.3; do read -r so page <$f; "
			       "[ \"$so\" != .so ] || test -s \"${page#man3/}\" || exit 1; done",
			       destdir, man3), 0);
}
END_TEST

/*
 * Every program in /usr/bin and /usr/sbin has a page in man1 or man8
 * (lintian's no-manual-page), made from its .scd: "NAME(SECTION)" first.
 */
START_TEST(test_programs_have_man_pages)
{
	ck_assert_int_eq(shell("env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -s "
			       "-C %s/../.. install-user DESTDIR=%s BUILD=%s/.. "
			       "PREFIX=/usr >%s/make.log 2>&1",
			       UNIT_DIR, destdir, LIBVSENSOR_DIR, destdir), 0);
	/* the four of today, so an empty install cannot pass */
	ck_assert_int_eq(shell("cd %s/usr && test -x bin/vsensorctl && test -x sbin/vsensord && "
			       "test -x sbin/vsensor-vfio && test -x sbin/vsensor-vfio-bind",
			       destdir), 0);
	ck_assert_int_eq(shell("cd %s/usr && for p in bin/* sbin/*; do n=${p#*/}; "
			       "for page in share/man/man1/$n.1 share/man/man8/$n.8 ''; do "
			       "[ -n \"$page\" ] || { echo \"no man page for /usr/$p\" >&2; exit 1; }; "
			       "grep -qF \".TH \\\"$n\\\"\" \"$page\" 2>/dev/null && break; "
			       "done; done", destdir), 0);
}
END_TEST

START_TEST(test_old_pc_name)
{
	ck_assert_int_eq(shell("test \"$(%s pkg-config --cflags --libs libvsensor)\" = "
			       "\"$(%s pkg-config --cflags --libs vsensor)\"",
			       pcpath, pcpath), 0);
	ck_assert_int_eq(shell("%s pkg-config --modversion vsensor | grep -qx '[0-9.]*'",
			       pcpath), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("install");
	TCase *tc = tcase_create("installed");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, install_setup, install_teardown);
	tcase_add_test(tc, test_build_with_pkg_config);
	tcase_add_test(tc, test_old_pc_name);
	tcase_add_test(tc, test_examples_build);
	tcase_add_test(tc, test_man_pages);
	suite_add_tcase(s, tc);

	tc = tcase_create("programs");
	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, install_setup, install_teardown);
	tcase_add_test(tc, test_programs_have_man_pages);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
