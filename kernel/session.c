// SPDX-License-Identifier: GPL-2.0
/*
 * Sessions: every open() of /dev/vsensorN is a client with its own queue
 * and configuration, like an evdev client. Per-open code first, then the
 * file_operations table, then hangup and revoke. The data path's end of
 * the session (delivery into its ring, waking its readers) is deliver.c.
 */
#include <linux/fs.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "vsensor.h"
#include "trace.h"

#define VSENSOR_BUSY_POLL_NS	(100 * NSEC_PER_MSEC)	/* then sleep */

/* session ids: global, only grow */
static atomic64_t vsensor_session_last_id = ATOMIC64_INIT(0);

/* Neither the device removed nor this session revoked. */
static bool vsensor_session_online(const struct vsensor_session *s)
{
	return READ_ONCE(s->vdev->online) && !READ_ONCE(s->revoked);
}

/*
 * Records queued, read without the lock: head is published with a
 * release by the producer, tail moves by the reader's cmpxchg or a flush.
 */
static u32 vsensor_session_count(struct vsensor_session *s)
{
	/* acquire: pairs with the release in vsensor_ring_push() */
	return smp_load_acquire(&s->ring.head) - READ_ONCE(s->ring.tail);
}

/* A reader wanting @want records wakes at the watermark or at @want. */
static bool vsensor_session_ready(struct vsensor_session *s, u32 want)
{
	u32 need = min(READ_ONCE(s->config.watermark), want);

	return vsensor_session_count(s) >= need || !vsensor_session_online(s);
}

static void vsensor_session_default_config(struct vsensor_session *s)
{
	const struct vsensor_info *info = &s->vdev->info;
	struct vsensor_config *cfg = &s->config;

	memset(cfg, 0, sizeof(*cfg));
	cfg->rate_hz = min_t(u32, VSENSOR_DEF_RATE, info->rate_max_hz);
	cfg->channel_mask = GENMASK(info->nr_channels - 1, 0);
	cfg->watermark = 1;
	cfg->ring_size = VSENSOR_RING_DEFAULT;
	cfg->clock_id = VSENSOR_CLOCK_MONOTONIC;
}

/*
 * open() runs under the misc core's global lock (every misc device's
 * open waits for it): it only allocates the session and attaches it.
 * The ring, the runtime resume and the queue's start, which may wait for
 * a DMA transfer, come with the first read(), write(), poll() or ioctl()
 * (vsensor_session_start()).
 */
static struct vsensor_session *vsensor_session_alloc(struct vsensor_dev *vdev)
{
	struct vsensor_session *s;

	/* charged to the opener's memory cgroup, like the rings */
	s = vsensor_fault_alloc(kzalloc(sizeof(*s), GFP_KERNEL_ACCOUNT));
	if (!s)
		return NULL;
	s->vdev = vdev;
	s->id = atomic64_inc_return(&vsensor_session_last_id);
	s->pid = task_tgid_nr(current);
	get_task_comm(s->comm, current);
	spin_lock_init(&s->lock);
	seqcount_spinlock_init(&s->config_seq, &s->lock);
	mutex_init(&s->mutex);
	init_waitqueue_head(&s->wait);
	INIT_LIST_HEAD(&s->node);
	INIT_LIST_HEAD(&s->dev_node);
	s->wake_want = U32_MAX;
	vsensor_session_default_config(s);
	return s;
}

static void vsensor_session_free(struct vsensor_session *s)
{
	kvfree(s->ring.buf);
	kfree(s);
}

static int vsensor_session_open(struct inode *inode, struct file *file)
{
	struct miscdevice *misc = file->private_data;
	struct vsensor_dev *vdev = container_of(misc, struct vsensor_dev, misc);
	struct vsensor_session *s;
	int err;

	s = vsensor_session_alloc(vdev);
	if (!s)
		return -ENOMEM;
	/* from here on netlink lists it (and may revoke it) */
	err = vsensor_dev_attach(vdev, s);
	if (err) {
		vsensor_session_free(s);
		return err;
	}
	file->private_data = s;
	stream_open(inode, file);
	trace_vsensor_session_open(vdev->info.id, s->id, s->pid);
	vsensor_notify_session(s, VSENSOR_CMD_SESSION_OPENED);
	return 0;
}

