#!/bin/bash
# The tools on the PCI backend, in the PCI lab (tests/vm/run --pci): the
# device bound on PCI (vsensor128) is listed by `vsensorctl device list`
# (text and JSON) with its serial and backend beside a model device;
# `device set` changes its sysfs attribute, a bad value is refused with
# Error: and changes nothing; vsensord applies a [match serial=...] drop-in
# at coldplug and again after a QMP device_del + device_add, and its device
# list (Varlink) shows the device and drops it on removal.
# Elsewhere it is skipped.
dir=$(dirname "$0")
# shellcheck source=lib.sh
. "$dir/lib.sh"

if [[ ! -e /dev/virtio-ports/vsensor.lab ]]; then
	echo "1..0 # SKIP not the PCI lab (tests/vm/run --pci)"
	exit 0
fi

confd=/etc/vsensor/vsensord.conf.d
sysbus=/sys/bus/vsensor
dev=$(vsn_pci_devs | head -n1)
addr=${dev##*/}
IFS=':.' read -r dom bus slot fn <<<"$addr"
serial=pci-$dom-$bus-$slot-$fn
echo "# device $addr, serial $serial"

# shellcheck disable=SC2317 # called through wait_for
is_bound() { [[ -c /dev/$(ls "$dev/misc" 2>/dev/null) ]]; }
attr() { cat "$dev/$1" 2>/dev/null; }
# shellcheck disable=SC2317
attr_is() { [[ $(attr "$1") == "$2" ]]; }
# The daemon's view of one device: FIELD of it, or nothing if not listed.
daemon_field() {
	vsensorctl -j daemon devices | jq -r ".[] | select(.name == \"$1\") | .$2"
}
# shellcheck disable=SC2317
daemon_lists() { [[ -n $(daemon_field "$1" name) ]]; }
# shellcheck disable=SC2317
daemon_drops() { ! daemon_lists "$1"; }
# shellcheck disable=SC2317
daemon_active() { [[ $(systemctl is-active vsensord) == active ]]; }
lab() {
	local reply
	reply=$(lab_ctl "$@") && return 0
	echo "# lab_ctl $*: $reply"
	return 1
}

check "the PCI device is bound" wait_for $((20 * slow)) is_bound
name=$(ls "$dev/misc" 2>/dev/null)
check_eq "as vsensor128" vsensor128 "$name"
check_eq "its serial attribute is the PCI address form" "$serial" "$(attr serial)"
check_eq "its model attribute" VSN1000 "$(attr model)"
# as the driver left them, to restore at the end (t-pci.sh runs after)
def_amp=$(attr amplitude) def_wave=$(attr waveform)

# a model device beside it
model_dev=vsensor5
[[ -e $sysbus/devices/$model_dev ]] || echo "5 TOOLS-5" >"$sysbus/new_device"
check "a model device $model_dev is present" test -e "$sysbus/devices/$model_dev"

# --- device list / show, text and JSON --------------------------------------------
out=$(vsensorctl device list)
check_eq "device list exits 0" 0 "$?"
while IFS= read -r l; do echo "# $l"; done <<<"$out"
want="vsensor128 devnode /dev/vsensor128 model VSN1000 serial $serial channels 4"
want+=" sample_rate $(attr sample_rate) sample_rate_max $(attr sample_rate_max)"
want+=" fifo_depth $(attr fifo_depth) bus pci bus_address $addr"
check_eq "device list: vsensor128 with node, serial, info and backend" \
	"$want" "$(grep "^vsensor128 " <<<"$out")"
check "device list: the model device with bus vsensor" \
	grep -q "^$model_dev devnode /dev/$model_dev model VSN1000 serial TOOLS-5 .* bus vsensor bus_address $model_dev\$" <<<"$out"
check_eq "device show vsensor128 is its list line" "$want" "$(vsensorctl device show vsensor128)"
check_eq "device show /dev/vsensor128 too" "$want" "$(vsensorctl device show /dev/vsensor128)"
json=$(vsensorctl -j device list)
check_eq "device list -j: vsensor128's serial, node, bus and address" \
	"$serial /dev/vsensor128 pci $addr" \
	"$(jq -r '.[] | select(.name == "vsensor128") | "\(.serial) \(.devnode) \(.bus) \(.bus_address)"' <<<"$json")"
check_eq "device list -j: the model device's bus" "vsensor $model_dev" \
	"$(jq -r ".[] | select(.name == \"$model_dev\") | \"\(.bus) \(.bus_address)\"" <<<"$json")"
# the model's bus devices and every vsensorN node (the PCI ones too)
kernel_names=$(for d in "$sysbus"/devices/* /sys/class/misc/vsensor[0-9]*; do
	[[ -e $d ]] && echo "${d##*/}"
done | sort -u | xargs)
check_eq "device list -j: every device of both backends" "$kernel_names" \
	"$(jq -r '.[].name' <<<"$json" | sort | xargs)"
