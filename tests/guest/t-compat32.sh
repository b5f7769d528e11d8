#!/bin/sh
# Guest test: a 32-bit program uses the device through compat_ioctl.
exec "$(dirname "$0")/compat32"
