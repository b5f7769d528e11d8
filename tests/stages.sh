# shellcheck shell=bash
# Stage runner shared by tests/check and tests/check-debug (sourced): each
# stage is timed and logged, its "N passed, N failed" line is added to the
# totals, and stages_end prints the times and the total.

stages_logdir=$(mktemp -d)
trap 'rm -rf "$stages_logdir"' EXIT
total_pass=0
total_fail=0
status=0
timings=()

# stage NAME COMMAND...: run, time and log one stage; add up its counts
stage() {
	local name=$1 start rc counts
	shift
	echo "=== $name"
	start=$(date +%s)
	"$@" 2>&1 | tee "$stages_logdir/$name.log"
	rc=${PIPESTATUS[0]}
	counts=$(grep -E '^([a-z]+: )?[0-9]+ passed, [0-9]+ failed$' "$stages_logdir/$name.log" | tail -n 1)
	if [[ $counts =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
		total_pass=$((total_pass + BASH_REMATCH[1]))
		total_fail=$((total_fail + BASH_REMATCH[2]))
	fi
	if [ "$rc" -ne 0 ]; then
		status=1
		# A failure the counts do not show (a kernel report, a crash).
		[[ -n $counts && ${BASH_REMATCH[2]:-0} -gt 0 ]] || total_fail=$((total_fail + 1))
	fi
	timings+=("$(printf '%-8s %5d s  exit %d' "$name" $(($(date +%s) - start)) "$rc")")
	echo "=== $name: ${timings[-1]}"
	return "$rc"
}

# Print the stage times and the totals; exit 0 only if every stage passed.
stages_end() {
	echo "=== stage times"
	printf '  %s\n' "${timings[@]}"
	echo "$total_pass passed, $total_fail failed"
	exit "$status"
}
