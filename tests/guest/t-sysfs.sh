#!/bin/bash
# Guest tests: the driver's sysfs attributes (values, modes, the bad-write
# table for each writable one with no change, root only), the status LED
# and its triggers, the debugfs register dump. On the device of
# VSENSOR_TEST_DEV and VSENSOR_TEST_SYSFS (t-pci-backend.sh) if set, else the
# model's vsensor0; the cases that make a second device with the bus's
# new_device run on the model only.
dir=$(dirname "$0")
# shellcheck source=lib.sh
. "$dir/lib.sh"
# shellcheck source=hotplug.sh
. "$dir/hotplug.sh"

node=${VSENSOR_TEST_DEV:-/dev/vsensor0}
n=${node##*/}
d=${VSENSOR_TEST_SYSFS:-$sysbus/devices/$n}
led=/sys/class/leds/$n::status
model=true
[ "${VSENSOR_TEST_BACKEND:-sim}" = pci ] && model=false

check_eq "firmware_version" 1.1.0 "$(cat "$d"/firmware_version)"
check_eq "online" 1 "$(cat "$d"/online)"
check_eq "sessions_open with none" 0 "$(cat "$d"/sessions_open)"
exec 3<"$node" 4<"$node"
check_eq "sessions_open with two" 2 "$(cat "$d"/sessions_open)"
exec 3<&- 4<&-
check_eq "sessions_open after close" 0 "$(cat "$d"/sessions_open)"
check_eq "waveform default" sine "$(cat "$d"/waveform)"
check_eq "amplitude default" 1000 "$(cat "$d"/amplitude)"
check_eq "frequency_mhz default" 1000 "$(cat "$d"/frequency_mhz)"
for a in firmware_version online sessions_open; do
	check_eq "$a is 0444" "-r--r--r-- root" "$(stat -c '%A %U' "$d/$a")"
done
for a in waveform amplitude frequency_mhz transfer_mode dma_threshold \
	fifo_watermark; do
	check_eq "$a is 0644" "-rw-r--r-- root" "$(stat -c '%A %U' "$d/$a")"
done
for a in nr_queues statistics/interrupts statistics/pio_transfers \
	statistics/pio_records statistics/dma_transfers statistics/dma_records \
	statistics/dma_late \
	statistics/headroom_records statistics/overruns statistics/iommu_faults; do
	check_eq "$a is 0444" "-r--r--r-- root" "$(stat -c '%A %U' "$d/$a")"
done
check_eq "transfer_mode default" auto "$(cat "$d"/transfer_mode)"
check_eq "fifo_watermark default: 80% of the FIFO" 204 "$(cat "$d"/fifo_watermark)"
check_eq "one queue per CPU" "$(nproc)" "$(cat "$d"/nr_queues)"
measured=$(cat "$d"/dma_threshold)
check "dma_threshold measured at probe, 1..256" test "$measured" -ge 1 -a "$measured" -le 256

long=$(printf '1%.0s' $(seq 40))
# attribute | input | expected write result | value read back afterwards
while IFS='|' read -r attr input want after; do
	input=${input//\\n/$'\n'}
	check_eq "$attr <- '${input//$'\n'/\\n}': $want" "$want" \
		"$(try_write "$d/$attr" "$input")"
	check_eq "$attr reads $after" "$after" "$(cat "$d/$attr")"
done <<TABLE
waveform|abc|Invalid argument|sine
waveform|\n|Invalid argument|sine
waveform|Square|Invalid argument|sine
waveform|square2|Invalid argument|sine
waveform|2|Invalid argument|sine
waveform|$long|Invalid argument|sine
waveform|square|ok|square
waveform|ramp\n|ok|ramp
waveform|noise|ok|noise
waveform|sine|ok|sine
amplitude|abc|Invalid argument|1000
amplitude|\n|Invalid argument|1000
amplitude|-1|Invalid argument|1000
amplitude|1000001|Invalid argument|1000
amplitude|4294967296|Invalid argument|1000
amplitude|12abc|Invalid argument|1000
amplitude|$long|Invalid argument|1000
amplitude|0|ok|0
amplitude|1000000\n|ok|1000000
amplitude|1000|ok|1000
frequency_mhz|abc|Invalid argument|1000
frequency_mhz|\n|Invalid argument|1000
frequency_mhz|0|Invalid argument|1000
frequency_mhz|1000001|Invalid argument|1000
frequency_mhz|-5|Invalid argument|1000
frequency_mhz|$long|Invalid argument|1000
frequency_mhz|1|ok|1
frequency_mhz|1000000|ok|1000000
frequency_mhz|1000|ok|1000
transfer_mode|abc|Invalid argument|auto
transfer_mode|\n|Invalid argument|auto
transfer_mode|PIO|Invalid argument|auto
transfer_mode|pio2|Invalid argument|auto
transfer_mode|$long|Invalid argument|auto
transfer_mode|pio|ok|pio
transfer_mode|dma\n|ok|dma
transfer_mode|auto|ok|auto
dma_threshold|10|ok|10
dma_threshold|abc|Invalid argument|10
dma_threshold|\n|Invalid argument|10
dma_threshold|0|Invalid argument|10
dma_threshold|257|Invalid argument|10
dma_threshold|-1|Invalid argument|10
dma_threshold|0x10|Invalid argument|10
dma_threshold|$long|Invalid argument|10
dma_threshold|256|ok|256
dma_threshold|1|ok|1
fifo_watermark|abc|Invalid argument|204
fifo_watermark|\n|Invalid argument|204
fifo_watermark|0|Invalid argument|204
fifo_watermark|257|Invalid argument|204
fifo_watermark|12abc|Invalid argument|204
fifo_watermark|$long|Invalid argument|204
fifo_watermark|256|ok|256
fifo_watermark|204|ok|204
TABLE
echo "$measured" >"$d"/dma_threshold

for a in waveform amplitude frequency_mhz transfer_mode dma_threshold \
	fifo_watermark; do
	v=$(cat "$d/$a")
	check_eq "non-root write to $a" "Permission denied" \
		"$(as_nobody bash -c "$(declare -f try_write); try_write $d/$a 1")"
	check_eq "$a unchanged by non-root" "$v" "$(cat "$d/$a")"
	check_eq "non-root can read $a" "$v" "$(as_nobody cat "$d/$a")"
done

# the waveform reaches the samples: square of amplitude 500 on 4 channels
echo square >"$d"/waveform
echo 500 >"$d"/amplitude
# channels 90 degrees apart: two at +500, two at -500, the highs adjacent
# (cyclically); where in the period the first sample falls depends on the
# sensor's running sample count
vals=$(dd if="$node" bs=64 count=1 status=none | od -An -td4 -w64 |
	awk '{ print $9, $10, $11, $12 }')
case "$vals" in
"500 500 -500 -500" | "-500 500 500 -500" | "-500 -500 500 500" | \
	"500 -500 -500 500") pattern=square ;;
*) pattern="$vals" ;;
esac
check_eq "square wave, channels 90 degrees apart" square "$pattern"
echo sine >"$d"/waveform
echo 1000 >"$d"/amplitude

