#!/bin/bash
# SPDX-License-Identifier: MIT
# The fleet-report example playbook (packaging/ansible/examples/fleet-report.yml)
# run by a real ansible-playbook against two inventory hosts that are both
# this namespace (connection local): each writes `twadvise report --format
# json`, the controller fetches both and merges them with `twadvise report
# --merge` into one Markdown fleet report.
. "$TESTS_DIR/lib.sh"

command -v ansible-playbook >/dev/null || skip "ansible-playbook not installed (apt-get install ansible)"
"$TWADVISE" help report >/dev/null 2>&1 || skip "this twadvise has no report command"
REPO=$(cd "$TESTS_DIR/../.." && pwd)
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)

export HOME="$TMP/home" ANSIBLE_LOCAL_TEMP="$TMP/ansible-local" ANSIBLE_REMOTE_TEMP="$TMP/ansible-remote"
export ANSIBLE_CONFIG="$TMP/ansible.cfg" ANSIBLE_LIBRARY="$REPO/packaging/ansible/library"
export ANSIBLE_STDOUT_CALLBACK=json ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0
export ANSIBLE_DEPRECATION_WARNINGS=0 ANSIBLE_LOCALHOST_WARNING=0
mkdir -p "$HOME"
printf '[defaults]\ngathering = explicit\nforks = 2\ntimeout = 30\n' >"$ANSIBLE_CONFIG"
{
	echo "web1 ansible_connection=local ansible_python_interpreter=$PY"
	echo "web2 ansible_connection=local ansible_python_interpreter=$PY"
} >"$TMP/inventory"

timeout 180 ansible-playbook -i "$TMP/inventory" "$REPO/packaging/ansible/examples/fleet-report.yml" \
	-e twadvise_bin="$TWADVISE" -e twadvise_become=false -e profile=web-server \
	-e report_dir="$TMP/reports" -e fleet_file="$TMP/fleet.md" >"$TMP/play.out" 2>"$TMP/play.err" ||
	fail "fleet-report.yml: $(head -c 3000 "$TMP/play.out") $(cat "$TMP/play.err")"

for h in web1 web2; do
	[ -s "$TMP/reports/$h.json" ] || fail "no report fetched from $h"
	assert_eq "$(jget "$TMP/reports/$h.json" 'd["schema"]')" twadvise.report/1 "$h report schema"
done
[ -s "$TMP/fleet.md" ] || fail "no fleet report"
grep -q "$(hostname)" "$TMP/fleet.md" || fail "fleet report does not name the host: $(head -n 20 "$TMP/fleet.md")"
# Every temporary file on the "hosts" was removed again.
[ -z "$(find /tmp -maxdepth 1 -name '*.twadvise.json' -newer "$TMP/inventory" 2>/dev/null)" ] ||
	fail "temporary report files left behind"
pass_msg "fleet report: 2 hosts fetched and merged"
