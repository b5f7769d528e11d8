#!/bin/sh
# Exact leak detection for the guest tests on the debug kernel (`make
# check-debug`), through kmemleak. There, KASAN's quarantine holds freed slab
# objects back for a while, so counting slab objects before and after (what
# the tests do on Debian's kernel) no longer measures leaks; kmemleak finds
# a single unreferenced object instead.
#
#   leakcheck.sh available  exit 0 when the running kernel has kmemleak
#   leakcheck.sh begin      scan, then forget every report so far
#   leakcheck.sh end        scan twice (an object is reported once it stayed
#                           unreferenced through a scan and is older than
#                           5 s), print the reports that come from vsensor
#                           as TAP comments; exit 1 if there is one
kmemleak=/sys/kernel/debug/kmemleak
filter=/usr/libexec/vsensor-lab/kmemleak-vsensor

scan() {
	echo scan >"$kmemleak"
}

case ${1-} in
available)
	[ -w "$kmemleak" ]
	;;
begin)
	scan && echo clear >"$kmemleak"
	;;
end)
	[ -x "$filter" ] || { echo "# leakcheck: $filter missing"; exit 2; }
	scan && sleep 6 && scan || exit 2
	reports=$("$filter" "$kmemleak")
	[ -z "$reports" ] && exit 0
	echo "$reports" | sed 's/^/# /'
	exit 1
	;;
*)
	echo "usage: leakcheck.sh available|begin|end" >&2
	exit 2
	;;
esac
