/*
 * Tests of the vsensorctl program as built: exit codes, what goes to stdout
 * and what to stderr, for everything that needs no vsensor hardware
 * (usage, help, errors, devices that do not exist), and the verbs that
 * talk to vsensord against a fake one (fake-daemon.h) or none at all.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <vsensor/vsensor.h>

#include "fake-daemon.h"
#include "unit.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define MAX_ARGS	20

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
	{ { "-b" }, 1, "", "Error: option \"-b\" needs a value.\n" },
	{ { "-b", "/nonexistent/batch" }, 3, "",
	  "Error: open /nonexistent/batch: No such file or directory.\n" },
	{ { "-b", "-", "device" }, 1, "",
	  "Error: -b FILE takes its commands from FILE, not \"device\".\n" },
	{ { "-force", "device" }, 1, "", "Error: --force goes with -b FILE.\n" },
	{ { "-b", "/" }, 2, "", "Error: read /: Is a directory.\n" },
	/* a bad letter in a cluster is named, not the word around it */
	{ { "-xj", "device" }, 1, "",
	  "Error: unknown option \"-x\", try \"vsensorctl help\".\n" },
	{ { "read", "0", "-vx" }, 1, "",
	  "Error: unknown option \"-x\" for \"read\".\n" },
	{ { "write", "0", "-x" }, 1, "",
	  "Error: unknown option \"-x\" for \"write\".\n" },
	{ { "read", "0", "--duration", "9223372036s", "-n", "1" }, 3, "",
	  "Error: vsensor module not loaded.\n" },
	/* An unknown word: one line naming the valid ones. */
	{ { "frob" }, 1, "",
	  "Error: unknown object \"frob\", expected device, read, write, watch, session, monitor, daemon or help.\n" },
	{ { "device", "frob" }, 1, "",
	  "Error: unknown command \"frob\" for \"device\", expected list, show, add, del, set or help.\n" },
	{ { "daemon", "" }, 1, "",
	  "Error: unknown command \"\" for \"daemon\", expected status, show, devices, reload or help.\n" },
	/* Unique prefixes abbreviate; an ambiguous one names its candidates. */
	{ { "d" }, 1, "", "Error: \"d\" is ambiguous: device or daemon.\n" },
	{ { "w" }, 1, "", "Error: \"w\" is ambiguous: write or watch.\n" },
	/* watch: read's option parser for --rate and --channels */
	{ { "watch" }, 1, "", "Error: missing DEV.\n" },
	{ { "watch", "0", "1" }, 1, "", "Error: too many arguments to \"watch\".\n" },
	{ { "watch", "0", "--rate", "0" }, 1, "", "Error: invalid rate \"0\".\n" },
	{ { "watch", "0", "--channels", "0" }, 1, "",
	  "Error: invalid channel mask \"0\".\n" },
	{ { "watch", "0", "--rate" }, 1, "", "Error: option \"--rate\" needs a value.\n" },
	{ { "watch", "0", "--format", "csv" }, 1, "",
	  "Error: unknown option \"--format\" for \"watch\".\n" },
	{ { "watch", "sensor.0" }, 1, "",
	  "Error: \"sensor.0\" is not a device, expected N, vsensorN, /dev/vsensorN or a serial.\n" },
	/* a serial is a DEV too, looked up as the session opens */
	{ { "watch", "sensor0" }, 3, "", "Error: vsensor module not loaded.\n" },
	{ { "session", "s" }, 1, "",
	  "Error: \"s\" is ambiguous: show, start or stop.\n" },
	{ { "dev", "sh", "7" }, 3, "", "Error: 7: no such device.\n" },
	{ { "dev", "li", "vsensor0" }, 1, "",
	  "Error: \"list\" takes no argument.\n" },
	/* Options after the object as well as before, up to "--". */
	{ { "device", "-j" }, 0, "[]\n", "" },
	{ { "dev", "sh", "7", "--json" }, 3, "[]\n",
	  "Error: 7: no such device.\n" },
	{ { "read", "vsensor0", "-n", "1", "--", "-j" }, 1, "",
	  "Error: too many arguments to \"read\".\n" },
	{ { "device", "list", "vsensor0" }, 1, "",
	  "Error: \"list\" takes no argument.\n" },
	{ { "device", "show", "0", "1" }, 1, "",
	  "Error: too many arguments to \"show\".\n" },
	{ { "device", "show", "sensor.0" }, 1, "",
	  "Error: \"sensor.0\" is not a device, expected N, vsensorN, /dev/vsensorN or a serial.\n" },
	{ { "device", "show", "vsensor0x" }, 1, "",
	  "Error: \"vsensor0x\" is not a device, expected N, vsensorN, /dev/vsensorN or a serial.\n" },
	{ { "device", "show", "-LAB-7" }, 1, "",
	  "Error: \"-LAB-7\" is not a device, expected N, vsensorN, /dev/vsensorN or a serial.\n" },
	/* a serial: no device has it here (the guest's t-cli.sh finds one) */
	{ { "device", "show", "LAB-7" }, 3, "", "Error: LAB-7: no such device.\n" },
	{ { "-j", "device", "show", "pci-0000-01-00-0" }, 3, "[]\n",
	  "Error: pci-0000-01-00-0: no such device.\n" },
	{ { "device", "del", "LAB-7" }, 3, "", "Error: LAB-7: no such device.\n" },
	{ { "device", "del", "LAB.7" }, 1, "",
	  "Error: \"LAB.7\" is not a device, expected N, vsensorN, /dev/vsensorN or a serial.\n" },
	{ { "device", "set", "LAB-7", "waveform", "sine" }, 3, "",
	  "Error: LAB-7: no such device.\n" },
	{ { "device", "set", "LAB-7", "waveform", "sine", "persist" }, 3, "",
	  "Error: LAB-7: no such device.\n" },
	{ { "device", "set", "LAB.7", "waveform", "sine" }, 1, "",
	  "Error: \"LAB.7\" is not a device, expected N, vsensorN, /dev/vsensorN or a serial.\n" },
	{ { "read", "LAB-7", "-n", "1" }, 3, "", "Error: vsensor module not loaded.\n" },
	{ { "device", "show", "vsensor2147483647" }, 3, "",
	  "Error: vsensor2147483647: no such device.\n" },
	/* JSON stays a valid document when nothing is found. */
	{ { "-j", "device", "show", "2147483647" }, 3, "[]\n",
	  "Error: 2147483647: no such device.\n" },
	{ { "read" }, 1, "", "Error: missing DEV.\n" },
	{ { "read", "vsensor0", "--timeout", "5" }, 1, "",
	  "Error: --timeout needs -n COUNT.\n" },
	{ { "read", "vsensor0", "--format", "xml" }, 1, "",
	  "Error: unknown format \"xml\", expected text, csv, json, jsonl or raw.\n" },
	{ { "read", "vsensor0", "--duration", "5h" }, 1, "",
	  "Error: invalid duration \"5h\", expected N, Nms, Ns or Nm.\n" },
	{ { "read", "vsensor0", "--duration", "0" }, 1, "",
	  "Error: invalid duration \"0\", expected N, Nms, Ns or Nm.\n" },
	{ { "read", "vsensor0", "--duration", "ms" }, 1, "",
	  "Error: invalid duration \"ms\", expected N, Nms, Ns or Nm.\n" },
	{ { "read", "vsensor0", "--clock", "tai" }, 1, "",
	  "Error: unknown clock \"tai\", expected monotonic, realtime or boottime.\n" },
	{ { "read", "vsensor0", "--channels", "0" }, 1, "",
	  "Error: invalid channel mask \"0\".\n" },
	{ { "read", "vsensor0", "--rate", "0" }, 1, "",
	  "Error: invalid rate \"0\".\n" },
	{ { "read", "vsensor0", "--watermark=4294967296" }, 1, "",
	  "Error: invalid watermark \"4294967296\".\n" },
	{ { "read", "vsensor0", "--format" }, 1, "",
	  "Error: option \"--format\" needs a value.\n" },
	{ { "write" }, 1, "", "Error: missing DEV.\n" },
	{ { "write", "vsensor0", "--wave", "sine" }, 1, "",
	  "Error: --wave needs -n COUNT.\n" },
	{ { "write", "vsensor0", "--wave", "sine", "-n", "5", "in.csv" }, 1, "",
	  "Error: --wave takes no FILE or --format.\n" },
	{ { "write", "vsensor0", "--wave", "sine:amp=x", "-n", "5" }, 1, "",
	  "Error: bad --wave \"sine:amp=x\": amp wants a number from 0 to 1073741823.\n" },
	{ { "write", "vsensor0", "--format", "json" }, 1, "",
	  "Error: unknown format \"json\", expected csv or raw.\n" },
	{ { "write", "vsensor0", "a", "b" }, 1, "",
	  "Error: too many arguments to \"write\".\n" },
	{ { "write", "vsensor0", "-n", "0" }, 1, "", "Error: invalid COUNT \"0\".\n" },
	{ { "write", "/dev/null" }, 1, "",
	  "Error: \"/dev/null\" is not a device, expected N, vsensorN, /dev/vsensorN or a serial.\n" },
	{ { "write", "vsensor0", "--wave", "ramp", "-n", "5" }, 3, "",
	  "Error: vsensor module not loaded.\n" },
	/* valid options pass to the open, which the host cannot do */
	{ { "read", "vsensor0", "--duration", "500ms", "--rate", "1000", "--channels",
	    "0x3", "--clock", "boottime", "--format", "csv", "-v" }, 3, "",
	  "Error: vsensor module not loaded.\n" },
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
	  "Error: \"/dev/null\" is not a device, expected N, vsensorN, /dev/vsensorN or a serial.\n" },
	/* the build host never has the module (the guest tests it loaded) */
	{ { "read", "vsensor2147483647", "-n", "1" }, 3, "",
	  "Error: vsensor module not loaded.\n" },
	{ { "-j", "read", "-n", "5", "--nonblock", "/dev/vsensor2147483647" }, 3, "",
	  "Error: vsensor module not loaded.\n" },
	{ { "device", "add", "5" }, 3, "", "Error: vsensor module not loaded.\n" },
	{ { "monitor" }, 3, "", "Error: vsensor module not loaded.\n" },
	/* before the terminal is touched */
	{ { "watch", "vsensor0", "--rate", "200", "--channels", "0x3", "--ascii" }, 3, "",
	  "Error: vsensor module not loaded.\n" },
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
	{ { "read", "help" }, "Usage: vsensorctl read DEV [ -n COUNT ] [ --duration TIME ] [ --timeout MS ]\n" },
	{ { "session", "help" }, "Usage: vsensorctl session [ list | revoke ID | help ]\n" },
	{ { "daemon", "help" }, "Usage: vsensorctl daemon [ status | devices | reload | help ]\n" },
	/* -h and --help at every level, abbreviations too */
	{ { "device", "-h" }, "Usage: vsensorctl device [ list | show [ DEV ] | help ]\n" },
	{ { "dev", "set", "--help" }, "Usage: vsensorctl device [ list | show [ DEV ] | help ]\n" },
	{ { "read", "--help" }, "Usage: vsensorctl read DEV [ -n COUNT ] [ --duration TIME ] [ --timeout MS ]\n" },
	{ { "read", "vsensor0", "-n", "5", "-h" }, "Usage: vsensorctl read DEV [ -n COUNT ] [ --duration TIME ] [ --timeout MS ]\n" },
	{ { "ses", "start", "0", "-h" }, "Usage: vsensorctl session [ list | revoke ID | help ]\n" },
	{ { "mon", "-h" }, "Usage: vsensorctl monitor [ help ]\n" },
	{ { "daemon", "h" }, "Usage: vsensorctl daemon [ status | devices | reload | help ]\n" },
	{ { "write", "help" }, "Usage: vsensorctl write DEV [ FILE ] [ --format { csv | raw } ] [ -n COUNT ]\n" },
	{ { "watch", "help" }, "Usage: vsensorctl watch DEV [ --rate HZ ] [ --channels MASK ] [ --ascii ]\n" },
	{ { "wa", "0", "--ascii", "-h" }, "Usage: vsensorctl watch DEV [ --rate HZ ] [ --channels MASK ] [ --ascii ]\n" },
	{ { "wr", "-h" }, "Usage: vsensorctl write DEV [ FILE ] [ --format { csv | raw } ] [ -n COUNT ]\n" },
};

