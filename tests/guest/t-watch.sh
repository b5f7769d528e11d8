#!/bin/bash
# Guest tests: vsensorctl watch in an 80x24 tmux pane, read back with
# capture-pane: a line per channel, counters that grow between two looks,
# the width followed on a resize, ASCII and UTF-8 sparklines; q (and
# SIGTERM) end it with exit status 0 and the terminal as it was; Ctrl-Z
# in a shell with job control leaves the terminal usable, fg brings the
# view back.
dir=$(dirname "$0")
# shellcheck source=lib.sh
. "$dir/lib.sh"

work=$(mktemp -d)
printf 'set -g status off\n' >"$work/tmux.conf"
tm() { LANG=C.UTF-8 tmux -u -L vsensor-watch -f "$work/tmux.conf" "$@"; }

# start NAME ARGS...: watch in a new 80x24 pane, as a shell there runs it:
# the terminal's settings before and after, the exit status, the pid
start() {
	local name=$1
	shift
	tm new-session -d -x 80 -y 24 -s "$name" \
		"stty -g >$work/$name.before; sh -c 'echo \$\$ >$work/$name.pid; exec vsensorctl watch $*'; echo \$? >$work/$name.status; stty -g >$work/$name.after; sleep 600"
}

# wait_for NAME PATTERN: until the pane shows PATTERN (10 s, times slow)
wait_for() {
	for _ in $(seq $((50 * slow))); do
		tm capture-pane -p -t "$1" | grep -q -- "$2" && return 0
		sleep 0.2
	done
	return 1
}

# wait_status NAME: until watch has ended in pane NAME
wait_status() {
	for _ in $(seq $((50 * slow))); do
		[ -s "$work/$1.status" ] && return 0
		sleep 0.2
	done
	return 1
}

# too_wide COLUMNS TEXT: a line of TEXT has COLUMNS characters or more
too_wide() {
	LC_ALL=C.UTF-8 grep -q "^.\{$1\}" <<<"$2"
}

delivered() {
	sed -n 's/^delivered \([0-9]*\) .*/\1/p' <<<"$1"
}

start utf8 vsensor0 --rate 100
check "the view appears" wait_for utf8 "q: quit"
check_eq "the pane is 80x24" 80x24 "$(tm display -p -t utf8 '#{pane_width}x#{pane_height}')"
one=$(tm capture-pane -p -t utf8)
sleep 1
two=$(tm capture-pane -p -t utf8)
check "the header names the device and rate" \
	grep -q '^vsensor0  rate 100 Hz  channels 0xf$' <<<"$two"
for ch in 0 1 2 3; do
	check "a line for ch$ch" grep -Eq "^ch$ch +-?[0-9]+ .*-?[0-9]+\.\.-?[0-9]+$" <<<"$two"
done
check_eq "no other channel line" 4 "$(grep -c '^ch' <<<"$two")"
d1=$(delivered "$one") d2=$(delivered "$two")
check "delivered grows between two looks ($d1, $d2)" test "${d1:-0}" -lt "${d2:-0}"
check "dropped is shown" grep -Eq '^delivered [0-9]+  dropped 0  overruns 0  queued [0-9]+$' <<<"$two"
check "UTF-8 locale: block sparklines" grep -q '[▁▂▃▄▅▆▇█]' <<<"$two"
check_fails "every line fits in 79 columns" too_wide 80 "$two"
tty=$(tm display -p -t utf8 '#{pane_tty}')
check "while it runs, the terminal is non-canonical without echo" \
	sh -c "stty -F $tty -a | grep -q -- '-icanon.* -echo '"
while IFS= read -r l; do echo "# $l"; done <<<"$two"	# the view, in the log

tm send-keys -t utf8 q
check "q ends it" wait_status utf8
check_eq "exit status 0 after q" 0 "$(cat "$work/utf8.status")"
check "the terminal's settings are restored" cmp -s "$work/utf8.before" "$work/utf8.after"
check_fails "the view is gone (alternate screen left)" \
	grep -q 'q: quit' <<<"$(tm capture-pane -p -t utf8)"

