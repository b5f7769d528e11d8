#!/bin/bash
# Guest tests of module init's error paths (kernel/sim/fault.c): each init
# step of both modules made to fail (fail_init_step=N: 1-3 vsensor_sim's,
# 4-6 vsensor's), and each wrapped allocation of loading vsensor_sim with
# two devices, then of loading vsensor, which binds them (fail_nth=N), makes
# the load fail with that error and leave nothing of that module behind
# (bus, root device, nodes, debugfs, netlink family, LED trigger, interrupts);
# a fault in a probe leaves that device unbound and nothing of it. A clean
# load works afterwards. Then 100 load/unload cycles of both modules must
# give back every slab object and page they took (20 cycles checked by
# kmemleak on the debug kernel).
dir=$(dirname "$0")
# shellcheck source=lib.sh
. "$dir/lib.sh"

sim_ko=/lib/modules/$(uname -r)/updates/vsensor-sim.ko
drv_ko=/lib/modules/$(uname -r)/updates/vsensor.ko
param=/sys/module/vsensor_sim/parameters
sysbus=/sys/bus/vsensor
sim_steps=3	# irq, bus, devices (kernel/sim/fault.h)
init_steps=6	# then netlink, led, driver: vsensor's

# driver_leftovers: what vsensor.ko may not leave behind, one per line
driver_leftovers() {
	local p
	for p in /sys/module/vsensor $sysbus/drivers/vsensor \
		/sys/kernel/debug/vsensor /sys/class/misc/vsensor0 \
		/sys/class/misc/vsensor1 /dev/vsensor0 /dev/vsensor1 \
		/sys/class/leds/vsensor0::status /sys/class/leds/vsensor1::status \
		"$sysbus"/devices/*/driver; do
		[ -e "$p" ] && echo "$p"
	done
	genl ctrl list 2>/dev/null | grep -qw 'Name: vsensor' && echo "genl family"
	grep -qE 'vsensor[0-9]*-activity' /sys/class/leds/*/trigger 2>/dev/null &&
		echo "LED trigger"
	# a handler the driver requested (its name: the vector's, vsensor0-q0)
	grep -qE 'vsensor[0-9]+-' /proc/interrupts && echo "interrupt handlers"
	true
}

# leftovers: what a failed load of either module may not leave behind
leftovers() {
	local p
	for p in $sysbus /sys/devices/vsensor /sys/module/vsensor_sim; do
		[ -e "$p" ] && echo "$p"
	done
	# the sim's vectors (their irq chip) once they have fired
	grep -q vsensor-msi /proc/interrupts && echo "interrupts"
	driver_leftovers
}

# try_load KO ARGS...: the insmod error text ("ok" on success)
try_load() {
	local out
	if out=$(insmod "$@" 2>&1); then
		echo ok
	else
		echo "${out##*: }"
	fi
}

