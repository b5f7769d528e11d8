// SPDX-License-Identifier: GPL-2.0
/*
 * Device-global settings of the simulated sensor (its waveform), kept in
 * model registers. One table serves sysfs and VSENSOR_CMD_DEVICE_SET: a new
 * setting is a register, a row here and an attribute id in the uapi header.
 */
#include "vsensor.h"

static const char * const vsensor_waveform_names[] = {
	"sine", "square", "ramp", "noise", NULL,
};

const struct vsensor_setting vsensor_settings[VSENSOR_NR_SETTINGS] = {
	[VSENSOR_SET_WAVEFORM] = {
		.name = "waveform",
		.nla = VSENSOR_A_DEV_WAVEFORM,
		.reg = VSN_REG_WAVEFORM,
		.min = VSENSOR_WAVEFORM_SINE,
		.max = VSENSOR_WAVEFORM_MAX,
		.names = vsensor_waveform_names,
	},
	[VSENSOR_SET_AMPLITUDE] = {
		.name = "amplitude",
		.nla = VSENSOR_A_DEV_AMPLITUDE,
		.reg = VSN_REG_AMPLITUDE,
		.min = 0,
		.max = VSENSOR_AMPLITUDE_MAX,
	},
	[VSENSOR_SET_FREQUENCY] = {
		.name = "frequency_mhz",
		.nla = VSENSOR_A_DEV_FREQUENCY,
		.reg = VSN_REG_FREQUENCY,
		.min = VSENSOR_FREQUENCY_MIN,
		.max = VSENSOR_FREQUENCY_MAX,
	},
};

/* The uapi values are the register values: keep them in step. */
static_assert(VSENSOR_WAVEFORM_SINE == VSN_WAVE_SINE);
static_assert(VSENSOR_WAVEFORM_NOISE == VSN_WAVE_NOISE);
static_assert(ARRAY_SIZE(vsensor_waveform_names) - 1 ==
	      VSENSOR_WAVEFORM_MAX - VSENSOR_WAVEFORM_SINE + 1);
static_assert(VSENSOR_AMPLITUDE_MAX == VSN_AMPLITUDE_MAX);
static_assert(VSENSOR_FREQUENCY_MIN == VSN_FREQUENCY_MIN);
static_assert(VSENSOR_FREQUENCY_MAX == VSN_FREQUENCY_MAX);

/*
 * Read every setting under one lock hold, the counterpart of
 * vsensor_settings_apply(): a reader never sees half of a DEVICE_SET (the
 * netlink ops run in parallel, not under genl_mutex).
 */
int vsensor_settings_get_all(struct vsensor_dev *vdev,
			     u32 val[VSENSOR_NR_SETTINGS])
{
	unsigned int i;
	int err = vsensor_dev_pm_get(vdev);

	if (err)
		return err;
	mutex_lock(&vdev->cfg_lock);
	if (vsensor_dev_present(vdev)) {
		for (i = 0; i < VSENSOR_NR_SETTINGS; i++)
			val[i] = vsensor_dev_read(vdev,
						  vsensor_settings[i].reg);
	} else {
		err = -ENODEV;
	}
	mutex_unlock(&vdev->cfg_lock);
	vsensor_dev_pm_put(vdev);
	return err;
}

/* One setting (sysfs): read with the others, as netlink reads them. */
int vsensor_setting_get(struct vsensor_dev *vdev, unsigned int idx, u32 *val)
{
	u32 all[VSENSOR_NR_SETTINGS];
	int err = vsensor_settings_get_all(vdev, all);

	if (!err)
		*val = all[idx];
	return err;
}

/*
 * Apply the settings whose bit is set in @mask, all under one lock hold so
 * no reader sees half of them. The caller has checked every value.
 */
int vsensor_settings_apply(struct vsensor_dev *vdev, const u32 *val,
			   unsigned long mask)
{
	unsigned int i;
	int err = vsensor_dev_pm_get(vdev);

	if (err)
		return err;
	mutex_lock(&vdev->cfg_lock);
	if (!vsensor_dev_present(vdev)) {
		mutex_unlock(&vdev->cfg_lock);
		vsensor_dev_pm_put(vdev);
		return -ENODEV;
	}
	for_each_set_bit(i, &mask, VSENSOR_NR_SETTINGS)
		vsensor_dev_write(vdev, vsensor_settings[i].reg, val[i]);
	mutex_unlock(&vdev->cfg_lock);
	vsensor_dev_pm_put(vdev);

	vsensor_notify_device(vdev, VSENSOR_CMD_DEVICE_CHANGED);
	return 0;
}
