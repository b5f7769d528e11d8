#!/bin/bash
# Guest tests of the VSN1000 PCI device (the QEMU model, tests/vm/run --pci)
# with no driver bound (one that is gets unbound): IDs, class, BAR sizes,
# the MSI-X and PCIe capabilities, the IOMMU group, registers read and
# written through resource0 against the datasheet (kernel/sim/hw.h,
# docs/hardware.md), and the sampling engine by PIO: the level rises at the
# rate, records are checked against the model core built into
# vsensor-pcireg, watermark, overflow, stimulus loopback, the clock, D3;
# the DMA engine's fault path (no bus mastering without a driver).
# Elsewhere it is skipped (TAP "1..0 # SKIP"), so it counts as not run.
dir=$(dirname "$0")
# shellcheck source=lib.sh
. "$dir/lib.sh"

reg=$dir/vsensor-pcireg

vsn_pci_first
echo "# device ${dev##*/}"
nq=2	# tests/vm/run --pci: -device vsn1000 with the default queues=2

# Size of BAR N from the resource file ("start end flags"), 0 if unused.
bar_size() {
	local start end
	read -r start end _ < <(sed -n "$(($1 + 1))p" "$dev/resource")
	if ((start == 0 && end == 0)); then echo 0; else echo $((end - start + 1)); fi
}

# A driver (kernel/pci.c, another branch) may have bound it: these tests
# need the device to themselves.
if [[ -e $dev/driver ]]; then
	echo "# unbinding $(basename "$(readlink "$dev/driver")")"
	echo "${dev##*/}" >"$dev/driver/unbind"
fi

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

# The sampling engine, by PIO. Rates are low enough that the FIFO (256)
# does not fill while the test's own processes start under TCG.
bit() { echo $(($(r "$1") & $2)); }
w IRQ_STATUS 0xffffffff
w Q1_CTRL 0
w RATE 200
w Q0_WM 16
w Q0_CTRL 1
w CTRL 3
t0=$("$reg" "$dev" time)
hz=$("$reg" "$dev" rate 0 500)
check "Q0_LEVEL rises at RATE (200 Hz; measured $hz)" test "$hz" -ge 160 -a "$hz" -le 240
check_eq "Q0_STATUS WATERMARK at level >= Q0_WM" 1 "$(bit Q0_STATUS 1)"
check_eq "Q1 (disabled) receives nothing" 0x00000000 "$(r Q1_LEVEL)"
w CTRL 0
w Q0_STATUS 1
check_eq "WATERMARK is RW1C" 0 "$(bit Q0_STATUS 1)"
t1=$("$reg" "$dev" time)
check "TIME advances with the device clock ($(((t1 - t0) / 1000000)) ms)" \
	test $((t1 - t0)) -ge 500000000 -a $((t1 - t0)) -lt 30000000000
check_eq "records: consecutive seq, values of the core's waveform" "records 40 gaps 0 bad 0 stimulus 0" \
	"$("$reg" "$dev" check 0 40)"
for wave in 1 2 3; do
	w WAVEFORM $wave
	w AMPLITUDE 77777
	w FREQUENCY 3333
	w CTRL 3
	sleep 0.4
	w CTRL 0
	check_eq "waveform $wave: records as the core computes them" \
		"records 60 gaps 0 bad 0 stimulus 0" "$("$reg" "$dev" check 0 60)"
done
w WAVEFORM 1
check_eq "a stopped sampler adds nothing" "$(r Q0_LEVEL)" "$(sleep 0.1; r Q0_LEVEL)"
w CTRL 2
check_eq "FIFO_RESET empties the queue FIFOs" 0x00000000 "$(r Q0_LEVEL)"
check_eq "FIFO_RESET clears itself" 0x00000000 "$(r CTRL)"

