/*
 * vsensorctl watch: a live view of a device in the terminal: its session's
 * rate and counters, and a line per channel with the last value and a
 * sparkline of the recent ones, scaled to their minimum and maximum,
 * redrawn four times a second until q, SIGINT or SIGTERM (Ctrl-Z
 * suspends it with the terminal restored, fg brings the view back):
 *   ch0        -309 ▃▂▁▁▁▂▃▄▅▆▇███▇▆▅▄▃▂▁▁▁▂▃▄▅▆▇███▇▆▅▄ -1000..1000
 * One poll loop over the session, stdin (keys), a timerfd (redraw) and a
 * signalfd (SIGINT, SIGTERM, SIGWINCH, SIGTSTP); plain ANSI escapes, no
 * curses.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <termios.h>
#include <unistd.h>

#include <vsensor/vsensor.h>

#include "vsensorctl.h"

#define WATCH_HISTORY	512	/* values kept per channel: wider than a line */
#define WATCH_BATCH	64	/* records per read() at most */
#define WATCH_REDRAW_NS	250000000L
#define WATCH_COLS	80	/* when the terminal does not say */
#define WATCH_ROWS	24
#define WATCH_MIN_SPARK	8	/* columns of sparkline before the range */

enum { OPT_ASCII = OPT_SESSION_END };

static const struct option watch_options[] = {
	{ "rate", required_argument, NULL, OPT_RATE },
	{ "channels", required_argument, NULL, OPT_CHANNELS },
	{ "ascii", no_argument, NULL, OPT_ASCII },
	{ NULL, 0, NULL, 0 },
};

/* Eight levels, lowest first: U+2581 to U+2588, or ASCII. */
static const char *const utf8_levels[] = {
	"\u2581", "\u2582", "\u2583", "\u2584",
	"\u2585", "\u2586", "\u2587", "\u2588",
};
static const char *const ascii_levels[] = {
	"_", ".", "-", "~", "=", "+", "*", "#",
};

struct watch {
	const char *device;
	struct session_opts opts;
	const char *const *levels;
	struct vsensor_session *session;
	struct vsensor_config config;
	/* the last values of each channel; the newest at history[.][head - 1] */
	int32_t history[VSENSOR_MAX_CHANNELS][WATCH_HISTORY];
	unsigned int head, filled;
	unsigned int cols, rows;
	int signal_fd, timer_fd;
	sigset_t old_mask;
	struct termios old_termios;
	bool termios_set;
	bool quit;
	int err;	/* the errno that ended it, reported once restored */
};

static int usage(void)
{
	printf("Usage: vsensorctl watch DEV [ --rate HZ ] [ --channels MASK ] [ --ascii ]\n"
	       "       vsensorctl watch help\n"
	       "where  DEV := { N | vsensorN | /dev/vsensorN | SERIAL }\n");
	return EXIT_OK;
}

/* ASCII unless the locale's character set is UTF-8 (as setlocale() sees it). */
static bool locale_is_utf8(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_CTYPE", "LANG" };

	for (size_t i = 0; i < ARRAY_SIZE(vars); i++) {
		const char *value = getenv(vars[i]);

		if (value && *value)
			return strcasestr(value, "utf-8") || strcasestr(value, "utf8");
	}
	return false;
}

static int parse_args(int argc, char **argv, struct watch *w)
{
	bool ascii = !locale_is_utf8();
	char bad[3];
	int opt, ret;

	optind = 0;	/* glibc: start afresh on this argv */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":", watch_options, NULL)) != -1) {
		ret = session_opts_parse(opt, optarg, &w->opts);
		if (ret > 0)
			return ret;
		if (!ret)
			continue;
		if (opt == OPT_ASCII)
			ascii = true;
		else if (opt == ':')
			return cli_error(EXIT_USAGE, "option \"%s\" needs a value",
					 argv[optind - 1]);
		else
			return cli_error(EXIT_USAGE, "unknown option \"%s\" for \"watch\"",
					 cli_bad_option(argv[optind - 1], bad));
	}
	if (optind != argc - 1)
		return cli_error(EXIT_USAGE, "%s", optind == argc ?
				 "missing DEV" : "too many arguments to \"watch\"");
	w->device = argv[optind];
	w->levels = ascii ? ascii_levels : utf8_levels;
	return check_device_arg(w->device) ? EXIT_USAGE : EXIT_OK;
}

