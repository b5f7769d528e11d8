#!/bin/bash
# Guest tests of module init's error paths (kernel/fault.c): each init step
# made to fail (fail_init_step=N), and each wrapped allocation of loading
# with two devices (fail_nth=N), makes the load fail with that error and
# leave nothing behind (bus, root device, nodes, debugfs, netlink family,
# LED trigger); a clean load works afterwards. Then 200 load/unload cycles
# must give back every slab object and page they took (20 cycles checked by
# kmemleak on the debug kernel).
dir=$(dirname "$0")
# shellcheck source=lib.sh
. "$dir/lib.sh"

ko=/lib/modules/$(uname -r)/updates/vsensor.ko
init_steps=6	# irq, bus, netlink, led, driver, devices (kernel/fault.h)

# leftovers: what a failed load may not leave behind, one per line
leftovers() {
	local p
	for p in /sys/bus/vsensor /sys/devices/vsensor /sys/module/vsensor \
		/sys/kernel/debug/vsensor /sys/class/misc/vsensor0 \
		/dev/vsensor0 /sys/class/leds/vsensor0::status; do
		[ -e "$p" ] && echo "$p"
	done
	genl ctrl list 2>/dev/null | grep -qw 'Name: vsensor' && echo "genl family"
	grep -qE 'vsensor[0-9]*-activity' /sys/class/leds/*/trigger 2>/dev/null &&
		echo "LED trigger"
	grep -q vsensor /proc/interrupts && echo "interrupts"
	true
}

# try_load ARGS...: the insmod error text ("ok" on success)
try_load() {
	local out
	if out=$(insmod "$ko" "$@" 2>&1); then
		echo ok
	else
		echo "${out##*: }"
	fi
}

rmmod vsensor 2>/dev/null
udevadm settle
# udev would load the module by its alias (MODALIAS of the first device)
# behind the back of a failing insmod; devtmpfs makes the nodes anyway
systemctl stop systemd-udevd.service systemd-udevd-control.socket \
	systemd-udevd-kernel.socket
check_eq "nothing left before the tests" "" "$(leftovers)"

for step in $(seq 1 $init_steps); do
	check_eq "fail_init_step=$step: load fails with ENOMEM" \
		"Cannot allocate memory" "$(try_load fail_init_step="$step" nr_devices=2)"
	check_eq "fail_init_step=$step: nothing left" "" "$(leftovers)"
done
check_eq "clean load after the failed ones" ok "$(try_load nr_devices=2)"
check "node back" test -e /sys/class/misc/vsensor1
check "genl family back" sh -c "genl ctrl list | grep -qw 'Name: vsensor'"
rmmod vsensor

# every wrapped allocation and step of a load with two devices, in turn (a
# fault in the second one undoes the first)
n=1
faults=0
bad=""
while :; do
	res=$(try_load nr_devices=2 fail_nth=$n)
	[ "$res" = ok ] && break
	case $res in
	"Cannot allocate memory" | "Device or resource busy") ;;
	*) bad="$bad $n:$res" ;;
	esac
	left=$(leftovers)
	[ -n "$left" ] && bad="$bad $n:left($left)"
	faults=$((faults + 1))
	n=$((n + 1))
	[ $n -gt 500 ] && break
done
echo "# load with fail_nth: $faults faults injected"
check_eq "each failed load clean" "" "$bad"
check "more than 30 sites on the load path" test $faults -gt 30
check_eq "no fault left pending after the clean load" 0 \
	"$(cat /sys/module/vsensor/parameters/faults_injected)"
check "two devices" test -e /sys/class/misc/vsensor1
rmmod vsensor

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
	insmod "$ko" nr_devices=2 && rmmod vsensor
}

# 200 load/unload cycles: a leak of one object per cycle is 200 objects,
# over the tolerance of 100 that the rest of the system (journald, the
# uevents of 400 devices) needs; a leaked session or queue buffer (a large
# kmalloc, in SUnreclaim) is 800 kB or more against 512 kB; a leaked DMA
# ring (8 pages per queue, 2 queues, 2 devices) 25 MB against the 2 MB of
# noise that memory in use shows. A single page per cycle would hide.
# On the debug kernel KASAN's quarantine holds freed objects back, so the
# slab and memory counts say nothing there: kmemleak finds one leaked
# object exactly (leakcheck.sh), and 20 cycles are enough for it.
cycles=200 warmup=10
if "$dir/leakcheck.sh" available; then
	cycles=20 warmup=2
fi
for _ in $(seq $warmup); do cycle; done	# warm up
settle
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
check_eq "$cycles load/unload cycles" $cycles $ok_cycles
if [ $cycles -eq 20 ]; then
	check "kmemleak: nothing from vsensor after the cycles" "$dir/leakcheck.sh" end
else
	check "slab objects back to baseline (< 100)" test $((slab1 - slab0)) -lt 100
	check "unreclaimable slab back to baseline (< 512 kB)" test $((sun1 - sun0)) -lt 512
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
