#!/bin/bash
# SPDX-License-Identifier: MIT
# The applier end to end, with real sysctls of this private namespace and
# temporary state and sysctl.d directories:
# plan -> apply --persist -> values and file right -> apply again (no
# change) -> rollback --last (values and file as before) -> drift refused
# (75, nothing changed).
. "$TESTS_DIR/lib.sh"

S=(--state-dir "$TMP/state" --sysctl-dir "$TMP/sysctl.d")
mkdir "$TMP/sysctl.d"
keys=(net.ipv4.tcp_tw_reuse net.ipv4.ip_local_port_range net.core.somaxconn net.ipv4.tcp_max_syn_backlog net.ipv4.tcp_max_tw_buckets)
before=$(sysctl "${keys[@]}")

run_tw 0 plan --profile reverse-proxy -o "$TMP/plan.json" "${S[@]}"
grep -q "profile reverse-proxy: 5 changes" "$OUT" || fail "diff: $(cat "$OUT")"
assert_eq "$(jget "$TMP/plan.json" 'd["schema"]')" twadvise.plan/1 "plan schema"
assert_eq "$(jget "$TMP/plan.json" 'sorted(c["key"] for c in d["changes"])')" \
	'["net.core.somaxconn", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_max_syn_backlog", "net.ipv4.tcp_max_tw_buckets", "net.ipv4.tcp_tw_reuse"]' "plan keys"
jget "$TMP/plan.json" 'd["fingerprint"]' | grep -q '^sha256:[0-9a-f]\{64\}$' || fail "fingerprint"
# Planning changed nothing.
assert_eq "$(sysctl "${keys[@]}")" "$before" "plan is read-only"

run_tw 0 apply "$TMP/plan.json" --persist "${S[@]}" --format json
snap=$(jget "$OUT" 'd["snapshot"]')
assert_eq "$(jget "$OUT" 'd["changed"]')" true "changed"
assert_eq "$(sysctl -n net.ipv4.tcp_tw_reuse)" 1 "tcp_tw_reuse applied"
assert_eq "$(sysctl -n net.ipv4.ip_local_port_range | tr '\t' ' ')" "10000 65535" "range applied"
assert_eq "$(sysctl -n net.core.somaxconn)" 16384 "somaxconn applied"
conf=$TMP/sysctl.d/90-twadvise.conf
{ grep -q "^# profile: reverse-proxy$" "$conf" && grep -q "^# snapshot: $snap$" "$conf" &&
	grep -q '^# date: 20' "$conf"; } || fail "persisted header: $(cat "$conf")"
{ grep -q '^net.ipv4.tcp_tw_reuse = 1$' "$conf" && grep -q '^net.ipv4.ip_local_port_range = 10000 65535$' "$conf"; } ||
	fail "persisted values: $(cat "$conf")"
[ "$(stat -c %a "$conf")" = 644 ] || fail "persisted file mode"
{ [ "$(stat -c %a "$TMP/state")" = 700 ] && [ "$(stat -c %a "$TMP/state/snapshots/$snap.json")" = 600 ]; } ||
	fail "state modes"
# sysctl --system style check: the file is valid sysctl.d syntax.
sysctl -q -p "$conf" || fail "persisted file is not valid for sysctl -p"

# Apply again: nothing to change, says so, no new snapshot.
run_tw 0 apply "$TMP/plan.json" --persist "${S[@]}"
grep -q "nothing to change" "$OUT" || fail "second apply: $(cat "$OUT")"
assert_eq "$(nfiles "$TMP/state/snapshots")" 1 "no second snapshot"
run_tw 0 snapshots "${S[@]}" --format json
assert_eq "$(jget "$OUT" '[s["id"] for s in d]')" "[\"$snap\"]" "snapshots list"

run_tw 0 rollback --last "${S[@]}"
assert_eq "$(sysctl "${keys[@]}")" "$before" "values back"
[ ! -e "$conf" ] || fail "persisted file should be gone (it did not exist before)"
# The rollback took its own snapshot: it can be rolled back.
assert_eq "$(nfiles "$TMP/state/snapshots")" 2 "rollback snapshot"
run_tw 0 rollback --last "${S[@]}"
assert_eq "$(sysctl -n net.ipv4.tcp_tw_reuse)" 1 "rollback of the rollback"
[ -e "$conf" ] || fail "file back after rolling back the rollback"
run_tw 0 rollback "$snap" "${S[@]}"
assert_eq "$(sysctl "${keys[@]}")" "$before" "values back again"
[ ! -e "$conf" ] || fail "file gone again"

# Drift: someone changed a key since the plan: 75, nothing changed.
sysctl -qw net.ipv4.tcp_tw_reuse=0
now=$(sysctl "${keys[@]}")
run_tw 75 apply "$TMP/plan.json" "${S[@]}"
grep -q "drift: net.ipv4.tcp_tw_reuse is '0' (the plan expected '2')" "$ERR" || fail "drift message: $(cat "$ERR")"
assert_eq "$(sysctl "${keys[@]}")" "$now" "nothing changed on drift"
# --force applies over it.
run_tw 0 apply "$TMP/plan.json" --force "${S[@]}"
assert_eq "$(sysctl -n net.ipv4.tcp_tw_reuse)" 1 "forced"
run_tw 0 rollback --last "${S[@]}"
assert_eq "$(sysctl "${keys[@]}")" "$now" "forced apply rolled back"

# Dry run writes nothing, not even the state directory.
run_tw 0 apply "$TMP/plan.json" --force --dry-run --state-dir "$TMP/dry" --sysctl-dir "$TMP/sysctl.d"
grep -q "would change" "$OUT" || fail "dry run: $(cat "$OUT")"
[ ! -e "$TMP/dry" ] || fail "dry run created the state directory"
assert_eq "$(sysctl "${keys[@]}")" "$now" "dry run changed nothing"

# An empty plan is fine.
"$TWADVISE" plan --profile default -o "$TMP/empty.json" "${S[@]}" >/dev/null
assert_eq "$(jget "$TMP/empty.json" 'd["changes"]')" "[]" "empty plan"
run_tw 0 apply "$TMP/empty.json" "${S[@]}"
pass_msg "plan, apply, persist, rollback, drift"
