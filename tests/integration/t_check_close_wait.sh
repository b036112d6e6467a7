#!/bin/bash
# SPDX-License-Identifier: MIT
# A CLOSE_WAIT leak: the owning process is named, no sysctl is proposed;
# --fail-on critical lets a warning pass.
. "$TESTS_DIR/lib.sh"

sockgen --close-wait 250:20010
gen=$SOCKGEN_PID

run_tw 1 check --format json
C='[f for f in d["findings"] if f["rule"] == "close-wait-leak"][0]'
assert_eq "$(jget "$OUT" "${C}['severity']")" warning "severity"
jget "$OUT" "${C}['summary']" | grep -q "250 sockets in CLOSE_WAIT" || fail "count"
jget "$OUT" "${C}['summary']" | grep -q "sockgen\[$gen\] holds 250" || fail "owner not named: $(jget "$OUT" "${C}['summary']")"
assert_eq "$(jget "$OUT" "${C}['changes']")" "[]" "no sysctl proposed"
run_tw 0 check --fail-on critical -q
# The text output names it too.
run_tw 1 check
grep -q "^WARNING   close-wait-leak: .*sockgen\[$gen\]" "$OUT" || fail "text: $(cat "$OUT")"
# The database profile is stricter: 250 is critical there (200).
run_tw 2 check --profile database --format json
assert_eq "$(jget "$OUT" "${C}['severity']")" critical "database severity"
pass_msg "CLOSE_WAIT owner named"