# try_load_nth N: load vsensor.ko with vsensor_sim's fail_nth=N counting
# only insmod's own calls (probe runs in it); the error text or "ok"
try_load_nth() {
	local out
	# shellcheck disable=SC2016 # expanded by the inner shell
	if out=$(sh -c 'echo $$ >"$1/fail_pid" && echo "$2" >"$1/fail_nth" &&
		exec insmod "$3"' sh "$param" "$1" "$drv_ko" 2>&1); then
		echo ok
	else
		echo "${out##*: }"
	fi
	echo 0 >$param/fail_nth
}

bound() { find $sysbus/drivers/vsensor -name 'vsensor[0-9]*' 2>/dev/null | wc -l; }
injected() { cat $param/faults_injected; }

rmmod vsensor vsensor_sim 2>/dev/null
udevadm settle
# udev would load vsensor by its alias (MODALIAS of the first device)
# behind the back of the tests; devtmpfs makes the nodes anyway
systemctl stop systemd-udevd.service systemd-udevd-control.socket \
	systemd-udevd-kernel.socket
check_eq "nothing left before the tests" "" "$(leftovers)"

for step in $(seq 1 $sim_steps); do
	check_eq "fail_init_step=$step: vsensor_sim load fails with ENOMEM" \
		"Cannot allocate memory" \
		"$(try_load "$sim_ko" fail_init_step="$step" nr_devices=2)"
	check_eq "fail_init_step=$step: nothing left" "" "$(leftovers)"
done
check_eq "clean vsensor_sim load after the failed ones" ok \
	"$(try_load "$sim_ko" nr_devices=2)"
for step in $(seq $((sim_steps + 1)) $init_steps); do
	echo "$step" >$param/fail_init_step
	check_eq "fail_init_step=$step: vsensor load fails with ENOMEM" \
		"Cannot allocate memory" "$(try_load "$drv_ko")"
	check_eq "fail_init_step=$step: nothing of vsensor left" "" "$(driver_leftovers)"
	check_eq "fail_init_step=$step: fired once" 0 "$(cat $param/fail_init_step)"
	check "fail_init_step=$step: the sim's devices stay" \
		test -e $sysbus/devices/vsensor1
done
check_eq "init step faults counted" $((init_steps - sim_steps)) "$(injected)"
check_eq "clean vsensor load after the failed ones" ok "$(try_load "$drv_ko")"
check "node back" test -e /sys/class/misc/vsensor1
check "genl family back" sh -c "genl ctrl list | grep -qw 'Name: vsensor'"
rmmod vsensor vsensor_sim

# every wrapped allocation and step of loading vsensor_sim with two devices,
# in turn (a fault in the second one undoes the first)
n=1
sim_faults=0
bad=""
while :; do
	res=$(try_load "$sim_ko" nr_devices=2 fail_nth=$n)
	[ "$res" = ok ] && break
	case $res in
	"Cannot allocate memory" | "Device or resource busy") ;;
	*) bad="$bad $n:$res" ;;
	esac
	left=$(leftovers)
	[ -n "$left" ] && bad="$bad $n:left($left)"
	sim_faults=$((sim_faults + 1))
	n=$((n + 1))
	[ $n -gt 500 ] && break
done
echo "# vsensor_sim load with fail_nth: $sim_faults faults injected ($SECONDS s in)"
check_eq "each failed vsensor_sim load clean" "" "$bad"
check "more than 10 sites on vsensor_sim's load path" test $sim_faults -gt 10
check_eq "no fault left pending after the clean load" 0 "$(injected)"
check "two devices" test -e $sysbus/devices/vsensor1
echo 0 >$param/fail_nth

# every wrapped allocation and step of loading vsensor, which probes the
# two devices: a fault before the driver registers fails the load and
# leaves nothing of it; one in a probe leaves that device unbound
n=1
drv_faults=0
probe_faults=0
bad=""
while :; do
	before=$(injected)
	res=$(try_load_nth $n)
	faults=$(($(injected) - before))
	if [ "$res" = ok ] && [ $faults -eq 0 ]; then
		break
	elif [ "$res" = ok ]; then
		[ "$(bound)" -eq 1 ] || bad="$bad $n:bound($(bound))"
		rmmod vsensor || bad="$bad $n:rmmod"
		probe_faults=$((probe_faults + 1))
	else
		case $res in
		"Cannot allocate memory" | "Device or resource busy") ;;
		*) bad="$bad $n:$res" ;;
		esac
	fi
	[ $faults -eq 1 ] || bad="$bad $n:faults($faults)"
	left=$(driver_leftovers)
	[ -n "$left" ] && bad="$bad $n:left($left)"
	[ -e $sysbus/devices/vsensor1 ] || bad="$bad $n:devices-gone"
	drv_faults=$((drv_faults + 1))
	n=$((n + 1))
	[ $n -gt 500 ] && break
done
echo 0 >$param/fail_pid
echo "# vsensor load with fail_nth: $drv_faults faults injected, $probe_faults in a probe ($SECONDS s in)"
check_eq "each failed vsensor load or probe clean" "" "$bad"
check "more than 20 sites on vsensor's load path" test $drv_faults -gt 20
check "faults in the probes" test $probe_faults -gt 0
check_eq "both devices bound after the clean load" 2 "$(bound)"
check "two nodes" test -e /sys/class/misc/vsensor1
rmmod vsensor vsensor_sim

