#!/bin/bash
# SPDX-License-Identifier: MIT
# report on a live namespace (exit 0 whatever the findings, the commands and
# facts in it), the formats and exit codes; --merge of reports made here
# and of the fixtures into one fleet report; bad inputs name their file.
. "$TESTS_DIR/lib.sh"

# A host in trouble: an accept queue full and overflowing, TIME_WAIT and
# CLOSE_WAIT.
sockgen --tw 400:20000 --close-wait 9:20010 --overflow 20013:2:8

run_tw 2 check --profile reverse-proxy
run_tw 0 report --profile reverse-proxy --format json -o "$TMP/a.json"
R=$TMP/a.json
assert_eq "$(jget "$R" 'd["schema"]')" "twadvise.report/1" "schema"
assert_eq "$(jget "$R" 'd["status"]')" "critical" "status"
assert_eq "$(jget "$R" 'd["facts"]["schema"]')" "twadvise.facts/1" "embedded facts"
assert_eq "$(jget "$R" 'd["findings"]["schema"]')" "twadvise.findings/1" "embedded findings"
assert_eq "$(jget "$R" 'd["host"]["sockets_source"]')" "netlink" "socket source"
assert_eq "$(jget "$R" 'd["host"]["netns"] == d["facts"]["host"]["netns"] != ""')" true "netns"
assert_eq "$(jget "$R" 'd["profile_chain"]')" "reverse-proxy -> web-server -> default" "profile chain"
assert_eq "$(jget "$R" 'd["version"]')" "$("$TWADVISE" --version | awk '{print $2}')" "version"
assert_eq "$(jget "$R" '"listen-overflow" in [f["rule"] for f in d["findings"]["findings"]]')" true "listen-overflow found"
assert_eq "$(jget "$R" 'd["facts"]["close_wait_owners"][0]["comm"]')" sockgen "CLOSE_WAIT owner"

# The sysctl lines match the plan twadvise plan makes here, key for key.
run_tw 0 plan --profile reverse-proxy -o "$TMP/plan.json"
want=$(jget "$TMP/plan.json" '" ".join(sorted("%s=%s" % (c["key"], " ".join(c["to"].split())) for c in d["changes"]))')
got=$(jget "$R" '" ".join(sorted(l.split("sysctl -w ", 1)[1].strip("'"'"'") for l in d["commands"]["sysctl"]))')
assert_eq "$got" "$want" "sysctl -w lines vs the plan"
[ -n "$want" ] || fail "the plan proposes nothing: the test needs a change"
# lib.sh points the state directory at the test's (TWADVISE_STATE_DIR).
assert_eq "$(jget "$R" 'd["commands"]["rollback"]')" "twadvise --state-dir $TWADVISE_STATE_DIR rollback --last" "rollback command"
# and they work: applied in this namespace, the profile's check passes them
while read -r line; do
	eval "$line" >/dev/null || fail "'$line' failed"
done < <(jget "$R" '"\n".join(d["commands"]["sysctl"])')
for c in $(jget "$TMP/plan.json" '" ".join(c["key"] for c in d["changes"])'); do
	v=$(jget "$TMP/plan.json" '[" ".join(c["to"].split()) for c in d["changes"] if c["key"] == "'"$c"'"][0]')
	assert_eq "$(sysctl -n "$c" | tr '\t' ' ')" "$v" "$c after the sysctl lines"
done
while read -r line; do
	eval "$line" >/dev/null || fail "'$line' failed"
done < <(jget "$R" '"\n".join(d["commands"]["sysctl_rollback"])')
assert_eq "$(sysctl -n net.ipv4.tcp_tw_reuse)" "$(jget "$R" 'd["facts"]["sysctls"]["net.ipv4.tcp_tw_reuse"]')" "rolled back"

# Markdown and HTML of the same host; format from -o's extension.
run_tw 0 report --profile reverse-proxy
head -n 1 "$OUT" | grep -q '^# twadvise report: ' || fail "markdown by default"
# shellcheck disable=SC2016 # Markdown backquotes, not command substitution
grep -q '^| \*\*CRITICAL\*\* | `listen-overflow` |' "$OUT" || fail "findings table row"
run_tw 0 report --profile reverse-proxy -o "$TMP/b.html"
head -c 15 "$TMP/b.html" | grep -q '<!DOCTYPE html>' || fail "-o .html"
[ -s "$OUT" ] && fail "-o FILE: nothing on stdout"