/*
 * Start streaming, once: allocate the ring, then the device resumes and
 * the session joins its queue, from where records reach it. Called by
 * every file operation that needs a running session; a start that failed
 * (-ENOMEM, -ENODEV) is tried again by the next one. Returns 0 or -errno.
 */
static int vsensor_session_start(struct vsensor_session *s)
{
	struct vsensor_record *buf;
	int err = 0;

	/* acquire: pairs with the release below, the ring is set up */
	if (smp_load_acquire(&s->started))
		return 0;
	if (mutex_lock_interruptible(&s->mutex))
		return -ERESTARTSYS;
	if (s->started)
		goto out_unlock;
	if (!vsensor_session_online(s)) {
		err = -ENODEV;
		goto out_unlock;
	}
	buf = vsensor_fault_alloc(kvcalloc(s->config.ring_size, sizeof(*buf),
					   GFP_KERNEL_ACCOUNT));
	if (!buf) {
		err = -ENOMEM;
		goto out_unlock;
	}
	spin_lock_irq(&s->lock);
	vsensor_ring_init(&s->ring, buf, s->config.ring_size);
	spin_unlock_irq(&s->lock);
	err = vsensor_dev_start(s->vdev, s);
	if (err) {
		spin_lock_irq(&s->lock);
		memset(&s->ring, 0, sizeof(s->ring));
		spin_unlock_irq(&s->lock);
		kvfree(buf);
		goto out_unlock;
	}
	/* release: the ring is set up before anyone sees it started */
	smp_store_release(&s->started, true);
out_unlock:
	mutex_unlock(&s->mutex);
	return err;
}

static int vsensor_session_release(struct inode *inode, struct file *file)
{
	struct vsensor_session *s = file->private_data;
	struct vsensor_dev *vdev = s->vdev;

	/* unlink first (and stop, unless a revoke did): then nothing reaches @s */
	vsensor_dev_detach(vdev, s);
	trace_vsensor_session_close(vdev->info.id, s->id);
	vsensor_notify_session(s, VSENSOR_CMD_SESSION_CLOSED);
	vsensor_session_free(s);
	vsensor_dev_put(vdev);
	return 0;
}

/*
 * Copy up to @max queued records straight from the ring to @ubuf, then
 * release them to the producer: no lock, no bounce buffer. Safe because
 * the ring has one producer and one consumer:
 * - the producer only fills slots at head and publishes head with a
 *   release, so the slots between tail and head are complete and stay
 *   untouched until tail moves past them;
 * - the reader (serialised by s->mutex) moves tail with one cmpxchg; the
 *   only other mover is a revoke, which empties the ring under s->lock
 *   (the cmpxchg then fails: these records reached the user first);
 * - the buffer is replaced and flushed otherwise only under s->mutex,
 *   which the caller holds for the copy only, never while it sleeps.
 * A fault consumes nothing. Returns the records copied or -EFAULT.
 */
static long vsensor_session_copy_out(struct vsensor_session *s,
				     char __user *ubuf, u32 max)
{
	const size_t rsz = sizeof(struct vsensor_record);
	struct vsensor_ring_spans sp;
	u32 n;

	lockdep_assert_held(&s->mutex);
	n = vsensor_ring_spans(&s->ring, max, &sp);
	if (!n)
		return 0;
	if (copy_to_user(ubuf, sp.rec[0], sp.len[0] * rsz))
		return -EFAULT;
	if (sp.len[1] &&
	    copy_to_user(ubuf + sp.len[0] * rsz, sp.rec[1], sp.len[1] * rsz))
		return -EFAULT;
	vsensor_ring_release(&s->ring, sp.tail, n);
	/* one writer (the mutex holder); readers load it whole */
	WRITE_ONCE(s->delivered, s->delivered + n);
	return n;
}

/*
 * Busy polling: drain the session's queue from this thread, without
 * interrupts or wake-ups, until the read can progress or the poll budget
 * is spent (then it sleeps like any reader).
 */