static void watch_get_size(struct watch *w)
{
	struct winsize ws;

	w->cols = WATCH_COLS;
	w->rows = WATCH_ROWS;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) || !ws.ws_col || !ws.ws_row)
		return;
	w->cols = ws.ws_col;
	w->rows = ws.ws_row;
}

/* SIGINT, SIGTERM, SIGWINCH, SIGTSTP through a signalfd; 0 or -1, errno. */
static int watch_signals_open(struct watch *w)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGWINCH);
	sigaddset(&set, SIGTSTP);
	if (sigprocmask(SIG_BLOCK, &set, &w->old_mask))
		return -1;
	w->signal_fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (w->signal_fd >= 0)
		return 0;
	sigprocmask(SIG_SETMASK, &w->old_mask, NULL);
	return -1;
}

static void watch_signals_close(struct watch *w)
{
	close(w->signal_fd);
	/* one that came meanwhile was for us, not for what follows */
	sigprocmask(SIG_SETMASK, &w->old_mask, NULL);
}

static int watch_timer_open(struct watch *w)
{
	struct itimerspec every = {
		.it_interval = { .tv_nsec = WATCH_REDRAW_NS },
		.it_value = { .tv_nsec = WATCH_REDRAW_NS },
	};

	w->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (w->timer_fd < 0)
		return -1;
	if (!timerfd_settime(w->timer_fd, 0, &every, NULL))
		return 0;
	close(w->timer_fd);
	return -1;
}

/*
 * Keys one at a time, without echo (Ctrl-C still signals), on the
 * alternate screen with the cursor hidden; all undone by
 * watch_terminal_restore().
 */
static void watch_terminal_setup(struct watch *w)
{
	struct termios raw;

	if (isatty(STDIN_FILENO) && !tcgetattr(STDIN_FILENO, &w->old_termios)) {
		raw = w->old_termios;
		raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
		raw.c_cc[VMIN] = 1;
		raw.c_cc[VTIME] = 0;
		w->termios_set = !tcsetattr(STDIN_FILENO, TCSANOW, &raw);
	}
	fputs("\033[?1049h\033[?25l\033[2J", stdout);
}

static void watch_terminal_restore(struct watch *w)
{
	fputs("\033[?25h\033[?1049l", stdout);
	fflush(stdout);
	if (w->termios_set)
		tcsetattr(STDIN_FILENO, TCSANOW, &w->old_termios);
	w->termios_set = false;
}

/* Screen line @row (from 1): @text cut to the width, the rest cleared. */
static void watch_put_line(const struct watch *w, unsigned int row,
			   const char *text)
{
	if (row > w->rows)
		return;
	/* the last column stays empty: no terminal wraps there */
	printf("\033[%u;1H%.*s\033[K", row, (int)(w->cols - 1), text);
}

/* The @n newest values of @ch, oldest first, in @out; how many there are. */
static unsigned int watch_recent(const struct watch *w, unsigned int ch,
				 unsigned int n, int32_t *out)
{
	unsigned int i;

	if (n > w->filled)
		n = w->filled;
	for (i = 0; i < n; i++)
		out[i] = w->history[ch][(w->head + WATCH_HISTORY - n + i) %
					WATCH_HISTORY];
	return n;
}

/* " min..max" of the @n values in @range; its length. */
static unsigned int watch_range(const int32_t *values, unsigned int n,
				char *range, size_t size, int32_t *min,
				int32_t *max)
{
	unsigned int i;

	*min = INT32_MAX;
	*max = INT32_MIN;
	for (i = 0; i < n; i++) {
		*min = values[i] < *min ? values[i] : *min;
		*max = values[i] > *max ? values[i] : *max;
	}
	return (unsigned int)snprintf(range, size, " %" PRId32 "..%" PRId32,
				      *min, *max);
}

/*
 * "ch0        -309 ▃▂▁ -1000..1000": the sparkline fills what the width
 * leaves, scaled to the smallest and largest value it shows, which
 * follow it.
 */
