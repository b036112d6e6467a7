#!/bin/bash
# SPDX-License-Identifier: MIT
# Bash completion (packaging/completion/twadvise.bash): source it, set
# COMP_WORDS/COMP_CWORD as bash would, call _twadvise and compare COMPREPLY:
# commands, options per command, formats per command, profile names from
# `twadvise profiles list`, rule ids, and snapshot ids from the --state-dir
# on the line (snapshots taken by a real apply in this private namespace).
. "$TESTS_DIR/lib.sh"

REPO=$(cd "$TESTS_DIR/../.." && pwd)
# shellcheck source=../../packaging/completion/twadvise.bash
. "$REPO/packaging/completion/twadvise.bash"

# comp WORD...: complete the last word; prints COMPREPLY sorted, one line.
comp() {
	COMP_WORDS=("$TWADVISE" "$@")
	COMP_CWORD=$#
	COMP_LINE="${COMP_WORDS[*]}"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_twadvise
	printf '%s\n' "${COMPREPLY[@]}" | sort -u | tr '\n' ' ' | sed 's/ $//'
}
# has WANT WORD...: every word of WANT is among the completions.
has() {
	local want=$1 got w
	shift
	got=" $(comp "$@") "
	for w in $want; do
		[[ $got == *" $w "* ]] || fail "complete '$*': '$w' missing in:$got"
	done
}
# hasnt WORD_NOT_WANTED WORD...
hasnt() {
	local no=$1 got
	shift
	got=" $(comp "$@") "
	[[ $got != *" $no "* ]] || fail "complete '$*': '$no' should not be offered:$got"
}

complete -p twadvise | grep -q _twadvise || fail "complete -F _twadvise twadvise not registered"

has "inspect check report plan apply rollback snapshots profiles explain help" ""
assert_eq "$(comp ch)" check "command prefix"
assert_eq "$(comp help ro)" rollback "help COMMAND"
has "--profile --facts --fail-on --samples --format --state-dir --output" check --
hasnt --persist check --
has "--persist --dry-run --force --format" apply --
hasnt --profile apply --
has "--last --dry-run" rollback --
has "--merge --post --header --token-file --cacert --timeout --deadline" report --
has "--listeners --samples --interval --proc" inspect --

# Formats per command.
assert_eq "$(comp check --format '')" "json nagios prometheus text" "check formats"
assert_eq "$(comp inspect --format '')" "json prometheus text" "inspect formats"
assert_eq "$(comp report -q --format '')" "html json markdown" "report formats"
assert_eq "$(comp --format '' )" "html json markdown nagios prometheus sysctl text tuned" "formats before a command"
assert_eq "$(comp profiles export web-server --format '')" "sysctl tuned" "export formats"
assert_eq "$(comp check --fail-on '')" "critical warning" "fail-on"
assert_eq "$(comp check --color a)" "always auto" "color"

# Profile names from `twadvise profiles list`, with and without '='.
has "default web-server reverse-proxy database high-churn-client container-host" check --profile ''
assert_eq "$(comp plan --profile rev)" reverse-proxy "profile prefix"
assert_eq "$(comp plan --profile = rev)" reverse-proxy "--profile=rev"
has "web-server" profiles show ''
assert_eq "$(comp profiles '')" "export import list show validate" "profiles subcommands"

# Rule ids from `twadvise explain`.
assert_eq "$(comp explain fin)" "fin-timeout-misconception fin-wait1-orphans fin-wait2-orphans" "rule ids"

# Snapshot ids from the --state-dir on the line.
S=$TMP/state
mkdir "$TMP/sysctl.d"
"$TWADVISE" plan --profile reverse-proxy -o "$TMP/plan.json" --state-dir "$S" --sysctl-dir "$TMP/sysctl.d" >/dev/null ||
	fail "plan"
"$TWADVISE" apply "$TMP/plan.json" --state-dir "$S" --sysctl-dir "$TMP/sysctl.d" -q || fail "apply"
"$TWADVISE" rollback --last --state-dir "$S" --sysctl-dir "$TMP/sysctl.d" -q || fail "rollback"
ids=$("$TWADVISE" snapshots --format json --state-dir "$S" | sed -n 's/^ *"id": *"\([^"]*\)".*/\1/p' | sort | tr '\n' ' ' | sed 's/ $//')
[ "$(echo "$ids" | wc -w)" = 2 ] || fail "two snapshots expected: '$ids'"
assert_eq "$(comp rollback --state-dir "$S" '')" "$ids" "snapshot ids (--state-dir DIR)"
assert_eq "$(comp --state-dir "$S" rollback '')" "$ids" "snapshot ids (global --state-dir before the command)"
assert_eq "$(comp rollback --state-dir = "$S" '')" "$ids" "snapshot ids (--state-dir=DIR)"
assert_eq "$(comp rollback --state-dir "$S" "${ids%% *}" '')" "" "one snapshot id only"
assert_eq "$(comp rollback --state-dir "$TMP/none" '')" "" "no state directory, no ids"

# Files where a file is wanted.
touch "$TMP/plan-b.json"
assert_eq "$(comp apply "$TMP/plan-")" "$TMP/plan-b.json" "apply PLAN file"
assert_eq "$(comp check --facts "$TMP/plan.")" "$TMP/plan.json" "--facts file"
pass_msg "bash completion: commands, options, formats, profiles, rules, snapshot ids"
