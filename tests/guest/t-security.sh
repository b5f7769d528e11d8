#!/bin/bash
# Guest tests of the security posture (docs/SECURITY.md): every mutating
# path refuses an unprivileged user (nobody, no groups): the device node
# (0660, group vsensor), the writable sysfs attributes (0644: root only),
# the bus and driver files (0200), netlink mutations (GENL_ADMIN_PERM:
# EPERM), debugfs (root only), the fault-injection knobs. The positive
# controls: the same user may read what is meant to be public, and with
# the group vsensor may open the node and read records.
dir=$(dirname "$0")
# shellcheck source=lib.sh
. "$dir/lib.sh"
# shellcheck source=hotplug.sh
. "$dir/hotplug.sh"

# The device of VSENSOR_TEST_DEV and VSENSOR_TEST_SYSFS (t-pci-backend.sh) if
# set, else the model's vsensor0; the model's bus files and parameters are
# checked on the model only.
node=${VSENSOR_TEST_DEV:-/dev/vsensor0}
n=${node##*/}
d=${VSENSOR_TEST_SYSFS:-$sysbus/devices/$n}
drv=$(readlink -f "$d/driver")
led=/sys/class/leds/$n::status
dbg=/sys/kernel/debug/vsensor/$n
model=true
[ "${VSENSOR_TEST_BACKEND:-sim}" = pci ] && model=false
denied="Permission denied"

# quiet CMD...: CMD with its output dropped
quiet() { "$@" >/dev/null; }

# as_nobody_try FILE VALUE: the write's result as nobody
as_nobody_try() {
	as_nobody bash -c "$(declare -f try_write); try_write '$1' '$2'"
}

# open_result CMD...: open the node read-write as CMD says, read a record
open_result() {
	"$@" bash -c "exec 3<>$node && head -c 64 <&3 | wc -c" 2>&1 |
		sed 's/.*: //'
}

# the node
check_eq "node is 0660 root:vsensor" "660 root vsensor" "$(stat -c '%a %U %G' "$node")"
check_eq "nobody cannot open the node" "$denied" "$(open_result as_nobody)"
check_eq "nobody cannot open it read-only" "$denied" \
	"$(as_nobody bash -c "exec 3<$node" 2>&1 | sed 's/.*: //')"
check_eq "nobody in group vsensor can open and read" 64 \
	"$(open_result setpriv --reuid=nobody --regid=nogroup --groups=vsensor)"

# every writable sysfs attribute of the device, its LED and power
for f in "$d"/waveform "$d"/amplitude "$d"/frequency_mhz "$d"/transfer_mode \
	"$d"/dma_threshold "$d"/fifo_watermark "$d"/power/control \
	"$d"/power/autosuspend_delay_ms "$led"/brightness "$led"/trigger; do
	check_eq "nobody cannot write ${f#/sys/}" "$denied" "$(as_nobody_try "$f" 1)"
done
check_eq "waveform unchanged" sine "$(cat "$d"/waveform)"
check "nobody can read the settings" quiet as_nobody cat "$d"/waveform "$d"/amplitude

# bus and driver files: 0200
if $model; then
	for f in $sysbus/new_device $sysbus/del_device; do
		check_eq "${f#/sys/} is 0200 root" "200 root" "$(stat -c '%a %U' "$f")"
	done
	check_eq "nobody cannot add a device" "$denied" "$(as_nobody_try $sysbus/new_device 60)"
	check_eq "nobody cannot delete a device" "$denied" "$(as_nobody_try $sysbus/del_device 0)"
else
	echo "# the bus's new_device and del_device: not run on the PCI backend: the model's"
fi
for f in "$drv/bind" "$drv/unbind"; do
	check_eq "${f#/sys/} is 0200 root" "200 root" "$(stat -c '%a %U' "$f")"
done
check_eq "nobody cannot unbind" "$denied" \
	"$(as_nobody_try "$drv/unbind" "${d##*/}")"
check "$n still bound" test -e "$d/driver"

# netlink: mutations refused with EPERM, queries allowed
nl_refused() {
	local out
	out=$(as_nobody vsensorctl "$@" 2>&1)
	[ $? -eq 2 ] && grep -q "Operation not permitted" <<<"$out"
}
exec 3<"$node"
sid=$(vsensorctl -j session list | grep -o '"id":[0-9]*' | head -n 1 | cut -d: -f2)
check "netlink DEVICE_NEW refused (EPERM)" nl_refused device add 61
check "netlink DEVICE_DEL refused (EPERM)" nl_refused device del 0
check "netlink DEVICE_SET refused (EPERM)" nl_refused device set "${n#vsensor}" amplitude 5
check "netlink SESSION_REVOKE refused (EPERM)" nl_refused session revoke "${sid:-1}"
check_fails "no device 61" test -e $sysbus/devices/vsensor61
check_eq "amplitude unchanged" 1000 "$(cat "$d"/amplitude)"
check "session not revoked" sh -c 'dd bs=64 count=1 status=none <&3 | wc -c | grep -qx 64'
exec 3<&-
if $model; then
	check "nobody may query devices" quiet as_nobody vsensorctl device show vsensor0
else
	echo "# vsensorctl device show: not run on the PCI backend: libvsensor lists the bus's devices only"
fi
check "nobody may list sessions" quiet as_nobody vsensorctl session list

# debugfs: root only
check_eq "debugfs is 0700" 700 "$(stat -c %a /sys/kernel/debug)"
check_eq "nobody cannot read the register dump" "$denied" \
	"$(as_nobody cat "$dbg/registers" 2>&1 | sed 's/.*: //')"
check_eq "nobody cannot write a debug knob" "$denied" \
	"$(as_nobody_try "$dbg/bh_delay_us" 1000)"
check_eq "registers file is 0400" 400 \
	"$(stat -c %a "$dbg/registers")"

# vsensor_sim's parameters, which steer the model and the fault injector
if ! $model; then
	echo "# vsensor_sim's parameters: not run on the PCI backend: the model's"
	done_testing
	exit
fi
for p in fail_nth fail_pid fail_init_step nr_queues; do
	check_eq "nobody cannot write parameter $p" "$denied" \
		"$(as_nobody_try /sys/module/vsensor_sim/parameters/$p 1)"
done
check_eq "fail_nth still 0" 0 "$(cat /sys/module/vsensor_sim/parameters/fail_nth)"
done_testing
