/*
 * vsensord: logging to the journal with fields (sd_journal_send) and, when
 * not under the journal, to stderr as "vsensord: message [key=value ...]".
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <systemd/sd-journal.h>

#include "log.h"

#define LOG_LINE_MAX	1024

static int log_max_priority = LOG_INFO;
static bool log_stderr = true;

/* stderr is the journal's stream when $JOURNAL_STREAM names its inode. */
static bool stderr_is_journal(void)
{
	const char *stream = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (!stream || sscanf(stream, "%llu:%llu", &dev, &ino) != 2)
		return false;
	if (fstat(STDERR_FILENO, &st))
		return false;
	return st.st_dev == dev && st.st_ino == ino;
}

void log_setup(int max_priority)
{
	log_max_priority = max_priority;
	log_stderr = !stderr_is_journal();
}

/* One "KEY=value" journal field into @buf, appended to @iov. */
static void add_field(struct iovec *iov, int *n, char *buf, size_t len,
		      const char *key, const char *value)
{
	int w = snprintf(buf, len, "%s=%s", key, value);

	iov[*n].iov_base = buf;
	iov[*n].iov_len = w < 0 ? 0 : (size_t)w < len ? (size_t)w : len - 1;
	(*n)++;
}

void log_msg(int priority, const struct log_about *about, const char *fmt, ...)
{
	char msg[LOG_LINE_MAX], num[3][32], fields[8][LOG_LINE_MAX + 16];
	const struct log_about none = LOG_ABOUT_NONE;
	struct iovec iov[8];
	char prio[2] = { (char)('0' + (priority & 7)), 0 };
	int n = 0;
	va_list ap;

	if (priority > log_max_priority)
		return;
	if (!about)
		about = &none;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	add_field(iov, &n, fields[n], sizeof(fields[0]), "MESSAGE", msg);
	add_field(iov, &n, fields[n], sizeof(fields[0]), "PRIORITY", prio);
	add_field(iov, &n, fields[n], sizeof(fields[0]), "SYSLOG_IDENTIFIER", "vsensord");
	if (about->device)
		add_field(iov, &n, fields[n], sizeof(fields[0]), "VSENSOR_DEVICE",
			  about->device);
	if (about->serial)
		add_field(iov, &n, fields[n], sizeof(fields[0]), "VSENSOR_SERIAL",
			  about->serial);
	if (about->session) {
		snprintf(num[0], sizeof(num[0]), "%llu",
			 (unsigned long long)about->session);
		add_field(iov, &n, fields[n], sizeof(fields[0]), "VSENSOR_SESSION", num[0]);
	}
	if (about->client_uid >= 0) {
		snprintf(num[1], sizeof(num[1]), "%d", about->client_uid);
		add_field(iov, &n, fields[n], sizeof(fields[0]), "VSENSOR_CLIENT_UID", num[1]);
	}
	if (about->client_pid > 0) {
		snprintf(num[2], sizeof(num[2]), "%d", about->client_pid);
		add_field(iov, &n, fields[n], sizeof(fields[0]), "VSENSOR_CLIENT_PID", num[2]);
	}
	sd_journal_sendv(iov, n);
	if (!log_stderr)
		return;
	/* "vsensord: message VSENSOR_DEVICE=... " without the fixed fields */
	fprintf(stderr, "vsensord: %s", msg);
	for (int i = 3; i < n; i++)
		fprintf(stderr, " %.*s", (int)iov[i].iov_len, (char *)iov[i].iov_base);
	fputc('\n', stderr);
}
