# vsensor: top-level Makefile. Every real rule lives in the Makefile of its
# directory; this file only orders them. `make help` lists the targets.

include mk/config.mk

USER_DIRS := lib cli daemon vfio
# Only a KDIR or KVER the user gave reaches the sub-makes: computed here,
# before `mk/deps ensure` has installed the kernel headers on a fresh
# machine, they would carry an empty version into every later build.
$(foreach v,KDIR KVER,$(if $(filter file,$(origin $(v))),,$(eval export $(v))))

.PHONY: all kernel user $(USER_DIRS) tests install install-tests deps \
	install-user install-dkms deb check-deb check check-unit check-guest fuzz demo shell lint bench check-debug \
	qemu check-pci bench-pci \
	clean help

all: kernel user tests

kernel:
	$(MAKE) -C kernel

user: $(USER_DIRS)

lib:
	$(MAKE) -C lib
cli daemon: lib
	$(MAKE) -C $@
# the userspace driver through vfio-pci (docs/vfio.md): no libvsensor
vfio:
	$(MAKE) -C vfio

tests: user
	$(MAKE) -C tests

install: kernel install-user
	$(MAKE) -C kernel install

# Everything but the module: what debian/rules installs (the module goes
# out as source, for DKMS: dkms.conf).
install-user: user
	for d in $(USER_DIRS) systemd; do $(MAKE) -C $$d install || exit; done
	$(MAKE) -C include install

# The module's source and dkms.conf as DKMS wants them (vsensor-dkms):
# DKMS builds it with kernel/Makefile, which includes mk/config.mk.
DKMS_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
DKMS_SRC = $(DESTDIR)/usr/src/vsensor-$(DKMS_VERSION)
install-dkms:
	install -d $(DKMS_SRC)/kernel/sim $(DKMS_SRC)/include/uapi/linux $(DKMS_SRC)/mk
	install -m 0644 dkms.conf $(DKMS_SRC)/
	install -m 0644 kernel/Kbuild kernel/Makefile kernel/*.[ch] $(DKMS_SRC)/kernel/
	install -m 0644 kernel/sim/*.[ch] $(DKMS_SRC)/kernel/sim/
	install -m 0644 include/uapi/linux/vsensor.h $(DKMS_SRC)/include/uapi/linux/
	install -m 0644 mk/config.mk $(DKMS_SRC)/mk/

# The Debian packages (debian/), built by dpkg-buildpackage from a clean copy
# of the tree into build/deb/; lintian checks them (mk/deb).
deb:
	mk/deps ensure
	mk/deb

# The guest test suite and its helpers (not part of the product install).
install-tests: tests
	$(MAKE) -C tests install

deps:
	mk/deps install

check:
	mk/deps ensure
	tests/check

check-unit:
	mk/deps ensure
	$(MAKE) -C tests check-unit

check-guest:
	mk/deps ensure
	tests/vm/run -- /usr/libexec/vsensor/tests/run-guest-suite

# The Debian packages installed in a guest (an image with DKMS and the
# kernel's headers), the module built by DKMS for its kernel and a second
# one, purged: tests/guest/t-deb.sh through tests/check-deb (the DKMS
# builds' compiles cached by ccache on the host); CI runs it after make
# check, whose 15-minute budget it does not fit; docs/debian.md.
check-deb: deb
	tests/check-deb

# The guest suite on a debug kernel (KASAN, lockdep, kmemleak, UBSAN...)
# built from linux-source-6.1 and cached; see docs/testing.md.
check-debug:
	mk/deps ensure
	tests/check-debug

# QEMU with the VSN1000 as a PCI device, from Debian's qemu source,
# cached (qemu/README.md); check-pci boots the PCI lab (q35, intel-iommu,
# one vsn1000, hotplug through QMP) and runs its tests (tests/guest/t-pci*,
# also a stage of make check).
qemu:
	mk/deps ensure
	qemu/build

check-pci: qemu
	tests/vm/run --pci -- /usr/libexec/vsensor/tests/run-guest-suite 't-pci*'

# sparse and checkpatch on kernel/, cppcheck on the userspace.
lint:
	mk/deps ensure
	tests/lint

# The guest fuzzer for FUZZ_TIME seconds (tests/fuzz, tests/guest/t-fuzz.sh);
# FUZZ_VM_ARGS passes options to tests/vm/run (--kernel, --modules for the
# debug kernel), FUZZ_SEED replays a run.
FUZZ_TIME ?= 300
fuzz:
	mk/deps ensure
	tests/vm/run --timeout $$(($(FUZZ_TIME) + 900)) $(FUZZ_VM_ARGS) -- \
		env VSENSOR_FUZZ_TIME=$(FUZZ_TIME) $(if $(FUZZ_SEED),VSENSOR_FUZZ_SEED=$(FUZZ_SEED)) \
		/usr/libexec/vsensor/tests/run-guest-suite 't-fuzz*'

demo:
	mk/deps ensure
	tests/vm/run -- /usr/libexec/vsensor/tests/demo
	qemu/build >/dev/null
	tests/vm/run --pci -- /usr/libexec/vsensor/tests/demo-pci

shell:
	mk/deps ensure
	tests/vm/run --interactive

# Benchmarks next to their kernel baselines: one guest for the model, then
# the PCI lab once per IOMMU mode (not a test); bench-pci only the latter.
bench:
	mk/deps ensure
	tests/bench/bench

bench-pci:
	mk/deps ensure
	tests/bench/bench --pci-only

clean:
	$(MAKE) -C kernel clean
	rm -rf build

help:
	@echo "make            build the module ($(KDIR)) and the userspace"
	@echo "make deps       install every Debian package the build, tests and guest need"
	@echo "make demo       boot a guest, load vsensor, show devices and samples"
	@echo "make check      lint, unit tests (plain and ASan/UBSan), the packages in a guest,"
	@echo "                then the guest suite and the PCI lab's tests"
	@echo "make check-debug  the guest suite on a debug kernel (KASAN, lockdep, kmemleak...)"
	@echo "make lint       sparse and checkpatch on kernel/, cppcheck on the userspace"
	@echo "make shell      interactive shell in the guest, build installed"
	@echo "make fuzz       the guest fuzzer for FUZZ_TIME s (300) with no kernel report"
	@echo "make bench      benchmarks next to their baselines (the model, then the PCI lab per IOMMU mode), as a table"
	@echo "make bench-pci  only the PCI lab's rows (PCI vs model, DMA with the IOMMU strict, lazy, off)"
	@echo "make install    install into DESTDIR (Debian layout)"
	@echo "make check-deb  the packages in a guest: DKMS build, udev, group, purge"
	@echo "make qemu       build (once) QEMU with the vsn1000 PCI device (qemu/README.md)"
	@echo "make check-pci  the PCI lab: q35, intel-iommu, the vsn1000 and the driver; runs t-pci*"
	@echo "make deb        the Debian packages (DKMS module, library, tools, daemon) in build/deb"
