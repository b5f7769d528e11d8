#!/bin/bash
# Guest tests: vsensord under the guest's real systemd. Boot state and
# exposure, settings on hotplug, a bad configuration (file:line, old
# settings kept), persisted settings across replug and restart, held
# sessions across replug, kill -9 and `systemctl restart` (no lost record),
# and a hotplug storm with forced udev overflows (the final view equals the
# kernel's). The Varlink protocol itself: t-varlink.
dir=$(dirname "$0")
# shellcheck source=lib.sh
. "$dir/lib.sh"
# shellcheck source=hotplug.sh
. "$dir/hotplug.sh"

capdir=/var/lib/vsensor/capture
confd=/etc/vsensor/vsensord.conf.d
dropin=/run/systemd/system/vsensord.service.d
capcheck=$dir/vsensor-capcheck

# wait_until SECONDS CMD...: poll CMD every 0.1 s (times $slow)
wait_until() {
	local end=$((SECONDS + $1 * slow))
	shift
	until "$@"; do
		((SECONDS >= end)) && return 1
		sleep 0.1
	done
}

status() { vsensorctl -j daemon status | jq -r ".$1"; }
attr() { cat "$sysbus/devices/$1/$2" 2>/dev/null; }
attr_is() { [ "$(attr "$1" "$2")" = "$3" ]; }
main_pid() { systemctl show -P MainPID vsensord; }
is_active() { [ "$(systemctl is-active vsensord)" = active ]; }
held_state() {
	vsensorctl -j session list | jq -r ".[] | select(.held and .id == $1) | .state"
}
held_running() { [ "$(held_state "$1")" = running ]; }
# the daemon's view of the devices, as sorted names, against the kernel's
daemon_devices() { vsensorctl -j daemon devices | jq -r '.[].name' | sort | xargs; }
kernel_devices() { bus_devices | xargs -n1 | sort | xargs; }
views_agree() { [ "$(daemon_devices)" = "$(kernel_devices)" ]; }
# a new daemon process is up and ready
restarted_from() { is_active && [ "$(main_pid)" != "$1" ] && [ "$(main_pid)" != 0 ]; }

# --- after boot -------------------------------------------------------------
check_eq "vsensord is active after boot" active "$(systemctl is-active vsensord)"
check_eq "its socket unit is active" active "$(systemctl is-active vsensord.socket)"
check_eq "daemon status counts the kernel's devices" \
	"$(bus_devices | wc -w)" "$(status devices)"
check_eq "daemon devices lists the kernel's devices" "$(kernel_devices)" "$(daemon_devices)"
check_eq "it runs as user vsensord" vsensord "$(ps -o user= -p "$(main_pid)")"
check_eq "configuration generation 1" 1 "$(status config_generation)"
exposure=$(systemd-analyze security vsensord.service 2>/dev/null |
	sed -n 's/.*Overall exposure level for vsensord.service: \([0-9.]*\).*/\1/p')
echo "# systemd-analyze security vsensord.service: $exposure"
check "exposure $exposure is at most 1.5" \
	awk -v e="$exposure" 'BEGIN { exit !(e != "" && e + 0 <= 1.5) }'

# --- settings on hotplug -------------------------------------------------------
default_amp=$(attr vsensor0 amplitude)
mkdir -p "$confd"
cat >"$confd/50-lab.conf" <<'CONF'
[match serial=LAB-*]
amplitude = 4321
waveform = square
CONF
check "daemon reload takes a new drop-in" vsensorctl daemon reload
check_eq "configuration generation 2" 2 "$(status config_generation)"
echo "7 LAB-7" >$sysbus/new_device
check "a matching device gets its settings" wait_until 10 attr_is vsensor7 amplitude 4321
check_eq "all of them" square "$(attr vsensor7 waveform)"
echo "8 OTHER-8" >$sysbus/new_device
check "a device that matches nothing is left alone" \
	wait_until 10 attr_is vsensor8 amplitude "$default_amp"
check "the journal has the setting with the device's fields" sh -c \
	"journalctl -b -o cat VSENSOR_SERIAL=LAB-7 VSENSOR_DEVICE=vsensor7 | grep -q 'setting amplitude=4321: applied'"

# --- a bad configuration -----------------------------------------------------------
printf '[match serial=LAB-*]\namplitude = 99999999\n' >"$confd/60-bad.conf"
vsensord --check-config 2>/tmp/err >/dev/null
check_eq "--check-config fails" 1 $?
check "it names file:line:" grep -q "^vsensord: $confd/60-bad.conf:2: " /tmp/err
vsensorctl daemon reload 2>/tmp/err
check_eq "reload is refused (exit 2)" 2 $?
check "with one Error: line naming file:line:" sh -c \
	"[ \$(wc -l </tmp/err) -eq 1 ] && grep -q '^Error: .*$confd/60-bad.conf:2' /tmp/err"