# Overflow: 1 kHz for 0.5 s into 256 records.
w RATE 1000
w CTRL 3
sleep 0.5
w CTRL 0
check_eq "a full FIFO holds FIFO_DEPTH records" 0x00000100 "$(r Q0_LEVEL)"
lost=$(r Q0_LOST)
check "Q0_LOST counts the samples lost ($((lost)))" test $((lost)) -gt 0
check_eq "Q0_LOST clears on read" 0x00000000 "$(r Q0_LOST)"
check_eq "IRQ_STATUS OVERFLOW" 2 "$(bit IRQ_STATUS 2)"
w IRQ_STATUS 2
check_eq "OVERFLOW is RW1C" 0 "$(bit IRQ_STATUS 2)"
check_eq "the full FIFO's records are whole and in order" \
	"records 256 gaps 0 bad 0 stimulus 0" "$("$reg" "$dev" check 0 256)"

# Stimulus loopback: the next samples measure what was written.
w RATE 200
w CTRL 2
for v in 11 -22 33 -44 55 66 77 88; do w TX_DATA "$v"; done
check_eq "TX_LEVEL 2" 0x00000002 "$(r TX_LEVEL)"
w CTRL 1
sleep 0.2
w CTRL 0
check_eq "the stimulus FIFO is consumed" 0x00000000 "$(r TX_LEVEL)"
recs=$("$reg" "$dev" records 0 3)
check_eq "records 1-2 are the stimulus (flags STIMULUS), record 3 measured" \
	"1 11 -22 33 -44|1 55 66 77 88|0" \
	"$(awk '{ printf "%s%s", (NR > 1 ? "|" : ""), (NR < 3 ? $2 " " $4 " " $5 " " $6 " " $7 : $2) }' <<<"$recs")"
check_eq "stimulus records keep the sequence" 2 \
	"$(awk 'NR == 1 { s = $1 } NR == 3 { print $1 - s }' <<<"$recs")"

# D3 gates the sensor's clock: nothing is sampled meanwhile (ungated, the
# 2 s would fill the FIFO; only the processes around D3 take time).
w CTRL 2
w RATE 200
w CTRL 1
w POWER 3
check_eq "in D3 Q0_LEVEL floats high" 0xffffffff "$(r Q0_LEVEL)"
sleep 2
w POWER 0
level=$(r Q0_LEVEL)
w CTRL 0
check "in D3 no samples (level $((level)) after 2 s at 200 Hz)" test $((level)) -lt 128

# The DMA engine without bus mastering (no driver): the descriptor read is
# refused, the core's fault path reports it; nothing moves.
w CTRL 2
w CTRL 1
sleep 0.1
w CTRL 0
before=$(r Q0_LEVEL)
w Q0_DESC_LO 0x12345000
w Q0_DESC_HI 0
w Q0_DESC_COUNT 4
w Q0_DMA_START 8
sleep 0.1
check_eq "a refused descriptor read: Q0_DMA_STATUS ERROR" 0x00000002 "$(r Q0_DMA_STATUS)"
check_eq "Q0_DMA_DONE 0" 0x00000000 "$(r Q0_DMA_DONE)"
check_eq "Q0_STATUS DMA_DONE" 2 "$(bit Q0_STATUS 2)"
check_eq "IOMMU_FAULTS counts it" 0x00000001 "$(r IOMMU_FAULTS)"
check_eq "FAULT_IOVA is the descriptor's" 0x12345000 "$(r FAULT_IOVA_LO)"
check_eq "IRQ_STATUS IOMMU_FAULT" 8 "$(bit IRQ_STATUS 8)"
check_eq "no record left the FIFO" "$before" "$(r Q0_LEVEL)"
w DBG_DMA_FAULTS 2
w DBG_DMA_IOVA_LO 0xdead0000
check_eq "DBG_DMA_FAULTS reads back" 0x00000002 "$(r DBG_DMA_FAULTS)"
check_eq "DBG_DMA_IOVA reads back" 0xdead0000 "$(r DBG_DMA_IOVA_LO)"
w CTRL 2
echo 0 >"$dev/enable"

done_testing
