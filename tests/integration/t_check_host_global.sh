#!/bin/bash
# SPDX-License-Identifier: MIT
# Host-global keys inside a network namespace (issue 18 item 5): here
# tcp_max_orphans does not exist and nf_conntrack_max is read-only.
# orphans-near-limit is "not judged" (with its reason), not "checked"; a
# profile wanting a larger nf_conntrack_max gets no plan change for it,
# only a line saying to change it on the host; and apply of a plan that
# carries it anyway names the real cause, not "needs root".
. "$TESTS_DIR/lib.sh"
[ ! -e /proc/sys/net/ipv4/tcp_max_orphans ] || skip "tcp_max_orphans visible: not a child namespace"
ct=/proc/sys/net/netfilter/nf_conntrack_max
[ -e $ct ] || skip "nf_conntrack not loaded on this host"
[ -w $ct ] && skip "nf_conntrack_max writable here"

run_tw 0 check --format json --no-history
assert_eq "$(jget "$OUT" '"orphans-near-limit" in d["checked"]')" false "orphans-near-limit not checked"
jget "$OUT" '[n["reason"] for n in d["not_judged"] if n["rule"] == "orphans-near-limit"][0]' |
	grep -q "host-global and not visible in this network namespace" || fail "reason: $(jget "$OUT" 'd["not_judged"]')"
run_tw 0 check --no-history
grep -q "^N/A       orphans-near-limit: " "$OUT" || fail "text: $(cat "$OUT")"
grep -q "rules checked, 2 not judged" "$OUT" || fail "status line: $(tail -n 1 "$OUT")"
# The conntrack table is the host's: a low share here proves nothing.
run_tw 0 check --format json --no-history
jget "$OUT" '[n["reason"] for n in d["not_judged"] if n["rule"] == "conntrack-near-full"][0]' |
	grep -q "judge it on the host" || fail "conntrack reason: $(jget "$OUT" 'd["not_judged"]')"

max=$(cat $ct)
cat > "$TMP/ct.yaml" <<YAML
name: ct
extends: default
sysctls:
  net.netfilter.nf_conntrack_max:
    min: $((max * 2))
    value: $((max * 2))
YAML
run_tw 0 plan --profile "$TMP/ct.yaml" --format json -o "$TMP/plan.json" --no-history
assert_eq "$(jget "$TMP/plan.json" '[c["key"] for c in d["changes"]]')" "[]" "nothing writable to change"
assert_eq "$(jget "$TMP/plan.json" '[c["key"] for c in d["not_proposed"]]')" \
	'["net.netfilter.nf_conntrack_max"]' "listed as not proposed"
run_tw 0 plan --profile "$TMP/ct.yaml" --no-history	# the diff goes to stderr
grep -q "not proposed: net.netfilter.nf_conntrack_max .*read-only in this network namespace; change it on the host" "$ERR" ||
	fail "plan text: $(cat "$ERR")"

# A plan carrying it anyway (made elsewhere): apply names the cause.
printf '{"schema": "twadvise.plan/1", "profile": "t", "changes": [{"key": "net.netfilter.nf_conntrack_max", "from": "%s", "to": "%s"}]}\n' \
	"$max" "$((max * 2))" > "$TMP/bad.json"
run_tw 77 apply "$TMP/bad.json" --state-dir "$TMP/st" --sysctl-dir "$TMP/sd"
grep -q "read-only in this network namespace" "$ERR" || fail "apply error: $(cat "$ERR")"
if grep -q "needs root" "$ERR"; then fail "apply blames root: $(cat "$ERR")"; fi
assert_eq "$(cat $ct)" "$max" "unchanged"
pass_msg "host-global keys: not judged, not proposed, and apply names the cause"
