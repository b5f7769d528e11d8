# vsensor: top-level Makefile. Every real rule lives in the Makefile of its
# directory; this file only orders them. `make help` lists the targets.

include mk/config.mk

USER_DIRS := lib cli daemon
export KDIR KVER

.PHONY: all kernel user $(USER_DIRS) tests install install-tests deps \
	check check-unit check-guest demo shell lint bench check-debug clean help

all: kernel user tests

kernel:
	$(MAKE) -C kernel KDIR=$(KDIR)

user: $(USER_DIRS)

lib:
	$(MAKE) -C lib
cli daemon: lib
	$(MAKE) -C $@

tests: user
	$(MAKE) -C tests

install: kernel user
	$(MAKE) -C kernel install
	for d in $(USER_DIRS) systemd; do $(MAKE) -C $$d install || exit; done
	$(MAKE) -C include install

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

demo:
	mk/deps ensure
	tests/vm/run -- /usr/libexec/vsensor/tests/demo

shell:
	mk/deps ensure
	tests/vm/run --interactive

# Benchmarks next to their kernel baselines, in one guest (not a test).
bench:
	mk/deps ensure
	tests/bench/bench

clean:
	$(MAKE) -C kernel clean
	rm -rf build

help:
	@echo "make            build the module ($(KDIR)) and the userspace"
	@echo "make deps       install every Debian package the build, tests and guest need"
	@echo "make demo       boot a guest, load vsensor, show devices and samples"
	@echo "make check      unit tests (plain and ASan/UBSan), then the guest suite"
	@echo "make shell      interactive shell in the guest, build installed"
	@echo "make bench      benchmarks next to their baselines in one guest, as a table"
	@echo "make install    install into DESTDIR (Debian layout)"
