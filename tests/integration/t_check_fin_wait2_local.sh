#!/bin/bash
# SPDX-License-Identifier: MIT
# Causes before symptoms: sockgen --close-wait leaves CLOSE_WAIT sockets
# here (a server that never closes) and their clients' ends orphaned in
# FIN_WAIT2, all on loopback. The inspector pairs them; check names the
# CLOSE_WAIT owner and fin-wait2-orphans proposes no tcp_fin_timeout.
. "$TESTS_DIR/lib.sh"

sockgen --close-wait 1230:20010
gen=$SOCKGEN_PID

run_tw 0 inspect --format json
orph=$(jget "$OUT" 'd["sockets"]["fin_wait2_orphans"]')
local_peer=$(jget "$OUT" 'd["sockets"]["fin_wait2_orphans_local_peer"]')
[ "$orph" -ge 1230 ] || fail "orphans: $orph"
assert_eq "$local_peer" 1230 "orphans whose peer is a local CLOSE_WAIT socket"
run_tw 0 inspect
grep -q "of those: 1230 whose peer is a local CLOSE_WAIT socket" "$OUT" || fail "text: $(cat "$OUT")"

run_tw 2 check --format json
C='[f for f in d["findings"] if f["rule"] == "close-wait-leak"][0]'
F='[f for f in d["findings"] if f["rule"] == "fin-wait2-orphans"][0]'
jget "$OUT" "${C}['summary']" | grep -q "sockgen\[$gen\] holds 1230" || fail "owner: $(jget "$OUT" "${C}['summary']")"
assert_eq "$(jget "$OUT" "${F}['severity']")" info "fin-wait2-orphans is the symptom"
jget "$OUT" "${F}['summary']" | grep -q "see close-wait-leak" || fail "summary: $(jget "$OUT" "${F}['summary']")"
jget "$OUT" "${F}['recommendation']" | grep -q "sockgen\[$gen\]" || fail "process not named: $(jget "$OUT" "${F}['recommendation']")"
jget "$OUT" "${F}['recommendation']" | grep -q "dead clients" && fail "folklore for local peers"
assert_eq "$(jget "$OUT" '[c for f in d["findings"] for c in f["changes"] if c["key"] == "net.ipv4.tcp_fin_timeout"]')" "[]" \
	"no tcp_fin_timeout proposed"
run_tw 0 plan -o "$TMP/plan.json"
assert_eq "$(jget "$TMP/plan.json" '[c["key"] for c in d["changes"]]')" "[]" "empty plan"
"$TWADVISE" check | grep -E 'close-wait-leak|fin-wait2-orphans' || true
pass_msg "FIN_WAIT2 orphans of a local CLOSE_WAIT leak attributed to its owner, no tcp_fin_timeout"
