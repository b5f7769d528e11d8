#!/bin/bash
# The data path on the VSN1000 PCI device (tests/vm/run --pci): records
# moved by the device's DMA engine through the kernel's IOMMU (the emulated
# VT-d), a wild write to the driver's guard page blocked by the IOMMU (the
# kernel's DMAR fault line, the driver's count and report, the guard page
# untouched). Elsewhere it is skipped.
dir=$(dirname "$0")
# shellcheck source=lib.sh
. "$dir/lib.sh"

vsn_pci_first

wait_for 20 vsn_pci_bound
check "the driver is bound to $addr" vsn_pci_bound
n=$(ls "$dev/misc")
node=/dev/$n
dbg=/sys/kernel/debug/vsensor/$n
stat() { cat "$dev/statistics/$1"; }
iommu=off
[[ -e $dev/iommu_group ]] && grep -q intel_iommu=on /proc/cmdline && iommu=on
echo "# $node on $addr, IOMMU $iommu"

# --- records by DMA, through the IOMMU ------------------------------------------
echo dma >"$dev/transfer_mode"
dma0=$(stat dma_records) faults0=$(stat iommu_faults)
seqs=$(dd if="$node" bs=64 count=200 status=none | od -An -tu4 -w64 -v | awk '{ print $1 }')
check_eq "200 records read (transfer_mode dma)" 200 "$(grep -c . <<<"$seqs")"
gaps=$(awk 'NR > 1 && $1 != prev + 1 { n++ } { prev = $1 } END { print n + 0 }' <<<"$seqs")
check_eq "... in sequence" 0 "$gaps"
moved=$(($(stat dma_records) - dma0))
echo "# $moved records by DMA"
check "... moved by the DMA engine (>= 150 of 200)" test "$moved" -ge 150
check_eq "... with no IOMMU fault" 0 $(($(stat iommu_faults) - faults0))
check_eq "the guard page is intact" 1 "$(cat "$dbg/guard_intact")"

# --- a wild DMA write: the IOMMU blocks it ---------------------------------------
guard=$(cat "$dbg/guard_iova")
echo "# guard page's stale IOVA: $guard"
dmesg -C
faults0=$(stat iommu_faults)
(sleep 1; echo 3 >"$dbg/inject_guard_faults") &
dd if="$node" bs=64 count=300 status=none >/dev/null
wait
check_eq "3 misdirected transfers: 3 IOMMU faults counted" 3 $(($(stat iommu_faults) - faults0))
check_eq "the guard page is untouched" 1 "$(cat "$dbg/guard_intact")"
g=$(printf '%x' "$guard")
if [[ $iommu == on ]]; then
	dmar() { dmesg | grep -q "DMAR: \[DMA Write.*\] Request device \[${addr#0000:}\] .*fault addr 0x$g"; }
	for ((i = 0; i < 50; i++)); do dmar && break; sleep 0.1; done
	check "the kernel's DMAR fault line names the device and the IOVA" dmar
fi
check "the driver reported it (error vector, FAULT_IOVA)" \
	sh -c "dmesg | grep -q 'IOMMU fault: DMA write to unmapped IOVA 0x$g blocked'"
dmesg | grep -E "DMAR|IOMMU fault" | head -n 4 | sed 's/^/# /'
echo auto >"$dev/transfer_mode"

done_testing
