# Build settings shared by every userspace directory and by the install rules.
# Included by each directory's Makefile; nothing here builds anything.

TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)

CC ?= cc
OPTFLAGS ?= -O2 -g
VS_CFLAGS = -std=c11 -Wall -Wextra -Werror $(OPTFLAGS) -D_GNU_SOURCE \
	    -I$(TOP)/include/uapi -I$(TOP)/lib/include $(SAN_CFLAGS) $(EXTRA_CFLAGS)
VS_LDFLAGS = $(SAN_CFLAGS) $(EXTRA_LDFLAGS)

# SANITIZE=1 builds everything with ASan and UBSan into a separate tree.
ifeq ($(SANITIZE),1)
SAN_CFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
BUILD ?= $(TOP)/build/san
else
BUILD ?= $(TOP)/build/plain
endif

# Debian locations (DESTDIR is prepended by every install rule).
PREFIX ?= /usr
MULTIARCH := $(shell $(CC) -print-multiarch 2>/dev/null)
LIBDIR ?= $(PREFIX)/lib/$(MULTIARCH)
BINDIR ?= $(PREFIX)/bin
SBINDIR ?= $(PREFIX)/sbin
INCLUDEDIR ?= $(PREFIX)/include
LIBEXECDIR ?= $(PREFIX)/libexec/vsensor
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
SYSTEMDUNITDIR ?= /lib/systemd/system
UDEVRULESDIR ?= /lib/udev/rules.d
MODULESLOADDIR ?= /usr/lib/modules-load.d
SYSUSERSDIR ?= /usr/lib/sysusers.d
TMPFILESDIR ?= /usr/lib/tmpfiles.d

PKG_CONFIG ?= pkg-config
UDEV_CFLAGS := $(shell $(PKG_CONFIG) --cflags libudev 2>/dev/null)
UDEV_LIBS := $(shell $(PKG_CONFIG) --libs libudev 2>/dev/null)
NL_CFLAGS := $(shell $(PKG_CONFIG) --cflags libnl-genl-3.0 2>/dev/null)
NL_LIBS := $(shell $(PKG_CONFIG) --libs libnl-genl-3.0 2>/dev/null)
SYSTEMD_CFLAGS := $(shell $(PKG_CONFIG) --cflags libsystemd 2>/dev/null)
SYSTEMD_LIBS := $(shell $(PKG_CONFIG) --libs libsystemd 2>/dev/null)
INIH_CFLAGS := $(shell $(PKG_CONFIG) --cflags inih 2>/dev/null)
INIH_LIBS := $(shell $(PKG_CONFIG) --libs inih 2>/dev/null)
JSON_CFLAGS := $(shell $(PKG_CONFIG) --cflags json-c 2>/dev/null)
JSON_LIBS := $(shell $(PKG_CONFIG) --libs json-c 2>/dev/null)
CHECK_CFLAGS := $(shell $(PKG_CONFIG) --cflags check 2>/dev/null)
CHECK_LIBS := $(shell $(PKG_CONFIG) --libs check 2>/dev/null)

# The kernel the module is built for: KDIR when given, else the running
# kernel's build tree when its headers are installed, else the kernel Debian's
# linux-headers-amd64 depends on (the one the guest lab boots). KVER is read
# from KDIR so the two never disagree.
DEBIAN_KVER := $(shell dpkg-query -W -f='$${Depends}' linux-headers-amd64 2>/dev/null | \
		 sed -n 's/^linux-headers-\([^ ,]*\).*/\1/p')
ifeq ($(origin KDIR),undefined)
ifneq ($(wildcard /lib/modules/$(shell uname -r)/build),)
KDIR := /lib/modules/$(shell uname -r)/build
else
KDIR := /lib/modules/$(DEBIAN_KVER)/build
endif
endif
KVER ?= $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' $(KDIR)/include/generated/utsrelease.h 2>/dev/null)

V ?= 0
ifeq ($(V),0)
Q := @
else
Q :=
endif
