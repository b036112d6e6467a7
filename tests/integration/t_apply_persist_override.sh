#!/bin/bash
# SPDX-License-Identifier: MIT
# A later sysctl.d file overriding a persisted key: apply --persist warns
# and names the file; check reports sysctl-persist-overridden.
. "$TESTS_DIR/lib.sh"

S=(--state-dir "$TMP/state" --sysctl-dir "$TMP/sysctl.d")
mkdir "$TMP/sysctl.d"
echo '{"schema": "twadvise.plan/1", "changes": [{"key": "net.ipv4.tcp_tw_reuse", "from": "2", "to": "1"}, {"key": "net.core.somaxconn", "from": "4096", "to": "8192"}]}' > "$TMP/plan.json"
# 95- sorts after 90-twadvise.conf, so it wins at boot; 10- does not.
printf '# local tuning\nnet.ipv4.tcp_tw_reuse = 0\n' > "$TMP/sysctl.d/95-local.conf"
printf 'net/core/somaxconn = 1024\n' > "$TMP/sysctl.d/10-early.conf"

run_tw 0 apply "$TMP/plan.json" --persist "${S[@]}"
grep -q "warning: net.ipv4.tcp_tw_reuse = 0 in $TMP/sysctl.d/95-local.conf overrides the persisted 1 at boot" "$ERR" ||
	fail "apply warning: $(cat "$ERR")"
grep -q "somaxconn" "$ERR" && fail "an earlier file does not override: $(cat "$ERR")"

run_tw 1 check --format json "${S[@]}"
P='[f for f in d["findings"] if f["rule"] == "sysctl-persist-overridden"][0]'
assert_eq "$(jget "$OUT" "${P}['severity']")" warning "severity"
jget "$OUT" "${P}['summary']" | grep -q "net.ipv4.tcp_tw_reuse=0 from $TMP/sysctl.d/95-local.conf" ||
	fail "summary: $(jget "$OUT" "${P}['summary']")"
rm "$TMP/sysctl.d/95-local.conf"
run_tw 0 check --format json "${S[@]}"
assert_eq "$(jget "$OUT" "[f['rule'] for f in d['findings'] if f['rule'] == 'sysctl-persist-overridden']")" "[]" "gone"
run_tw 0 rollback --last "${S[@]}"
pass_msg "boot-time overrides reported"
