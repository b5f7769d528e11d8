#!/bin/sh
# Guest tests: vsensorctl against the real module (discovery through udev,
# sessions through the character device), text and JSON, exit codes.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

out=$(vsensorctl device list)
check "device list exits 0" test $? -eq 0
check "device list names vsensor0 and its node" sh -c \
	"echo '$out' | grep -q '^vsensor0 devnode /dev/vsensor0 model VSN1000 serial VSN1000-000000 channels 4'"
json=$(vsensorctl -j device list)
check "device list -j is one JSON array with vsensor0" sh -c \
	"echo '$json' | grep -q '^\[{\"name\":\"vsensor0\",\"devnode\":\"/dev/vsensor0\",'"
check_eq "device show vsensor0 matches the list" "$out" "$(vsensorctl device show vsensor0)"
check_eq "dev sh abbreviates device show" "$out" "$(vsensorctl dev sh vsensor0)"
check_eq "-j after the object is -j" "$(vsensorctl -j device show vsensor0)" \
	"$(vsensorctl device show vsensor0 -j)"
# DEV may be the device's serial, wherever a DEV goes
serial=VSN1000-000000
check_eq "device show SERIAL is device show vsensor0" "$out" "$(vsensorctl device show $serial)"
check_eq "device show SERIAL -j too" "$(vsensorctl -j device show vsensor0)" \
	"$(vsensorctl -j device show $serial)"
check_eq "read SERIAL -n 3: 3 records" 3 "$(vsensorctl read $serial -n 3 | wc -l)"
amp=$(cat /sys/bus/vsensor/devices/vsensor0/amplitude)
check "device set SERIAL amplitude 1234" vsensorctl device set $serial amplitude 1234
check_eq "... set vsensor0's amplitude" 1234 "$(cat /sys/bus/vsensor/devices/vsensor0/amplitude)"
vsensorctl device set vsensor0 amplitude "$amp"
vsensorctl device show NO-SUCH-SERIAL >/dev/null 2>/tmp/err; rc=$?
check_eq "device show of a serial no device has exits 3" 3 "$rc"
check_eq "... saying so" "Error: NO-SUCH-SERIAL: no such device." "$(cat /tmp/err)"
vsensorctl device set NO-SUCH-SERIAL amplitude 1 2>/tmp/err; rc=$?
check_eq "device set of a serial no device has exits 3" 3 "$rc"
check_eq "... saying so" "Error: NO-SUCH-SERIAL: no such device." "$(cat /tmp/err)"
vsensorctl read NO-SUCH-SERIAL -n 1 2>/dev/null; rc=$?
check_eq "read of a serial no device has exits 3" 3 "$rc"
vsensorctl device show VSN1000.000000 2>/tmp/err; rc=$?
check_eq "neither a DEV nor a serial exits 1" 1 "$rc"
check_eq "... saying what a DEV is" \
	'Error: "VSN1000.000000" is not a device, expected N, vsensorN, /dev/vsensorN or a serial.' \
	"$(cat /tmp/err)"
check_eq "-j is one line a document" 1 "$(vsensorctl -j device list | wc -l)"
check "-j -p parses as the -j does" sh -c \
	"[ \"\$(vsensorctl -j -p device list | jq -c .)\" = \"\$(vsensorctl -j device list | jq -c .)\" ]"
check "-j -p read: a streamed array, indented, that parses" sh -c \
	"vsensorctl -j -p read vsensor0 -n 3 | jq -e 'length == 3 and .[2].seq == 2' >/dev/null"

n=$(vsensorctl read vsensor0 -n 5 | wc -l)
check_eq "read -n 5 prints 5 records" 5 "$n"
first=$(vsensorctl read /dev/vsensor0 -n 3 | head -n 1)
check "records start at seq 0 with four channels" sh -c \
	"echo '$first' | grep -Eq '^seq 0 ts [0-9]+\.[0-9]{9} flags - ch0 -?[0-9]+ ch1 -?[0-9]+ ch2 -?[0-9]+ ch3 -?[0-9]+$'"
jn=$(vsensorctl -j read 0 -n 4 | grep -o '"seq":' | wc -l)
check_eq "read -j -n 4 holds 4 records" 4 "$jn"
check "read | head exits quietly" sh -c \
	"vsensorctl read vsensor0 -n 100000 | head -n 2 >/dev/null; test \$? -eq 0"

# read: formats, configuration, duration, SIGINT
check_eq "read --format csv -n 1000: a header and 1000 lines" 1001 \
	"$(vsensorctl read vsensor0 -n 1000 --rate 1000 --format csv | wc -l)"
check_eq "csv header names the mask's channels" "seq,timestamp_ns,flags,dropped,ch0,ch2" \
	"$(vsensorctl read vsensor0 -n 1 --channels 0x5 --format csv | head -n 1)"
