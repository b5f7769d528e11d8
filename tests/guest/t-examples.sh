#!/bin/sh
# Guest tests: the programs of docs/examples, built against libvsensor as
# their Makefile builds them (test-install builds them with pkg-config
# from an installed tree), run against the real module.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
dir=$(dirname "$0")

# reader: the device list, then CSV and the gap summary
out=$("$dir/example-reader" vsensor0 20 200 2>/tmp/err); rc=$?
check_eq "reader exits 0" 0 "$rc"
check_eq "reader: a header and 20 records" 21 "$(echo "$out" | wc -l)"
check_eq "reader: the CSV header" "seq,timestamp_ns,flags,dropped,ch0,ch1,ch2,ch3" \
	"$(echo "$out" | head -n 1)"
check "reader: seq 0 first" sh -c "echo '$out' | sed -n 2p | grep -q '^0,'"
check "reader: lists vsensor0 with its serial" grep -qx '# vsensor0 serial VSN1000-000000' /tmp/err
check "reader: the gap summary" grep -Eqx '# 20 records, [0-9]+ lost in [0-9]+ gaps' /tmp/err

# a device named by its serial or its node: the session opens udev's devnode
check_eq "reader by serial: a header and 3 records" 4 \
	"$("$dir/example-reader" VSN1000-000000 3 2>/dev/null | wc -l)"
check_eq "reader by node: a header and 3 records" 4 \
	"$("$dir/example-reader" /dev/vsensor0 3 2>/dev/null | wc -l)"
check_fails "reader of an unknown serial fails" \
	sh -c "'$dir/example-reader' NO-SUCH-SERIAL 3 >/dev/null 2>&1"

# stimulus: written through one session, read back through another
check_eq "stimulus: 100 records back bit-exact" "100 sent, 100 back, 0 wrong" \
	"$(timeout $((60 * slow)) "$dir/example-stimulus" vsensor0 100)"
# more than the transmit FIFO holds (256): the writer blocks while the
# sensor measures the first ones, which only a reader started before the
# writes sees (a session streams from its first operation, not its open)
check_eq "stimulus: 300 records, over the transmit FIFO, back bit-exact" \
	"300 sent, 300 back, 0 wrong" \
	"$(timeout $((60 * slow)) "$dir/example-stimulus" vsensor0 300)"

# monitor: a device added and removed (vsensord may change its settings
# in between: the events around them are not counted)
"$dir/example-monitor" >/tmp/mon &
pid=$!
sleep "$slow"
# udev done with the node before it goes: the monitor sees it whole
vsensorctl device add 30 >/dev/null && udevadm settle && vsensorctl device del 30
i=0
while ! { grep -q 'device-removed dev vsensor30' /tmp/mon &&
	grep -q '# node removed: vsensor30' /tmp/mon; } && [ $i -lt $((100 * slow)) ]; do
	sleep 0.1
	i=$((i + 1))
done
kill $pid
wait $pid 2>/dev/null
check_eq "monitor: added, then removed last" "device-added dev vsensor30
device-removed dev vsensor30" "$(grep -E '^device-(added|removed) dev vsensor30$' /tmp/mon)"
check "monitor: every line a known notification" sh -c \
	"! grep -Ev '^(device|session)-[a-z]+ dev vsensor[0-9]+( session [0-9]+ pid [0-9]+)?$|^# node (added|removed): ' /tmp/mon"
check_eq "monitor: udev added the node, with its serial" \
	"# node added: vsensor30 /dev/vsensor30 serial VSN1000-000030" \
	"$(grep '^# node added: vsensor30 ' /tmp/mon)"
check "monitor: udev removed the node" grep -qx '# node removed: vsensor30' /tmp/mon
check "monitor 2: exits 0 after two notifications" sh -c \
	"'$dir/example-monitor' 2 >/tmp/mon2 & p=\$!; sleep $slow; vsensorctl device add 31 >/dev/null; vsensorctl device del 31; wait \$p"
done_testing
