#!/bin/bash
# Guest tests: vsensorctl's netlink verbs: device add/del/set, session
# list/revoke, monitor (text and JSON), kernel refusals as
# "Error: <extack text>." with exit code 2, non-root refused.
dir=$(dirname "$0")
# shellcheck source=lib.sh
. "$dir/lib.sh"
# shellcheck source=hotplug.sh
. "$dir/hotplug.sh"

mon=$(mktemp)
vsensorctl -j monitor >"$mon" &
monpid=$!
sleep 1

check "device add 50 serial CLI-50" vsensorctl device add 50 serial CLI-50
check_eq "vsensor50 has the serial" CLI-50 "$(cat $sysbus/devices/vsensor50/serial)"
out=$(vsensorctl device add 50 2>&1)
check_eq "duplicate add: exit 2" 2 $?
check_eq "duplicate add: the kernel's message" \
	"Error: device id or serial already in use." "$out"
out=$(vsensorctl device add 300 2>&1)
check_eq "add 300: exit 2" 2 $?
check_eq "add 300: the kernel's message" "Error: integer out of range." "$out"
out=$(vsensorctl device add 51 serial 'a b' 2>&1)
check_eq "bad serial: exit 2" 2 $?
check_eq "bad serial: the kernel's message" \
	"Error: serial must be 1-31 of A-Z a-z 0-9 - _." "$out"

check "device set vsensor50 waveform ramp amplitude 321" \
	vsensorctl device set vsensor50 waveform ramp amplitude 321
check_eq "waveform set" ramp "$(cat $sysbus/devices/vsensor50/waveform)"
check_eq "amplitude set" 321 "$(cat $sysbus/devices/vsensor50/amplitude)"
out=$(vsensorctl device set 50 waveform square frequency_mhz 0 2>&1)
check_eq "set out of range: exit 2" 2 $?
check_eq "set out of range: the kernel's message" "Error: integer out of range." "$out"
check_eq "all or nothing: waveform unchanged" ramp "$(cat $sysbus/devices/vsensor50/waveform)"
out=$(vsensorctl device set 50 waveform triangle 2>&1)
check_eq "unknown waveform: usage error" 1 $?
check_eq "unknown waveform: message" 'Error: bad setting "waveform triangle".' "$out"

exec 3</dev/vsensor50
list=$(vsensorctl session list)
line=$(grep ' dev vsensor50 ' <<<"$list")
check "session list shows the session on vsensor50" \
	grep -Eq "^session [0-9]+ dev vsensor50 pid $$ comm t-cli-netlink.s rate 100 " <<<"$line"
sid=$(awk '{ print $2 }' <<<"$line")
check "session list -j" sh -c \
	"vsensorctl -j session list | grep -q '\"id\":$sid,\"held\":false,\"dev_id\":50,\"pid\":$$'"
# a command name with control characters reaches the terminal escaped
esc=/tmp/$'e\033[7m\n'
cp /bin/dd "$esc"
"$esc" if=/dev/vsensor0 of=/dev/null bs=64 2>/dev/null &
escpid=$!
sleep "$slow"
line=$(vsensorctl session list | grep " pid $escpid ")
check_eq "session list escapes the comm in text" 'comm e\x1b[7m\n rate' \
	"$(grep -o 'comm .* rate' <<<"$line")"
check "and keeps it whole in JSON" sh -c "vsensorctl -j session list |
	jq -e '.[] | select(.pid == $escpid) | .comm == \"e\\u001b[7m\\n\"' >/dev/null"
kill "$escpid"
wait "$escpid" 2>/dev/null
rm -f "$esc"
check "session revoke" vsensorctl session revoke "$sid"
check "the revoked session reads ENODEV at once" sh -c \
	"dd bs=64 count=1 of=/dev/null <&3 2>&1 | grep -q 'No such device'"
exec 3<&-
out=$(vsensorctl session revoke "$sid" 2>&1)
check_eq "revoke a closed session: exit 2" 2 $?
check_eq "revoke a closed session: message" "Error: no such session." "$out"

out=$(as_nobody vsensorctl device del 50 2>&1)
check_eq "non-root del: exit 2" 2 $?
check_eq "non-root del: EPERM" "Error: device del: Operation not permitted." "$out"
check "non-root may list sessions" as_nobody vsensorctl session list

check "device del vsensor50" vsensorctl device del vsensor50
out=$(vsensorctl device del 50 2>&1)
check_eq "del again: exit 2" 2 $?
check_eq "del again: message" "Error: no such device." "$out"
sleep 1
kill $monpid
wait $monpid 2>/dev/null
events=$(grep '"dev_id":50' "$mon" | sed 's/.*"event":"\([a-z-]*\)".*/\1/' | tr '\n' ' ')
check_eq "monitor -j saw each event once, in order" \
	"device-added device-changed session-opened session-closed device-removed " \
	"$events"
check "monitor JSON lines carry the serial" grep -q \
	'^{"event":"device-added","dev_id":50,"serial":"CLI-50"}$' "$mon"
check "monitor prints the session as session list does (same keys)" grep -q \
	"^{\"event\":\"session-opened\",\"id\":$sid,\"held\":false,\"dev_id\":50,\"pid\":$$,\"comm\":\"t-cli-netlink.s\"}\$" "$mon"
check "monitor -j output parses" jq -e -s 'length > 0' "$mon"
rm -f "$mon"

# monitor | head -1 ends within a second of the first event (times the
# guest's slowness): poll() sees that the pipe's reader is gone (before the
# fix it went on forever)
first=$(mktemp)
(vsensorctl monitor | head -1 >"$first") &
pipepid=$!
sleep "$slow"
echo "59 X-59" >$sysbus/new_device
for _ in $(seq $((10 * slow))); do
	kill -0 $pipepid 2>/dev/null || break
	sleep 0.1
done
if kill -0 $pipepid 2>/dev/null; then
	check "monitor | head -1 ends within $slow s of the event" false
	pkill -P $pipepid
else
	check "monitor | head -1 ends within $slow s of the event" true
fi
wait $pipepid 2>/dev/null
check_eq "head got the first event" \
	"device-added dev vsensor59 serial X-59" "$(cat "$first")"
echo 59 >$sysbus/del_device
rm -f "$first"
done_testing
