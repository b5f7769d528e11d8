// SPDX-License-Identifier: GPL-2.0
/*
 * Sessions: every open() of /dev/vsensorN is a client with its own queue
 * and configuration, like an evdev client. Per-open code first, then the
 * file_operations table, then what the device calls into.
 */
#include <linux/fs.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "vsensor.h"

#define VSENSOR_BOUNCE_RECORDS	32

static bool vsensor_session_online(const struct vsensor_session *s)
{
	return READ_ONCE(s->vdev->online);
}

static u32 vsensor_session_count(struct vsensor_session *s)
{
	u32 n;

	spin_lock_irq(&s->lock);
	n = vsensor_ring_count(&s->ring);
	spin_unlock_irq(&s->lock);
	return n;
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
	cfg->rate_hz = s->vdev->rate;
	cfg->channel_mask = GENMASK(info->nr_channels - 1, 0);
	cfg->watermark = 1;
	cfg->ring_size = VSENSOR_RING_DEFAULT;
	cfg->clock_id = VSENSOR_CLOCK_MONOTONIC;
}

static struct vsensor_session *vsensor_session_alloc(struct vsensor_dev *vdev)
{
	struct vsensor_record *buf;
	struct vsensor_session *s;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return NULL;
	s->bounce = kcalloc(VSENSOR_BOUNCE_RECORDS, sizeof(*s->bounce),
			    GFP_KERNEL);
	buf = kvcalloc(VSENSOR_RING_DEFAULT, sizeof(*buf), GFP_KERNEL);
	if (!s->bounce || !buf)
		goto err_free;
	s->vdev = vdev;
	spin_lock_init(&s->lock);
	mutex_init(&s->read_lock);
	init_waitqueue_head(&s->wait);
	INIT_LIST_HEAD(&s->node);
	vsensor_session_default_config(s);
	vsensor_ring_init(&s->ring, buf, VSENSOR_RING_DEFAULT);
	return s;

err_free:
	kvfree(buf);
	kfree(s->bounce);
	kfree(s);
	return NULL;
}

static void vsensor_session_free(struct vsensor_session *s)
{
	kvfree(s->ring.buf);
	kfree(s->bounce);
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
	err = vsensor_dev_attach(vdev, &s->node);
	if (err)
		goto err_free;
	err = vsensor_dev_start(vdev);
	if (err)
		goto err_detach;

	file->private_data = s;
	stream_open(inode, file);
	return 0;

err_detach:
	vsensor_dev_detach(vdev, &s->node);
	vsensor_dev_put(vdev);
err_free:
	vsensor_session_free(s);
	return err;
}

static int vsensor_session_release(struct inode *inode, struct file *file)
{
	struct vsensor_session *s = file->private_data;
	struct vsensor_dev *vdev = s->vdev;

	/* unlink first: after this the interrupt path cannot reach @s */
	vsensor_dev_detach(vdev, &s->node);
	vsensor_dev_stop(vdev);
	vsensor_session_free(s);
	vsensor_dev_put(vdev);
	return 0;
}

/* Copy up to @max queued records to the user without consuming them yet. */
static u32 vsensor_session_peek(struct vsensor_session *s, u32 max)
{
	u32 n;

	spin_lock_irq(&s->lock);
	n = vsensor_ring_peek(&s->ring, s->bounce, max);
	spin_unlock_irq(&s->lock);
	return n;
}

static void vsensor_session_consume(struct vsensor_session *s, u32 n)
{
	spin_lock_irq(&s->lock);
	vsensor_ring_consume(&s->ring, n);
	s->delivered += n;
	spin_unlock_irq(&s->lock);
}

/* Wait until a read of @want records can make progress. */
static int vsensor_session_wait(struct vsensor_session *s, struct file *file,
				u32 want)
{
	if (!vsensor_session_online(s))
		return -ENODEV;
	if (file->f_flags & O_NONBLOCK)
		return -EAGAIN;
	return wait_event_interruptible(s->wait,
					vsensor_session_ready(s, want));
}

static ssize_t vsensor_session_read(struct file *file, char __user *buf,
				    size_t count, loff_t *ppos)
{
	struct vsensor_session *s = file->private_data;
	size_t want = count / sizeof(struct vsensor_record);
	size_t done = 0;
	int err = 0;
	u32 n;

	/* like evdev: a zero-length read only reports errors */
	if (!count)
		return vsensor_session_online(s) ? 0 : -ENODEV;
	if (!want)
		return -EINVAL;
	if (mutex_lock_interruptible(&s->read_lock))
		return -ERESTARTSYS;
	while (done < want) {
		n = vsensor_session_peek(s, min_t(size_t, want - done,
						  VSENSOR_BOUNCE_RECORDS));
		if (!n) {
			if (done)
				break;
			err = vsensor_session_wait(s, file, want);
			if (err)
				break;
			continue;
		}
		/* consume only what reached the user: -EFAULT loses nothing */
		if (copy_to_user(buf + done * sizeof(*s->bounce), s->bounce,
				 n * sizeof(*s->bounce))) {
			err = -EFAULT;
			break;
		}
		vsensor_session_consume(s, n);
		done += n;
	}
	mutex_unlock(&s->read_lock);
	return done ? done * sizeof(struct vsensor_record) : err;
}