check_eq "the generation stays" 2 "$(status config_generation)"
echo "9 LAB-9" >$sysbus/new_device
check "the old settings stay in force" wait_until 10 attr_is vsensor9 amplitude 4321
rm -f "$confd/60-bad.conf"
check "--check-config passes again" vsensord --check-config

# --- persisted settings --------------------------------------------------------------
check "device set --persist" vsensorctl device set vsensor7 amplitude 777 --persist
check_eq "applied at once" 777 "$(attr vsensor7 amplitude)"
check "stored under the state directory" grep -q 'amplitude *= *777' /var/lib/vsensor/settings.conf
echo 7 >$sysbus/del_device
echo "7 LAB-7" >$sysbus/new_device
check "re-applied on the next add (over the drop-in)" wait_until 10 attr_is vsensor7 amplitude 777
systemctl restart vsensord
echo 7 >$sysbus/del_device
echo "7 LAB-7" >$sysbus/new_device
check "and after a daemon restart" wait_until 10 attr_is vsensor7 amplitude 777

# --- a held session across unplug and replug ---------------------------------------------
id=$(vsensorctl -j session start vsensor7 rate 100 format bin output replug.bin | jq -r ".[0].id")
check "session start gives an id" test "$id" -gt 0
sleep 1
echo 7 >$sysbus/del_device
check "the session pauses when its device goes" wait_until 10 \
	sh -c "[ \"\$(vsensorctl -j session list | jq -r '.[] | select(.held and .id == $id) | .state')\" = paused ]"
sleep 0.5
echo "7 LAB-7" >$sysbus/new_device
check "and resumes when the same serial returns" wait_until 10 held_running "$id"
sleep 1
stopped=$(vsensorctl -j session stop "$id")
check "session stop" test -n "$stopped"
out=$($capcheck "$capdir/replug.bin")
echo "# replug.bin: $out"
check_eq "the daemon counted what the file holds" \
	"$(echo "$out" | awk '{ print $2 }')" "$(echo "$stopped" | jq '.[0].records')"
check "one gap marker" sh -c "echo '$out' | grep -q ' gaps 1 '"
check "no other loss" sh -c "echo '$out' | grep -q ' breaks 0 dropped 0 '"
check "records on both sides of the gap" sh -c \
	"echo '$out' | awk '{ exit !(\$2 >= 150) }'"

# --- csv with rotation --------------------------------------------------------------------
id=$(vsensorctl -j session start vsensor7 rate 100 channels 0x5 format csv rotate 4K \
	output rot.csv | jq -r ".[0].id")
check "a csv session with rotate 4K starts" test "$id" -gt 0
sleep 2
vsensorctl session stop "$id" >/dev/null
check_eq "the csv header names the channels" "seq,timestamp_ns,flags,dropped,ch0,ch2" \
	"$(head -n 1 "$capdir/rot.csv.1")"
check "the full file was rotated at 4 KiB" test "$(stat -c %s "$capdir/rot.csv.1")" -ge 4096
check "into rot.csv.1 and a new rot.csv with its own header" sh -c \
	"head -n 1 $capdir/rot.csv | grep -qx 'seq,timestamp_ns,flags,dropped,ch0,ch2'"
check "seq runs on across the files, one number a line" sh -c \
	"cat \$(ls -r $capdir/rot.csv*) | grep -v '^seq' | awk -F, 'NR > 1 && \$1 != prev + 1 { bad = 1 } { prev = \$1 } END { exit bad || NR < 150 }'"

# --- kill -9 and systemctl restart: the fd store keeps the session ---------------------------
id=$(vsensorctl -j session start vsensor7 rate 100 format bin output restart.bin | jq -r ".[0].id")
sleep 1
pid=$(main_pid)
kill -9 "$pid"
check "systemd restarts a killed daemon" wait_until 20 restarted_from "$pid"
check "the held session runs on" wait_until 10 held_running "$id"
sleep 1
pid=$(main_pid)
systemctl restart vsensord
check "systemctl restart" wait_until 20 restarted_from "$pid"
check "the held session still runs" wait_until 10 held_running "$id"
sleep 1
stopped=$(vsensorctl -j session stop "$id")
check "session stop" test -n "$stopped"
out=$($capcheck "$capdir/restart.bin")
echo "# restart.bin: $out"
check_eq "the count survived the restarts" \
	"$(echo "$out" | awk '{ print $2 }')" "$(echo "$stopped" | jq '.[0].records')"
check "no gap and no lost record across kill -9 and restart" sh -c \
	"echo '$out' | grep -q ' gaps 0 .* breaks 0 dropped 0 '"
check "about 3 s of records at 100 Hz" sh -c "echo '$out' | awk '{ exit !(\$2 >= 250) }'"
check "the journal says where it came from" sh -c \
	"journalctl -b -o cat VSENSOR_SESSION=$id | grep -q 'taken back from the fd store'"

