#!/bin/bash
# One model core, two backends (tests/vm/run --pci): the in-kernel model's
# vsensor0 and the PCI device, set to the same waveform, give records of
# the same content through the same driver: 150 records of each, the ramp
# of one period (100 samples) found in both, every overlapping record equal
# in all four channels. Elsewhere it is skipped.
dir=$(dirname "$0")
# shellcheck source=lib.sh
. "$dir/lib.sh"

dev=$(vsn_pci_devs | head -n1)
model=/sys/bus/vsensor/devices/vsensor0
if [[ -z $dev || ! -e $model ]]; then
	echo "1..0 # SKIP needs the PCI lab (tests/vm/run --pci) with the model's vsensor0"
	exit 0
fi
bound() { [[ -n $(ls "$dev/misc" 2>/dev/null) ]]; }
wait_for 20 bound
check "the driver is bound to ${dev##*/}" bound
n=$(ls "$dev/misc")
echo "# the model's vsensor0 and the PCI device's $n"

# The same waveform on both: a ramp of 1 Hz, amplitude 1000, at 100 Hz (one
# period is 100 samples, each a different value).
for d in "$model" "$dev"; do
	echo ramp >"$d/waveform"
	echo 1000 >"$d/amplitude"
	echo 1000 >"$d/frequency_mhz"
done
check_eq "same settings on both" "$(cat "$model"/{waveform,amplitude,frequency_mhz})" \
	"$(cat "$dev"/{waveform,amplitude,frequency_mhz})"

# 150 records of a node, one a line: od's 16 words (seq, timestamp, flags,
# channel mask, dropped, reserved, the values).
recs() { dd if="$1" bs=64 count=150 status=none | od -An -td4 -w64 -v; }
m=$(mktemp) p=$(mktemp)
recs /dev/vsensor0 >"$m" &
recs "/dev/$n" >"$p"
wait
check_eq "150 records from the model" 150 "$(grep -c . "$m")"
check_eq "150 records from the PCI device" 150 "$(grep -c . "$p")"
check_eq "none lost on either (dropped 0)" 0 "$(awk '$7 != 0' "$m" "$p" | grep -c .)"
check_eq "the ramp moves: 100 different records on the PCI device" 100 \
	"$(awk '{ print $9, $10, $11, $12 }' "$p" | sort -u | grep -c .)"

# Where the PCI device's first record is in the model's, then how many of
# the overlapping records are the same (values of the four channels).
read -r k overlap same < <(awk '
	{ v = $9 " " $10 " " $11 " " $12 }
	NR == FNR { m[FNR - 1] = v; nm = FNR; next }
	{ p[FNR - 1] = v; np = FNR }
	END {
		for (k = 0; k < nm && m[k] != p[0]; k++);
		o = s = 0
		for (i = 0; k < nm && i + k < nm && i < np; i++) {
			o++
			s += m[i + k] == p[i]
		}
		print k, o, s
	}' "$m" "$p")
echo "# the PCI device's first record is the model's record $k; $overlap overlap"
check "it is within the model's first period" test "$k" -lt 100
check "at least 50 records overlap" test "$overlap" -ge 50
check_eq "every overlapping record is identical" "$overlap" "$same"
head -n 3 "$p" | awk '{ print "# PCI   values", $9, $10, $11, $12 }'
awk -v k="$k" 'NR > k && NR <= k + 3 { print "# model values", $9, $10, $11, $12 }' "$m"
rm -f "$m" "$p"

for d in "$model" "$dev"; do echo sine >"$d/waveform"; done
done_testing
