# shellcheck shell=bash
# bash completion for vsensorctl(8): objects, commands, device names,
# setting and session keys with their values, options. Installed as
# /usr/share/bash-completion/completions/vsensorctl (bash-completion loads
# it on first use); works when sourced on its own as well.
# SPDX-License-Identifier: GPL-2.0

# The grammar, one table: "OBJECT" lists its commands, "OBJECT COMMAND"
# the words that may follow (DEV: a device name), a key its values.
declare -gA _vsensorctl_words=(
	[objects]="device read write watch session monitor daemon help"
	[device]="list show add del set help"
	[device show]="DEV"
	[device del]="DEV"
	[device set]="DEV"
	[device set keys]="waveform amplitude frequency_mhz persist"
	[device add keys]="serial"
	[waveform]="sine square ramp noise"
	[read]="DEV help"
	[read keys]="-n --duration --timeout --nonblock --rate --channels --watermark --clock --format -v --verbose"
	[--clock]="monotonic realtime boottime"
	[--format]="text csv json jsonl raw"
	[write keys]="-n --format --wave"
	[write --format]="csv raw"
	[--wave]="sine square ramp const"
	[watch]="DEV help"
	[watch keys]="--rate --channels --ascii"
	[wave keys]="freq amp offset rate"
	[session]="list show revoke start stop help"
	[session start]="DEV"
	[session start keys]="rate channels watermark clock output format rotate"
	[clock]="monotonic realtime boottime"
	[format]="bin csv"
	[monitor]="help"
	[daemon]="status show devices reload help"
	[options]="-j --json -p --pretty -b --batch --force -h --help -V --version"
	# keys whose value is a number or a name: nothing to offer
	[free]="amplitude frequency_mhz serial rate channels watermark rotate -n --timeout --duration --rate --channels --watermark"
)

# A device argument: the names, then the serials (DEV takes either)
_vsensorctl_devices()
{
	local d serial
	local -a names=() serials=()

	for d in /sys/bus/vsensor/devices/vsensor*; do
		[[ -e $d ]] || continue
		names+=("${d##*/}")
		read -r serial 2>/dev/null <"$d/serial" && [[ -n $serial ]] &&
			serials+=("$serial")
	done
	# the nodes of PCI functions bound to the driver (vsensor128, ...),
	# their serial on the PCI function
	for d in /sys/class/misc/vsensor[0-9]*; do
		[[ -e $d && ! -e /sys/bus/vsensor/devices/${d##*/} ]] || continue
		names+=("${d##*/}")
		read -r serial 2>/dev/null <"$d/device/serial" && [[ -n $serial ]] &&
			serials+=("$serial")
	done
	((${#names[@]})) && printf '%s\n' "${names[@]}" "${serials[@]}"
}

_vsensorctl()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local -a args=()
	local i words obj cmd

	# the words before the cursor, options left out
	for ((i = 1; i < COMP_CWORD; i++)); do
		[[ ${COMP_WORDS[i]} == -* ]] || args+=("${COMP_WORDS[i]}")
	done
	obj=${args[0]-} cmd=${args[1]-}

	if [[ $prev == -b || $prev == --batch || $prev == -batch ]]; then
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")	# FILE
		return
	elif ((${#args[@]} == 0)); then
		if [[ $cur == -* ]]; then
			words=${_vsensorctl_words[options]}
		else
			words=${_vsensorctl_words[objects]}
		fi
	elif [[ $prev == --wave && $cur == *[:,]* ]]; then
		# sine:freq=5,amp=800: the keys after a ':' or ','
		local head=${cur%[:,]*}
		head+=${cur:${#head}:1}
		mapfile -t COMPREPLY < <(compgen -P "$head" -S = \
			-W "${_vsensorctl_words[wave keys]}" -- "${cur:${#head}}")
		compopt -o nospace 2>/dev/null
		return
	elif [[ $prev == -* && -n ${_vsensorctl_words[$obj $prev]-} ]]; then
		words=${_vsensorctl_words[$obj $prev]}	# this object's key
	elif [[ -n ${_vsensorctl_words[$prev]-} && $obj != "$prev" ]]; then
		words=${_vsensorctl_words[$prev]}	# a key's values
	elif [[ $prev == output ]]; then
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return
	elif [[ " ${_vsensorctl_words[free]} " == *" $prev "* ]]; then
		COMPREPLY=()
		return
	elif [[ $obj == read || $obj == write || $obj == watch ]]; then
		if ((${#args[@]} == 1)); then
			words="$(_vsensorctl_devices) help"
		elif [[ $obj == write && $cur != -* ]]; then
			mapfile -t COMPREPLY < <(compgen -f -- "$cur")	# FILE
			return
		else
			words=${_vsensorctl_words[$obj keys]}
		fi
	elif ((${#args[@]} == 1)); then
		words=${_vsensorctl_words[$obj]-}
	elif ((${#args[@]} == 2)) &&
	     [[ ${_vsensorctl_words[$obj $cmd]-} == DEV ]]; then
		words=$(_vsensorctl_devices)
	else
		words=${_vsensorctl_words[$obj $cmd keys]-}
	fi
	mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
}

complete -F _vsensorctl vsensorctl
