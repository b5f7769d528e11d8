#!/bin/bash
# PCI hotplug of the VSN1000 in the PCI lab (tests/vm/run --pci): the host
# removes and adds devices through QEMU's monitor (lab_ctl, the QMP
# bridge), the guest sees it as the PCI core delivers it (pciehp on the
# root port): the device leaves /sys/bus/pci and comes back. Bad requests
# get an error and change nothing. Elsewhere it is skipped.
dir=$(dirname "$0")
# shellcheck source=lib.sh
. "$dir/lib.sh"

if [[ ! -e /dev/virtio-ports/vsensor.lab ]]; then
	echo "1..0 # SKIP not the PCI lab (tests/vm/run --pci)"
	exit 0
fi

# The VSN1000 functions, one address a line, sorted.
vsn_bdfs() { vsn_pci_devs | sed 's|.*/||' | sort; }

# lab STEP...: lab_ctl, its reply shown only when it fails
lab() {
	local reply
	reply=$(lab_ctl "$@") && return 0
	echo "# lab_ctl $*: $reply"
	return 1
}

before=$(vsn_bdfs)
check "a VSN1000 is present at the start" test -n "$before"
bdf0=$(head -n1 <<<"$before")
n0=$(wc -l <<<"$before")

# --- bad requests: an error reply, nothing changes ----------------------------
r=$(lab_ctl frobnicate vsn0)
check_eq "an unknown request is refused" 1 "$?"
check "... with an error that names the request" grep -q "^error: unknown request 'frobnicate'" <<<"$r"
r=$(lab_ctl device_del no-such-device)
check_eq "device_del of an unknown id is refused" 1 "$?"
check "... with QEMU's error" grep -q "^error: .*no-such-device" <<<"$r"
r=$(lab_ctl device_add vsn1000 bus=no-such-port)
check_eq "device_add on a missing bus is refused" 1 "$?"
r=$(lab_ctl device_add vsn1000 notaprop)
check_eq "a property without a value is refused" 1 "$?"
check "... naming it" grep -q "^error: not PROP=VALUE: notaprop" <<<"$r"
check_eq "nothing changed" "$before" "$(vsn_bdfs)"
r=$(lab_ctl qmp '{"execute": "query-status"}')
check "a raw QMP command answers" grep -q '^ok {.*"running": true' <<<"$r"

# --- removal as pciehp delivers it, with sessions blocked -------------------------
# The driver's node of the function, if it is bound.
node_of() { ls "/sys/bus/pci/devices/$1/misc" 2>/dev/null; }
bound() { [[ -n $(node_of "$bdf0") ]]; }
wait_for $((20 * slow)) bound
n=$(node_of "$bdf0")
readers=()
if [[ -n $n ]]; then
	# a reader blocked in read() (1 Hz, a watermark of 10 000 records),
	# and one streaming by DMA
	echo dma >"/sys/bus/pci/devices/$bdf0/transfer_mode"
	dd if="/dev/$n" bs=64 count=1000000 of=/dev/null 2>/tmp/hp-dd1.err &
	readers+=($!)
	dd if="/dev/$n" bs=640000 count=1 iflag=fullblock of=/dev/null 2>/tmp/hp-dd2.err &
	readers+=($!)
	sleep 1
fi
gone() { [[ ! -e /sys/bus/pci/devices/$bdf0 ]]; }
check "device_del vsn0 completes (DEVICE_DELETED)" lab device_del vsn0
if [[ -n $n ]]; then
	rcs=""
	for p in "${readers[@]}"; do
		wait "$p"
		rcs+="$? "
	done
	check_eq "both readers of /dev/$n ended with an error" "1 1 " "$rcs"
	check "... ENODEV for the streaming one" grep -q "No such device" /tmp/hp-dd1.err
	check "... ENODEV for the blocked one" grep -q "No such device" /tmp/hp-dd2.err
	check "the node is gone" test ! -e "/dev/$n"
	check "the driver said the device went" sh -c "dmesg | grep -q 'vsensor $bdf0'"
fi
check "the function left the PCI bus" gone
check_eq "one VSN1000 fewer" $((n0 - 1)) "$(vsn_bdfs | grep -c . || true)"
dmesg | grep -i 'pciehp\|acpiphp' | sed 's/^/# /'
check "pciehp took it out of the slot (native hotplug, not ACPI's)" \
	sh -c 'dmesg | grep -Eqi "pciehp.*slot.*(attention button|powering off)"'

# --- and back ---------------------------------------------------------------------
check "device_add puts it back on its root port" lab device_add vsn1000 id=vsn0 bus=rp0
present() { [[ -e /sys/bus/pci/devices/$bdf0 ]]; }
check "the function is back at the same address" wait_for $((30 * slow)) present
check_eq "as many VSN1000 as at the start" "$n0" "$(vsn_bdfs | grep -c .)"
check_eq "it is the VSN1000 (class)" 0x118000 "$(cat "/sys/bus/pci/devices/$bdf0/class")"

# --- a new device on the spare port, then gone again -----------------------------
spare=rp$n0
check "device_add on the spare port $spare" lab device_add vsn1000 id=vsnx bus="$spare" queues=3
more() { (($(vsn_bdfs | grep -c .) == n0 + 1)); }
check "a second function appears" wait_for $((30 * slow)) more
new=$(comm -13 <(echo "$before") <(vsn_bdfs))
check "with its own address" test -n "$new"
if [[ -n $new ]]; then
	msix=$("$dir/vsensor-pcireg" "/sys/bus/pci/devices/$new" caps | grep '^msix')
	check_eq "its queues=3 property: 5 MSI-X vectors" "msix 5 2 2" "$msix"
fi
check "device_del vsnx" lab device_del vsnx
check_eq "back to the start" "$before" "$(vsn_bdfs)"

done_testing
