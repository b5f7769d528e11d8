#!/bin/bash
# Guest tests: hotplug through /sys/bus/vsensor/new_device and del_device
# (bad-input table, nothing created on error), identity in the ADD uevent,
# id matching and alias, unbind/bind with a session open, permissions,
# devices that misreport their registers refused at probe.
dir=$(dirname "$0")
# shellcheck source=lib.sh
. "$dir/lib.sh"
# shellcheck source=hotplug.sh
. "$dir/hotplug.sh"

check_eq "bus files are root-only write" "--w------- --w-------" \
	"$(stat -c %A $sysbus/new_device) $(stat -c %A $sysbus/del_device)"

before=$(bus_devices)
# input | expected result
while IFS='|' read -r input want; do
	check_eq "new_device '$input'" "$want" \
		"$(try_write $sysbus/new_device "$input")"
done <<'TABLE'
x|Invalid argument
-1|Invalid argument
+5|Invalid argument
256|Invalid argument
4294967296|Invalid argument
5 |Invalid argument
5  S|Invalid argument
 5|Invalid argument
5 bad/serial|Invalid argument
5 bad serial|Invalid argument
5 0123456789012345678901234567890123|Invalid argument
5 SERIAL 7|Invalid argument
0|File exists
5 VSN1000-000000|File exists
TABLE
check_eq "a lone newline is empty" "Invalid argument" \
	"$(try_write $sysbus/new_device $'\n')"
check_eq "overlong input" "Invalid argument" \
	"$(try_write $sysbus/new_device "5 $(printf 'A%.0s' $(seq 100))")"
check_eq "nothing created by bad input" "$before" "$(bus_devices)"

while IFS='|' read -r input want; do
	check_eq "del_device '$input'" "$want" \
		"$(try_write $sysbus/del_device "$input")"
done <<'TABLE'
x|Invalid argument
0 1|Invalid argument
256|Invalid argument
99999999999|Invalid argument
9|No such file or directory
TABLE
check_eq "del_device: a lone newline is empty" "Invalid argument" \
	"$(try_write $sysbus/del_device $'\n')"
check_eq "nothing removed by bad input" "$before" "$(bus_devices)"

# the ADD uevent carries the identity
log=$(mktemp)
udevadm monitor --kernel --property --subsystem-match=vsensor >"$log" &
mon=$!
sleep 1
check_eq "new_device with a serial" ok "$(try_write $sysbus/new_device $'5 LAB-5_a\n')"
check_eq "new_device without a serial" ok "$(try_write $sysbus/new_device 6)"
sleep 1
kill $mon
wait $mon 2>/dev/null
udevadm settle
add5=$(awk '/^KERNEL\[/ { p = ($2 == "add" && $3 ~ /vsensor5$/) } p' "$log")
check "ADD uevent of vsensor5 has VSENSOR_SERIAL" grep -qx 'VSENSOR_SERIAL=LAB-5_a' <<<"$add5"
check "ADD uevent of vsensor5 has VSENSOR_MODEL" grep -qx 'VSENSOR_MODEL=VSN1000' <<<"$add5"
check "ADD uevent of vsensor5 has MODALIAS" grep -qx 'MODALIAS=vsensor:VSN1000' <<<"$add5"
rm -f "$log"
check_eq "given serial" LAB-5_a "$(cat $sysbus/devices/vsensor5/serial)"
check_eq "generated serial" VSN1000-000006 "$(cat $sysbus/devices/vsensor6/serial)"
check "vsensor5 bound to the driver" test -e $sysbus/drivers/vsensor/vsensor5
check "node of vsensor5" test -c /dev/vsensor5
check_eq "duplicate id" "File exists" "$(try_write $sysbus/new_device 5)"
check_eq "duplicate serial" "File exists" "$(try_write $sysbus/new_device '7 LAB-5_a')"
check_fails "no vsensor7 after the refused duplicate" test -e $sysbus/devices/vsensor7
check "module alias from the id table" sh -c \
	"modinfo -F alias vsensor | grep -qx vsensor:VSN1000"

# unbind hangs up open sessions; bind brings the device back
exec 3</dev/vsensor5
check_eq "unbind" ok "$(try_write $sysbus/drivers/vsensor/unbind vsensor5)"
udevadm settle
check_fails "node gone after unbind" test -e /dev/vsensor5
check_fails "driver attributes gone after unbind" test -e $sysbus/devices/vsensor5/online
check "the open session reads -ENODEV once drained" sh -c \
	"dd bs=64 count=1000000 of=/dev/null <&3 2>&1 | grep -q 'No such device'"
exec 3<&-
check_eq "bind" ok "$(try_write $sysbus/drivers/vsensor/bind vsensor5)"
udevadm settle
check "node back after bind" test -c /dev/vsensor5
check "reads after bind" sh -c \
	"dd if=/dev/vsensor5 bs=64 count=1 status=none | wc -c | grep -qx 64"

# permissions: only root may add or remove devices
check_eq "non-root new_device" "Permission denied" \
	"$(as_nobody bash -c "$(declare -f try_write); try_write $sysbus/new_device 8")"
check_eq "non-root del_device" "Permission denied" \
	"$(as_nobody bash -c "$(declare -f try_write); try_write $sysbus/del_device 5")"
check_fails "nothing created by non-root" test -e $sysbus/devices/vsensor8

# a device that misreports its geometry is refused at probe, whole
# (docs/SECURITY.md: every register value is checked before use)
param=/sys/module/vsensor_sim/parameters
before_bad=$(bus_devices)
dmesg -C
# register | value it reads as
while IFS='|' read -r reg val; do
	echo "$reg" >$param/inject_reg
	echo "$val" >$param/inject_reg_value
	check_eq "register $reg reading $val: new_device refused" \
		"No such device" "$(try_write $sysbus/new_device 9)"
	echo -1 >$param/inject_reg
	check_fails "register $reg reading $val: nothing left" \
		test -e $sysbus/devices/vsensor9
	echo 9 >$sysbus/del_device 2>/dev/null
done <<'TABLE'
0x30|0
0x30|100001
0x30|4294967295
0x34|0
0x34|4294967295
0x14|0
0x14|9
0x18|0
0x18|100
0x18|4294967295
0x80|0
0x80|9
TABLE
check_eq "each refusal logged" 12 \
	"$(dmesg | grep -c 'vsensor9: inconsistent hardware')"
check_eq "nothing created by broken devices" "$before_bad" "$(bus_devices)"
check_eq "a sound device after them" ok "$(try_write $sysbus/new_device 9)"
check_eq "del_device vsensor9" ok "$(try_write $sysbus/del_device 9)"

check_eq "del_device vsensor5" ok "$(try_write $sysbus/del_device $'5\n')"
check_eq "del_device vsensor6" ok "$(try_write $sysbus/del_device 6)"
udevadm settle
check_fails "vsensor5 gone" test -e $sysbus/devices/vsensor5
check_fails "node of vsensor6 gone" test -e /dev/vsensor6
check_eq "only vsensor0 left" "$before" "$(bus_devices)"
done_testing
