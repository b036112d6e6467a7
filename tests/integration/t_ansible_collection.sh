#!/bin/bash
# SPDX-License-Identifier: MIT
# The twadvise.twadvise collection (packaging/ansible/collection), offline:
# built with `ansible-galaxy collection build` and installed from that
# tarball into a temporary collections path; ansible-doc renders both
# modules; ansible-lint (when installed) passes offline; then real
# ansible-playbook runs against localhost (connection local) with this
# private namespace's sysctls and temporary state and sysctl.d directories:
#   twadvise_info (read-only, never changed) -> the argument checks
#   (required_if, mutually_exclusive, a warning for an ignored option) ->
#   applied in check mode -> applied -> applied again (idempotent) ->
#   rolled_back in check mode -> rolled_back -> rolled_back again;
#   the role (program copied from the "controller", a profile dropped,
#   preflight, apply with persist, timer skipped without systemd) in check
#   mode, for real, again; a failing preflight (a CLOSE_WAIT leak against
#   the database profile) stops the play with the finding in the message;
#   the collection's fleet_report playbook merges two hosts into one HTML file.
. "$TESTS_DIR/lib.sh"

command -v ansible-playbook >/dev/null || skip "ansible-playbook not installed (apt-get install ansible)"
command -v ansible-galaxy >/dev/null || skip "ansible-galaxy not installed"
REPO=$(cd "$TESTS_DIR/../.." && pwd)
COLL=$REPO/packaging/ansible/collection
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)

export HOME="$TMP/home" ANSIBLE_LOCAL_TEMP="$TMP/ansible-local" ANSIBLE_REMOTE_TEMP="$TMP/ansible-remote"
export ANSIBLE_CONFIG="$TMP/ansible.cfg" ANSIBLE_COLLECTIONS_PATH="$TMP/collections"
export ANSIBLE_STDOUT_CALLBACK=json ANSIBLE_NOCOLOR=1 NO_COLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0
export ANSIBLE_DEPRECATION_WARNINGS=0 ANSIBLE_LOCALHOST_WARNING=0 ANSIBLE_INVENTORY_UNPARSED_WARNING=0
export ANSIBLE_GALAXY_SERVER=http://127.0.0.1:9/ # never the internet
mkdir -p "$HOME" "$TMP/sysctl.d" "$TMP/collections"
printf '[defaults]\ngathering = explicit\nforks = 2\ntimeout = 30\n' >"$ANSIBLE_CONFIG"
echo "localhost ansible_connection=local ansible_python_interpreter=$PY" >"$TMP/inventory"

# Build and install from the tarball.
timeout 120 ansible-galaxy collection build "$COLL" --output-path "$TMP/dist" >"$TMP/build.out" 2>&1 ||
	fail "ansible-galaxy collection build: $(cat "$TMP/build.out")"
tarball=$(ls "$TMP"/dist/twadvise-twadvise-*.tar.gz) || fail "no collection tarball: $(cat "$TMP/build.out")"
timeout 120 ansible-galaxy collection install --offline -p "$TMP/collections" "$tarball" >"$TMP/install.out" 2>&1 ||
	fail "ansible-galaxy collection install: $(cat "$TMP/install.out")"
INST=$TMP/collections/ansible_collections/twadvise/twadvise
{ [ -f "$INST/plugins/modules/twadvise_info.py" ] && [ -f "$INST/roles/twadvise/tasks/main.yml" ]; } ||
	fail "installed collection incomplete: $(find "$INST" | head -n 30)"

for m in twadvise twadvise_info; do
	timeout 60 ansible-doc "twadvise.twadvise.$m" >"$TMP/doc.$m" 2>&1 || fail "ansible-doc $m: $(cat "$TMP/doc.$m")"
	{ grep -q "RETURN VALUES" "$TMP/doc.$m" && grep -q "EXAMPLES" "$TMP/doc.$m"; } || fail "ansible-doc $m incomplete"
done
grep -q "rolled_back" "$TMP/doc.twadvise" || fail "ansible-doc twadvise: no states"
timeout 60 ansible-doc -t role twadvise.twadvise.twadvise >"$TMP/doc.role" 2>&1 || fail "ansible-doc role: $(cat "$TMP/doc.role")"
grep -q twadvise_preflight_fail_on "$TMP/doc.role" || fail "role argument spec incomplete"

lint="ansible-lint: not installed"
if command -v ansible-lint >/dev/null; then
	(cd "$COLL" && timeout 240 ansible-lint --offline --nocolor) >"$TMP/lint.out" 2>&1 ||
		fail "ansible-lint: $(cat "$TMP/lint.out")"
	lint="ansible-lint: $(grep -o 'Passed with .*' "$TMP/lint.out")"