static void watch_put_channel(const struct watch *w, unsigned int row,
			      unsigned int ch)
{
	char prefix[32], range[32], line[32 + 3 * WATCH_HISTORY + 32];
	int32_t values[WATCH_HISTORY], min, max;
	unsigned int width, n, i, at, range_len;

	n = watch_recent(w, ch, 1, values);
	if (!n) {
		snprintf(line, sizeof(line), "ch%u %11s", ch, "-");
		watch_put_line(w, row, line);
		return;
	}
	at = (unsigned int)snprintf(prefix, sizeof(prefix), "ch%u %11" PRId32 " ",
				    ch, values[0]);
	if (w->cols - 1 <= at) {
		watch_put_line(w, row, prefix);
		return;
	}
	width = w->cols - 1 - at;
	width = width < WATCH_HISTORY ? width : WATCH_HISTORY;
	n = watch_recent(w, ch, width, values);
	range_len = watch_range(values, n, range, sizeof(range), &min, &max);
	if (width < WATCH_MIN_SPARK + range_len) {
		range[0] = '\0';	/* no room for it */
	} else {
		char shown[32];
		int32_t shown_min, shown_max;

		/* fewer values: their own range, if it fits the room left */
		width -= range_len;
		n = watch_recent(w, ch, width, values);
		if (watch_range(values, n, shown, sizeof(shown), &shown_min,
				&shown_max) <= range_len) {
			memcpy(range, shown, sizeof(range));
			min = shown_min;
			max = shown_max;
		}
	}

	at = (unsigned int)snprintf(line, sizeof(line), "%s%*s", prefix,
				    (int)(width - n), "");
	for (i = 0; i < n; i++) {
		int64_t span = (int64_t)max - min;
		unsigned int level = span ? (unsigned int)(((int64_t)values[i] - min) *
						       7 / span) : 3;

		at += (unsigned int)snprintf(line + at, sizeof(line) - at, "%s",
					     w->levels[level]);
	}
	snprintf(line + at, sizeof(line) - at, "%s", range);
	/* cut already: the byte count of the blocks is not the width */
	printf("\033[%u;1H%s\033[K", row, line);
}

static void watch_draw(struct watch *w)
{
	struct vsensor_stats stats = { 0 };
	unsigned int ch, row = 1;
	char line[256];

	vsensor_session_get_stats(w->session, &stats);
	snprintf(line, sizeof(line), "%s  rate %" PRIu32 " Hz  channels 0x%" PRIx32,
		 w->device, w->config.rate_hz, w->config.channel_mask);
	watch_put_line(w, row++, line);
	snprintf(line, sizeof(line), "delivered %" PRIu64 "  dropped %" PRIu64
		 "  overruns %" PRIu64 "  queued %" PRIu64,
		 (uint64_t)stats.delivered, (uint64_t)stats.dropped,
		 (uint64_t)stats.overruns, (uint64_t)stats.queued);
	watch_put_line(w, row++, line);
	watch_put_line(w, row++, "");
	for (ch = 0; ch < VSENSOR_MAX_CHANNELS; ch++) {
		/* a row stays for the help line */
		if (!(w->config.channel_mask & (1U << ch)) || row >= w->rows)
			continue;
		watch_put_channel(w, row++, ch);
	}
	watch_put_line(w, row++, "");
	watch_put_line(w, row, "q: quit");
	fputs("\033[J", stdout);
	fflush(stdout);
}

/* Every record queued: into the history. 0, or -1 with errno. */
static int watch_read(struct watch *w)
{
	struct vsensor_record records[WATCH_BATCH];
	ssize_t n, i;

	for (;;) {
		n = vsensor_session_read(w->session, records, WATCH_BATCH);
		if (n < 0)
			return errno == EAGAIN ? 0 : -1;
		if (!n) {
			errno = ENODEV;
			return -1;
		}
		for (i = 0; i < n; i++) {
			for (unsigned int ch = 0; ch < VSENSOR_MAX_CHANNELS; ch++)
				w->history[ch][w->head] = records[i].value[ch];
			w->head = (w->head + 1) % WATCH_HISTORY;
			if (w->filled < WATCH_HISTORY)
				w->filled++;
		}
	}
}

/* q quits; stdin's end is no key: then only signals end it. */
static void watch_keys(struct watch *w, struct pollfd *pfd)
{
	char keys[32];
	ssize_t n = read(STDIN_FILENO, keys, sizeof(keys));

	if (n <= 0) {
		if (n == 0 || (errno != EAGAIN && errno != EINTR))
			pfd->fd = -1;
		return;
	}
	if (memchr(keys, 'q', (size_t)n) || memchr(keys, 'Q', (size_t)n))
		w->quit = true;
}