check "csv line: seq, ts, flags, dropped, two values" sh -c \
	"vsensorctl read vsensor0 -n 2 --channels 5 --format csv | sed -n 3p | grep -Eqx '1,[0-9]+,[0-9]+,[0-9]+,-?[0-9]+,-?[0-9]+'"
check_eq "read --format raw -n 10: ten 64-byte records" 640 \
	"$(vsensorctl read vsensor0 --format raw -n 10 | wc -c)"
check_eq "raw records are the kernel's: seq 0..9" "0 1 2 3 4 5 6 7 8 9" \
	"$(vsensorctl read vsensor0 --format raw -n 10 | od -A n -t u8 -w64 -v | awk '{ printf "%s%s", (NR > 1 ? " " : ""), $1 }')"
check_eq "read --format jsonl: an object a line" 3 \
	"$(vsensorctl read vsensor0 -n 3 --format jsonl | grep -c '^{"seq":[0-9]*,.*}$')"
check "jsonl lines parse one by one" sh -c \
	"vsensorctl read vsensor0 -n 3 --format jsonl | jq -e -s 'length == 3 and .[2].seq == 2' >/dev/null"
check_eq "-j read --format csv: the format wins" "seq,timestamp_ns,flags,dropped,ch0,ch1,ch2,ch3" \
	"$(vsensorctl -j read vsensor0 -n 1 --format csv | head -n 1)"
err=$(vsensorctl read vsensor0 -n 1 -v --rate 250 --channels 0x3 --watermark 2 --clock boottime 2>&1 >/dev/null)
check_eq "-v prints the applied configuration" \
	"# vsensor0: rate 250 Hz, channels 0x3, watermark 2, ring 1024 records, clock boottime" \
	"$(echo "$err" | head -n 1)"
check_eq "-v ends with what was lost" "# vsensor0: 1 records read, 0 lost in 0 gaps" \
	"$(echo "$err" | tail -n 1)"
# a reader stalled by a full pipe: its 1024-record ring overflows; the
# gap count (libvsensor's vsensor_gap_check) is the sum of the dropped(N) marks
vsensorctl read vsensor0 --rate 20000 -n 3000 -v 2>/tmp/err | { sleep $((2 * slow)); cat; } >/tmp/gap.txt
lost=$(sed -n 's/^# vsensor0: 3000 records read, \([0-9]*\) lost in [0-9]* gaps$/\1/p' /tmp/err)
sum=$(grep -o 'dropped([0-9]*)' /tmp/gap.txt | tr -dc '0-9\n' | awk '{ s += $1 } END { print s + 0 }')
check "a stalled reader loses records (${lost:-none})" test "${lost:-0}" -gt 0
check_eq "what it lost is the sum of the dropped(N) marks" "$sum" "$lost"
check "--channels 0x3 prints ch0 and ch1 only" sh -c \
	"vsensorctl read vsensor0 -n 1 --channels 0x3 | grep -Eq 'flags [^ ]+ ch0 -?[0-9]+ ch1 -?[0-9]+$'"
vsensorctl read vsensor0 -n 1 --rate 100001 2>/tmp/err; rc=$?
check_eq "a refused configuration exits 2" 2 "$rc"
check_eq "and says what was refused" \
	"Error: vsensor0 refused the configuration (rate 100001 Hz, channels 0xf, watermark 1): Invalid argument." \
	"$(cat /tmp/err)"
start=$(date +%s%N)
n=$(vsensorctl read vsensor0 --duration 1s --rate 100 | wc -l)
ms=$((($(date +%s%N) - start) / 1000000))
check "--duration 1s ends the read after 1 s ($n records in $ms ms)" \
	test "$n" -gt 0 -a "$ms" -ge 1000 -a "$ms" -lt $((10000 * slow))
vsensorctl -j read vsensor0 --rate 100 >/tmp/int.json &
pid=$!
sleep "$slow"
kill -INT $pid
wait $pid; rc=$?
check_eq "SIGINT ends a read without -n, exit 0" 0 "$rc"
check "its JSON is closed and holds records" jq -e 'length > 0 and .[0].seq == 0' /tmp/int.json

