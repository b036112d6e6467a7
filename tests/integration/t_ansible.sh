#!/bin/bash
# SPDX-License-Identifier: MIT
# The Ansible module (packaging/ansible/library/twadvise.py) run by a real
# ansible-playbook against localhost (connection local) with this private
# namespace's sysctls and temporary state and sysctl.d directories:
# checked (findings, fail_on) -> applied in check mode (nothing written,
# changed=true, diff) -> applied (values, snapshot, persisted file) ->
# applied again (changed=false) -> rolled_back in check mode -> rolled_back
# (values and file as before) -> rolled_back again (changed=false) -> a
# twadvise error surfaces as the module's msg and rc. Also: ansible-doc
# renders the module, the example playbooks pass --syntax-check.
. "$TESTS_DIR/lib.sh"

command -v ansible-playbook >/dev/null || skip "ansible-playbook not installed (apt-get install ansible)"
REPO=$(cd "$TESTS_DIR/../.." && pwd)
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)

# Ansible quiet, bounded and confined to $TMP.
export HOME="$TMP/home" ANSIBLE_LOCAL_TEMP="$TMP/ansible-local" ANSIBLE_REMOTE_TEMP="$TMP/ansible-remote"
export ANSIBLE_CONFIG="$TMP/ansible.cfg" ANSIBLE_LIBRARY="$REPO/packaging/ansible/library"
export ANSIBLE_STDOUT_CALLBACK=json ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0
export ANSIBLE_DEPRECATION_WARNINGS=0 ANSIBLE_LOCALHOST_WARNING=0 ANSIBLE_INVENTORY_UNPARSED_WARNING=0
mkdir -p "$HOME" "$TMP/sysctl.d"
printf '[defaults]\ngathering = explicit\nforks = 1\ntimeout = 30\n' >"$ANSIBLE_CONFIG"
echo "localhost ansible_connection=local ansible_python_interpreter=$PY" >"$TMP/inventory"

S=$TMP/state SD=$TMP/sysctl.d
cat >"$TMP/play.yml" <<EOF
- hosts: localhost
  gather_facts: false
  tasks:
    - name: twadvise
      twadvise:
        profile: "{{ profile | default('reverse-proxy') }}"
        state: "{{ tw_state }}"
        persist: "{{ persist | default(false) }}"
        snapshot: "{{ snapshot | default(omit) }}"
        fail_on: "{{ fail_on | default('none') }}"
        binary: $TWADVISE
        state_dir: $S
        sysctl_dir: $SD
EOF

# play WANT_RC ARGS...: run the playbook; the task's result goes to $TMP/r.json.
play() {
	local want=$1 rc
	shift
	timeout 120 ansible-playbook -i "$TMP/inventory" "$TMP/play.yml" "$@" >"$TMP/play.out" 2>"$TMP/play.err"
	rc=$?
	if [ "$rc" != "$want" ]; then
		sed 's/^/  /' "$TMP/play.out" "$TMP/play.err" >&2
		fail "ansible-playbook $*: exit $rc, want $want"
	fi
	"$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); json.dump(d["plays"][0]["tasks"][0]["hosts"]["localhost"], open(sys.argv[2], "w"))' \
		"$TMP/play.out" "$TMP/r.json" || fail "no task result in the json callback's output: $(head -c 2000 "$TMP/play.out")"
}
r() { jget "$TMP/r.json" "$1"; }

keys=(net.ipv4.tcp_tw_reuse net.ipv4.ip_local_port_range net.core.somaxconn net.ipv4.tcp_max_syn_backlog net.ipv4.tcp_max_tw_buckets)
before=$(sysctl "${keys[@]}")

# checked: findings, never changed; fail_on turns warnings into a failure.
play 0 -e tw_state=checked
assert_eq "$(r 'd["changed"]')" false "checked: changed"
assert_eq "$(r 'd["status"]')" warning "checked: status"
assert_eq "$(r '"tw-reuse-off" in [f["rule"] for f in d["findings"]]')" true "checked: findings"
assert_eq "$(r 'len(d["checked"]) + len(d["not_judged"]) >= 18')" true "checked: rules evaluated or not judged"
play 2 -e tw_state=checked -e fail_on=warning
assert_eq "$(r 'd["failed"]')" true "fail_on=warning fails"
r 'd["msg"]' | grep "status is warning (fail_on=warning)" >/dev/null || fail "fail_on msg: $(r 'd["msg"]')"
play 0 -e tw_state=checked -e fail_on=critical
assert_eq "$(r 'd.get("failed", False)')" false "fail_on=critical passes a warning"