static int vsensor_session_busy_poll(struct vsensor_session *s, u32 want)
{
	u64 end = ktime_get_ns() + VSENSOR_BUSY_POLL_NS;
	int err = 0;

	/* a revoke may have stopped the session: then there is no queue */
	if (!vsensor_dev_pm_get_if_active(s->vdev))
		return 0;
	vsensor_queue_busy_poll_begin(s->queue);
	while (!vsensor_session_ready(s, want)) {
		if (vsensor_queue_poll(s->queue))
			break;		/* gone: the wait reports it */
		if (signal_pending(current)) {
			err = -ERESTARTSYS;
			break;
		}
		if (ktime_get_ns() > end)
			break;
		cond_resched();
	}
	vsensor_queue_busy_poll_end(s->queue);
	vsensor_dev_pm_put(s->vdev);
	return err;
}

/*
 * A reader sleeps for @want records: vsensor_session_notify() wakes it at
 * min(watermark, want). With several sleeping at once the smallest want
 * holds until the last one leaves (a wake-up too many, never one missed).
 */
static void vsensor_session_sleep_begin(struct vsensor_session *s, u32 want)
{
	spin_lock_irq(&s->lock);
	s->nr_sleepers++;
	s->wake_want = min(s->wake_want, want);
	spin_unlock_irq(&s->lock);
}

static void vsensor_session_sleep_end(struct vsensor_session *s)
{
	spin_lock_irq(&s->lock);
	if (!--s->nr_sleepers)
		s->wake_want = U32_MAX;
	spin_unlock_irq(&s->lock);
}

/*
 * Wait until a read of @want records can make progress. No lock is held:
 * SET_CONFIG, FLUSH and other readers of the same file go on meanwhile.
 */
static int vsensor_session_wait(struct vsensor_session *s, struct file *file,
				u32 want)
{
	int err;

	if (!vsensor_session_online(s))
		return -ENODEV;
	if (file->f_flags & O_NONBLOCK)
		return -EAGAIN;
	if (READ_ONCE(s->config.flags) & VSENSOR_CONFIG_F_BUSY_POLL) {
		err = vsensor_session_busy_poll(s, want);
		if (err)
			return err;
	}
	vsensor_session_sleep_begin(s, want);
	err = wait_event_interruptible(s->wait,
				       vsensor_session_ready(s, want));
	vsensor_session_sleep_end(s);
	return err;
}

static ssize_t vsensor_session_read(struct file *file, char __user *buf,
				    size_t count, loff_t *ppos)
{
	struct vsensor_session *s = file->private_data;
	size_t want = count / sizeof(struct vsensor_record);
	u32 want32 = min_t(size_t, want, U32_MAX);
	size_t done = 0;
	long n, err = 0;

	/* like evdev: a zero-length read only reports errors */
	if (!count)
		return vsensor_session_online(s) ? 0 : -ENODEV;
	if (!want)
		return -EINVAL;
	err = vsensor_session_start(s);
	if (err)
		return err;
	while (done < want) {
		/* a blocking read waits for min(watermark, want) records */
		if (!done && !(file->f_flags & O_NONBLOCK) &&
		    !vsensor_session_ready(s, want32)) {
			err = vsensor_session_wait(s, file, want32);
			if (err)
				break;
		}
		/* the mutex for the copy only: never held asleep */
		if (mutex_lock_interruptible(&s->mutex)) {
			err = -ERESTARTSYS;
			break;
		}
		n = vsensor_session_copy_out(s, buf + done * sizeof(struct vsensor_record),
					     min_t(size_t, want - done, U32_MAX));
		mutex_unlock(&s->mutex);
		if (n < 0) {
			err = n;
			break;
		}
		if (!n) {
			if (done)
				break;
			err = vsensor_session_wait(s, file, want32);
			if (err)
				break;
			continue;
		}
		done += n;
	}
	return done ? done * sizeof(struct vsensor_record) : err;
}

/* A stimulus record: only value[] is meaningful, everything else zero. */
static int vsensor_session_check_stimulus(struct vsensor_session *s,
					  const struct vsensor_record *rec)
{
	u32 ch;

	if (rec->seq || rec->timestamp_ns || rec->flags || rec->channel_mask ||
	    rec->dropped || rec->reserved)
		return -EINVAL;
	for (ch = s->vdev->info.nr_channels; ch < VSENSOR_MAX_CHANNELS; ch++)
		if (rec->value[ch])
			return -EINVAL;
	return 0;
}

