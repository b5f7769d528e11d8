#!/bin/bash
# Guest test: the fuzzer (tests/fuzz/guest/) against every entry point of
# the module for VSENSOR_FUZZ_TIME seconds (default 20, as in make check;
# `make fuzz` and the debug suite run 300), with devices coming and going,
# sessions revoked under blocked calls, threads beside blocked readers,
# busy pollers beside headroom pulls with the vectors moving. It must end
# with no anomaly and no dead worker (the lab fails the run on any kernel
# report), and the module must then unload and load cleanly. Reproduce
# with VSENSOR_FUZZ_SEED.
dir=$(dirname "$0")
# shellcheck source=lib.sh
. "$dir/lib.sh"

secs=${VSENSOR_FUZZ_TIME:-20}
# udev and vsensord would chase thousands of uevents and netlink events
# (on the debug kernel enough to starve journald into its watchdog); the
# fuzzer opens the nodes itself
systemctl stop vsensord.socket vsensord.service systemd-udevd.service \
	systemd-udevd-control.socket systemd-udevd-kernel.socket 2>/dev/null
out=$("$dir/vsensor-fuzz" -t "$secs" 2>&1)
rc=$?
printf '# %s\n' "${out//$'\n'/$'\n'# }"
check_eq "fuzzer: $secs s, no anomaly" 0 $rc
check_eq "iterations reported for every target" 9 \
	"$(grep -cE '^  (ioctl|io|sysfs|bus|netlink|hotplug|revoke|threads|busypoll) +[1-9][0-9]* iterations' <<<"$out")"
systemctl start systemd-udevd.service 2>/dev/null

# whatever state the fuzzer left (unbound, extra devices, settings), the
# module unloads and a fresh load works
check "rmmod after fuzzing" rmmod vsensor vsensor_sim
check_fails "bus gone" test -e /sys/bus/vsensor
check "modprobe after fuzzing" modprobe vsensor
udevadm settle
check "node back" test -c /dev/vsensor0
check "a record can be read" sh -c \
	"dd if=/dev/vsensor0 bs=64 count=1 status=none | wc -c | grep -qx 64"
check "vsensord back" systemctl start vsensord.socket vsensord.service
done_testing