# --- killed between a read() and writing it: the kernel offers those records again ------------
# /var/lib/vsensor/test-kill-after-read makes the next daemon SIGKILL itself
# right after its 100th read; it removes the file at start, so the daemon
# systemd starts after the kill runs plain
systemctl reset-failed vsensord
kills=$(journalctl -b -u vsensord -o cat | grep -c 'status=9/KILL')
id=$(vsensorctl -j session start vsensor7 rate 100 format bin output crash.bin | jq -r ".[0].id")
sleep 1
pid=$(main_pid)
echo 100 >/var/lib/vsensor/test-kill-after-read
systemctl restart vsensord
check "restarted with the knob" wait_until 20 restarted_from "$pid"
check_fails "the knob is one-shot: the daemon took it away" \
	test -e /var/lib/vsensor/test-kill-after-read
# the kill comes about a second after the start, too soon to watch its pid:
# systemd's own line about it tells
killed_since() {
	[ "$(journalctl -b -u vsensord -o cat | grep -c 'status=9/KILL')" -gt "$1" ] && is_active
}
check "it killed itself after a read, systemd restarted it" wait_until 30 killed_since "$kills"
check "the held session runs on" wait_until 10 held_running "$id"
sleep 1
stopped=$(vsensorctl -j session stop "$id")
out=$($capcheck "$capdir/crash.bin")
echo "# crash.bin: $out"
journalctl -b -o short-monotonic VSENSOR_SESSION="$id" | sed 's/^/#   /'
check_eq "the daemon's count is the file's" \
	"$(echo "$out" | awk '{ print $2 }')" "$(echo "$stopped" | jq '.[0].records')"
check "the records read before the kill came back: no gap, none lost" sh -c \
	"echo '$out' | grep -q ' gaps 0 .* breaks 0 dropped 0 '"
check_eq "taken back from the fd store twice" 2 \
	"$(journalctl -b -o cat VSENSOR_SESSION="$id" | grep -c 'taken back from the fd store')"
check_eq "no record reported gone" 0 \
	"$(journalctl -b -o cat VSENSOR_SESSION="$id" | grep -c 'gone from the kernel')"

# --- stop and start: the fd store is gone, the state file is not ----------------------------
id=$(vsensorctl -j session start vsensor7 rate 100 format bin output stopstart.bin | jq -r ".[0].id")
sleep 1
systemctl stop vsensord
sleep 1
systemctl start vsensord
check "after stop and start the held session runs again" wait_until 10 held_running "$id"
sleep 1
vsensorctl session stop "$id" >/dev/null
out=$($capcheck "$capdir/stopstart.bin")
echo "# stopstart.bin: $out"
check "one gap marker for the time the daemon was stopped, no other loss" sh -c \
	"echo '$out' | grep -q ' gaps 1 .* breaks 0 dropped 0 '"
check_eq "ids only grow" $((id + 1)) \
	"$(vsensorctl -j session start vsensor7 output grow.bin | jq -r ".[0].id")"
vsensorctl session stop $((id + 1)) >/dev/null

# --- a storm with forced udev overflows ------------------------------------------------------
printf '[match serial=STORM-*]\namplitude = 1234\n' >>"$confd/50-lab.conf"
# No watchdog: the daemon is frozen on purpose below.
mkdir -p "$dropin"
printf '[Service]\nWatchdogSec=0\nExecStart=\nExecStart=/usr/sbin/vsensord --udev-rcvbuf 4096\n' \
	>"$dropin/storm.conf"
systemctl daemon-reload
systemctl restart vsensord
# The daemon keeps up with a storm under TCG; frozen for a quarter of it,
# its tiny receive buffer overflows for certain. On the debug kernel (slow)
# the storm is shorter: the freeze makes the overflow, not the length.
cycles=$((500 / slow))
pid=$(main_pid)
for i in $(seq "$cycles"); do
	[ "$i" = $((cycles / 4)) ] && kill -STOP "$pid"
	[ "$i" = $((cycles / 2)) ] && kill -CONT "$pid"
	echo "20 STORM-$((i % 7))" >$sysbus/new_device
	echo 20 >$sysbus/del_device
done
echo "21 STORM-END" >$sysbus/new_device
check "after $cycles add/remove cycles the daemon's view equals the kernel's" \
	wait_until 30 views_agree
echo "# kernel: $(kernel_devices) / daemon: $(daemon_devices) / udev_overflows $(status udev_overflows) reenumerations $(status reenumerations)"
check "overflows happened and were counted" test "$(status udev_overflows)" -gt 0
check "each one re-enumerated" test "$(status reenumerations)" -ge "$(status udev_overflows)"
check "the storm's last device got its settings" wait_until 10 attr_is vsensor21 amplitude 1234
rm -rf "$dropin"
systemctl daemon-reload
systemctl restart vsensord

# leave the guest as it was
for d in 7 8 9 21; do echo $d >$sysbus/del_device 2>/dev/null; done
rm -f "$confd/50-lab.conf" /var/lib/vsensor/settings.conf "$capdir"/*.bin
systemctl restart vsensord
check "vsensord active at the end" wait_until 10 is_active
done_testing