/*
 * Ctrl-Z: the terminal as it was, then stopped as SIGTSTP's default
 * action stops (the shell sees the job stopped by SIGTSTP); when it goes
 * on (SIGCONT: fg, bg), the view again. In an orphaned process group the
 * kernel ignores the stop and the view just comes back.
 */
static void watch_suspend(struct watch *w)
{
	sigset_t tstp;

	watch_terminal_restore(w);
	sigemptyset(&tstp);
	sigaddset(&tstp, SIGTSTP);
	kill(getpid(), SIGTSTP);		/* pending, as it is blocked */
	sigprocmask(SIG_UNBLOCK, &tstp, NULL);	/* delivered: stops here */
	sigprocmask(SIG_BLOCK, &tstp, NULL);
	watch_terminal_setup(w);
	watch_get_size(w);
	watch_draw(w);
}

static void watch_signal(struct watch *w)
{
	struct signalfd_siginfo si;

	while (read(w->signal_fd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGWINCH) {
			watch_get_size(w);
			fputs("\033[2J", stdout);
			watch_draw(w);
			continue;
		}
		if (si.ssi_signo == SIGTSTP) {
			watch_suspend(w);
			continue;
		}
		cli_stop_signal = (int)si.ssi_signo;
		w->quit = true;
	}
}

static void watch_timer(struct watch *w)
{
	uint64_t expirations;

	if (read(w->timer_fd, &expirations, sizeof(expirations)) > 0)
		watch_draw(w);
}

/* Until q or a signal: 0, or -1 with w->err set. */
static int watch_loop(struct watch *w)
{
	struct pollfd pfd[] = {
		{ .fd = vsensor_session_get_fd(w->session), .events = POLLIN },
		{ .fd = STDIN_FILENO, .events = POLLIN },
		{ .fd = w->signal_fd, .events = POLLIN },
		{ .fd = w->timer_fd, .events = POLLIN },
	};

	watch_draw(w);
	while (!w->quit) {
		if (poll(pfd, ARRAY_SIZE(pfd), -1) < 0) {
			if (errno == EINTR)
				continue;
			w->err = errno;
			return -1;
		}
		if (pfd[0].revents && watch_read(w)) {
			w->err = errno;
			return -1;
		}
		if (pfd[1].revents)
			watch_keys(w, &pfd[1]);
		if (pfd[2].revents)
			watch_signal(w);
		if (pfd[3].revents)
			watch_timer(w);
	}
	return 0;
}

/* Set up in order, undone in reverse; the terminal is restored first. */
static int watch_run(struct watch *w)
{
	int ret = EXIT_OK;

	if (watch_signals_open(w))
		return cli_error(EXIT_REFUSED, "signalfd: %m");
	if (watch_timer_open(w)) {
		ret = cli_error(EXIT_REFUSED, "timerfd: %m");
		goto err_signals;
	}
	cli_stop_signal = 0;
	watch_get_size(w);
	watch_terminal_setup(w);
	if (watch_loop(w)) {
		watch_terminal_restore(w);
		errno = w->err;
		ret = cli_error(EXIT_REFUSED, "%s: %m", w->device);
	} else {
		watch_terminal_restore(w);
	}
	close(w->timer_fd);
err_signals:
	watch_signals_close(w);
	return ret;
}

int cmd_watch(int argc, char **argv)
{
	struct watch *w;
	int ret;

	if (argc == 2 && !strcmp(argv[1], "help"))
		return usage();
	/* the history is 16 KiB: not for the stack */
	w = calloc(1, sizeof(*w));
	if (!w)
		return cli_error(EXIT_REFUSED, "%m");
	w->opts = (struct session_opts)SESSION_OPTS_INIT;
	ret = parse_args(argc, argv, w);
	if (ret)
		goto out;

	w->session = vsensor_session_open(w->device, VSENSOR_SESSION_NONBLOCK);
	if (!w->session) {
		ret = cli_open_error(errno, w->device);
		goto out;
	}
	ret = session_opts_apply(w->session, w->device, &w->opts, &w->config);
	if (!ret)
		ret = watch_run(w);
	vsensor_session_close(w->session);
out:
	free(w);
	return ret;
}