# ASCII, two channels, then the pane narrowed to 50 columns
start ascii vsensor0 --ascii --channels 0x5 --rate 50
check "--ascii: the view appears" wait_for ascii "q: quit"
sleep 1
view=$(tm capture-pane -p -t ascii)
check "--channels 0x5: ch0 and ch2 only" \
	test "$(grep -o '^ch[0-9]' <<<"$view" | tr '\n' ' ')" = "ch0 ch2 "
check "--rate 50 applied" grep -q '^vsensor0  rate 50 Hz  channels 0x5$' <<<"$view"
check_fails "--ascii: no block characters" grep -q '[▁▂▃▄▅▆▇█]' <<<"$view"
check "--ascii: the sparkline is drawn" grep -Eq '^ch0 +-?[0-9]+ +[_.~=+*#-]{20,}' <<<"$view"
tm resize-window -t ascii -x 50 -y 24
sleep 1
view=$(tm capture-pane -p -t ascii)
check_eq "resized pane" 50x24 "$(tm display -p -t ascii '#{pane_width}x#{pane_height}')"
check_fails "SIGWINCH: the lines follow the width (49 columns at most)" \
	too_wide 50 "$view"
check "SIGWINCH: the channel lines are still there" grep -q '^ch2 ' <<<"$view"

# SIGTERM ends it as q does
kill -TERM "$(cat "$work/ascii.pid")"
check "SIGTERM ends it" wait_status ascii
check_eq "exit status 0 after SIGTERM" 0 "$(cat "$work/ascii.status")"
check "SIGTERM: the terminal's settings are restored" \
	cmp -s "$work/ascii.before" "$work/ascii.after"

# Ctrl-Z in an interactive shell (job control): the terminal restored
# before the job stops (the alternate screen left, the cursor shown: what
# bash does not put back itself), the view again after fg, then q.
tm new-session -d -x 80 -y 24 -s job "env PS1='$ ' bash --norc --noprofile -i"
check "job: the shell prompts" wait_for job '^\$'
tm send-keys -t job "sh -c 'echo \$\$ >$work/job.pid; exec vsensorctl watch vsensor0 --rate 50'" Enter
check "job: the view appears" wait_for job "q: quit"
tm send-keys -t job C-z
check "Ctrl-Z: the shell reports the job stopped" wait_for job "Stopped"
pid=$(cat "$work/job.pid")
check_eq "Ctrl-Z: watch is stopped (state T)" T "$(awk '{ print $3 }' "/proc/$pid/stat")"
check_fails "Ctrl-Z: the view is gone (alternate screen left)" \
	grep -q 'q: quit' <<<"$(tm capture-pane -p -t job)"
check_eq "Ctrl-Z: the cursor is shown" 1 "$(tm display -p -t job '#{cursor_flag}')"
tm send-keys -t job fg Enter
check "fg: the view is back" wait_for job "q: quit"
tty=$(tm display -p -t job '#{pane_tty}')
check "fg: non-canonical without echo again" \
	sh -c "stty -F $tty -a | grep -q -- '-icanon.* -echo '"
check_eq "fg: the cursor hidden again" 0 "$(tm display -p -t job '#{cursor_flag}')"
tm send-keys -t job q
check "fg, q: the shell prompts again" wait_for job '^\$$'
tm send-keys -t job 'echo status $?' Enter
check "fg, q: exit status 0" wait_for job '^status 0$'

tm kill-server
rm -rf "$work"

# errors, as every verb has them
out=$(vsensorctl watch 2>&1)
check_eq "watch without DEV: exit 1" 1 $?
check_eq "watch without DEV: message" "Error: missing DEV." "$out"
out=$(vsensorctl watch vsensor0 --channels 0 2>&1)
check_eq "watch --channels 0: exit 1" 1 $?
out=$(vsensorctl watch vsensor99 </dev/null 2>&1)
check_eq "watch of a device that is not there: exit 3" 3 $?
done_testing
