/*
 * vsensord: the one event loop. Every input (udev, netlink, clients,
 * device sessions, signals, timers) is a source of one epoll instance;
 * nothing blocks but epoll_wait(). Sources removed during a dispatch are
 * freed after it, so a callback may remove any source, its own included.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>

#include "loop.h"

#define LOOP_MAX_EVENTS	64

struct loop_source {
	struct loop *loop;
	int fd;
	loop_fd_fn fn;
	void *data;
	bool dead;
	struct loop_source *next_dead;
};

struct loop_timer {
	struct loop_source *src;
	int fd;
	loop_timer_fn fn;
	void *data;
};

struct loop {
	int epfd;
	int sigfd;
	sigset_t sigmask;
	sigset_t saved_mask;
	loop_signal_fn signal_fn;
	void *signal_data;
	struct loop_source *sig_src;
	struct loop_source *dead;	/* removed, freed after the dispatch */
	bool quit;
	int status;
};

uint64_t loop_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

uint64_t loop_realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int loop_on_signal(int fd, uint32_t events, void *data)
{
	struct loop *loop = data;
	struct signalfd_siginfo si;
	ssize_t n;

	(void)events;
	for (;;) {
		n = read(fd, &si, sizeof(si));
		if (n != (ssize_t)sizeof(si))
			return 0;
		if (loop->signal_fn) {
			int ret = loop->signal_fn((int)si.ssi_signo, loop->signal_data);

			if (ret)
				return ret;
		}
	}
}

struct loop *loop_new(const int *signals, loop_signal_fn fn, void *data)
{
	struct loop *loop = calloc(1, sizeof(*loop));

	if (!loop)
		return NULL;
	loop->sigfd = -1;
	loop->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (loop->epfd < 0)
		goto err_free;
	sigemptyset(&loop->sigmask);
	for (; signals && *signals; signals++)
		sigaddset(&loop->sigmask, *signals);
	if (sigprocmask(SIG_BLOCK, &loop->sigmask, &loop->saved_mask))
		goto err_close_epoll;
	loop->sigfd = signalfd(-1, &loop->sigmask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (loop->sigfd < 0)
		goto err_restore_mask;
	loop->signal_fn = fn;
	loop->signal_data = data;
	loop->sig_src = loop_add_fd(loop, loop->sigfd, EPOLLIN, loop_on_signal, loop);
	if (!loop->sig_src)
		goto err_close_sigfd;
	return loop;

err_close_sigfd:
	close(loop->sigfd);
err_restore_mask:
	sigprocmask(SIG_SETMASK, &loop->saved_mask, NULL);
err_close_epoll:
	close(loop->epfd);
err_free:
	free(loop);
	return NULL;
}

static void loop_reap(struct loop *loop)
{
	while (loop->dead) {
		struct loop_source *src = loop->dead;

		loop->dead = src->next_dead;
		free(src);
	}
}

void loop_free(struct loop *loop)
{
	if (!loop)
		return;
	loop_remove_fd(loop->sig_src);
	loop_reap(loop);
	close(loop->sigfd);
	sigprocmask(SIG_SETMASK, &loop->saved_mask, NULL);
	close(loop->epfd);
	free(loop);
}

struct loop_source *loop_add_fd(struct loop *loop, int fd, uint32_t events,
				loop_fd_fn fn, void *data)
{
	struct loop_source *src = calloc(1, sizeof(*src));
	struct epoll_event ev = { .events = events };

	if (!src)
		return NULL;
	src->loop = loop;
	src->fd = fd;
	src->fn = fn;
	src->data = data;
	ev.data.ptr = src;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ev)) {
		int err = errno;

		free(src);
		errno = err;
		return NULL;
	}
	return src;
}

int loop_set_events(struct loop_source *src, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = src };

	return epoll_ctl(src->loop->epfd, EPOLL_CTL_MOD, src->fd, &ev);
}

void loop_remove_fd(struct loop_source *src)
{
	if (!src || src->dead)
		return;
	/* The fd may already be closed (and so gone from the set). */
	epoll_ctl(src->loop->epfd, EPOLL_CTL_DEL, src->fd, NULL);
	src->dead = true;
	src->next_dead = src->loop->dead;
	src->loop->dead = src;
}

static int loop_on_timer(int fd, uint32_t events, void *data)
{
	struct loop_timer *timer = data;
	uint64_t expirations;

	(void)events;
	if (read(fd, &expirations, sizeof(expirations)) != sizeof(expirations))
		return 0;
	return timer->fn(timer->data);
}

struct loop_timer *loop_add_timer(struct loop *loop, loop_timer_fn fn,
				  void *data)
{
	struct loop_timer *timer = calloc(1, sizeof(*timer));

	if (!timer)
		return NULL;
	timer->fn = fn;
	timer->data = data;
	timer->fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (timer->fd < 0)
		goto err_free;
	timer->src = loop_add_fd(loop, timer->fd, EPOLLIN, loop_on_timer, timer);
	if (!timer->src)
		goto err_close;
	return timer;

err_close:
	close(timer->fd);
err_free:
	free(timer);
	return NULL;
}

int loop_timer_arm(struct loop_timer *timer, uint64_t usec, bool periodic)
{
	struct itimerspec its;

	memset(&its, 0, sizeof(its));
	its.it_value.tv_sec = (time_t)(usec / 1000000);
	its.it_value.tv_nsec = (long)(usec % 1000000) * 1000;
	if (periodic)
		its.it_interval = its.it_value;
	return timerfd_settime(timer->fd, 0, &its, NULL);
}

void loop_remove_timer(struct loop_timer *timer)
{
	if (!timer)
		return;
	loop_remove_fd(timer->src);
	close(timer->fd);
	free(timer);
}

void loop_quit(struct loop *loop, int status)
{
	loop->quit = true;
	loop->status = status;
}

int loop_run(struct loop *loop)
{
	struct epoll_event events[LOOP_MAX_EVENTS];
	int i, n;

	while (!loop->quit) {
		n = epoll_wait(loop->epfd, events, LOOP_MAX_EVENTS, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (i = 0; i < n && !loop->quit; i++) {
			struct loop_source *src = events[i].data.ptr;
			int ret;

			if (src->dead)
				continue;
			ret = src->fn(src->fd, events[i].events, src->data);
			if (ret)
				loop_quit(loop, ret);
		}
		loop_reap(loop);
	}
	return loop->status;
}
