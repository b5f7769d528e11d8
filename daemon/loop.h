/*
 * vsensord: the one event loop (epoll), its file descriptor sources, the
 * signals it takes through one signalfd and its timers (timerfd).
 */
#ifndef VSENSORD_LOOP_H
#define VSENSORD_LOOP_H

#include <stdbool.h>
#include <stdint.h>

struct loop;
/* A file descriptor the loop watches; the fd stays its owner's. */
struct loop_source;
/* A one-shot or periodic timer on CLOCK_MONOTONIC. */
struct loop_timer;

/* A non-zero return from a callback ends the loop with that status. */
typedef int (*loop_fd_fn)(int fd, uint32_t events, void *data);
typedef int (*loop_signal_fn)(int signo, void *data);
typedef int (*loop_timer_fn)(void *data);

/* @signals: 0-terminated; they are blocked and read from a signalfd. */
struct loop *loop_new(const int *signals, loop_signal_fn fn, void *data);
void loop_free(struct loop *loop);

/* Watch @fd for @events (EPOLLIN, ...); NULL with errno on failure. */
struct loop_source *loop_add_fd(struct loop *loop, int fd, uint32_t events,
				loop_fd_fn fn, void *data);
int loop_set_events(struct loop_source *src, uint32_t events);
/* Stop watching; safe from any callback, the source's own included. */
void loop_remove_fd(struct loop_source *src);

struct loop_timer *loop_add_timer(struct loop *loop, loop_timer_fn fn,
				  void *data);
/* Fire in @usec, then every @usec when @periodic; 0 disarms. */
int loop_timer_arm(struct loop_timer *timer, uint64_t usec, bool periodic);
void loop_remove_timer(struct loop_timer *timer);

/* Run until a callback returns non-zero or loop_quit(); the status. */
int loop_run(struct loop *loop);
void loop_quit(struct loop *loop, int status);

/* CLOCK_MONOTONIC and CLOCK_REALTIME in nanoseconds. */
uint64_t loop_now_ns(void);
uint64_t loop_realtime_ns(void);

#endif /* VSENSORD_LOOP_H */