fi

S=$TMP/state SD=$TMP/sysctl.d
# play FILE WANT_RC ARGS...: run a playbook; its output in $TMP/play.out.
play() {
	local file=$1 want=$2 rc
	shift 2
	timeout 180 ansible-playbook -i "$TMP/inventory" "$file" "$@" >"$TMP/play.out" 2>"$TMP/play.err"
	rc=$?
	if [ "$rc" != "$want" ]; then
		"$PY" -c 'import json,sys
for p in json.load(open(sys.argv[1]))["plays"]:
    for t in p["tasks"]:
        for h, r in t["hosts"].items():
            if r.get("failed") or r.get("unreachable"):
                print("  %s: %s: %s" % (h, t["task"]["name"], r.get("msg")))' "$TMP/play.out" >&2 ||
			head -c 3000 "$TMP/play.out" >&2
		sed 's/^/  /' "$TMP/play.err" >&2
		fail "ansible-playbook $(basename "$file") $*: exit $rc, want $want"
	fi
}
# task NAME EXPR: EXPR (Python, on d) over the result of the task named NAME
# (the last one so named; a role's task without the role's prefix) for
# localhost; null when it did not run.
task() {
	local v
	v=$("$PY" -c 'import json,sys
out = json.load(open(sys.argv[1]))
r = [t["hosts"].get("localhost") for p in out["plays"] for t in p["tasks"] if t["task"]["name"].split(" : ")[-1] == sys.argv[2]]
d = r[-1] if r else None
v = eval(sys.argv[3], {"d": d}) if d is not None else None
print(json.dumps(v) if isinstance(v, (dict, list, bool)) or v is None else v)' "$TMP/play.out" "$1" "$2") || return
	printf '%s\n' "$v"
}

cat >"$TMP/modules.yml" <<EOF
- name: Modules
  hosts: localhost
  gather_facts: false
  tasks:
    - name: info
      twadvise.twadvise.twadvise_info:
        profile: reverse-proxy
        gather: [findings, facts, snapshots]
        binary: $TWADVISE
        state_dir: $S
        sysctl_dir: $SD
      when: step == 'info'
    - name: tw
      twadvise.twadvise.twadvise:
        state: "{{ tw_state | default(omit) }}"
        profile: "{{ profile | default(omit) }}"
        persist: "{{ persist | default(omit) }}"
        snapshot: "{{ snapshot | default(omit) }}"
        netns: "{{ netns | default(omit) }}"
        binary: $TWADVISE
        state_dir: $S
        sysctl_dir: $SD
      when: step == 'tw'
EOF
M=$TMP/modules.yml
keys=(net.ipv4.tcp_tw_reuse net.ipv4.ip_local_port_range net.core.somaxconn net.ipv4.tcp_max_syn_backlog net.ipv4.tcp_max_tw_buckets)
sysctl -qw net.ipv4.tcp_tw_reuse=2 net.core.somaxconn=4096 net.ipv4.tcp_max_syn_backlog=1024
before=$(sysctl "${keys[@]}")

# twadvise_info: data, never changed, nothing written (also in check mode).
play "$M" 0 -e step=info
assert_eq "$(task info 'd["changed"]')" false "info: changed"
assert_eq "$(task info 'd["status"]')" warning "info: status"
assert_eq "$(task info '"tw-reuse-off" in [f["rule"] for f in d["findings"]]')" true "info: findings"
assert_eq "$(task info 'd["facts"]["schema"]')" twadvise.facts/1 "info: facts"
assert_eq "$(task info 'd["snapshots"]')" "[]" "info: snapshots"
task info 'd["worst"]' | grep -q "tw-reuse-off" || fail "info: worst $(task info 'd["worst"]')"
play "$M" 0 -e step=info --check
assert_eq "$(task info 'd["changed"]')" false "info check mode: changed"
{ [ ! -e "$S" ] && [ -z "$(ls -A "$SD")" ]; } || fail "twadvise_info wrote state or sysctl.d files"

# The argument checks are Ansible's own.
play "$M" 2 -e step=tw -e tw_state=applied
task tw 'd["msg"]' | grep -q "state is applied but all of the following are missing: profile" ||
	fail "required_if: $(task tw 'd["msg"]')"
play "$M" 2 -e step=tw -e profile=reverse-proxy -e persist=true -e netns=/proc/self/ns/net
task tw 'd["msg"]' | grep -q "parameters are mutually exclusive: persist|netns" ||
	fail "mutually_exclusive: $(task tw 'd["msg"]')"

# applied in check mode: changed, the diff, nothing written; an ignored option warns.
play "$M" 0 -e step=tw -e profile=reverse-proxy -e persist=true -e snapshot=x --check --diff
assert_eq "$(task tw 'd["changed"]')" true "check mode: changed"
assert_eq "$(task tw 'd["snapshot"]')" null "check mode: snapshot"
task tw 'd["diff"]["before"]' | grep -qx 'net.ipv4.tcp_tw_reuse = 2' || fail "diff before: $(task tw 'd["diff"]')"
task tw 'd["diff"]["after"]' | grep -qx 'net.ipv4.tcp_tw_reuse = 1' || fail "diff after: $(task tw 'd["diff"]')"
task tw '" ".join(d.get("warnings", []))' | grep -q "option 'snapshot' is ignored with state=applied" ||
	fail "no warning for the ignored option: $(task tw 'd.get("warnings")')"
assert_eq "$(sysctl "${keys[@]}")" "$before" "check mode changed nothing"
{ [ ! -e "$S" ] && [ -z "$(ls -A "$SD")" ]; } || fail "check mode wrote state or sysctl.d files"

# applied, then again: the second run changes nothing and says so.
play "$M" 0 -e step=tw -e profile=reverse-proxy -e persist=true --diff
assert_eq "$(task tw 'd["changed"]')" true "applied: changed"
snap=$(task tw 'd["snapshot"]')
[ -f "$S/snapshots/$snap.json" ] || fail "snapshot '$snap' not in $S"
assert_eq "$(task tw 'd["persisted"]')" "$SD/90-twadvise.conf" "persisted"
assert_eq "$(task tw 'd["status_before"] + " -> " + d["status"]')" "warning -> ok" "status"
assert_eq "$(sysctl -n net.ipv4.tcp_tw_reuse)" 1 "tcp_tw_reuse applied"
applied=$(sysctl "${keys[@]}")
play "$M" 0 -e step=tw -e profile=reverse-proxy -e persist=true --diff
assert_eq "$(task tw 'd["changed"]')" false "second apply: changed"
assert_eq "$(task tw '"diff" in d')" false "second apply: diff"
assert_eq "$(nfiles "$S/snapshots")" 1 "second apply: no new snapshot"

# rolled_back: check mode writes nothing; then for real; then nothing left to do.
play "$M" 0 -e step=tw -e tw_state=rolled_back -e persist=true --check --diff
assert_eq "$(task tw 'd["changed"]')" true "rollback check mode: changed"
assert_eq "$(task tw 'd["rolled_back"]')" "$snap" "rollback check mode: snapshot"
task tw '" ".join(d.get("warnings", []))' | grep -q "option 'persist' is ignored with state=rolled_back" ||
	fail "no warning for persist with rolled_back: $(task tw 'd.get("warnings")')"
assert_eq "$(sysctl "${keys[@]}")" "$applied" "rollback check mode changed nothing"
play "$M" 0 -e step=tw -e tw_state=rolled_back --diff
assert_eq "$(task tw 'd["changed"]')" true "rolled back: changed"
task tw 'd["diff"]["after"]' | grep -qx 'net.ipv4.tcp_tw_reuse = 2' || fail "rollback diff: $(task tw 'd["diff"]')"
assert_eq "$(sysctl "${keys[@]}")" "$before" "values restored"
[ ! -e "$SD/90-twadvise.conf" ] || fail "persisted file left after the rollback"
play "$M" 0 -e step=tw -e tw_state=rolled_back
assert_eq "$(task tw 'd["changed"]')" false "second rollback: changed"
play "$M" 2 -e step=tw -e tw_state=rolled_back -e snapshot=no-such-snapshot
assert_eq "$(task tw 'd["rc"]')" 66 "unknown snapshot: rc"

# The role: the program copied from the "controller" (away from the source
# tree, so it finds no profiles but the ones dropped: the shipped ones and
# one of our own), preflight, apply with persist, the timer skipped without systemd.
mkdir -p "$TMP/files" "$TMP/bin"
printf '%s\n' 'name: fleet-proxy' 'description: The reverse-proxy profile as a fleet rolls it out.' \
	'extends: reverse-proxy' >"$TMP/files/fleet-proxy.yaml"
timer=true
[ -d /run/systemd/system ] && timer=false # never the host's own timer
printf '%s\n' '- name: Role' '  hosts: localhost' '  gather_facts: false' '  roles:' \
	'    - role: twadvise.twadvise.twadvise' '      vars:' \
	"        twadvise_binary_src: $TWADVISE" "        twadvise_binary: $TMP/bin/twadvise" \
	"        twadvise_profiles: [$(printf '%s, ' "$REPO"/profiles/*.yaml)$TMP/files/fleet-proxy.yaml]" "        twadvise_profiles_dir: $TMP/profiles" \
	"        twadvise_state_dir: $S.role" "        twadvise_sysctl_dir: $SD" \
	"        twadvise_timer: $timer" >"$TMP/role.yml"
R=$TMP/role.yml
# Check mode copies nothing: the program and the profile must be there already.
cp "$TWADVISE" "$TMP/bin/twadvise"
mkdir -p "$TMP/profiles" && cp "$REPO"/profiles/*.yaml "$TMP/files/fleet-proxy.yaml" "$TMP/profiles/"
play "$R" 0 -e twadvise_profile=fleet-proxy --check --diff
assert_eq "$(task "Apply profile fleet-proxy" 'd["changed"]')" true "role check mode: apply would change"
assert_eq "$(sysctl "${keys[@]}")" "$before" "role check mode changed nothing"
rm -rf "$TMP/bin/twadvise" "$TMP/profiles"
play "$R" 0 -e twadvise_profile=fleet-proxy --diff
assert_eq "$(task "Copy the twadvise program" 'd["changed"]')" true "role: program copied"
[ -x "$TMP/bin/twadvise" ] || fail "role: no program at $TMP/bin/twadvise"
assert_eq "$(task "Copy profiles" 'all(r["changed"] for r in d["results"])')" true "role: profiles dropped"
[ -f "$TMP/profiles/fleet-proxy.yaml" ] || fail "role: profile not in $TMP/profiles"
assert_eq "$(task "Preflight check against profile fleet-proxy" 'd["status"]')" ok "role: preflight (evidence only)"
assert_eq "$(task "Preflight gate, stop on status critical" 'd.get("skipped", False)')" true "role: gate passed"
assert_eq "$(task "Apply profile fleet-proxy" 'd["changed"]')" true "role: applied"
assert_eq "$(task "Apply profile fleet-proxy" 'd["plan"]["profile"]')" fleet-proxy "role: the dropped profile"
grep -q '^net.ipv4.tcp_tw_reuse = 1$' "$SD/90-twadvise.conf" || fail "role: not persisted"
assert_eq "$(sysctl -n net.ipv4.tcp_tw_reuse)" 1 "role: tcp_tw_reuse applied"
if [ $timer = true ]; then
	task "Say why the timer was left alone" 'd["msg"]' | grep -q "systemd is not PID 1" ||
		fail "role: timer not skipped: $(task "Say why the timer was left alone" 'd')"
fi
play "$R" 0 -e twadvise_profile=fleet-proxy
assert_eq "$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["stats"]["localhost"]["changed"])' "$TMP/play.out")" 0 \
	"role again: nothing changed"

# A failing preflight stops the play, the finding in the message, before any change.
sockgen --close-wait 250:20010
gen=$SOCKGEN_PID
after_role=$(sysctl "${keys[@]}")
play "$R" 2 -e twadvise_profile=database
msg=$(task "Preflight gate, stop on status critical" 'd["msg"]')
echo "$msg" | grep -q "status critical (fail_on critical, profile database): critical close-wait-leak: .*sockgen\[$gen\]" ||
	fail "preflight message: $msg"
assert_eq "$(task "Apply profile database" 'd')" null "preflight failure: apply did not run"
assert_eq "$(sysctl "${keys[@]}")" "$after_role" "preflight failure changed nothing"
# fail_on none lets the same host through.
play "$R" 0 -e twadvise_profile=database -e twadvise_preflight_fail_on=none -e twadvise_apply=false

# The collection's fleet report: two hosts, one HTML file.
printf '%s\n' "web1 ansible_connection=local ansible_python_interpreter=$PY" \
	"web2 ansible_connection=local ansible_python_interpreter=$PY" >"$TMP/fleet.inventory"
timeout 180 ansible-playbook -i "$TMP/fleet.inventory" twadvise.twadvise.fleet_report \
	-e twadvise_bin="$TWADVISE" -e twadvise_become=false -e profile=web-server \
	-e report_dir="$TMP/reports" -e fleet_file="$TMP/fleet.html" >"$TMP/fleet.out" 2>"$TMP/fleet.err" ||
	fail "fleet_report: $(head -c 3000 "$TMP/fleet.out") $(cat "$TMP/fleet.err")"
for h in web1 web2; do
	assert_eq "$(jget "$TMP/reports/$h.json" 'd["schema"]')" twadvise.report/1 "$h report"
done
{ grep -qi '<html' "$TMP/fleet.html" && grep -q "$(hostname)" "$TMP/fleet.html"; } ||
	fail "fleet report is not HTML naming the host: $(head -c 500 "$TMP/fleet.html")"
pass_msg "collection: built, installed offline, ansible-doc x2; $lint; modules, role, preflight gate, fleet_report"