static int vsensor_session_tx_one(struct vsensor_session *s,
				  struct file *file,
				  const struct vsensor_record *rec)
{
	struct vsensor_dev *vdev = s->vdev;
	int err;

	for (;;) {
		/* revoked or removed: no more stimulus, whatever the FIFO says */
		if (!vsensor_session_online(s))
			return -ENODEV;
		err = vsensor_dev_tx(vdev, rec->value);
		if (err != -EAGAIN || (file->f_flags & O_NONBLOCK))
			return err;
		err = wait_event_interruptible(vdev->tx_wait,
					       READ_ONCE(vdev->tx_room) ||
					       !vsensor_session_online(s));
		if (err)
			return err;
	}
}

/*
 * write(): whole records of stimulus, which the sensor then measures in
 * place of its waveform (the loopback path through the transmit FIFO). A
 * revoke or the device's removal ends it with -ENODEV at once, even after
 * some records went in (they count in GET_STATS' written until then).
 */
static ssize_t vsensor_session_write(struct file *file,
				     const char __user *buf, size_t count,
				     loff_t *ppos)
{
	struct vsensor_session *s = file->private_data;
	size_t want = count / sizeof(struct vsensor_record);
	struct vsensor_record rec;
	size_t done;
	int err = 0;

	if (!vsensor_session_online(s))
		return -ENODEV;
	if (!count)
		return 0;
	if (!want)
		return -EINVAL;
	err = vsensor_session_start(s);
	if (err)
		return err;
	for (done = 0; done < want; done++) {
		if (copy_from_user(&rec, buf + done * sizeof(rec),
				   sizeof(rec))) {
			err = -EFAULT;
			break;
		}
		err = vsensor_session_check_stimulus(s, &rec) ?:
		      vsensor_session_tx_one(s, file, &rec);
		if (err)
			break;
	}
	spin_lock_irq(&s->lock);
	s->written += done;
	spin_unlock_irq(&s->lock);
	if (err == -ENODEV)
		return err;
	return done ? done * sizeof(rec) : err;
}

static __poll_t vsensor_session_poll(struct file *file, poll_table *wait)
{
	struct vsensor_session *s = file->private_data;
	__poll_t mask = 0;
	u32 count;
	int err;

	poll_wait(file, &s->wait, wait);
	err = vsensor_session_start(s);
	if (err == -ERESTARTSYS)
		return 0;	/* the signal ends this poll() */
	if (err)
		return EPOLLERR | (vsensor_session_online(s) ? 0 : EPOLLHUP);
	/* a reader's poll waits on one queue, as an evdev client's does */
	if (poll_requested_events(wait) & (EPOLLOUT | EPOLLWRNORM))
		poll_wait(file, &s->vdev->tx_wait, wait);
	if (!vsensor_session_online(s))
		mask |= EPOLLHUP | EPOLLERR;
	count = vsensor_session_count(s);
	if (count && (count >= READ_ONCE(s->config.watermark) ||
		      !vsensor_session_online(s)))
		mask |= EPOLLIN | EPOLLRDNORM;
	/* a register read (a bus round trip): only for a caller who asks */
	if ((poll_requested_events(wait) & (EPOLLOUT | EPOLLWRNORM)) &&
	    vsensor_dev_tx_room(s->vdev))
		mask |= EPOLLOUT | EPOLLWRNORM;
	return mask;
}

static int vsensor_session_fasync(int fd, struct file *file, int on)
{
	struct vsensor_session *s = file->private_data;
	int err;

	/* SIGIO is for records: a session that asks for it streams */
	err = on ? vsensor_session_start(s) : 0;
	return err ?: fasync_helper(fd, file, on, &s->fasync);
}

/*
 * Copy a kernel struct of @ksize to a user struct of @usize: a shorter
 * user struct (older program) gets the prefix, a longer one a zero tail.
 */
