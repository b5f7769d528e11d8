# shellcheck shell=bash
# Shared by tests/vm/mkimage and tests/vm/run (sourced, never executed).

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck disable=SC2034 # used by the scripts that source this file
TOP=${VSENSOR_TOP:-$(cd "$VM_DIR/../.." && pwd)}
CACHE=${VSENSOR_CACHE:-${HOME:-/root}/.cache/vsensor}

vm_die() {
	echo "vm: error: $*" >&2
	exit 1
}

vm_log() {
	echo "vm: $*" >&2
}

# The kernel the guest boots and the module is built for: the ABI that
# Debian's linux-headers-amd64 depends on (same rule as mk/config.mk).
vm_kver() {
	local kver
	if [[ -n ${VSENSOR_KVER:-} ]]; then
		echo "$VSENSOR_KVER"
		return
	fi
	kver=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null |
		sed -n 's/^linux-headers-\([^ ,]*\).*/\1/p') || true
	[[ -n $kver ]] || vm_die "cannot find the kernel version: linux-headers-amd64 is not installed (run: mk/deps install)"
	echo "$kver"
}

# Debian packages of the guest image (besides the essential set and apt).
# linux-image-$KVER is added by vm_image_packages.
VM_IMAGE_PACKAGES=(
	systemd systemd-sysv udev kmod procps util-linux iproute2
	libudev1 libnl-3-200 libnl-genl-3-200 libinih1 libjson-c5
	initramfs-tools zstd usr-is-merged busybox-static
	less strace jq tmux pciutils
)

# With VSENSOR_VM_DEB=1 (tests/check-deb), an image of its own that also
# has what guest/t-deb.sh needs: DKMS, the compiler and linux-headers-$KVER
# to build the module, ccache for those builds' compiles (its cache shared
# from the host), libvsensor-dev's dependencies, libc6-dev and pkgconf (the
# examples are built against the packages). 125 MB more per run,
# so the other runs keep the small image.
VM_DEB_PACKAGES=(dkms gcc make ccache libc6-dev pkgconf libudev-dev libnl-genl-3-dev libjson-c-dev)

vm_image_packages() {
	printf '%s\n' "${VM_IMAGE_PACKAGES[@]}" "linux-image-$1"
	if [[ ${VSENSOR_VM_DEB:-0} == 1 ]]; then
		printf '%s\n' "${VM_DEB_PACKAGES[@]}" "linux-headers-$1"
	fi
}

# Cache key of the image: package list, kernel version and the scripts that
# decide what goes into the image. The guest unit and runner are installed at
# run time (tests/vm/run), so changing them never forces an image rebuild.
vm_image_key() {
	local kver=$1
	{
		echo "format 1"
		vm_image_packages "$kver"
		echo "kver $kver"
		cat "$VM_DIR/mkimage" "$VM_DIR/common.sh"
	} | sha256sum | cut -c1-16
}

vm_image_path() {
	echo "$CACHE/image-$(vm_image_key "$1").tar.zst"
}
