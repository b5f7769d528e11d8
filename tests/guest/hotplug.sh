# shellcheck shell=bash
# Helpers for the lifecycle guest tests (bash): source after lib.sh.
sysbus=/sys/bus/vsensor

# try_write FILE VALUE: "ok", or the error text of the failed write
try_write() {
	local out
	if out=$( { printf '%s' "$2" >"$1"; } 2>&1); then
		echo ok
	else
		echo "${out##*: }"
	fi
}

# as_nobody CMD...: run CMD as an unprivileged user without groups
as_nobody() {
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
}

# bus_devices: the device names on the bus, one line
bus_devices() {
	local d
	for d in "$sysbus"/devices/*; do
		[ -e "$d" ] && printf '%s ' "${d##*/}"
	done
}