# write: stimulus comes back bit-exact in a reader's records (injected)
# start_reader OUT: a csv reader for 3 s at 200 Hz (at most 20 s), its
# session open once the header is there (stimulus is measured whether
# anyone reads or not)
start_reader() {
	vsensorctl read vsensor0 --rate 200 -n 600 --format csv --duration "$((20 * slow))s" >"$1" &
	reader=$!
	for _ in $(seq $((100 * slow))); do [ -s "$1" ] && break; sleep 0.1; done
}
injected() {	# the channel values of the injected records
	awk -F, 'NR > 1 && int($3 / 2) % 2 == 1 { print $5 "," $6 "," $7 "," $8 }' "$1"
}
{
	echo "ch0,ch1,ch2,ch3"
	awk 'BEGIN { for (i = 0; i < 200; i++) printf "%d,%d,%d,%d\n", i * 7919 - 500000, -i, i * i, 2147483647 - i }'
} >/tmp/stim.csv
start_reader /tmp/back.csv
out=$(vsensorctl write vsensor0 /tmp/stim.csv); rc=$?
wait $reader
check_eq "write FILE exits 0" 0 "$rc"
check_eq "write prints how many went in" "vsensor0: 200 records written" "$out"
check_eq "200 csv records come back bit-exact, in order" \
	"$(tail -n +2 /tmp/stim.csv | md5sum)" "$(injected /tmp/back.csv | md5sum)"
# read --format csv's own output goes back in through stdin
start_reader /tmp/back2.csv
vsensorctl read vsensor0 -n 50 --format csv | vsensorctl write vsensor0 >/dev/null
wait $reader
check_eq "read | write: 50 records come back" 50 "$(injected /tmp/back2.csv | wc -l)"
# raw: the records as read gives them
vsensorctl read vsensor0 -n 30 --format raw >/tmp/r.raw
start_reader /tmp/back3.csv
vsensorctl write vsensor0 --format raw </tmp/r.raw >/dev/null
wait $reader
check_eq "raw records come back with their values" \
	"$(od -A n -t d4 -w64 -v /tmp/r.raw | awk '{ print $9 "," $10 "," $11 "," $12 }' | md5sum)" \
	"$(injected /tmp/back3.csv | md5sum)"
start_reader /tmp/back4.csv
json=$(vsensorctl -j write vsensor0 --wave square:amp=500,offset=1,rate=1000 -n 20)
wait $reader
check_eq "write --wave -j" '{"device":"vsensor0","written":20}' "$json"
check_eq "a square wave: 20 records of 501 or -499 on every channel" 20 \
	"$(injected /tmp/back4.csv | grep -Ecx '501,501,501,501|-499,-499,-499,-499')"
printf '1,2\n3,4\n5,x\n' >/tmp/bad.csv
out=$(vsensorctl write vsensor0 /tmp/bad.csv 2>/tmp/err); rc=$?
check_eq "a bad csv line exits 1" 1 "$rc"
check_eq "and names file:line" 'Error: /tmp/bad.csv:3: column 2: "x" is not a 32-bit integer.' "$(cat /tmp/err)"
check_eq "and writes nothing, not even the good lines" "vsensor0: 0 records written" "$out"

# batch: a command a line, as if typed
out=$(printf '# two commands\ndevice show vsensor0\nread vsensor0 -n 2 --format csv\n' | vsensorctl -b -)
check_eq "-b -: both commands' output" 4 "$(echo "$out" | wc -l)"
check "-b -: the device line first" sh -c "echo '$out' | head -n 1 | grep -q '^vsensor0 devnode /dev/vsensor0 '"

vsensorctl read vsensor9 -n 1 2>/tmp/err; rc=$?
check_eq "missing device exits 3" 3 "$rc"
check "missing device says Error:" grep -q '^Error: ' /tmp/err
vsensorctl read vsensor0 -n abc 2>/tmp/err; rc=$?
check_eq "bad count exits 1" 1 "$rc"
check "bad count says Error:" grep -q '^Error: ' /tmp/err
vsensorctl frobnicate 2>/dev/null; rc=$?
check_eq "unknown object exits 1" 1 "$rc"

# a non-member of group vsensor cannot open the node
check "nobody cannot read the device" sh -c \
	"! setpriv --reuid=nobody --regid=nogroup --clear-groups vsensorctl read vsensor0 -n 1 2>/dev/null"

# bash completion, installed where bash-completion looks for it
comp=/usr/share/bash-completion/completions/vsensorctl
check "bash completion registers vsensorctl" sh -c \
	"bash -c '. $comp; complete -p vsensorctl' | grep -qx 'complete -F _vsensorctl vsensorctl'"
check_eq "completing 'vsensorctl dev' gives device" device "$(complete_line 'vsensorctl dev')"
check_eq "completing a device names the devices on the bus, then their serials" \
	"$(cd /sys/bus/vsensor/devices && printf '%s\n' vsensor* && cat vsensor*/serial)" \
	"$(complete_line 'vsensorctl device show ""' | tr ' ' '\n')"
check_eq "completing a serial's start gives the serial" VSN1000-000000 \
	"$(complete_line 'vsensorctl read VSN1000-00000')"
done_testing