static long vsensor_copy_struct_to_user(void __user *dst, size_t usize,
					const void *src, size_t ksize)
{
	if (copy_to_user(dst, src, min(usize, ksize)))
		return -EFAULT;
	if (usize > ksize && clear_user(dst + ksize, usize - ksize))
		return -EFAULT;
	return 0;
}

static long vsensor_ioctl_get_info(struct vsensor_session *s,
				   void __user *arg, size_t usize)
{
	return vsensor_copy_struct_to_user(arg, usize, &s->vdev->info,
					   sizeof(s->vdev->info));
}

/*
 * Any context but the writer's; the caller's buffer is filled whole, with
 * one configuration: a snapshot that raced a SET_CONFIG is taken again.
 * No lock: a GET_CONFIG neither disables interrupts nor waits for a reader.
 */
void vsensor_session_get_config(struct vsensor_session *s,
				struct vsensor_config *cfg)
{
	unsigned int seq;

	do {
		seq = read_seqcount_begin(&s->config_seq);
		*cfg = s->config;
	} while (read_seqcount_retry(&s->config_seq, seq));
}

static long vsensor_ioctl_get_config(struct vsensor_session *s,
				     void __user *arg, size_t usize)
{
	struct vsensor_config cfg;

	vsensor_session_get_config(s, &cfg);
	return vsensor_copy_struct_to_user(arg, usize, &cfg, sizeof(cfg));
}

/*
 * Switch to @eff atomically: the interrupt path sees the old or the new
 * configuration, never a mix. Queued records are flushed (their sequence
 * numbers given back) and the next record carries VSENSOR_RECORD_F_CONFIG.
 */
static void __vsensor_session_apply(struct vsensor_session *s,
				    const struct vsensor_config *eff,
				    struct vsensor_record **newbuf)
{
	struct vsensor_record *old = s->ring.buf;

	lockdep_assert_held(&s->mutex);
	spin_lock_irq(&s->lock);
	write_seqcount_begin(&s->config_seq);
	s->config = *eff;
	write_seqcount_end(&s->config_seq);
	vsensor_decim_reset(&s->decim);
	if (*newbuf)
		vsensor_ring_replace(&s->ring, *newbuf, eff->ring_size);
	else
		vsensor_ring_flush(&s->ring);
	vsensor_ring_mark(&s->ring, VSENSOR_RECORD_F_CONFIG);
	spin_unlock_irq(&s->lock);
	*newbuf = *newbuf ? old : NULL;	/* hand the old buffer back to free */
}

static long vsensor_ioctl_set_config(struct vsensor_session *s,
				     void __user *arg, size_t usize)
{
	struct vsensor_record *buf = NULL;
	struct vsensor_config req, eff, cur;
	bool changed;
	long err;

	err = copy_struct_from_user(&req, sizeof(req), arg, usize);
	if (err)
		return err;
	err = vsensor_config_check(&req, &s->vdev->limits, &eff);
	if (err)
		return err;

	/*
	 * The configuration in force already: nothing to apply, and no need
	 * to wait for the mutex (a reader may hold it while it streams).
	 */
	vsensor_session_get_config(s, &cur);
	if (vsensor_config_equal(&eff, &cur))
		goto out;

	/* a reader never sleeps holding it: a wait here is a short copy */
	if (mutex_lock_interruptible(&s->mutex))
		return -ERESTARTSYS;
	changed = !vsensor_config_equal(&eff, &s->config);
	if (changed) {
		if (eff.ring_size != s->config.ring_size) {
			buf = vsensor_fault_alloc(kvcalloc(eff.ring_size,
							   sizeof(*buf),
							   GFP_KERNEL_ACCOUNT));
			if (!buf) {
				mutex_unlock(&s->mutex);
				return -ENOMEM;
			}
		}
		__vsensor_session_apply(s, &eff, &buf);
	}
	mutex_unlock(&s->mutex);
	kvfree(buf);
	/* the same configuration again moves nothing: no register access */
	if (changed) {
		/* a sleeping reader looks at the new watermark */
		wake_up_interruptible(&s->wait);
		vsensor_dev_update_rate(s->vdev);
	}
out:
	/*
	 * The caller's struct already reads as the effective one when the
	 * ring size needed no rounding (its tail beyond ours was checked
	 * zero): writing the same bytes back would only cost a user copy.
	 */
	if (req.ring_size == eff.ring_size)
		return 0;
	return vsensor_copy_struct_to_user(arg, usize, &eff, sizeof(eff));
}

