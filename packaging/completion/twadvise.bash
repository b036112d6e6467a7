# twadvise.bash - bash completion for twadvise(8): commands, options per
# command, formats per command, profile names (`twadvise profiles list`),
# rule ids (`twadvise explain`) and snapshot ids (`twadvise snapshots
# --format json`, honouring a --state-dir given on the line).
#
# Installed as /usr/share/bash-completion/completions/twadvise; or source it.
#
# shellcheck disable=SC2207 # COMPREPLY=($(compgen ...)) splits on purpose, as
# bash-completion's own functions do: candidates never contain blanks.

_twadvise_commands="inspect check report plan apply rollback snapshots profiles explain help trace"
_twadvise_globals="--proc-root --netns --all-netns --pods-dir --format --output -o --quiet -q --verbose -v --color --state-dir --sysctl-dir --help -h --version"

# Options (other than the global ones) of a command.
_twadvise_options() {
	case $1 in
	inspect) echo "--samples --interval --listeners --no-history --proc" ;;
	check) echo "--profile --facts --fail-on --evidence-only --no-history --samples --interval --proc --trace" ;;
	report) echo "--profile --facts --samples --interval --proc --trace --no-history --merge --post --header --token-file --cacert --timeout --deadline" ;;
	plan) echo "--profile --facts --no-history" ;;
	apply) echo "--persist --dry-run --force" ;;
	rollback) echo "--last --dry-run --force" ;;
	trace) echo "--duration --all-netns" ;;
	esac
}

# Formats a command writes.
_twadvise_formats() {
	case $1 in
	inspect) echo "text json prometheus" ;;
	check) echo "text json nagios prometheus" ;;
	report) echo "markdown html json" ;;
	plan) echo "json" ;;
	profiles)
		case $2 in
		export) echo "tuned sysctl" ;;
		import) echo "tuned" ;;
		*) echo "text json" ;;
		esac ;;
	"") echo "text json nagios prometheus markdown html tuned sysctl" ;;
	*) echo "text json" ;;
	esac
}

# Options that take an argument (global and per command).
_twadvise_takes_arg() {
	case $1 in
	--proc-root | --netns | --pods-dir | --format | --output | -o | --color | --state-dir | --sysctl-dir | \
		--profile | --facts | --fail-on | --samples | --interval | --post | --header | \
		--token-file | --cacert | --timeout | --deadline | --trace | --duration) return 0 ;;
	esac
	return 1
}

_twadvise_files() {
	local IFS=$'\n'
	compopt -o filenames 2>/dev/null
	COMPREPLY+=($(compgen -f -- "$1"))
}

_twadvise_dirs() {
	local IFS=$'\n'
	compopt -o filenames 2>/dev/null
	COMPREPLY+=($(compgen -d -- "$1"))
}

_twadvise() {
	local cur prev tw=${COMP_WORDS[0]} cmd="" sub="" state_dir="" i w val has
	local -a args=()

	# shellcheck disable=SC2088 # a literal "~/" typed on the line
	[[ $tw == "~/"* ]] && tw=$HOME/${tw#"~/"}
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=""
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	# --opt=value, split by COMP_WORDBREAKS into "--opt" "=" "value".
	if [[ $cur == = ]]; then
		cur=""
	elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
		prev=${COMP_WORDS[COMP_CWORD - 2]}
	elif [[ $cur == --*=* ]]; then
		prev=${cur%%=*}
		cur=${cur#*=}
	fi
	COMPREPLY=()

	# The command, its positional words, and a --state-dir on the line.
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		if [[ $w == -* ]]; then
			val="" has=0
			if [[ $w == --*=* ]]; then
				val=${w#*=} w=${w%%=*} has=1
			elif [[ ${COMP_WORDS[i + 1]-} == = ]]; then
				val=${COMP_WORDS[i + 2]-} has=1
				((i += 2))
			elif _twadvise_takes_arg "$w"; then
				val=${COMP_WORDS[i + 1]-} has=1
				((i++))
			fi
			[[ $w == --state-dir && $has == 1 ]] && state_dir=$val
		elif [[ -z $cmd ]]; then
			cmd=$w
		else
			args+=("$w")
		fi
	done
	[[ $cmd == profiles ]] && sub=${args[0]-}

	case $prev in
	--format)
		COMPREPLY=($(compgen -W "$(_twadvise_formats "$cmd" "$sub")" -- "$cur"))
		return ;;
	--color)
		COMPREPLY=($(compgen -W "auto always never" -- "$cur"))
		return ;;
	--fail-on)
		COMPREPLY=($(compgen -W "warning critical" -- "$cur"))
		return ;;
	--profile)
		COMPREPLY=($(compgen -W "$("$tw" profiles list 2>/dev/null | awk '{ print $1 }')" -- "$cur"))
		_twadvise_files "$cur"
		return ;;
	--proc-root | --state-dir | --sysctl-dir | --pods-dir)
		_twadvise_dirs "$cur"
		return ;;
	--netns)
		COMPREPLY=($(compgen -W "$(ls /run/netns 2>/dev/null)" -- "$cur"))
		_twadvise_files "$cur"
		return ;;
	--output | -o | --facts | --token-file | --cacert | --merge)
		_twadvise_files "$cur"
		return ;;
	--samples | --interval | --post | --header | --timeout)
		return ;;
	esac

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_twadvise_options "$cmd") $_twadvise_globals" -- "$cur"))
		return
	fi

	case $cmd in
	"")
		COMPREPLY=($(compgen -W "$_twadvise_commands" -- "$cur")) ;;
	help)
		((${#args[@]} == 0)) && COMPREPLY=($(compgen -W "$_twadvise_commands" -- "$cur")) ;;
	explain)
		((${#args[@]} == 0)) &&
			COMPREPLY=($(compgen -W "$("$tw" explain 2>/dev/null | awk '{ print $1 }')" -- "$cur")) ;;
	rollback)
		if ((${#args[@]} == 0)); then
			local -a sd=()
			[[ -n $state_dir ]] && sd=(--state-dir "$state_dir")
			COMPREPLY=($(compgen -W "$("$tw" snapshots --format json "${sd[@]}" 2>/dev/null |
				sed -n 's/^ *"id": *"\([^"]*\)".*/\1/p')" -- "$cur"))
		fi ;;
	apply)
		((${#args[@]} == 0)) && _twadvise_files "$cur" ;;
	report)
		# --merge REPORT.json... takes every following word.
		[[ " ${COMP_WORDS[*]} " == *" --merge "* ]] && _twadvise_files "$cur" ;;
	profiles)
		case ${#args[@]}:$sub in
		0:*) COMPREPLY=($(compgen -W "list show validate export import" -- "$cur")) ;;
		1:show | 1:export)
			COMPREPLY=($(compgen -W "$("$tw" profiles list 2>/dev/null | awk '{ print $1 }')" -- "$cur"))
			_twadvise_files "$cur" ;;
		*:validate | 1:import) _twadvise_files "$cur" ;;
		esac ;;
	esac
}

complete -F _twadvise twadvise
