# shellcheck shell=sh
# TAP helpers for the guest shell tests: source it, call the checks, then
# `done_testing`. Each check prints "ok N - what" or "not ok N - what".
tap_n=0
tap_failed=0
# How many times slower than on Debian's kernel this guest runs (the debug
# kernel of run-debug-suite: 10); see vt_slow() in common.h.
# shellcheck disable=SC2034 # used by the tests that source this file
slow=${VSENSOR_TEST_SLOW:-1}

ok() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $*"
}

not_ok() {
	tap_n=$((tap_n + 1))
	tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n - $*"
}

# check DESCRIPTION COMMAND...: passes when COMMAND exits 0
check() {
	desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

# check_fails DESCRIPTION COMMAND...: passes when COMMAND exits non-zero
check_fails() {
	desc=$1
	shift
	if "$@"; then not_ok "$desc (unexpectedly succeeded)"; else ok "$desc"; fi
}

# check_eq DESCRIPTION EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1: expected '$2', got '$3'"
	fi
}

done_testing() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}

# lab_ctl REQUEST...: ask the host for a hotplug step, through QEMU's
# monitor (tests/vm/qmp-bridge; PCI lab only). Prints the reply; returns 0
# on "ok...", 1 on "error: ...", 2 outside the PCI lab.
lab_ctl() {
	lab_port=/dev/virtio-ports/vsensor.lab
	if [ ! -e "$lab_port" ]; then
		echo "lab_ctl: no $lab_port: not the PCI lab (tests/vm/run --pci)" >&2
		return 2
	fi
	exec 9<>"$lab_port"
	echo "$*" >&9
	IFS= read -r lab_reply <&9
	exec 9>&-
	echo "$lab_reply"
	case $lab_reply in
	ok*) return 0 ;;
	*) return 1 ;;
	esac
}

# The VSN1000 PCI functions (tests/vm/run --pci), their sysfs directories
# one a line, in address order; nothing elsewhere.
VSN_PCI_VENDOR=0x1af4 VSN_PCI_DEVICE=0x10f0
vsn_pci_devs() {
	for vsn_d in /sys/bus/pci/devices/*; do
		[ "$(cat "$vsn_d/vendor")" = $VSN_PCI_VENDOR ] &&
			[ "$(cat "$vsn_d/device")" = $VSN_PCI_DEVICE ] && echo "$vsn_d"
	done
	return 0
}

# vsn_pci_first: the first VSN1000 PCI function's sysfs directory in $dev
# and its address in $addr; where there is none (not the PCI lab), the
# test is skipped: a TAP plan of 0 with the reason, and exit 0
vsn_pci_first() {
	dev=$(vsn_pci_devs | head -n1)
	if [ -z "$dev" ]; then
		echo "1..0 # SKIP no VSN1000 PCI device ($VSN_PCI_VENDOR:$VSN_PCI_DEVICE): not the PCI lab (tests/vm/run --pci)"
		exit 0
	fi
	# shellcheck disable=SC2034 # the caller's
	addr=${dev##*/}
}

# vsn_pci_bound: the driver is bound to $dev and its node has been made
vsn_pci_bound() { [ -e "$dev/driver" ] && [ -n "$(ls "$dev/misc" 2>/dev/null)" ]; }

# wait_for SECONDS COMMAND...: poll COMMAND every 0.1 s until it succeeds;
# fails after SECONDS (callers scale by $slow where the debug kernel needs it)
# complete_line WORDS: what vsensorctl's installed bash completion offers
# for the words WORDS (the last one is being typed), space-separated
complete_line() {
	bash -c ". /usr/share/bash-completion/completions/vsensorctl; COMP_WORDS=($1); COMP_CWORD=\$((\${#COMP_WORDS[@]} - 1)); _vsensorctl; echo \"\${COMPREPLY[*]}\""
}

wait_for() {
	wait_n=$(($1 * 10))
	shift
	while [ "$wait_n" -gt 0 ]; do
		"$@" && return 0
		wait_n=$((wait_n - 1))
		sleep 0.1
	done
	return 1
}