# the status LED
check "LED class device $n::status" test -d "$led"
check_eq "LED parent is the device" "$(readlink -f "$d")" "$(readlink -f "$led"/device)"
check_eq "LED max_brightness" 255 "$(cat "$led"/max_brightness)"
echo 200 >"$led"/brightness
check_eq "LED brightness reads back" 200 "$(cat "$led"/brightness)"
echo 0 >"$led"/brightness
check_eq "LED off" 0 "$(cat "$led"/brightness)"
check "activity trigger offered" grep -q 'vsensor-activity' "$led"/trigger
echo vsensor-activity >"$led"/trigger
check "activity trigger selected" grep -q '\[vsensor-activity\]' "$led"/trigger
# In how many of 200 samples the LED is lit.
sample_led() {
	local n=0 b
	for _ in $(seq 200); do
		read -r b <"$led"/brightness
		[ "$b" != 0 ] && n=$((n + 1))
	done
	echo $n
}
# The LED's samples while 200 records are read from device node $1.
sample_led_reading() {
	local reader n
	dd if="$1" bs=64 count=200 status=none of=/dev/null &
	reader=$!
	n=$(sample_led)
	wait $reader
	echo "$n"
}
# with data flowing the LED blinks: sample it while reading
on=$(sample_led_reading "$node")
check "LED lit while data flows (lit in $on of 200 samples)" test "$on" -gt 0
sleep 0.3
check_eq "LED dark with no data" 0 "$(cat "$led"/brightness)"
# each device has its own trigger: our LED follows device 9 only
if $model; then
	echo 9 >$sysbus/new_device
	check "device trigger vsensor9-activity offered" grep -qw vsensor9-activity "$led"/trigger
	echo vsensor9-activity >"$led"/trigger
	check "device trigger selected" grep -q '\[vsensor9-activity\]' "$led"/trigger
	on=$(sample_led_reading "$node")
	check_eq "$n's records do not blink vsensor9-activity" 0 "$on"
	on=$(sample_led_reading /dev/vsensor9)
	check "vsensor9's records blink it (lit in $on of 200 samples)" test "$on" -gt 0
	echo 9 >$sysbus/del_device
	check_fails "device trigger gone with the device" grep -qw vsensor9-activity "$led"/trigger
	check "the LED left without a trigger" grep -q '\[none\]' "$led"/trigger
else
	echo "# a device's own trigger: not run on the PCI backend: a second device made by the bus's new_device"
	check "device trigger $n-activity offered" grep -qw "$n-activity" "$led"/trigger
fi
modprobe ledtrig-timer
echo timer >"$led"/trigger
check "timer trigger selected" grep -q '\[timer\]' "$led"/trigger
check "timer trigger exposes delay_on" test -e "$led"/delay_on
echo 50 >"$led"/delay_on
echo 50 >"$led"/delay_off
on=$(sample_led)
check "timer trigger blinks (lit in $on of 200 samples)" test "$on" -gt 0 -a "$on" -lt 200
echo none >"$led"/trigger
check_eq "non-root cannot set the LED" "Permission denied" \
	"$(as_nobody bash -c "$(declare -f try_write); try_write $led/brightness 1")"

# debugfs register dump through the normal accessor
regs=/sys/kernel/debug/vsensor/$n/registers
check "debugfs register dump" test -r "$regs"
check "ID register" grep -qx '0x000 ID            0x56534e31' "$regs"
check "WAVEFORM register" grep -qx '0x048 WAVEFORM      0x00000001' "$regs"
check "queue 0 descriptor count" grep -qx '0x124 Q0_DESC_COUNT    0x00000008' "$regs"
check_fails "Q_DATA is not read (it pops)" grep -q DATA "$regs"
if $model; then
	echo 9 >$sysbus/new_device
	check "debugfs directory of a new device" test -r /sys/kernel/debug/vsensor/vsensor9/registers
	echo 9 >$sysbus/del_device
	check_fails "debugfs directory gone with the device" test -e /sys/kernel/debug/vsensor/vsensor9
else
	echo "# debugfs of a new device: not run on the PCI backend: the bus's new_device and del_device"
fi
done_testing
