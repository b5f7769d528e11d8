#!/bin/sh
# Guest tests: runtime PM. A device with no session suspends after its
# autosuspend delay and raises no interrupts; an open session resumes it.
. "$(dirname "$0")/lib.sh"

d=/sys/bus/vsensor/devices/vsensor0
status() { cat $d/power/runtime_status; }
irqs() { grep -E 'vsensor0-(q[0-9]|tx|err)$' /proc/interrupts | tr -s ' ' | cut -d' ' -f3-4; }

check_eq "autosuspend delay" 500 "$(cat $d/power/autosuspend_delay_ms)"
sleep 1
check_eq "idle device suspended" suspended "$(status)"
before=$(irqs)
sleep 1
check_eq "no interrupts while suspended" "$before" "$(irqs)"

exec 3</dev/vsensor0
check_eq "an open session resumes it" active "$(status)"
sleep 1
check_eq "still active while the session is open" active "$(status)"
check "interrupts while streaming" test "$before" != "$(irqs)"
exec 3<&-
check_eq "active within the delay after the last close" active "$(status)"
sleep 1.5
check_eq "suspended after the delay" suspended "$(status)"
check "suspended time accounted" test "$(cat $d/power/runtime_suspended_time)" -gt 0

# a shorter delay is honoured; -1 forbids autosuspend
echo 100 > $d/power/autosuspend_delay_ms
exec 3</dev/vsensor0
exec 3<&-
sleep 0.5
check_eq "suspended after a 100 ms delay" suspended "$(status)"
echo -1 > $d/power/autosuspend_delay_ms
exec 3</dev/vsensor0
exec 3<&-
sleep 1
check_eq "delay -1 keeps it active" active "$(status)"
echo 500 > $d/power/autosuspend_delay_ms
sleep 1
check_eq "suspended again with the delay back" suspended "$(status)"

done_testing
