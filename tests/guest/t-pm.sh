#!/bin/sh
# Guest tests: runtime PM. A device with no session suspends after its
# autosuspend delay and raises no interrupts; a session resumes it when it
# starts (its first read, write, poll or ioctl), not at open(), which runs
# under the misc core's global lock and does no waiting. On the device of
# VSENSOR_TEST_DEV and VSENSOR_TEST_SYSFS (t-pci-backend.sh) if set, else the
# model's vsensor0; the model's own D state (power_state, d3_accesses) is
# read on the model only.
. "$(dirname "$0")/lib.sh"

node=${VSENSOR_TEST_DEV:-/dev/vsensor0}
n=${node##*/}
d=${VSENSOR_TEST_SYSFS:-/sys/bus/vsensor/devices/$n}
model=true
[ "${VSENSOR_TEST_BACKEND:-sim}" = pci ] && model=false
status() { cat "$d"/power/runtime_status; }
status_is() { [ "$(status)" = "$1" ]; }
# within MS CMD...: poll CMD every 0.05 s for at most MS milliseconds of wall
# time (the fixed sleep it replaces); the check that follows still decides
within() {
	within_end=$(($(date +%s%N) / 1000000 + $1))
	shift
	until "$@"; do
		[ $(($(date +%s%N) / 1000000)) -ge "$within_end" ] && return 1
		sleep 0.05
	done
}
irqs() { grep -E "$n-(q[0-9]|tx|err)\$" /proc/interrupts | tr -s ' ' | cut -d' ' -f3-4; }
# check_dstate DESCRIPTION D0|D3: the model's power state (its bus's
# power_state); the PCI device shows it through no attribute
check_dstate() {
	if $model; then
		check_eq "$1" "$2" "$(cat "$d"/power_state)"
	else
		echo "# $1: not checked on the PCI backend: power_state is the model's"
	fi
}

check_eq "autosuspend delay" 500 "$(cat "$d"/power/autosuspend_delay_ms)"
within 1000 status_is suspended
check_eq "idle device suspended" suspended "$(status)"
check_dstate "suspended means D3" D3
before=$(irqs)
sleep 1
check_eq "no interrupts while suspended" "$before" "$(irqs)"

exec 3<"$node"
check_eq "open() alone does not resume it" suspended "$(status)"
check_eq "nor start the sampler" "$before" "$(irqs)"
check_eq "the session is counted from open()" 1 "$(cat "$d"/sessions_open)"
check_eq "its first read starts it" 64 "$(dd bs=64 count=1 status=none <&3 | wc -c)"
check_eq "a started session resumes it" active "$(status)"
check_dstate "active means D0" D0
sleep 1
check_eq "still active while the session is open" active "$(status)"
check "interrupts while streaming" test "$before" != "$(irqs)"
exec 3<&-
check_eq "active within the delay after the last close" active "$(status)"
within 1500 status_is suspended
check_eq "suspended after the delay" suspended "$(status)"
check "suspended time accounted" test "$(cat "$d"/power/runtime_suspended_time)" -gt 0

# a shorter delay is honoured; -1 forbids autosuspend
echo 100 > "$d"/power/autosuspend_delay_ms
exec 3<"$node"
dd bs=64 count=1 status=none <&3 >/dev/null
exec 3<&-
within 500 status_is suspended
check_eq "suspended after a 100 ms delay" suspended "$(status)"
echo -1 > "$d"/power/autosuspend_delay_ms
exec 3<"$node"
dd bs=64 count=1 status=none <&3 >/dev/null
exec 3<&-
sleep 1
check_eq "delay -1 keeps it active" active "$(status)"
echo 500 > "$d"/power/autosuspend_delay_ms
within 1000 status_is suspended
check_eq "suspended again with the delay back" suspended "$(status)"

if ! $model; then
	echo "# every register path from D3: not run on the PCI backend: it counts with the model's d3_accesses"
	done_testing
	exit
fi

# Every path that touches a register outside a session resumes the device
# first: the VSN1000 answers nothing in D3 (reads float high, writes are
# lost) and counts what it refused in d3_accesses. Each path starts from
# D3; its answer must be the device's, not all-ones.
echo 100 > "$d"/power/autosuspend_delay_ms
power_state_is() { [ "$(cat "$d"/power_state)" = "$1" ]; }
asleep() {
	within 400 power_state_is D3
	check_eq "$1: starts from D3" D3 "$(cat "$d"/power_state)"
}
asleep "sysfs setting read"
check_eq "amplitude read in D3 is the device's" 1000 "$(cat "$d"/amplitude)"
asleep "sysfs setting write"
echo 1234 > "$d"/amplitude
asleep "sysfs read back"
check_eq "amplitude written in D3 took" 1234 "$(cat "$d"/amplitude)"
asleep "netlink DEVICE_SET"
check "netlink set in D3" vsensorctl device set vsensor0 amplitude 1000
asleep "device show"
check "device show in D3 answers the bus's attributes" sh -c \
	"vsensorctl -j device show vsensor0 | grep -q '\"fifo_depth\":256'"
asleep "constants"
check_eq "firmware_version answered in D3" 1.1.0 "$(cat "$d"/firmware_version)"
check_eq "...without waking it" D3 "$(cat "$d"/power_state)"
check_eq "the bus's channels in D3" 4 "$(cat "$d"/channels)"
asleep "every attribute"
for f in "$d"/*; do
	[ -f "$f" ] && [ -r "$f" ] && cat "$f" >/dev/null 2>&1
done
asleep "debugfs"
check "debugfs registers in D3" sh -c \
	"grep -Eq '^0x000 ID +0x56534e31$' /sys/kernel/debug/vsensor/vsensor0/registers"
asleep "a session"
exec 3<"$node"
check_eq "open in D3" D3 "$(cat "$d"/power_state)"
check_eq "a read resumes" 64 "$(dd bs=64 count=1 status=none <&3 | wc -c)"
exec 3<&-
sleep 0.4
check_eq "no register was touched in D3" 0 "$(cat "$d"/d3_accesses)"
echo 500 > "$d"/power/autosuspend_delay_ms

done_testing
