// SPDX-License-Identifier: GPL-2.0
/*
 * Transmit: stimulus records into the VSN1000's transmit FIFO, which the
 * sensor then measures in place of its waveform (write() on a session).
 * The transmit vector (vectors.c) wakes writers when the FIFO drains.
 */
#include "vsensor.h"

/*
 * Queue one stimulus record (one value per channel) in the transmit FIFO.
 * Returns -EAGAIN when it is full, -ENODEV when the device is gone.
 */
int vsensor_dev_tx(struct vsensor_dev *vdev, const s32 *value)
{
	int err = 0;
	u32 ch;

	mutex_lock(&vdev->cfg_lock);
	/*
	 * Clear the room flag before looking at the level: a TX_SPACE
	 * interrupt after this sets it again, so a writer that then finds
	 * the FIFO full cannot miss its wake-up.
	 */
	WRITE_ONCE(vdev->tx_room, false);
	smp_mb();	/* the flag is clear before the level is read */
	/* the writer's session runs, unless a revoke just stopped it */
	if (!vsensor_dev_present(vdev) || !vsensor_dev_pm_get_if_active(vdev))
		err = -ENODEV;
	else if (vsensor_dev_read(vdev, VSN_REG_TX_LEVEL) >= vdev->tx_depth)
		err = -EAGAIN;
	else
		for (ch = 0; ch < vdev->info.nr_channels; ch++)
			vsensor_dev_write(vdev, VSN_REG_TX_DATA, (u32)value[ch]);
	if (err != -ENODEV)
		vsensor_dev_pm_put(vdev);
	if (err != -EAGAIN)
		WRITE_ONCE(vdev->tx_room, true);
	mutex_unlock(&vdev->cfg_lock);
	return err;
}

/* For poll(): may sleep. */
bool vsensor_dev_tx_room(struct vsensor_dev *vdev)
{
	bool room = false;

	mutex_lock(&vdev->cfg_lock);
	/* asleep: no session runs here, there is no room to write to */
	if (vsensor_dev_present(vdev) && vsensor_dev_pm_get_if_active(vdev)) {
		room = vsensor_dev_read(vdev, VSN_REG_TX_LEVEL) < vdev->tx_depth;
		vsensor_dev_pm_put(vdev);
	}
	mutex_unlock(&vdev->cfg_lock);
	return room;
}
