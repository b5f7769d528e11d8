#!/bin/sh
# Guest tests (tests/check-deb: make check-deb, in the image with dkms;
# run only when named): the Debian
# packages of `make deb` (installed here by `make install-tests` from
# build/deb) on a system without the tree's own install: apt-get installs
# them, DKMS builds vsensor-sim.ko and vsensor.ko for the running kernel,
# the udev rule and group apply, vsensorctl and vsensord work; the kernel's
# postinst hook builds them for a second kernel version; apt-get purge
# removes every file. The tree's install (make install of tests/vm/run), the
# group and the modules are put back at the end for the tests after this one.
# Both DKMS builds are real (dkms, make, kbuild, modpost, the link, objtool,
# dkms install); with VSENSOR_CCACHE_DIR (tests/check-deb shares a host
# directory for it) their compiler runs go through ccache, so only gcc's
# outputs may come from the cache: the second kernel's build (the same
# headers, the same build directory) hits within one run, both hit on a
# warm cache.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

debdir=$(dirname "$0")/deb
kver=$(uname -r)
# The second kernel: a version directory of its own whose build tree is the
# running kernel's headers (the image has one kernel's headers).
kver2=$kver-t-deb
pkgs="vsensor-dkms libvsensor0 libvsensor-dev vsensor-tools vsensord"
save=/var/tmp/t-deb.tree.tar
lists=/var/tmp/t-deb.files
export DEBIAN_FRONTEND=noninteractive

# run-guest-suite runs this test only when it is named (tests/check-deb):
# it needs that script's image, with dkms and the kernel's headers.
cannot() {
	not_ok "$*"
	done_testing
	exit 1
}
command -v dkms >/dev/null || cannot "no dkms in this image: run make check-deb"
[ -e "/lib/modules/$kver/build/include" ] || cannot "no headers for $kver in the guest"
set -- "$debdir"/*.deb
[ -e "$1" ] || {
	not_ok "no packages in $debdir: run make deb (make check does)"
	done_testing
	exit 1
}

# ccache for the compiles of the DKMS builds: Debian's headers take CC from
# their .kernelvariables (dkms too), "ccache gcc-12" with
# DEBIAN_KERNEL_USE_CCACHE set. (Not /usr/lib/ccache first in PATH: apt
# runs dpkg, and so the postinst's DKMS build, with PATH set to DPkg::Path.)
ccache_dir=
if [ -n "${VSENSOR_CCACHE_DIR:-}" ]; then
	if command -v ccache >/dev/null; then
		ccache_dir=$VSENSOR_CCACHE_DIR
		CCACHE_DIR=$ccache_dir ccache -z >/dev/null
	else
		echo "# no ccache in this image: DKMS builds without it"
	fi
fi
# with_ccache CMD...: run CMD with ccache in front of the kernel's gcc, if
# there is one
with_ccache() {
	if [ -n "$ccache_dir" ]; then
		env DEBIAN_KERNEL_USE_CCACHE=1 CCACHE_DIR="$ccache_dir" "$@"
	else
		"$@"
	fi
}
# ccache_report WHAT: ccache's hits and misses since the last call, as a
# comment (a miss is a real compile, stored for the next run)
ccache_report() {
	[ -n "$ccache_dir" ] || return 0
	CCACHE_DIR=$ccache_dir ccache --print-stats | awk -F '\t' -v what="$1" '
		{ n[$1] = $2 }
		END { printf "# ccache, %s: %d hits (%d direct, %d preprocessed), %d misses\n", what,
			n["direct_cache_hit"] + n["preprocessed_cache_hit"],
			n["direct_cache_hit"], n["preprocessed_cache_hit"], n["cache_miss"] }'
	CCACHE_DIR=$ccache_dir ccache -z >/dev/null
}
# make_time KVER: as a comment, how long DKMS's make ran for KVER (its
# make.log starts with the date and is last written when make ends)
make_time() {
	for log in /var/lib/dkms/vsensor/*/"$1"/*/log/make.log; do
		[ -f "$log" ] || continue
		echo "# dkms: make for $1 took $(($(stat -c %Y "$log") - $(date -d "$(sed -n 2p "$log")" +%s))) s"
	done
}

# --- the tree's install out of the way --------------------------------------
was_loaded=0
grep -q '^vsensor ' /proc/modules && was_loaded=1
group_before=$(getent group vsensor)
user_before=$(getent passwd vsensord)
systemctl stop vsensord.service vsensord.socket
[ "$was_loaded" -eq 0 ] || rmmod vsensor vsensor_sim
# Every file the packages hold that the tree installed, its modules, and the
# state vsensord made: saved, then removed.
for f in "$@"; do dpkg-deb -c "$f"; done | awk '$1 !~ /^d/ { print $6 }' |
	sed 's|^\./|/|; s| -> .*||' | sort -u >"$lists"
{
	while read -r f; do [ -e "$f" ] || [ -L "$f" ] && echo "$f"; done <"$lists"
	echo "/lib/modules/$kver/updates/vsensor.ko"
	echo "/lib/modules/$kver/updates/vsensor-sim.ko"
	echo /var/lib/vsensor
	echo /etc/vsensor
} | tar -cpf "$save" -P -T - 2>/dev/null
check "the tree's install saved" test -s "$save"
tar -tPf "$save" | grep -v '/$' | while read -r f; do rm -f "$f"; done
rm -rf /var/lib/vsensor /etc/vsensor
find /etc/systemd/system -name 'vsensord.*' -delete
systemctl daemon-reload
userdel vsensord 2>/dev/null
groupdel vsensor 2>/dev/null
depmod -a "$kver"
check_fails "no vsensor module left before the packages" sh -c \
	'modinfo vsensor >/dev/null 2>&1 || modinfo vsensor_sim >/dev/null 2>&1'
check_fails "no group vsensor before the packages" sh -c 'getent group vsensor >/dev/null'

# --- install -------------------------------------------------------------------
t0=$(date +%s)
if with_ccache apt-get install -y --no-install-recommends "$@" >/var/tmp/t-deb.install.log 2>&1; then
	ok "apt-get install of $(echo "$@" | wc -w) packages ($(($(date +%s) - t0)) s, DKMS build included)"
else
	not_ok "apt-get install failed:"
	sed 's/^/#   /' /var/tmp/t-deb.install.log
	cat /var/lib/dkms/vsensor/*/build/make.log 2>/dev/null | tail -n 30 | sed 's/^/#   /'