# Usage and input errors.
run_tw 64 report --format text
run_tw 64 report extra-argument
run_tw 64 report --samples 0
run_tw 64 report --timeout 5
run_tw 66 report --facts "$TMP/none.json"
printf '{"schema": "twadvise.facts/1", "sockets": 3}\n' >"$TMP/badfacts.json"
run_tw 65 report --facts "$TMP/badfacts.json"
grep -q "badfacts.json" "$ERR" || fail "bad facts message names the file: $(cat "$ERR")"
run_tw 66 report --profile no-such-profile
run_tw 73 report -o "$TMP/no/such/dir/r.md"

# Another host's report from recorded facts, then the fleet.
run_tw 0 report --facts "$FIXTURES/report/facts.json" --profile default --format json -o "$TMP/c.json"
run_tw 0 report --merge "$TMP/a.json" "$TMP/c.json" --format json
assert_eq "$(jget "$OUT" 'd["schema"]')" "twadvise.fleet/1" "fleet schema"
assert_eq "$(jget "$OUT" 'len(d["hosts"])')" 2 "fleet hosts"
assert_eq "$(jget "$OUT" 'd["hosts"][0]["file"]')" "$TMP/a.json" "worst host first"
assert_eq "$(jget "$OUT" 'd["hosts"][0]["findings"]["listen-overflow"]')" critical "matrix cell"

# The three fixtures: worst first, the matrix, totals per rule.
FX=$FIXTURES/report
run_tw 0 report --merge "$FX/host-c.report.json" "$FX/host-b.report.json" "$FX/host-a.report.json" --format json
assert_eq "$(jget "$OUT" '[h["hostname"] for h in d["hosts"]]')" '["web-a", "web-b", "db-c"]' "hosts worst first"
assert_eq "$(jget "$OUT" 'd["status"]')" critical "fleet status"
assert_eq "$(jget "$OUT" 'd["rules"][0]')" '{"rule": "listen-overflow", "critical": 1, "warning": 1, "info": 0, "ok": 1, "unchecked": 0}' "totals of the first column"
assert_eq "$(jget "$OUT" '[r["unchecked"] for r in d["rules"] if r["rule"] == "ephemeral-exhaustion"][0]')" 1 "unchecked"
run_tw 0 report --merge "$FX"/host-*.report.json
grep -q '^| web-a | \*\*CRITICAL\*\* | \*\*CRITICAL\*\* |' "$OUT" || fail "markdown matrix row"
# shellcheck disable=SC2016 # Markdown backquotes, not command substitution
grep -q '^| `listen-overflow` | 1 | 1 | 0 | 1 | 0 |$' "$OUT" || fail "markdown totals row"
run_tw 0 report --merge "$FX"/host-*.report.json --format html -o "$TMP/fleet.html"
grep -q '<td class="cell-critical">CRITICAL</td>' "$TMP/fleet.html" || fail "html matrix cell"

# Bad inputs to --merge: 65 naming the file (line:col for syntax), 66 missing.
printf '{\n  "schema": "twadvise.report/1",\n  "host": {,}\n}\n' >"$TMP/broken.json"
run_tw 65 report --merge "$FX/host-a.report.json" "$TMP/broken.json"
grep -q "broken.json:3:12: bad JSON" "$ERR" || fail "syntax error position: $(cat "$ERR")"
[ -s "$OUT" ] && fail "no fleet report from bad input"
run_tw 65 report --merge "$FIXTURES/report/facts.json"
grep -q "facts.json: schema 'twadvise.facts/1' is not twadvise.report/1" "$ERR" || fail "schema message: $(cat "$ERR")"
run_tw 66 report --merge "$TMP/missing.json"
run_tw 64 report --merge
run_tw 64 report --merge "$FX/host-a.report.json" --profile default
pass_msg "report, its commands, and --merge"