check_eq "bash completion offers vsensor128 and its serial" "vsensor128 $serial" \
	"$(complete_line 'vsensorctl read ""' | tr ' ' '\n' | grep -Fx -e vsensor128 -e "$serial" | xargs)"

# --- device set through netlink, id 128 ---------------------------------------------
check "device set vsensor128 amplitude 1234" vsensorctl device set vsensor128 amplitude 1234
check_eq "changes its sysfs attribute" 1234 "$(attr amplitude)"
check "device set 128 waveform ramp (by number)" vsensorctl device set 128 waveform ramp
check_eq "changes its waveform" ramp "$(attr waveform)"
vsensorctl device set vsensor128 amplitude 2000000 2>/tmp/pci-tools.err
check_eq "an amplitude out of range is refused (exit 2)" 2 "$?"
check "with one Error: line" sh -c \
	"[ \$(wc -l </tmp/pci-tools.err) -eq 1 ] && grep -q '^Error: ' /tmp/pci-tools.err"
check_eq "and changes nothing" 1234 "$(attr amplitude)"
check_eq "... nor the waveform" ramp "$(attr waveform)"

# --- vsensord: a drop-in matching the PCI serial, coldplug ----------------------------
mkdir -p "$confd"
cat >"$confd/50-pci-tools.conf" <<CONF
[match serial=$serial]
amplitude = 2345
waveform = square
CONF
systemctl restart vsensord
check "vsensord restarted with the drop-in" wait_for $((20 * slow)) daemon_active
check "coldplug applies the setting to the PCI device" \
	wait_for $((10 * slow)) attr_is amplitude 2345
check_eq "all of it" square "$(attr waveform)"
check_eq "the daemon lists vsensor128 with its serial" "$serial" "$(daemon_field vsensor128 serial)"
check_eq "... its backend" "pci $addr" \
	"$(daemon_field vsensor128 bus) $(daemon_field vsensor128 bus_address)"
check_eq "... and the setting in force" 2345 "$(daemon_field vsensor128 settings.amplitude)"
check "daemon devices (text) shows it" sh -c \
	"vsensorctl daemon devices | grep -q '^vsensor128 serial $serial identity $serial devnode /dev/vsensor128 .* bus pci bus_address $addr\$'"

# --- hotplug: QMP device_del, then device_add ------------------------------------------
check "device_del vsn0" lab device_del vsn0
check "the daemon drops vsensor128" wait_for $((10 * slow)) daemon_drops vsensor128
check "device list no longer shows it" sh -c "! vsensorctl device list | grep -q '^vsensor128 '"
check "device_add puts it back" lab device_add vsn1000 id=vsn0 bus=rp0
check "it is bound again" wait_for $((30 * slow)) is_bound
check_eq "as vsensor128 again" vsensor128 "$(ls "$dev/misc" 2>/dev/null)"
check "the daemon applies the setting after the hotplug" \
	wait_for $((10 * slow)) attr_is amplitude 2345
check_eq "all of it" square "$(attr waveform)"
check "the daemon lists vsensor128 again" wait_for $((10 * slow)) daemon_lists vsensor128
check "the journal has the setting applied to it" sh -c \
	"journalctl -b -o cat VSENSOR_SERIAL=$serial VSENSOR_DEVICE=vsensor128 | grep -q 'setting amplitude=2345: applied'"

# --- clean up ------------------------------------------------------------------------------
rm -f "$confd/50-pci-tools.conf"
vsensorctl daemon reload >/dev/null
vsensorctl device set vsensor128 amplitude "$def_amp" waveform "$def_wave"
[[ $model_dev == vsensor5 ]] && echo 5 >"$sysbus/del_device"

done_testing