fi
ccache_report "apt-get install"
make_time "$kver"
echo "# dkms: $(dkms status -m vsensor 2>/dev/null | tr '\n' ' ')"
check "dkms status: installed for $kver" \
	sh -c "dkms status -m vsensor -k '$kver' | grep ': installed' >/dev/null"
check_eq "modinfo finds the DKMS modules" \
	"/lib/modules/$kver/updates/dkms/vsensor.ko /lib/modules/$kver/updates/dkms/vsensor-sim.ko" \
	"$(modinfo -n vsensor 2>&1) $(modinfo -n vsensor_sim 2>&1)"
check "group vsensor made by the package (sysusers)" sh -c 'getent group vsensor >/dev/null'
check "user vsensord made by the package (sysusers)" sh -c 'getent passwd vsensord >/dev/null'
check_eq "same group as the tree's install" "$group_before" "$(getent group vsensor)"
check_eq "same user as the tree's install" "$user_before" "$(getent passwd vsensord)"
check "tmpfiles made /var/lib/vsensor/capture" test -d /var/lib/vsensor/capture
check "vsensord.socket enabled" systemctl -q is-enabled vsensord.socket
check "vsensord.service enabled" systemctl -q is-enabled vsensord.service
check "vsensord.socket active" systemctl -q is-active vsensord.socket

check "modprobe vsensor (vsensor_sim with it, by depmod)" sh -c \
	"modprobe vsensor && grep -q '^vsensor_sim ' /proc/modules"
udevadm settle
check_eq "/dev/vsensor0 is root:vsensor 0660" "root:vsensor 660" \
	"$(stat -c '%U:%G %a' /dev/vsensor0 2>&1)"
check "vsensorctl device list shows vsensor0" \
	sh -c 'vsensorctl device list | grep vsensor0 >/dev/null'
# The udev rule pulls vsensord in with the device.
i=0
while ! systemctl -q is-active vsensord.service && [ $i -lt 50 ]; do
	sleep 0.2
	i=$((i + 1))
done
check "vsensord active" systemctl -q is-active vsensord.service
check "vsensorctl daemon status" sh -c 'vsensorctl daemon status >/dev/null'
check "pkg-config finds vsensor.pc and libvsensor.pc" sh -c \
	'test -f /usr/lib/x86_64-linux-gnu/pkgconfig/vsensor.pc && test -e /usr/lib/x86_64-linux-gnu/pkgconfig/libvsensor.pc'

