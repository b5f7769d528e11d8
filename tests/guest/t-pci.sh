#!/bin/bash
# Guest tests of the VSN1000 PCI device (the QEMU model, tests/vm/run --pci)
# with no driver bound: IDs, class, BAR sizes, the MSI-X and PCIe
# capabilities, the IOMMU group, and registers read and written through
# resource0 against the datasheet (kernel/sim/hw.h, docs/hardware.md).
# Elsewhere it is skipped (TAP "1..0 # SKIP"), so it counts as not run.
dir=$(dirname "$0")
# shellcheck source=lib.sh
. "$dir/lib.sh"

VENDOR=0x1af4 DEVICE=0x10f0
reg=$dir/vsensor-pcireg

dev=""
for d in /sys/bus/pci/devices/*; do
	if [[ $(cat "$d/vendor") == "$VENDOR" && $(cat "$d/device") == "$DEVICE" ]]; then
		dev=$d
		break
	fi
done
if [[ -z $dev ]]; then
	echo "1..0 # SKIP no VSN1000 PCI device ($VENDOR:$DEVICE): not the PCI lab (tests/vm/run --pci)"
	exit 0
fi
echo "# device ${dev##*/}"
nq=2	# tests/vm/run --pci: -device vsn1000 with the default queues=2

# Size of BAR N from the resource file ("start end flags"), 0 if unused.
bar_size() {
	local start end
	read -r start end _ < <(sed -n "$(($1 + 1))p" "$dev/resource")
	if ((start == 0 && end == 0)); then echo 0; else echo $((end - start + 1)); fi
}

check_eq "class: signal processing controller" 0x118000 "$(cat "$dev/class")"
check_eq "no driver is bound" "" "$(readlink "$dev/driver" || true)"
check_eq "BAR 0 (registers) is 4 KiB" 4096 "$(bar_size 0)"
check_eq "BAR 1 is unused" 0 "$(bar_size 1)"
check_eq "BAR 2 (MSI-X) is 4 KiB" 4096 "$(bar_size 2)"
caps=$("$reg" "$dev" caps)
check_eq "MSI-X: VSN_NR_VECTORS($nq) vectors, table and PBA in BAR 2" \
	"msix $((nq + 2)) 2 2" "$(grep '^msix' <<<"$caps")"
check_eq "PCI Express endpoint" "pcie 0" "$(grep '^pcie' <<<"$caps")"
if grep -q intel_iommu=on /proc/cmdline; then
	check "in an IOMMU group (intel_iommu=on)" test -e "$dev/iommu_group"
fi

# Memory decoding on (no driver does it), then the registers.
echo 1 >"$dev/enable"
r() { "$reg" "$dev" "$1"; }
w() { "$reg" "$dev" "$1" "$2"; }
check_eq "ID is VSN_ID_MAGIC of hw.h" "$("$reg" magic)" "$(r ID)"
check_eq "VERSION is firmware 1.1.0" 0x01010000 "$(r VERSION)"
check_eq "CHANNELS" 0x00000004 "$(r CHANNELS)"
check_eq "FIFO_DEPTH" 0x00000100 "$(r FIFO_DEPTH)"
check_eq "RATE_MAX is 100000" 0x000186a0 "$(r RATE_MAX)"
check_eq "TX_DEPTH" 0x00000100 "$(r TX_DEPTH)"
check_eq "NR_QUEUES" "$(printf 0x%08x $nq)" "$(r NR_QUEUES)"
check_eq "POWER resets to D0" 0x00000000 "$(r POWER)"
check_eq "RATE resets to 100 Hz" 0x00000064 "$(r RATE)"
check_eq "WAVEFORM resets to sine" 0x00000001 "$(r WAVEFORM)"
check_eq "IRQ_MASK resets to 0" 0x00000000 "$(r IRQ_MASK)"
check_eq "Q0_WM resets to 1" 0x00000001 "$(r Q0_WM)"

w RATE 1000
check_eq "RATE takes 1000" 0x000003e8 "$(r RATE)"
w RATE 1000000
check_eq "RATE clamps to RATE_MAX" 0x000186a0 "$(r RATE)"
w RATE 0
check_eq "RATE clamps to 1" 0x00000001 "$(r RATE)"
w WAVEFORM 9
check_eq "WAVEFORM ignores 9" 0x00000001 "$(r WAVEFORM)"
w WAVEFORM 3
check_eq "WAVEFORM takes ramp" 0x00000003 "$(r WAVEFORM)"
w AMPLITUDE 1000001
check_eq "AMPLITUDE ignores more than VSN_AMPLITUDE_MAX" 0x000003e8 "$(r AMPLITUDE)"
w IRQ_MASK 0xffffffff
check_eq "IRQ_MASK keeps only TX_SPACE and the error causes" 0x0000000e "$(r IRQ_MASK)"
w IRQ_MASK 0
w Q0_WM 0
check_eq "Q0_WM clamps to 1" 0x00000001 "$(r Q0_WM)"
w Q0_WM 100000
check_eq "Q0_WM clamps to FIFO_DEPTH" 0x00000100 "$(r Q0_WM)"
check_eq "Q0_DATA of an empty FIFO reads all ones" 0xffffffff "$(r Q0_DATA)"
for i in 1 2 3 4 5 6 7 8; do w TX_DATA "$i"; done
check_eq "TX_LEVEL counts whole stimulus records" 0x00000002 "$(r TX_LEVEL)"
w CTRL 3
check_eq "CTRL: ENABLE kept, FIFO_RESET clears itself" 0x00000001 "$(r CTRL)"
check_eq "STATUS RUNNING" 0x00000001 "$(r STATUS)"
check_eq "FIFO_RESET emptied the stimulus FIFO" 0x00000000 "$(r TX_LEVEL)"
w CTRL 0
check_eq "STATUS stopped" 0x00000000 "$(r STATUS)"

w POWER 3
check_eq "POWER D3" 0x00000003 "$(r POWER)"
check_eq "in D3 ID floats high" 0xffffffff "$(r ID)"
w RATE 500
w POWER 1
check_eq "POWER ignores D1" 0x00000003 "$(r POWER)"
w POWER 0
check_eq "back in D0 ID answers" "$("$reg" magic)" "$(r ID)"
check_eq "the RATE write in D3 was lost" 0x00000001 "$(r RATE)"
check_eq "IOMMU_FAULTS" 0x00000000 "$(r IOMMU_FAULTS)"
echo 0 >"$dev/enable"

done_testing
