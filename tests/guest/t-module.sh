#!/bin/sh
# Guest tests: the modules load at boot (vsensor pulls in vsensor_sim), the
# sim creates its bus and devices and the driver their nodes; nr_devices is
# honoured, unloading refused while in use, and unloading is clean. The
# module boundary: vsensor depends on vsensor_sim and not the reverse, the
# sim's devices outlive the driver unbound and bind again when it returns.
. "$(dirname "$0")/lib.sh"

sysbus=/sys/bus/vsensor

node_mode() { stat -c '%F %t %a %G' "$1" 2>/dev/null; }

check "loaded at boot by modules-load.d" grep -q '^vsensor ' /proc/modules
check "vsensor_sim loaded with it" grep -q '^vsensor_sim ' /proc/modules
check "bus registered" test -d $sysbus
check "vsensor0 on the bus" test -d $sysbus/devices/vsensor0
check "driver bound" test -e $sysbus/drivers/vsensor/vsensor0
check_eq "model attribute" VSN1000 "$(cat $sysbus/devices/vsensor0/model)"
check_eq "serial attribute" VSN1000-000000 "$(cat $sysbus/devices/vsensor0/serial)"
check_eq "channels attribute" 4 "$(cat $sysbus/devices/vsensor0/channels)"
check_eq "fifo_depth attribute" 256 "$(cat $sysbus/devices/vsensor0/fifo_depth)"
check_eq "sample_rate_max attribute" 100000 "$(cat $sysbus/devices/vsensor0/sample_rate_max)"
# misc major 10, group from the udev rule, 0660
check_eq "/dev/vsensor0 is a misc node owned by group vsensor" \
	"character special file a 660 vsensor" "$(node_mode /dev/vsensor0)"
check "uevent carries the serial" grep -qx 'VSENSOR_SERIAL=VSN1000-000000' \
	$sysbus/devices/vsensor0/uevent
check "uevent carries the model" grep -qx 'VSENSOR_MODEL=VSN1000' \
	$sysbus/devices/vsensor0/uevent
check "udev saw the serial" sh -c \
	"udevadm info -q property -p /sys/bus/vsensor/devices/vsensor0 | grep -qx VSENSOR_SERIAL=VSN1000-000000"

# rmmod is refused while a session is open, and works after
exec 3</dev/vsensor0
check_fails "rmmod refused with a session open" rmmod vsensor 2>/dev/null
exec 3<&-
check "rmmod after close" rmmod vsensor vsensor_sim
udevadm settle
check_fails "bus gone after unload" test -e $sysbus
check_fails "node gone after unload" test -e /dev/vsensor0
# vsensorctl says why, rather than "No such file or directory"
for args in "read vsensor0 -n 1" "device add 5" "monitor"; do
	# shellcheck disable=SC2086
	err=$(vsensorctl $args 2>&1 >/dev/null)
	check_eq "vsensorctl $args without the module exits 3" 3 $?
	check_eq "vsensorctl $args without the module says so" \
		"Error: vsensor module not loaded." "$err"
done

check "modprobe vsensor_sim nr_devices=3, then vsensor" sh -c \
	"modprobe vsensor_sim nr_devices=3 && modprobe vsensor"
udevadm settle
for i in 0 1 2; do
	check "vsensor$i present" test -c /dev/vsensor$i
	check_eq "vsensor$i serial" "$(printf 'VSN1000-%06d' $i)" \
		"$(cat $sysbus/devices/vsensor$i/serial)"
done
check_fails "no vsensor3" test -e /dev/vsensor3
check "read from the last device" sh -c \
	"dd if=/dev/vsensor2 bs=64 count=1 status=none | wc -c | grep -qx 64"
check "rmmod with three devices" rmmod vsensor vsensor_sim

check_fails "nr_devices=65 is refused" modprobe vsensor_sim nr_devices=65 2>/dev/null
udevadm settle
check_fails "nothing left after the refused load" test -e $sysbus
check "clean load afterwards" modprobe vsensor
udevadm settle
check "node back" test -c /dev/vsensor0
check "modprobe vsensor loaded vsensor_sim" grep -q '^vsensor_sim ' /proc/modules

# The module boundary (docs/design.md): the driver uses only what the sim
# exports, so it depends on the sim, never the reverse.
check_eq "vsensor depends on vsensor-sim" vsensor-sim "$(modinfo -F depends vsensor)"
check_eq "vsensor-sim depends on nothing" "" "$(modinfo -F depends vsensor_sim)"
check_eq "vsensor imports the VSENSOR_SIM namespace" VSENSOR_SIM \
	"$(modinfo -F import_ns vsensor)"
check "vsensor_sim is held by vsensor" test -e /sys/module/vsensor_sim/holders/vsensor
check "the sim's parameters are vsensor_sim's" \
	test -f /sys/module/vsensor_sim/parameters/nr_devices
check_fails "the driver has no parameters" test -e /sys/module/vsensor/parameters
check_fails "rmmod vsensor_sim refused while vsensor is loaded" \
	rmmod vsensor_sim 2>/dev/null
check "vsensor_sim still loaded" grep -q '^vsensor_sim ' /proc/modules
check "rmmod vsensor alone" rmmod vsensor
udevadm settle
check "the sim's device stays on the bus" test -d $sysbus/devices/vsensor0
check_fails "unbound: no driver link" test -e $sysbus/devices/vsensor0/driver
check_fails "no driver on the bus" test -e $sysbus/drivers/vsensor
check_fails "no node without the driver" test -e /dev/vsensor0
check_eq "the sim's registers still answer" 4 "$(cat $sysbus/devices/vsensor0/channels)"
# (udev would load the driver for the new device's MODALIAS)
systemctl stop systemd-udevd.service systemd-udevd-control.socket \
	systemd-udevd-kernel.socket
check_eq "new_device without the driver" ok \
	"$(echo 1 2>&1 >$sysbus/new_device && echo ok)"
check_fails "the new device is unbound" test -e $sysbus/devices/vsensor1/driver
check_fails "nothing loaded the driver" grep -q '^vsensor ' /proc/modules
systemctl start systemd-udevd.service
check "modprobe vsensor binds them again" modprobe vsensor
udevadm settle
for i in 0 1; do
	check "vsensor$i bound" test -e $sysbus/drivers/vsensor/vsensor$i
	check "node of vsensor$i back" test -c /dev/vsensor$i
done
check "reads after binding again" sh -c \
	"dd if=/dev/vsensor1 bs=64 count=1 status=none | wc -c | grep -qx 64"
check "modprobe -r vsensor takes vsensor_sim along" modprobe -r vsensor
check_fails "vsensor_sim gone" grep -q '^vsensor_sim ' /proc/modules
check_fails "bus gone" test -e $sysbus
check "modprobe vsensor" modprobe vsensor
udevadm settle

# 20 load/unload cycles with a reader each time (5 on the debug kernel,
# where t-fault-init.sh's cycles are checked by kmemleak)
n=20
[ "$slow" -gt 1 ] && n=5
cycles_ok=1
i=0
while [ $i -lt $n ]; do
	rmmod vsensor vsensor_sim && modprobe vsensor_sim nr_devices=2 &&
		modprobe vsensor && udevadm settle &&
		dd if=/dev/vsensor1 bs=64 count=1 status=none >/dev/null || cycles_ok=0
	i=$((i + 1))
done
check_eq "$n load/read/unload cycles" 1 $cycles_ok

rmmod vsensor vsensor_sim
modprobe vsensor
udevadm settle
done_testing