# --- docs/examples built from the installed packages alone -----------------------
# (the tree's library, header and vsensor.pc were put away above)
ex=$(mktemp -d)
cp "$(dirname "$0")"/examples/* "$ex"/
check "pkg-config --libs vsensor names the library" sh -c \
	'pkg-config --libs vsensor | grep -qw -- -lvsensor'
if make -C "$ex" >/var/tmp/t-deb.examples.log 2>&1; then
	ok "docs/examples built with pkg-config --cflags --libs vsensor"
else
	not_ok "docs/examples did not build:"
	sed 's/^/#   /' /var/tmp/t-deb.examples.log
fi
check "the examples link the packaged libvsensor.so.0" sh -c \
	"ldd '$ex/reader' | grep -Eq '=> (/usr)?/lib/x86_64-linux-gnu/libvsensor.so.0 '"
check_eq "reader: a header and 5 records" 6 \
	"$("$ex/reader" vsensor0 5 2>/dev/null | wc -l)"
check_eq "reader by serial: a header and 5 records" 6 \
	"$("$ex/reader" VSN1000-000000 5 2>/dev/null | wc -l)"
check_eq "stimulus: 20 records back bit-exact" "20 sent, 20 back, 0 wrong" \
	"$(timeout $((60 * slow)) "$ex/stimulus" vsensor0 20 2>&1)"
check "monitor: exits after two notifications" sh -c \
	"timeout $((30 * slow)) '$ex/monitor' 2 >/dev/null & p=\$!; sleep $slow; vsensorctl device add 33 >/dev/null; vsensorctl device del 33; wait \$p"
rm -rf "$ex"

# --- a second kernel: the kernel's postinst hook runs dkms autoinstall ---------
mkdir -p "/lib/modules/$kver2"
ln -sfn "$(readlink -f "/lib/modules/$kver/build")" "/lib/modules/$kver2/build"
t0=$(date +%s)
if with_ccache /etc/kernel/postinst.d/dkms "$kver2" >/var/tmp/t-deb.hook.log 2>&1; then
	ok "kernel postinst hook for $kver2 ($(($(date +%s) - t0)) s)"
else
	not_ok "kernel postinst hook for $kver2 failed:"
	sed 's/^/#   /' /var/tmp/t-deb.hook.log
fi
ccache_report "kernel postinst hook"
make_time "$kver2"
check "dkms status: installed for $kver2" \
	sh -c "dkms status -m vsensor -k '$kver2' | grep ': installed' >/dev/null"
check "modules in /lib/modules/$kver2/updates/dkms" \
	test -f "/lib/modules/$kver2/updates/dkms/vsensor.ko" -a \
	-f "/lib/modules/$kver2/updates/dkms/vsensor-sim.ko"

# --- purge ----------------------------------------------------------------------
[ -n "$(pidof vsensord)" ] && systemctl stop vsensord.service vsensord.socket
rmmod vsensor vsensor_sim 2>/dev/null
t0=$(date +%s)
# shellcheck disable=SC2086 # a list of package names
if apt-get purge -y $pkgs >/var/tmp/t-deb.purge.log 2>&1; then
	ok "apt-get purge ($(($(date +%s) - t0)) s)"
else
	not_ok "apt-get purge failed:"
	sed 's/^/#   /' /var/tmp/t-deb.purge.log
fi
check "no error in the purge output" sh -c '! grep -Ei "error|warning" /var/tmp/t-deb.purge.log'
left=$(while read -r f; do [ -e "$f" ] || [ -L "$f" ] && echo "$f"; done <"$lists")
check_eq "no file of the packages left" "" "$left"
# shellcheck disable=SC2086 # a list of package names
check_eq "dpkg knows none of them" "" \
	"$(dpkg-query -W -f='${db:Status-Status} ${Package}\n' $pkgs 2>/dev/null | grep -v '^not-installed')"
check_eq "no vsensor module left for either kernel" "" \
	"$(find "/lib/modules/$kver" "/lib/modules/$kver2" -name 'vsensor*.ko*' 2>/dev/null)"
check_fails "DKMS tree gone" test -e /var/lib/dkms/vsensor
check_fails "source gone" test -e /usr/src/vsensor-0.1.0
check_fails "configuration gone" test -e /etc/vsensor
check_fails "state gone" test -e /var/lib/vsensor
check_eq "no unit links left" "" "$(find /etc/systemd/system -name 'vsensord.*')"
# Debian keeps system users and groups on purge (files may still be theirs).
check "group vsensor kept, as Debian does" sh -c 'getent group vsensor >/dev/null'

# --- the tree's install back ----------------------------------------------------
rm -rf "/lib/modules/$kver2"
tar -xpPf "$save"
rm -f "$save" "$lists"
depmod -a "$kver"
systemd-sysusers
systemd-tmpfiles --create vsensor.conf
udevadm control --reload
systemctl daemon-reload
systemctl -q enable vsensord.socket vsensord.service
check_eq "the tree's modules back" \
	"/lib/modules/$kver/updates/vsensor.ko /lib/modules/$kver/updates/vsensor-sim.ko" \
	"$(modinfo -n vsensor) $(modinfo -n vsensor_sim)"
if [ "$was_loaded" -eq 1 ]; then
	check "the tree's modules loaded again" modprobe vsensor
	udevadm settle
fi
check "vsensord of the tree started again" systemctl start vsensord.socket vsensord.service
done_testing