/*
 * Discovery against fake devices: umockdev-run gives vsensorctl a sysfs with
 * devices.umockdev in it (vsensor10 with a serial to escape, vsensor0,
 * vsensor2 without character device, model or a valid sample_rate, and a
 * device not named vsensorN, which is left out; on PCI vsensor128 below a
 * function bound to driver vsensor, and vsensor129 below one bound to
 * another driver and a function with no driver, both left out).
 */
static const struct fake_case {
	const char *args[MAX_ARGS];
	int status;
	const char *out;
	const char *err;
} fakes[] = {
	{ { "device", "list" }, 0,
	  "vsensor0 devnode /dev/vsensor0 model VSN1000 serial VSN1000-000000 "
	  "channels 4 sample_rate 100 sample_rate_max 100000 fifo_depth 256 "
	  "bus vsensor bus_address vsensor0\n"
	  "vsensor2 devnode - model - serial VSN2000-000002 "
	  "channels 8 sample_rate - sample_rate_max 5000 fifo_depth 64 "
	  "bus vsensor bus_address vsensor2\n"
	  "vsensor10 devnode /dev/vsensor10 model VSN1000 serial VSN1000-000010 \"q\"\\\\ "
	  "channels 4 sample_rate 100 sample_rate_max 100000 fifo_depth 256 "
	  "bus vsensor bus_address vsensor10\n"
	  "vsensor128 devnode /dev/vsensor128 model VSN1000 serial pci-0000-00-03-0 "
	  "channels 4 sample_rate 1000 sample_rate_max 100000 fifo_depth 256 "
	  "bus pci bus_address 0000:00:03.0\n", "" },
	{ { "-j", "device", "show", "/dev/vsensor10" }, 0,
	  "[{\"name\":\"vsensor10\",\"devnode\":\"/dev/vsensor10\",\"model\":\"VSN1000\","
	  "\"serial\":\"VSN1000-000010 \\\"q\\\"\\\\\",\"channels\":4,"
	  "\"sample_rate\":100,\"sample_rate_max\":100000,\"fifo_depth\":256,"
	  "\"bus\":\"vsensor\",\"bus_address\":\"vsensor10\"}]\n", "" },
	{ { "-j", "device", "show", "2" }, 0,
	  "[{\"name\":\"vsensor2\",\"devnode\":null,\"model\":null,"
	  "\"serial\":\"VSN2000-000002\",\"channels\":8,"
	  "\"sample_rate\":null,\"sample_rate_max\":5000,\"fifo_depth\":64,"
	  "\"bus\":\"vsensor\",\"bus_address\":\"vsensor2\"}]\n", "" },
	{ { "-j", "device", "show", "vsensor128" }, 0,
	  "[{\"name\":\"vsensor128\",\"devnode\":\"/dev/vsensor128\",\"model\":\"VSN1000\","
	  "\"serial\":\"pci-0000-00-03-0\",\"channels\":4,"
	  "\"sample_rate\":1000,\"sample_rate_max\":100000,\"fifo_depth\":256,"
	  "\"bus\":\"pci\",\"bus_address\":\"0000:00:03.0\"}]\n", "" },
	{ { "device", "show", "/dev/vsensor128" }, 0,
	  "vsensor128 devnode /dev/vsensor128 model VSN1000 serial pci-0000-00-03-0 "
	  "channels 4 sample_rate 1000 sample_rate_max 100000 fifo_depth 256 "
	  "bus pci bus_address 0000:00:03.0\n", "" },
	{ { "device", "show", "vsensor129" }, 3, "",
	  "Error: vsensor129: no such device.\n" },
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

/* -b FILE: each line a command; the first failure stops and is the status. */
static const struct batch_case {
	const char *input;
	const char *args[4];
	int status;
	const char *out;
	const char *err;
} batches[] = {
	{ "# a comment\n\n  monitor help  \n'daemon' \"help\"\n", { NULL }, 0,
	  "Usage: vsensorctl monitor [ help ]\n"
	  "Usage: vsensorctl daemon [ status | devices | reload | help ]\n", "" },
	{ "device show 7\nmonitor help\n", { NULL }, 3, "",
	  "Error: 7: no such device.\n"
	  "Error: BATCH:1: the command failed (exit status 3), batch stopped.\n" },
	{ "device show 7\ndaemon frob\nmonitor help\n", { "--force" }, 3,
	  "Usage: vsensorctl monitor [ help ]\n",
	  "Error: 7: no such device.\n"
	  "Error: BATCH:1: the command failed (exit status 3).\n"
	  "Error: unknown command \"frob\" for \"daemon\", expected status, show, devices, reload or help.\n"
	  "Error: BATCH:2: the command failed (exit status 1).\n" },
	/* one JSON document a command, -j given once for all or per line */
	{ "device show 7\ndev sh 8\n", { "-j", "-force" }, 3, "[]\n[]\n",
	  "Error: 7: no such device.\n"
	  "Error: BATCH:1: the command failed (exit status 3).\n"
	  "Error: 8: no such device.\n"
	  "Error: BATCH:2: the command failed (exit status 3).\n" },
	{ "device show 7 -j\n", { "-force" }, 3, "[]\n",
	  "Error: 7: no such device.\n"
	  "Error: BATCH:1: the command failed (exit status 3).\n" },
	{ "monitor help\nread \"vsensor0\n", { NULL }, 1,
	  "Usage: vsensorctl monitor [ help ]\n",
	  "Error: BATCH:2: an open \" quote, batch stopped.\n" },
	{ "monitor help \\\n", { NULL }, 1, "",
	  "Error: BATCH:1: a backslash at the end of the line, batch stopped.\n" },
};

START_TEST(test_batch)
{
	const struct batch_case *t = &batches[_i];
	char batch_path[] = "/tmp/test-batch.XXXXXX", want[1024];
	const char *args[8] = { "-b", batch_path };
	const char *from = t->err, *at;
	struct result res;
	int fd = mkstemp(batch_path), n = 2;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, t->input, strlen(t->input)), (ssize_t)strlen(t->input));
	close(fd);
	for (int i = 0; t->args[i]; i++)
		args[n++] = t->args[i];
	run(args, &res);
	unlink(batch_path);
	/* BATCH in the expected errors stands for the file's name */
	want[0] = '\0';
	while ((at = strstr(from, "BATCH"))) {
		strncat(want, from, at - from);
		strcat(want, batch_path);
		from = at + strlen("BATCH");
	}
	strcat(want, from);
	ck_assert_int_eq(res.status, t->status);
	ck_assert_str_eq(res.out, t->out);
	ck_assert_str_eq(res.err, want);
}
END_TEST

