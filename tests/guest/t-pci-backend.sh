#!/bin/bash
# The device tests of the guest suite on the VSN1000 PCI device
# (tests/vm/run --pci), the same programs as on the in-kernel model, pointed
# at the PCI device through the environment of common.h: VSENSOR_TEST_DEV
# (its node), _SERIAL, _ID, _SYSFS (the PCI function's directory, where its
# attributes are) and VSENSOR_TEST_BACKEND=pci, with which a test leaves out
# the cases that need the model (bus new_device, the model's fault knobs),
# each named in a TAP comment. Every result of every program is one TAP line
# here. Which tests run where: docs/testing.md. Elsewhere it is skipped.
dir=$(dirname "$0")
# shellcheck source=lib.sh
. "$dir/lib.sh"

vsn_pci_first

wait_for 20 vsn_pci_bound
check "the driver is bound to $addr" vsn_pci_bound
n=$(ls "$dev/misc")
export VSENSOR_TEST_BACKEND=pci VSENSOR_TEST_DEV=/dev/$n \
	VSENSOR_TEST_SERIAL=pci-${addr//[:.]/-} VSENSOR_TEST_ID=${n#vsensor} \
	VSENSOR_TEST_SYSFS=$dev
echo "# $VSENSOR_TEST_DEV on $addr, serial $VSENSOR_TEST_SERIAL"

# run TEST: its TAP results as ours, named "TEST: ...", its comments and
# other output as comments; a failure to exit 0 with no failed result fails
run() {
	local t=$1 out rc before=$tap_failed
	out=$("$dir/$t" 2>&1)
	rc=$?
	while IFS= read -r line; do
		case $line in
		"not ok "*) not_ok "$t: ${line#not ok * - }" ;;
		"ok "*) ok "$t: ${line#ok * - }" ;;
		1..*) ;;
		"#"*) echo "$line" ;;
		*) echo "# $t: $line" ;;
		esac
	done <<<"$out"
	if [[ $rc -ne 0 && $tap_failed -eq $before ]]; then
		not_ok "$t exited with status $rc"
	fi
}

for t in t-read t-session t-boundary t-infoleak compat32 t-sysfs.sh t-pm.sh \
	t-security.sh t-hw; do
	run "$t"
done

done_testing