static __poll_t vsensor_session_poll(struct file *file, poll_table *wait)
{
	struct vsensor_session *s = file->private_data;
	__poll_t mask = 0;
	u32 count;

	poll_wait(file, &s->wait, wait);
	count = vsensor_session_count(s);
	if (!vsensor_session_online(s))
		mask |= EPOLLHUP | EPOLLERR;
	if (count && (count >= READ_ONCE(s->config.watermark) ||
		      !vsensor_session_online(s)))
		mask |= EPOLLIN | EPOLLRDNORM;
	return mask;
}

static int vsensor_session_fasync(int fd, struct file *file, int on)
{
	struct vsensor_session *s = file->private_data;

	return fasync_helper(fd, file, on, &s->fasync);
}

static long vsensor_ioctl_get_info(struct vsensor_session *s,
				   void __user *arg)
{
	return copy_to_user(arg, &s->vdev->info, sizeof(s->vdev->info)) ?
	       -EFAULT : 0;
}

static long vsensor_ioctl_get_config(struct vsensor_session *s,
				     void __user *arg)
{
	struct vsensor_config cfg;

	spin_lock_irq(&s->lock);
	cfg = s->config;
	spin_unlock_irq(&s->lock);
	return copy_to_user(arg, &cfg, sizeof(cfg)) ? -EFAULT : 0;
}

static long vsensor_ioctl_get_stats(struct vsensor_session *s,
				    void __user *arg)
{
	struct vsensor_stats st;

	memset(&st, 0, sizeof(st));
	spin_lock_irq(&s->lock);
	st.delivered = s->delivered;
	st.dropped = s->ring.dropped;
	st.overruns = s->ring.overruns;
	st.wakeups = s->wakeups;
	st.queued = vsensor_ring_count(&s->ring);
	spin_unlock_irq(&s->lock);
	return copy_to_user(arg, &st, sizeof(st)) ? -EFAULT : 0;
}

static long vsensor_ioctl_flush(struct vsensor_session *s)
{
	spin_lock_irq(&s->lock);
	vsensor_ring_reset(&s->ring);
	spin_unlock_irq(&s->lock);
	return 0;
}

static long vsensor_session_ioctl(struct file *file, unsigned int cmd,
				  unsigned long arg)
{
	struct vsensor_session *s = file->private_data;
	void __user *uarg = (void __user *)arg;

	if (!vsensor_session_online(s))
		return -ENODEV;

	switch (cmd) {
	case VSENSOR_IOC_GET_INFO:
		return vsensor_ioctl_get_info(s, uarg);
	case VSENSOR_IOC_GET_CONFIG:
		return vsensor_ioctl_get_config(s, uarg);
	case VSENSOR_IOC_GET_STATS:
		return vsensor_ioctl_get_stats(s, uarg);
	case VSENSOR_IOC_FLUSH:
		return vsensor_ioctl_flush(s);
	default:
		return -ENOTTY;
	}
}

const struct file_operations vsensor_session_fops = {
	.owner = THIS_MODULE,
	.open = vsensor_session_open,
	.release = vsensor_session_release,
	.read = vsensor_session_read,
	.poll = vsensor_session_poll,
	.fasync = vsensor_session_fasync,
	.unlocked_ioctl = vsensor_session_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = no_llseek,
};

/*
 * Called by the interrupt path with the device lock held: queue one record
 * (the ring marks any loss) in the session's clock.
 */
void vsensor_session_deliver(struct vsensor_session *s,
			     const struct vsensor_record *rec, u32 lost)
{
	spin_lock(&s->lock);
	vsensor_ring_skip(&s->ring, lost);
	vsensor_ring_push(&s->ring, rec);
	spin_unlock(&s->lock);
}

/* After a batch of deliveries: wake the reader once it reached its mark. */
void vsensor_session_notify(struct vsensor_session *s)
{
	bool wake;

	spin_lock(&s->lock);
	wake = vsensor_ring_count(&s->ring) >= s->config.watermark;
	if (wake)
		s->wakeups++;
	spin_unlock(&s->lock);
	if (wake) {
		wake_up_interruptible_poll(&s->wait, EPOLLIN | EPOLLRDNORM);
		kill_fasync(&s->fasync, SIGIO, POLL_IN);
	}
}

/* The device is gone: wake every waiter and tell async readers. */
void vsensor_session_hangup(struct vsensor_session *s)
{
	wake_up_interruptible_poll(&s->wait, EPOLLHUP | EPOLLERR);
	kill_fasync(&s->fasync, SIGIO, POLL_HUP);
}