/* Any context; @st is zeroed first (it goes to userspace). */
void vsensor_session_get_stats(struct vsensor_session *s,
			       struct vsensor_stats *st)
{
	unsigned long flags;

	memset(st, 0, sizeof(*st));
	spin_lock_irqsave(&s->lock, flags);
	st->delivered = READ_ONCE(s->delivered);
	st->dropped = s->ring.dropped;
	st->overruns = s->ring.overruns;
	st->wakeups = s->wakeups;
	st->queued = vsensor_ring_count(&s->ring);
	st->written = s->written;
	spin_unlock_irqrestore(&s->lock, flags);
}

static long vsensor_ioctl_get_stats(struct vsensor_session *s,
				    void __user *arg, size_t usize)
{
	struct vsensor_stats st;

	vsensor_session_get_stats(s, &st);
	return vsensor_copy_struct_to_user(arg, usize, &st, sizeof(st));
}

static long vsensor_ioctl_flush(struct vsensor_session *s)
{
	if (mutex_lock_interruptible(&s->mutex))
		return -ERESTARTSYS;
	spin_lock_irq(&s->lock);
	vsensor_ring_flush(&s->ring);
	spin_unlock_irq(&s->lock);
	mutex_unlock(&s->mutex);
	return 0;
}

/*
 * The published sizes, the same for 32- and 64-bit callers (no pointer, no
 * long, naturally aligned 64-bit fields): compat_ptr_ioctl() needs no
 * translation, and a change of size is a change of the ABI.
 */
static_assert(sizeof(struct vsensor_record) == 64);
static_assert(sizeof(struct vsensor_info) == 112);
static_assert(sizeof(struct vsensor_config) == 64);
static_assert(sizeof(struct vsensor_stats) == 128);
static_assert(offsetofend(struct vsensor_config, flags) == 24);

/* Records read before come back from @seq on (vsensor_ring_rewind()). */
static long vsensor_ioctl_rewind(struct vsensor_session *s,
				 void __user *arg, size_t usize)
{
	u64 seq;
	u32 count;
	int err;

	if (copy_from_user(&seq, arg, sizeof(seq)))
		return -EFAULT;
	/* the mutex keeps the reader out, the spinlock the producer */
	if (mutex_lock_interruptible(&s->mutex))
		return -ERESTARTSYS;
	spin_lock_irq(&s->lock);
	err = s->revoked ? -ENODEV : vsensor_ring_rewind(&s->ring, seq);
	count = vsensor_ring_count(&s->ring);
	spin_unlock_irq(&s->lock);
	mutex_unlock(&s->mutex);
	/* another thread of this file may sleep on records there are now */
	if (!err && count)
		wake_up_interruptible_poll(&s->wait, EPOLLIN | EPOLLRDNORM);
	return err;
}

/*
 * The ioctl table. Structs are extensible: the size comes from the ioctl
 * number and must be at least the first published size (@min_size); an
 * argument that is no struct (none, a number) has exactly its size
 * (@exact); the direction bits must match exactly.
 */
struct vsensor_ioctl {
	unsigned int cmd;
	size_t min_size;
	bool exact;
	long (*fn)(struct vsensor_session *s, void __user *arg, size_t usize);
};

static long vsensor_ioctl_flush_cmd(struct vsensor_session *s,
				    void __user *arg, size_t usize)
{
	return vsensor_ioctl_flush(s);
}

static const struct vsensor_ioctl vsensor_ioctls[] = {
	{ VSENSOR_IOC_GET_INFO, sizeof(struct vsensor_info), false,
	  vsensor_ioctl_get_info },
	{ VSENSOR_IOC_GET_CONFIG, sizeof(struct vsensor_config), false,
	  vsensor_ioctl_get_config },
	{ VSENSOR_IOC_SET_CONFIG, offsetofend(struct vsensor_config, flags),
	  false, vsensor_ioctl_set_config },
	{ VSENSOR_IOC_GET_STATS, sizeof(struct vsensor_stats), false,
	  vsensor_ioctl_get_stats },
	{ VSENSOR_IOC_FLUSH, 0, true, vsensor_ioctl_flush_cmd },
	{ VSENSOR_IOC_REWIND, sizeof(u64), true, vsensor_ioctl_rewind },
};

