#!/bin/bash
# SPDX-License-Identifier: MIT
# A fresh namespace with kernel defaults: check says OK (exit 0) with every
# profile's rules evaluated, skips the TIME_WAIT dump (sockstat bounds it),
# and the output formats agree.
. "$TESTS_DIR/lib.sh"

run_tw 0 check
grep -q '^OK: 0 critical, 0 warning' "$OUT" || fail "text summary: $(cat "$OUT")"

run_tw 0 check --format json
assert_eq "$(jget "$OUT" 'd["schema"]')" "twadvise.findings/1" "schema"
assert_eq "$(jget "$OUT" 'd["status"]')" ok "status"
assert_eq "$(jget "$OUT" 'd["profile"]')" default "profile"
assert_eq "$(jget "$OUT" '[f for f in d["findings"] if f["severity"] in ("warning","critical")]')" "[]" "no warnings"
assert_eq "$(jget "$OUT" 'len(d["checked"]) + len(d["not_judged"])')" 19 "every rule evaluated or not judged"
# tcp_max_orphans is global: a namespace may not show it, and then
# orphans-near-limit says it could not judge instead of passing.
# The conntrack table likewise: read-only here, it is judged on the host.
nj=()
[ -e /proc/sys/net/ipv4/tcp_max_orphans ] || nj+=('"orphans-near-limit"')
ct=/proc/sys/net/netfilter/nf_conntrack_max
{ [ -e $ct ] && [ ! -w $ct ]; } && nj+=('"conntrack-near-full"')
joined=$(IFS=,; echo "${nj[*]}")
want="[${joined//,/, }]"
assert_eq "$(jget "$OUT" '[n["rule"] for n in d["not_judged"]]')" "$want" "not judged"
# Nothing can exhaust a range of 28232 ports with a handful of sockets:
# the TIME_WAIT dump and the per-destination count are skipped.
assert_eq "$(jget "$OUT" 'd["inspected"]["skipped_states"]')" '["TIME_WAIT"]' "TIME_WAIT dump skipped"
assert_eq "$(jget "$OUT" 'd["inspected"]["destinations_counted"]')" false "destinations skipped"

run_tw 0 check --format nagios
head -n 1 "$OUT" | grep -Eq '^TWADVISE OK - 0 critical, 0 warning \| time_wait=0;@[0-9]+:;;0;[0-9]+ ' ||
	fail "nagios line: $(head -n 1 "$OUT")"

run_tw 0 check --format prometheus
grep -q '^# TYPE twadvise_check_status gauge$' "$OUT" || fail "prometheus TYPE"
grep -q '^twadvise_check_status{profile="default"} 0$' "$OUT" || fail "prometheus status"
grep -q '^twadvise_sockets{state="TIME_WAIT",family="inet"} 0$' "$OUT" || fail "prometheus sockets"

# -o writes the file atomically and leaves stdout empty.
run_tw 0 check --format prometheus -o "$TMP/check.prom"
{ [ -s "$TMP/check.prom" ] && [ ! -s "$OUT" ]; } || fail "-o"

# Usage and profile errors are UNKNOWN (3), with the file:line:col.
run_tw 3 check --format xml
grep -q "format takes" "$ERR" || fail "bad format message"
printf 'name: broken\nsysctls:\n  net.ipv4.tcp_tw_reuse: 7\n' > "$TMP/broken.yaml"
run_tw 3 check --profile "$TMP/broken.yaml"
grep -q "broken.yaml:3:26: net.ipv4.tcp_tw_reuse = 7 is out of range \[0, 2\]" "$ERR" ||
	fail "profile error: $(cat "$ERR")"
run_tw 3 check --profile no-such-profile
grep -q "no profile named 'no-such-profile'" "$ERR" || fail "missing profile: $(cat "$ERR")"
echo '{"schema": "twadvise.facts/1", "sockets": ' > "$TMP/bad.json"
run_tw 3 check --facts "$TMP/bad.json"
grep -q "bad.json:2:1: unexpected end of JSON" "$ERR" || fail "bad facts: $(cat "$ERR")"

# Every shipped profile runs here.
for p in default web-server reverse-proxy database high-churn-client container-host; do
	"$TWADVISE" check --profile "$p" --format json > "$TMP/p.json"
	rc=$?
	[ "$rc" -le 2 ] || fail "profile $p: exit $rc"
	assert_eq "$(jget "$TMP/p.json" 'd["profile"]')" "$p" "profile $p"
done
pass_msg "healthy namespace is OK"
