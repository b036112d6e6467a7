#!/bin/bash
# SPDX-License-Identifier: MIT
# The shipped alerting rules (packaging/prometheus/twadvise.rules.yml):
# `promtool check rules` accepts them, `promtool test rules` passes their
# unit tests (twadvise.rules.test.yml), every twadvise metric and
# name="..." counter they query is in what `twadvise check --format
# prometheus` really writes (with a CLOSE_WAIT leak, TIME_WAIT and ports in
# use toward one destination here), and every runbook names a rule
# `twadvise explain` knows.
. "$TESTS_DIR/lib.sh"

command -v promtool >/dev/null || skip "promtool not installed (apt-get install prometheus)"
REPO=$(cd "$TESTS_DIR/../.." && pwd)
RULES=$REPO/packaging/prometheus/twadvise.rules.yml
RTEST=$REPO/packaging/prometheus/twadvise.rules.test.yml

timeout 60 promtool check rules "$RULES" >"$TMP/check.out" 2>&1 || fail "promtool check rules: $(cat "$TMP/check.out")"
n=$(sed -n 's/.*SUCCESS: \([0-9]*\) rules found.*/\1/p' "$TMP/check.out")
[ "${n:-0}" -ge 9 ] || fail "promtool found ${n:-no} rules: $(cat "$TMP/check.out")"
# promtool resolves rule_files relative to the test file.
timeout 120 promtool test rules "$RTEST" >"$TMP/test.out" 2>&1 || fail "promtool test rules: $(cat "$TMP/test.out")"
grep -q SUCCESS "$TMP/test.out" || fail "promtool test rules: $(cat "$TMP/test.out")"
ntests=$(grep -c '^  - interval:' "$RTEST")
ncases=$(grep -c '^      - eval_time:' "$RTEST")

# The metrics as twadvise writes them, on a host with something to show:
# a narrow port range (this namespace's) with 600 of its 1000 ports in
# TIME_WAIT toward one destination, a CLOSE_WAIT leak, an accept queue
# overflowing.
sysctl -qw net.ipv4.ip_local_port_range="40000 40999" || fail "cannot narrow the port range"
sockgen --close-wait 120:20010 --tw 600:20011 --overflow 20012:1:8
run_tw 2 check --profile database --format prometheus
cp "$OUT" "$TMP/check.prom"
timeout 30 promtool check metrics <"$TMP/check.prom" >"$TMP/metrics.out" 2>&1 || fail "promtool check metrics: $(cat "$TMP/metrics.out")"
while read -r m; do
	grep -q "^# TYPE $m " "$TMP/check.prom" || fail "the rules query $m; twadvise check does not write it"
done < <(grep -v '^ *#' "$RULES" | grep -o 'twadvise_[a-z_]*' | sort -u)
while read -r c; do
	grep -qF "$c " "$TMP/check.prom" || fail "the rules query $c; twadvise check does not write it"
done < <(grep -v '^ *#' "$RULES" | grep -o 'twadvise_tcp_events_total{name="[A-Za-z]*"}' | sort -u)
# The labels the rules use, on the series twadvise writes.
grep -Eq '^twadvise_finding\{rule="[a-z0-9-]+",severity="critical"\} 3$' "$TMP/check.prom" ||
	fail "no critical finding as the rules expect it: $(grep '^twadvise_finding' "$TMP/check.prom")"
grep -Eq '^twadvise_close_wait_owner_sockets\{comm="sockgen"\} 120$' "$TMP/check.prom" ||
	fail "no CLOSE_WAIT owner by comm: $(grep close_wait_owner "$TMP/check.prom")"
grep -Eq '^twadvise_ephemeral_ports_in_use\{local="127\.0\.0\.1",remote="127\.0\.0\.1",remote_port="20011"\} [0-9]+$' "$TMP/check.prom" ||
	fail "no ports in use per destination: $(grep ports_in_use "$TMP/check.prom")"

# Every runbook names a rule twadvise explains (or a help page).
while read -r rb; do
	"$TWADVISE" explain "$rb" >/dev/null 2>&1 || fail "runbook 'twadvise explain $rb': no such rule"
done < <(sed -n 's/^ *runbook: "twadvise explain \([a-z0-9-]*\)"$/\1/p' "$RULES" | sort -u)
grep -c '^ *runbook: "twadvise ' "$RULES" | grep -qx "$(grep -c '^ *- alert:' "$RULES")" ||
	fail "an alert without a twadvise runbook"
pass_msg "alert rules: $n rules valid, $ntests unit-test groups ($ncases alert checks) pass, metric names match twadvise check"