# applied in check mode: changed=true, the diff, nothing written anywhere.
play 0 -e tw_state=applied -e persist=true --check --diff
assert_eq "$(r 'd["changed"]')" true "check mode: changed"
assert_eq "$(r 'd["snapshot"]')" null "check mode: no snapshot"
assert_eq "$(r 'len(d["plan"]["changes"])')" 5 "check mode: plan"
r 'd["diff"]["before"]' | grep -x 'net.ipv4.tcp_tw_reuse = 2' >/dev/null || fail "diff before: $(r 'd["diff"]')"
r 'd["diff"]["after"]' | grep -x 'net.ipv4.ip_local_port_range = 10000 65535' >/dev/null || fail "diff after: $(r 'd["diff"]')"
assert_eq "$(sysctl "${keys[@]}")" "$before" "check mode changed nothing"
{ [ ! -e "$S" ] && [ -z "$(ls -A "$SD")" ]; } || fail "check mode wrote state or sysctl.d files"

# applied: the values, a snapshot, the persisted file, the diff.
play 0 -e tw_state=applied -e persist=true --diff
assert_eq "$(r 'd["changed"]')" true "applied: changed"
snap=$(r 'd["snapshot"]')
echo "$snap" | grep -Eq '^[0-9]{8}-[0-9]{6}-[0-9]{6}$' || fail "snapshot id: '$snap'"
[ -f "$S/snapshots/$snap.json" ] || fail "snapshot $snap not in $S"
assert_eq "$(r 'd["persisted"]')" "$SD/90-twadvise.conf" "persisted"
assert_eq "$(r 'd["status_before"]')" warning "status before"
assert_eq "$(r 'd["status"]')" ok "status after"
assert_eq "$(r 'sorted(k["key"] for k in d["keys"])')" \
	'["net.core.somaxconn", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_max_syn_backlog", "net.ipv4.tcp_max_tw_buckets", "net.ipv4.tcp_tw_reuse"]' "applied keys"
r 'd["diff"]["after"]' | grep -x 'net.core.somaxconn = 16384' >/dev/null || fail "applied diff: $(r 'd["diff"]')"
assert_eq "$(sysctl -n net.ipv4.tcp_tw_reuse)" 1 "tcp_tw_reuse applied"
assert_eq "$(sysctl -n net.ipv4.ip_local_port_range | tr '\t' ' ')" "10000 65535" "range applied"
grep -q '^net.core.somaxconn = 16384$' "$SD/90-twadvise.conf" || fail "persisted file: $(cat "$SD/90-twadvise.conf")"
applied=$(sysctl "${keys[@]}")

# Idempotent: a second run changes nothing and says so.
play 0 -e tw_state=applied -e persist=true --diff
assert_eq "$(r 'd["changed"]')" false "second apply: changed"
assert_eq "$(r 'd["snapshot"]')" null "second apply: no snapshot"
assert_eq "$(r '"diff" in d')" false "second apply: no diff"
assert_eq "$(nfiles "$S/snapshots")" 1 "no second snapshot"
assert_eq "$(sysctl "${keys[@]}")" "$applied" "second apply changed nothing"

# rolled_back in check mode: would change, writes nothing.
play 0 -e tw_state=rolled_back --check --diff
assert_eq "$(r 'd["changed"]')" true "rollback check mode: changed"
assert_eq "$(r 'd["rolled_back"]')" "$snap" "rollback check mode: which snapshot"
r 'd["diff"]["after"]' | grep -x 'net.ipv4.tcp_tw_reuse = 2' >/dev/null || fail "rollback diff: $(r 'd["diff"]')"
assert_eq "$(sysctl "${keys[@]}")" "$applied" "rollback check mode changed nothing"
assert_eq "$(nfiles "$S/snapshots")" 1 "rollback check mode took no snapshot"

