/*
 * vsensorctl: what the object files, main.c and the unit tests share:
 * exit codes, the error helper, command tables and record printing.
 */
#ifndef VSENSORCTL_H
#define VSENSORCTL_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/vsensor.h>

#include "print.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Exit codes: the same meaning for every command. */
enum {
	EXIT_OK = 0,
	EXIT_USAGE = 1,		/* bad command line */
	EXIT_REFUSED = 2,	/* the kernel or the daemon said no */
	EXIT_NOT_FOUND = 3,	/* no such device, or timed out */
};

/* A keyword and what runs it; argv[0] is the keyword. Ends with NULL. */
struct cmd {
	const char *name;
	int (*run)(int argc, char **argv);
};

/*
 * A SIGINT or SIGTERM that ended a command (read catches them): the
 * signal, else 0. A batch stops on it.
 */
extern volatile sig_atomic_t cli_stop_signal;
/* The batch's commands come from stdin (vsensorctl -b -). */
extern bool cli_batch_stdin;
/*
 * The option getopt() refused: "-x" (also from a cluster like "-vx"), or
 * @word, the argument it came from (a long option).
 */
const char *cli_bad_option(const char *word, char buf[3]);

/* Prints "Error: <message>." to stderr and returns @exit_code. */
int cli_error(int exit_code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * 0 if @arg is a DEV: N, vsensorN, /dev/vsensorN or a serial (of A-Za-z0-9-_,
 * not all digits, not "vsensor..."); else an error line and -1.
 */
int check_device_arg(const char *arg);
/* The exit code for a failure to open a device with errno @err. */
int exit_code_for_open(int err);
/*
 * "Error: open @what: <strerror(@err)>." with its exit code, or "vsensor
 * module not loaded" (3) when that is why @what is missing.
 */
int cli_open_error(int err, const char *what);
/* Runs the entry of @cmds named argv[0]; @object names them in errors. */
int run_cmd(const struct cmd *cmds, const char *object, int argc,
	    char **argv);

struct vsensor_nl;
/*
 * A netlink connection in @nl and 0, or an error line and its exit code:
 * "vsensor module not loaded" (3) or why the family cannot be reached (2).
 */
int cli_nl_open(struct vsensor_nl **nl);
/* A refused request: "Error: <kernel message>." (or strerror), exit 2. */
int cli_nl_error(struct vsensor_nl *nl, const char *what);
/*
 * The number of the device DEV names (check_device_arg()), a serial looked
 * up among the devices present: 0, or an error line and its exit code (1
 * not a DEV, 3 no device has that serial).
 */
int cli_device_id(const char *arg, unsigned int *id);
/* "0x1f" or "31" (a channel mask): 0, or -1. */
int parse_u32_any_base(const char *str, uint32_t *val);
/* VSENSOR_CLOCK_* by name ("monotonic", "realtime", "boottime"), or -1. */
int clock_by_name(const char *name);
/* The name of VSENSOR_CLOCK_* @id, or NULL. */
const char *clock_name(uint32_t id);

struct vsensor_client;
/*
 * A client of vsensord ($VSENSOR_SOCKET or /run/vsensor/io.vsensor), or an
 * error line and its exit code: 3 with "vsensord is not running (...)".
 * With @quiet, a daemon not running gives 3 and no line.
 */
int cli_client_open(struct vsensor_client **client, bool quiet);
/*
 * A failed call: "Error: <the daemon's message>." and its exit code: 3 for
 * no such device or session and for a timeout, 2 for the rest.
 */
int cli_client_error(struct vsensor_client *client);
/* "vsensorN" for a DEV argument: 0, or an error line and its exit code. */
int cli_device_name(const char *arg, char *name, size_t size);
struct vsensor_daemon_device;
/* vsensord's view of one device (daemon devices, device set persist). */
void print_daemon_device(const struct vsensor_daemon_device *dev);

/* A reference to device @id: "dev_id" in JSON, "dev vsensorN" in text. */
void print_dev_id(uint32_t id);
struct vsensor_nl_session;
/* How much of a kernel session to print: a notification has less. */
enum session_detail {
	SESSION_ID,	/* id and device (overrun) */
	SESSION_OWNER,	/* and pid, comm (opened, closed) */
	SESSION_ALL,	/* and configuration, counters (session list) */
};
/*
 * The members of a kernel session, the same for "session list" and
 * monitor, into the object the caller opened.
 */
void print_nl_session(const struct vsensor_nl_session *s,
		      enum session_detail detail);

/*
 * The session's configuration as read and watch take it (--rate,
 * --channels, --watermark, --clock); 0 (clock: -1) keeps the device's.
 */
struct session_opts {
	uint32_t rate_hz;
	uint32_t channel_mask;
	uint32_t watermark;
	int clock_id;
};
#define SESSION_OPTS_INIT	{ .clock_id = -1 }
/* getopt_long() values of those options; a command's own follow them. */
enum {
	OPT_RATE = 256, OPT_CHANNELS, OPT_WATERMARK, OPT_CLOCK, OPT_SESSION_END,
};
/*
 * Option @opt (getopt_long()'s value) with its @value into @opts: 0, an
 * exit code after an error line, or -1 when @opt is not one of them.
 */
int session_opts_parse(int opt, const char *value, struct session_opts *opts);
struct vsensor_session;
/*
 * Apply @opts to @session in one SET_CONFIG (nothing when they keep it
 * all); @config gets the configuration in force. 0, or an error line and
 * its exit code (2).
 */
int session_opts_apply(struct vsensor_session *session, const char *device,
		       const struct session_opts *opts,
		       struct vsensor_config *config);

/* One record on one line of text, or as one JSON object. */
void print_record(const struct vsensor_record *record);

int cmd_device(int argc, char **argv);
int cmd_read(int argc, char **argv);
int cmd_write(int argc, char **argv);
int cmd_watch(int argc, char **argv);
int cmd_session(int argc, char **argv);
int cmd_monitor(int argc, char **argv);
int cmd_daemon(int argc, char **argv);

#endif /* VSENSORCTL_H */