# kmalloc and kernfs objects in use (slub_debug keeps no per-CPU slabs)
slab_objects() {
	awk '/^(kmalloc-|kernfs_node_cache)/ { n += $2 } END { print n }' /proc/slabinfo
}
meminfo() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }
# memory in use, kB: pages allocated less freed (the per-CPU free lists,
# which move MemFree by megabytes, do not count) less the volatile journal
used_kb() {
	echo $(($(awk '/^pgalloc_/ { n += $2 } /^pgfree / { n -= $2 }
		END { print n * 4 }' /proc/vmstat) - $(meminfo Shmem)))
}
settle() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	sleep 1
}

cycle() {
	insmod "$sim_ko" nr_devices=2 && insmod "$drv_ko" && rmmod vsensor vsensor_sim
}

# 100 load/unload cycles: a leak of one object per cycle is 100 objects,
# over the tolerance of 40 for the rest of the system (the uevents of the
# devices, journald: -54..+3 objects measured over 200 cycles, so a
# one-object leak still shows as 46 or more); a leaked
# session or queue buffer (a large kmalloc, in SUnreclaim) is 400 kB or
# more against 256 kB; a leaked DMA ring (8 pages per queue, 2 queues, 2
# devices) 12 MB against the 2 MB of noise that memory in use shows. A
# single page per cycle would hide. (100, not 200 cycles: a minute of
# make check's budget.)
# On the debug kernel KASAN's quarantine holds freed objects back, so the
# slab and memory counts say nothing there: kmemleak finds one leaked
# object exactly (leakcheck.sh), and 20 cycles are enough for it.
cycles=100 warmup=10
if "$dir/leakcheck.sh" available; then
	cycles=20 warmup=2
fi
echo "# cycles start ($SECONDS s in)"
for _ in $(seq $warmup); do cycle; done	# warm up
settle
echo "# warm-up done ($SECONDS s in)"
[ $cycles -eq 20 ] && "$dir/leakcheck.sh" begin
slab0=$(slab_objects)
used0=$(used_kb)
sun0=$(meminfo SUnreclaim)
pcpu0=$(meminfo Percpu)
vmalloc0=$(meminfo VmallocUsed)
ok_cycles=0
for _ in $(seq $cycles); do
	cycle && ok_cycles=$((ok_cycles + 1))
done
settle
slab1=$(slab_objects)
used1=$(used_kb)
sun1=$(meminfo SUnreclaim)
pcpu1=$(meminfo Percpu)
vmalloc1=$(meminfo VmallocUsed)
echo "# $cycles cycles: slab $((slab1 - slab0)) objects, SUnreclaim $((sun1 - sun0)) kB, in use $((used1 - used0)) kB," \
	"Percpu $((pcpu1 - pcpu0)) kB, VmallocUsed $((vmalloc1 - vmalloc0)) kB"
echo "# cycles done ($SECONDS s in)"
check_eq "$cycles load/unload cycles" $cycles $ok_cycles
if [ $cycles -eq 20 ]; then
	check "kmemleak: nothing from vsensor after the cycles" "$dir/leakcheck.sh" end
else
	check "slab objects back to baseline (< 40)" test $((slab1 - slab0)) -lt 40
	check "unreclaimable slab back to baseline (< 256 kB)" test $((sun1 - sun0)) -lt 256
	check "memory in use back to baseline (< 2 MB)" test $((used1 - used0)) -lt 2048
fi
check "per-CPU memory back to baseline" test $((pcpu1 - pcpu0)) -le 0
check "vmalloc back to baseline (< 64 kB)" test $((vmalloc1 - vmalloc0)) -lt 64
check_eq "nothing left after the cycles" "" "$(leftovers)"

systemctl start systemd-udevd.service
modprobe vsensor
udevadm settle
check "module back for the next tests" test -c /dev/vsensor0
done_testing