# rolled_back: the values and the file as before; again: no change.
play 0 -e tw_state=rolled_back --diff
assert_eq "$(r 'd["changed"]')" true "rolled back: changed"
assert_eq "$(r 'd["rolled_back"]')" "$snap" "rolled back: which snapshot"
undo=$(r 'd["snapshot"]')
{ [ -f "$S/snapshots/$undo.json" ] && [ "$undo" != "$snap" ]; } || fail "rollback's own snapshot: '$undo'"
assert_eq "$(sysctl "${keys[@]}")" "$before" "values restored"
[ ! -e "$SD/90-twadvise.conf" ] || fail "persisted file should be gone after the rollback"
play 0 -e tw_state=rolled_back
assert_eq "$(r 'd["changed"]')" false "second rollback: changed"
assert_eq "$(sysctl "${keys[@]}")" "$before" "second rollback changed nothing"
# An explicit id works too (and is in place already).
play 0 -e tw_state=rolled_back -e snapshot="$snap"
assert_eq "$(r 'd["changed"]')" false "rollback by id: changed"

# twadvise's own error message and exit code reach the task.
play 2 -e tw_state=rolled_back -e snapshot=no-such-snapshot
assert_eq "$(r 'd["failed"]')" true "unknown snapshot fails"
assert_eq "$(r 'd["rc"]')" 66 "unknown snapshot rc"
r 'd["msg"]' | grep "no snapshot 'no-such-snapshot'" >/dev/null || fail "error msg: $(r 'd["msg"]')"
play 2 -e tw_state=checked -e profile=no-such-profile
assert_eq "$(r 'd["rc"]')" 3 "unknown profile: check exit 3 is a failure"
r 'd["msg"]' | grep "no-such-profile" >/dev/null || fail "profile error msg: $(r 'd["msg"]')"
assert_eq "$(sysctl "${keys[@]}")" "$before" "errors changed nothing"

# The example playbook, run for real on this namespace: apply, then roll back.
# example_task NAME_PREFIX EXPR: EXPR on the result of the task so named.
example_task() {
	"$PY" -c 'import json,sys
d = json.load(open(sys.argv[1]))
r = [t["hosts"]["localhost"] for t in d["plays"][0]["tasks"] if t["task"]["name"].startswith(sys.argv[2])][0]
v = eval(sys.argv[3], {"d": r})
print(json.dumps(v) if isinstance(v, (dict, list, bool)) or v is None else v)' "$TMP/example.out" "$1" "$2"
}
example() {
	timeout 120 ansible-playbook -i "$TMP/inventory" "$REPO/packaging/ansible/examples/apply-profile.yml" \
		-e target=localhost -e twadvise_become=false -e twadvise_bin="$TWADVISE" -e profile=web-server \
		-e twadvise_state_dir="$S" -e twadvise_sysctl_dir="$SD" "$@" >"$TMP/example.out" 2>"$TMP/example.err" ||
		fail "apply-profile.yml $*: $(head -c 3000 "$TMP/example.out") $(cat "$TMP/example.err")"
}
example
assert_eq "$(example_task "Apply profile" 'd["changed"]')" true "example: applied"
example_task "Say what changed" 'd["msg"]' | grep "roll back with: twadvise rollback " >/dev/null ||
	fail "example: message $(example_task "Say what changed" 'd["msg"]')"
[ "$(sysctl -n net.ipv4.tcp_max_syn_backlog)" -ge 4096 ] || fail "example: web-server's syn backlog not applied"
[ -f "$SD/90-twadvise.conf" ] || fail "example: not persisted"
example -e rollback=true
assert_eq "$(example_task "Roll back" 'd["changed"]')" true "example: rolled back"
assert_eq "$(sysctl "${keys[@]}")" "$before" "example: values restored"

# The documentation renders and the example playbooks parse.
timeout 60 ansible-doc -M "$REPO/packaging/ansible/library" twadvise >"$TMP/doc.txt" 2>&1 ||
	fail "ansible-doc: $(cat "$TMP/doc.txt")"
{ grep -q "state_dir" "$TMP/doc.txt" && grep -q "RETURN VALUES" "$TMP/doc.txt"; } || fail "ansible-doc output incomplete"
timeout 60 ansible-playbook -i "$TMP/inventory" --syntax-check "$REPO"/packaging/ansible/examples/*.yml \
	>"$TMP/syntax.out" 2>&1 || fail "syntax-check of the examples: $(cat "$TMP/syntax.out")"
pass_msg "ansible module: checked, check mode, diff, applied, idempotent, rolled_back, errors"