static const struct vsensor_ioctl *vsensor_ioctl_find(unsigned int cmd)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(vsensor_ioctls); i++) {
		unsigned int known = vsensor_ioctls[i].cmd;

		if (_IOC_TYPE(cmd) == _IOC_TYPE(known) &&
		    _IOC_NR(cmd) == _IOC_NR(known) &&
		    _IOC_DIR(cmd) == _IOC_DIR(known))
			return &vsensor_ioctls[i];
	}
	return NULL;
}

static long vsensor_session_ioctl(struct file *file, unsigned int cmd,
				  unsigned long arg)
{
	struct vsensor_session *s = file->private_data;
	const struct vsensor_ioctl *ioc = vsensor_ioctl_find(cmd);
	size_t usize = _IOC_SIZE(cmd);
	long err;

	if (!vsensor_session_online(s))
		return -ENODEV;
	if (!ioc)
		return -ENOTTY;
	if (usize < ioc->min_size || (ioc->exact && usize != ioc->min_size))
		return -EINVAL;
	err = vsensor_session_start(s);
	return err ?: ioc->fn(s, (void __user *)arg, usize);
}

const struct file_operations vsensor_session_fops = {
	.owner = THIS_MODULE,
	.open = vsensor_session_open,
	.release = vsensor_session_release,
	.read = vsensor_session_read,
	.write = vsensor_session_write,
	.poll = vsensor_session_poll,
	.fasync = vsensor_session_fasync,
	.unlocked_ioctl = vsensor_session_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = no_llseek,
};

/* The device is gone: wake every waiter and tell async readers. */
void vsensor_session_hangup(struct vsensor_session *s)
{
	wake_up_interruptible_poll(&s->wait, EPOLLHUP | EPOLLERR);
	kill_fasync(&s->fasync, SIGIO, POLL_HUP);
}

/*
 * Cut this session off, like EVIOCREVOKE: queued records are discarded,
 * read/write/ioctl return -ENODEV and poll EPOLLHUP | EPOLLERR from now on;
 * a blocked reader or writer wakes and returns -ENODEV. Called with the
 * device lock held (interrupts off); the device takes it off its queue.
 */
static void __vsensor_session_revoke(struct vsensor_session *s)
{
	lockdep_assert_held(&s->vdev->lock);
	spin_lock(&s->lock);
	WRITE_ONCE(s->revoked, true);
	vsensor_ring_flush(&s->ring);
	spin_unlock(&s->lock);
	wake_up_interruptible_poll(&s->wait, EPOLLHUP | EPOLLERR);
	wake_up_interruptible_poll(&s->vdev->tx_wait, EPOLLHUP | EPOLLERR);
}

/*
 * Revoke session @session_id (SESSION_REVOKE): cut it off and take it off
 * its queue, so that its rate and watermark no longer count and it no
 * longer keeps the queue running and the device resumed. It stays in the
 * device's list (netlink, sessions_open) until it is closed. The stop runs
 * after the lock, on the queue alone: the session may be closed by then.
 * Returns true if the session is one of @vdev's.
 */
bool vsensor_session_revoke_id(struct vsensor_dev *vdev, u64 session_id)
{
	struct vsensor_queue *q = NULL;
	struct vsensor_session *s;
	bool found = false;

	spin_lock_irq(&vdev->lock);
	list_for_each_entry(s, &vdev->sessions, dev_node) {
		if (s->id != session_id)
			continue;
		found = true;
		__vsensor_session_revoke(s);
		if (!list_empty(&s->node)) {
			list_del_init(&s->node);
			q = s->queue;
		}
		vsensor_dev_bump_generation();
		break;
	}
	spin_unlock_irq(&vdev->lock);
	if (q) {
		vsensor_dev_update_rate(vdev);
		vsensor_dev_stop(vdev, q);
	}
	return found;
}
