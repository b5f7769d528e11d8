/*
 * vsensord: logging. Every line goes to the journal with structured
 * fields naming what it is about, and to stderr when the daemon does not
 * run under the journal (a test, a terminal).
 */
#ifndef VSENSORD_LOG_H
#define VSENSORD_LOG_H

#include <stdint.h>
#include <syslog.h>

/* What a message is about; unset members are left out. */
struct log_about {
	const char *device;	/* VSENSOR_DEVICE=vsensor3 */
	const char *serial;	/* VSENSOR_SERIAL= */
	uint64_t session;	/* VSENSOR_SESSION= when non-zero */
	int client_uid;		/* VSENSOR_CLIENT_UID= when >= 0 */
	int client_pid;		/* VSENSOR_CLIENT_PID= when > 0 */
};

#define LOG_ABOUT_NONE	((struct log_about){ .client_uid = -1 })

/* Also write to stderr (the default unless $JOURNAL_STREAM says journal). */
void log_setup(int max_priority);
void log_msg(int priority, const struct log_about *about, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define log_info(about, ...)	log_msg(LOG_INFO, about, __VA_ARGS__)
#define log_notice(about, ...)	log_msg(LOG_NOTICE, about, __VA_ARGS__)
#define log_warning(about, ...)	log_msg(LOG_WARNING, about, __VA_ARGS__)
#define log_err(about, ...)	log_msg(LOG_ERR, about, __VA_ARGS__)
#define log_debug(about, ...)	log_msg(LOG_DEBUG, about, __VA_ARGS__)

#endif /* VSENSORD_LOG_H */