/* -b -: the batch is stdin, so write must take its stimulus from a FILE. */
START_TEST(test_batch_stdin_write)
{
	char out[512];
	FILE *f = popen("printf 'monitor help\\nwrite vsensor0\\nmonitor help\\n' | "
			"LD_LIBRARY_PATH=" LIBVSENSOR_DIR " " VSENSORCTL " -b - 2>&1; "
			"echo status $?", "r");
	size_t n;

	ck_assert_ptr_nonnull(f);
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	pclose(f);
	ck_assert_str_eq(out, "Usage: vsensorctl monitor [ help ]\n"
			      "Error: stdin holds the batch: give \"write\" a FILE.\n"
			      "Error: <stdin>:2: the command failed (exit status 1), batch stopped.\n"
			      "status 1\n");
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

/* Without a daemon: usage errors first, then "not running" (exit 3). */
#define NO_DAEMON "/nonexistent/io.vsensor"
#define NOT_RUNNING \
	"Error: vsensord is not running (" NO_DAEMON ": No such file or directory).\n"

static const struct no_daemon_case {
	const char *args[MAX_ARGS];
	int status;
	const char *err;
} no_daemon[] = {
	{ { "daemon" }, 3, NOT_RUNNING },
	{ { "daemon", "status" }, 3, NOT_RUNNING },
	{ { "-j", "daemon", "reload" }, 3, NOT_RUNNING },
	{ { "session", "start", "vsensor0", "rate", "100" }, 3, NOT_RUNNING },
	{ { "session", "stop", "1" }, 3, NOT_RUNNING },
	{ { "device", "set", "0", "waveform", "sine", "persist" }, 3, NOT_RUNNING },
	{ { "device", "set", "0", "waveform", "sine", "--persist" }, 3, NOT_RUNNING },
	{ { "daemon", "status", "x" }, 1, "Error: \"status\" takes no argument.\n" },
	{ { "daemon", "frob" }, 1,
	  "Error: unknown command \"frob\" for \"daemon\", expected status, show, devices, reload or help.\n" },
	{ { "session", "start" }, 1, "Error: missing DEV.\n" },
	{ { "session", "start", "sensor.0" }, 1,
	  "Error: \"sensor.0\" is not a device, expected N, vsensorN, /dev/vsensorN or a serial.\n" },
	/* a serial: looked up before asking the daemon */
	{ { "session", "start", "sensor0" }, 3, "Error: sensor0: no such device.\n" },
	{ { "session", "start", "0", "speed", "3" }, 1,
	  "Error: unknown option \"speed\" for \"start\".\n" },
	{ { "session", "start", "0", "rate" }, 1, "Error: \"rate\" needs a value.\n" },
	{ { "session", "start", "0", "rate", "1", "rate", "2" }, 1,
	  "Error: \"rate\" given twice.\n" },
	{ { "session", "start", "0", "rate", "0" }, 1,
	  "Error: invalid rate in Hz \"0\".\n" },
	{ { "session", "start", "0", "channels", "0" }, 1,
	  "Error: invalid channel mask \"0\".\n" },
	{ { "session", "start", "0", "channels", "0x100000000" }, 1,
	  "Error: invalid channel mask \"0x100000000\".\n" },
	{ { "session", "start", "0", "watermark", "-1" }, 1,
	  "Error: invalid watermark \"-1\".\n" },
	{ { "session", "start", "0", "clock", "tai" }, 1,
	  "Error: invalid clock (monotonic, realtime or boottime) \"tai\".\n" },
	{ { "session", "start", "0", "output", "../x" }, 1,
	  "Error: invalid file name \"../x\".\n" },
	{ { "session", "start", "0", "format", "json" }, 1,
	  "Error: invalid format (bin or csv) \"json\".\n" },
	{ { "session", "start", "0", "rotate", "0" }, 1,
	  "Error: invalid size (N, NK, NM or NG) \"0\".\n" },
	{ { "session", "start", "0", "rotate", "1T" }, 1,
	  "Error: invalid size (N, NK, NM or NG) \"1T\".\n" },
	{ { "session", "start", "0", "rotate", "K" }, 1,
	  "Error: invalid size (N, NK, NM or NG) \"K\".\n" },
	{ { "session", "stop" }, 1, "Error: usage: vsensorctl session stop ID.\n" },
	{ { "session", "stop", "x" }, 1, "Error: \"x\" is not a session id.\n" },
	{ { "device", "set", "0", "waveform", "persist" }, 1,
	  "Error: usage: vsensorctl device set DEV SETTING VALUE... [ persist ].\n" },
	{ { "device", "set", "0", "waveform", "wobble", "persist" }, 1,
	  "Error: bad setting \"waveform wobble\".\n" },
};

START_TEST(test_no_daemon)
{
	const struct no_daemon_case *t = &no_daemon[_i];
	struct result res;

	setenv("VSENSOR_SOCKET", NO_DAEMON, 1);
	run(t->args, &res);
	ck_assert_int_eq(res.status, t->status);
	ck_assert_str_eq(res.out, "");
	ck_assert_str_eq(res.err, t->err);
}
END_TEST

#define STATUS_REPLY \
	"{\"parameters\":{\"version\":\"0.1.0\",\"uptime_ns\":1500000000," \
	"\"devices\":2,\"sessions\":3,\"held_sessions\":1,\"udev_overflows\":0," \
	"\"netlink_overflows\":0,\"reenumerations\":1,\"settings_applied\":4," \
	"\"settings_failed\":0,\"clients\":1,\"config_generation\":2}}"
#define HELD_SESSION \
	"{\"id\":4,\"held\":true,\"device\":\"vsensor0\",\"serial\":\"S \\\"0\\\"\"," \
	"\"state\":\"running\",\"uid\":0,\"pid\":0,\"comm\":\"vsensorctl\"," \
	"\"rate_hz\":200,\"channel_mask\":5,\"watermark\":8,\"clock\":\"boottime\"," \
	"\"output\":\"run.csv\",\"format\":\"csv\",\"records\":1000,\"gaps\":null," \
	"\"kernel_session\":77}"
#define HELD_TEXT \
	"held 4 dev vsensor0 serial S \"0\" state running uid 0 pid 0 comm vsensorctl " \
	"rate 200 channels 0x5 watermark 8 clock boottime output run.csv format csv " \
	"records 1000 gaps - kernel_session 77\n"
#define HELD_JSON \
	"[{\"id\":4,\"held\":true,\"device\":\"vsensor0\",\"serial\":\"S \\\"0\\\"\"," \
	"\"state\":\"running\",\"uid\":0,\"pid\":0,\"comm\":\"vsensorctl\"," \
	"\"rate_hz\":200,\"channel_mask\":5,\"watermark\":8,\"clock\":\"boottime\"," \
	"\"output\":\"run.csv\",\"format\":\"csv\",\"records\":1000,\"gaps\":null," \
	"\"kernel_session\":77}]\n"
#define DEVICE_REPLY \
	"{\"parameters\":{\"device\":{\"name\":\"vsensor0\",\"serial\":\"S-0\"," \
	"\"model\":\"VSN1000\",\"devnode\":\"/dev/vsensor0\",\"identity\":\"S-0\"," \
	"\"online\":true,\"settings\":{\"waveform\":\"square\"}}}}"
#define RELOAD "{\"method\":\"io.vsensor.Reload\",\"parameters\":{}}"

/* One exchange with the fake daemon per case. */
static const struct daemon_case {
	const char *args[MAX_ARGS];
	struct step step;
	int status;
	const char *out;
	const char *err;
} with_daemon[] = {
	{ { "daemon" },
	  { "{\"method\":\"io.vsensor.GetStatus\",\"parameters\":{}}", STEP_REPLY,
	    STATUS_REPLY }, 0,
	  "version 0.1.0 uptime_ns 1500000000 devices 2 sessions 3 held_sessions 1 "
	  "udev_overflows 0 netlink_overflows 0 reenumerations 1 settings_applied 4 "
	  "settings_failed 0 clients 1 config_generation 2\n", "" },
	{ { "-j", "daemon", "status" },
	  { "{\"method\":\"io.vsensor.GetStatus\",\"parameters\":{}}", STEP_REPLY,
	    STATUS_REPLY }, 0,
	  "{\"version\":\"0.1.0\",\"uptime_ns\":1500000000,\"devices\":2,\"sessions\":3,"
	  "\"held_sessions\":1,\"udev_overflows\":0,\"netlink_overflows\":0,"
	  "\"reenumerations\":1,\"settings_applied\":4,\"settings_failed\":0,"
	  "\"clients\":1,\"config_generation\":2}\n", "" },
	{ { "daemon", "reload" },
	  { RELOAD, STEP_REPLY, "{\"parameters\":{\"config_generation\":3}}" }, 0,
	  "config_generation 3\n", "" },
	{ { "session", "start", "/dev/vsensor0", "rate", "200", "channels", "0x5",
	    "watermark", "8", "clock", "boottime", "output", "run.csv", "format",
	    "csv", "rotate", "10M" },
	  { "{\"method\":\"io.vsensor.StartSession\",\"parameters\":{\"device\":\"vsensor0\","
	    "\"comm\":\"vsensorctl\",\"rate_hz\":200,\"channel_mask\":5,\"watermark\":8,\"clock\":\"boottime\","
	    "\"output\":\"run.csv\",\"format\":\"csv\",\"rotate_bytes\":10485760}}",
	    STEP_REPLY, "{\"parameters\":{\"session\":" HELD_SESSION "}}" }, 0,
	  HELD_TEXT, "" },
	{ { "-j", "session", "stop", "4" },
	  { "{\"method\":\"io.vsensor.StopSession\",\"parameters\":{\"id\":4}}",
	    STEP_REPLY, "{\"parameters\":{\"session\":" HELD_SESSION "}}" }, 0,
	  HELD_JSON, "" },
	{ { "device", "set", "vsensor0", "waveform", "square", "persist" },
	  { "{\"method\":\"io.vsensor.SetDeviceSettings\",\"parameters\":{\"settings\":"
	    "{\"waveform\":\"square\"},\"device\":\"vsensor0\",\"persist\":true}}",
	    STEP_REPLY, DEVICE_REPLY }, 0,
	  "vsensor0 serial S-0 identity S-0 devnode /dev/vsensor0 waveform square settings - "
	  "bus - bus_address -\n", "" },
	{ { "-j", "daemon", "devices" },
	  { "{\"method\":\"io.vsensor.ListDevices\",\"parameters\":{}}",
	    STEP_REPLY, "{\"parameters\":{\"devices\":[{\"name\":\"vsensor0\",\"serial\":\"S-0\","
	    "\"model\":\"VSN1000\",\"devnode\":null,\"identity\":\"S-0\",\"online\":true,"
	    "\"settings\":{\"amplitude\":\"500\"},\"settings_result\":\"applied\","
	    "\"bus\":\"pci\",\"bus_address\":\"0000:01:00.0\"}]}}" }, 0,
	  "[{\"name\":\"vsensor0\",\"serial\":\"S-0\",\"identity\":\"S-0\",\"devnode\":null,"
	  "\"settings\":{\"amplitude\":\"500\"},\"settings_result\":\"applied\","
	  "\"bus\":\"pci\",\"bus_address\":\"0000:01:00.0\"}]\n", "" },
	{ { "session", "stop", "12" },
	  { "{\"method\":\"io.vsensor.StopSession\",\"parameters\":{\"id\":12}}",
	    STEP_REPLY, "{\"error\":\"io.vsensor.NoSuchSession\",\"parameters\":{\"id\":12}}" },
	  3, "", "Error: 12: no such session.\n" },
	{ { "-j", "session", "start", "9" },
	  { "{\"method\":\"io.vsensor.StartSession\",\"parameters\":{\"device\":\"vsensor9\","
	    "\"comm\":\"vsensorctl\"}}",
	    STEP_REPLY, "{\"error\":\"io.vsensor.NoSuchDevice\",\"parameters\":"
	    "{\"device\":\"vsensor9\"}}" },
	  3, "", "Error: vsensor9: no such device.\n" },
	{ { "device", "set", "0", "amplitude", "2000000", "--persist" },
	  { "{\"method\":\"io.vsensor.SetDeviceSettings\",\"parameters\":{\"settings\":"
	    "{\"amplitude\":\"2000000\"},\"device\":\"vsensor0\",\"persist\":true}}",
	    STEP_REPLY, "{\"error\":\"io.vsensor.InvalidSetting\",\"parameters\":"
	    "{\"key\":\"amplitude\",\"message\":\"2000000 is out of range 0..1000000\"}}" },
	  2, "", "Error: invalid setting \"amplitude\": 2000000 is out of range 0..1000000.\n" },
	{ { "daemon", "reload" },
	  { RELOAD, STEP_REPLY, "{\"error\":\"io.vsensor.ConfigError\",\"parameters\":"
	    "{\"file\":\"/etc/vsensor/vsensord.conf\",\"line\":7,\"message\":\"unknown key\"}}" },
	  2, "", "Error: /etc/vsensor/vsensord.conf:7: unknown key.\n" },
	{ { "daemon", "reload" },
	  { RELOAD, STEP_REPLY, "{\"error\":\"io.vsensor.PermissionDenied\",\"parameters\":{}}" },
	  2, "", "Error: permission denied (root or group vsensor only).\n" },
	{ { "daemon", "reload" },
	  { RELOAD, STEP_REPLY, "{\"error\":\"io.vsensor.KernelRefused\",\"parameters\":"
	    "{\"errno\":16,\"message\":\"device busy\"}}" },
	  2, "", "Error: device busy.\n" },
	{ { "daemon", "reload" }, { RELOAD, STEP_CLOSE, NULL },
	  2, "", "Error: vsensord: Connection reset by peer.\n" },
};

START_TEST(test_with_daemon)
{
	const struct daemon_case *t = &with_daemon[_i];
	struct result res;

	fake_daemon_start(&t->step, 1);
	setenv("VSENSOR_SOCKET", path, 1);
	run(t->args, &res);
	fake_daemon_finish();
	ck_assert_int_eq(res.status, t->status);
	ck_assert_str_eq(res.out, t->out);
	ck_assert_str_eq(res.err, t->err);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("vsensorctl");
	TCase *tc = tcase_create("vsensorctl");

	tcase_add_loop_test(tc, test_case, 0, ARRAY_SIZE(cases));
	tcase_add_loop_test(tc, test_help, 0, ARRAY_SIZE(helps));
	tcase_add_loop_test(tc, test_batch, 0, ARRAY_SIZE(batches));
	tcase_add_test(tc, test_batch_stdin_write);
	tcase_add_test(tc, test_version);
	tcase_add_test(tc, test_list_without_devices);
	tcase_add_loop_test(tc, test_fake_devices, 0, ARRAY_SIZE(fakes));
	tcase_add_loop_test(tc, test_no_daemon, 0, ARRAY_SIZE(no_daemon));
	tcase_add_loop_test(tc, test_with_daemon, 0, ARRAY_SIZE(with_daemon));
	suite_add_tcase(suite, tc);

	return unit_run(suite);
}
