#!/bin/sh
# Guest tests: vsensorctl against the real module (discovery through udev,
# sessions through the character device), text and JSON, exit codes.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

out=$(vsensorctl device list)
check "device list exits 0" test $? -eq 0
check "device list names vsensor0 and its node" sh -c \
	"echo '$out' | grep -q '^vsensor0 devnode /dev/vsensor0 model VSN1000 serial VSN1000-000000 channels 4'"
json=$(vsensorctl -j device list)
check "device list -j is one JSON array with vsensor0" sh -c \
	"echo '$json' | grep -q '^\[{\"name\":\"vsensor0\",\"devnode\":\"/dev/vsensor0\",'"
check_eq "device show vsensor0 matches the list" "$out" "$(vsensorctl device show vsensor0)"
check_eq "dev sh abbreviates device show" "$out" "$(vsensorctl dev sh vsensor0)"
check_eq "-j after the object is -j" "$(vsensorctl -j device show vsensor0)" \
	"$(vsensorctl device show vsensor0 -j)"

n=$(vsensorctl read vsensor0 -n 5 | wc -l)
check_eq "read -n 5 prints 5 records" 5 "$n"
first=$(vsensorctl read /dev/vsensor0 -n 3 | head -n 1)
check "records start at seq 0 with four channels" sh -c \
	"echo '$first' | grep -Eq '^seq 0 ts [0-9]+\.[0-9]{9} flags - ch0 -?[0-9]+ ch1 -?[0-9]+ ch2 -?[0-9]+ ch3 -?[0-9]+$'"
jn=$(vsensorctl -j read 0 -n 4 | grep -o '"seq":' | wc -l)
check_eq "read -j -n 4 holds 4 records" 4 "$jn"
check "read | head exits quietly" sh -c \
	"vsensorctl read vsensor0 -n 100000 | head -n 2 >/dev/null; test \$? -eq 0"

vsensorctl read vsensor9 -n 1 2>/tmp/err; rc=$?
check_eq "missing device exits 3" 3 "$rc"
check "missing device says Error:" grep -q '^Error: ' /tmp/err
vsensorctl read vsensor0 -n abc 2>/tmp/err; rc=$?
check_eq "bad count exits 1" 1 "$rc"
check "bad count says Error:" grep -q '^Error: ' /tmp/err
vsensorctl frobnicate 2>/dev/null; rc=$?
check_eq "unknown object exits 1" 1 "$rc"

# a non-member of group vsensor cannot open the node
check "nobody cannot read the device" sh -c \
	"! setpriv --reuid=nobody --regid=nogroup --clear-groups vsensorctl read vsensor0 -n 1 2>/dev/null"

# bash completion, installed where bash-completion looks for it
comp=/usr/share/bash-completion/completions/vsensorctl
complete_line() {
	bash -c ". $comp; COMP_WORDS=($1); COMP_CWORD=\$((\${#COMP_WORDS[@]} - 1)); _vsensorctl; echo \"\${COMPREPLY[*]}\""
}
check "bash completion registers vsensorctl" sh -c \
	"bash -c '. $comp; complete -p vsensorctl' | grep -qx 'complete -F _vsensorctl vsensorctl'"
check_eq "completing 'vsensorctl dev' gives device" device "$(complete_line 'vsensorctl dev')"
check_eq "completing a device names the devices on the bus" \
	"$(cd /sys/bus/vsensor/devices && echo vsensor*)" \
	"$(complete_line 'vsensorctl device show ""')"
done_testing
