// SPDX-License-Identifier: GPL-2.0
/*
 * The status LED of each device, a LED class device "vsensorN::status",
 * and the activity triggers that blink a LED when data flows: the device's
 * own "vsensorN-activity" (like "mmc0" or "phy0tx") and "vsensor-activity"
 * for records of any vsensor device. Any LED of the system can take either.
 */
#include <linux/leds.h>
#include <linux/slab.h>

#include "vsensor.h"

#define VSENSOR_LED_BLINK_MS	30

static struct led_trigger *vsensor_led_trigger;

/* The simulated board drives the LED directly: nothing to program. */
static void vsensor_led_set(struct led_classdev *led,
			    enum led_brightness brightness)
{
}

/* The device's own activity trigger, "vsensorN-activity". */
static int vsensor_led_trigger_add(struct vsensor_dev *vdev)
{
	struct led_trigger *trig = &vdev->led_trigger;
	char *name;
	int err;

	name = vsensor_fault_alloc(kasprintf(GFP_KERNEL, "%s-activity",
					     vdev->name));
	if (!name)
		return -ENOMEM;
	trig->name = name;
	err = led_trigger_register(trig);
	if (err) {
		kfree(name);
		trig->name = NULL;
	}
	return err;
}

static void vsensor_led_trigger_del(struct vsensor_dev *vdev)
{
	struct led_trigger *trig = &vdev->led_trigger;

	if (!trig->name)
		return;
	led_trigger_unregister(trig);
	kfree(trig->name);
	trig->name = NULL;
}

int vsensor_led_add(struct vsensor_dev *vdev)
{
	struct led_classdev *led = &vdev->led;
	char *name;
	int err;

	err = vsensor_led_trigger_add(vdev);
	if (err)
		return err;
	name = vsensor_fault_alloc(kasprintf(GFP_KERNEL, "%s::status",
					     vdev->name));
	if (!name) {
		err = -ENOMEM;
		goto err_trigger;
	}
	led->name = name;
	led->max_brightness = LED_FULL;
	led->brightness_set = vsensor_led_set;
	err = led_classdev_register(vdev->misc.parent, led);
	if (err) {
		kfree(name);
		led->name = NULL;
		goto err_trigger;
	}
	return 0;

err_trigger:
	vsensor_led_trigger_del(vdev);
	return err;
}

void vsensor_led_del(struct vsensor_dev *vdev)
{
	if (vdev->led.name) {
		led_classdev_unregister(&vdev->led);
		kfree(vdev->led.name);
		vdev->led.name = NULL;
	}
	vsensor_led_trigger_del(vdev);
}

/* Data flowed (any context, hard interrupt included): blink once. */
void vsensor_led_activity(struct vsensor_dev *vdev)
{
	unsigned long on = VSENSOR_LED_BLINK_MS, off = VSENSOR_LED_BLINK_MS;

	led_trigger_blink_oneshot(&vdev->led_trigger, &on, &off, 0);
	on = VSENSOR_LED_BLINK_MS;
	off = VSENSOR_LED_BLINK_MS;
	led_trigger_blink_oneshot(vsensor_led_trigger, &on, &off, 0);
}

int vsensor_led_init(void)
{
	led_trigger_register_simple("vsensor-activity", &vsensor_led_trigger);
	return 0;
}

void vsensor_led_exit(void)
{
	led_trigger_unregister_simple(vsensor_led_trigger);
}
