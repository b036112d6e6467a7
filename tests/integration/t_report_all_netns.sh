#!/bin/bash
# SPDX-License-Identifier: MIT
# report --all-netns: a section per network namespace, worst first, in
# Markdown, JSON (twadvise.netns-report/1) and one self-contained HTML file.
# The namespaces are built as in t_check_all_netns.sh: its own pid and mount
# namespace, holders in docker- and kubepods/containerd-shaped cgroups under
# the test's own cgroup, an ip netns, a fake /var/log/pods.
. "$TESTS_DIR/lib_netns.sh"

holder "$CG/system.slice/docker-$DID.scope"; docker=$HOLDER
holder "$KP/cri-containerd-$CID.scope"; pod=$HOLDER
ip netns add twa-blue || fail "ip netns add"
mkdir -p "$TMP/pods/shop_web-0_$UID_"

# The docker namespace is in trouble (narrow range, TIME_WAIT, no reuse);
# the pod has a few connections and is fine.
nsenter -t "$docker" -n sysctl -qw net.ipv4.ip_local_port_range="40000 40099" net.ipv4.tcp_tw_reuse=0
insock "$docker" --tw 90:20000
insock "$pod" --established 5:20001
A=(--all-netns --pods-dir "$TMP/pods")

# JSON: the schema, every namespace, worst first. report exits 0 whatever
# the findings say.
run_tw 0 "${A[@]}" report --format json
F=$TMP/all.json; cp "$OUT" "$F"
python3 "$TESTS_DIR/schema_check.py" "$TESTS_DIR/../../docs/schema/netns-report.json" "$F" || fail "schema"
assert_eq "$(jget "$F" 'd["schema"]')" twadvise.netns-report/1 "schema name"
assert_eq "$(jget "$F" 'd["status"]')" critical "worst status"
assert_eq "$(jget "$F" 'd["namespaces"][0]["label"]')" "docker dddddddddddd" "worst first"
assert_eq "$(jget "$F" 'd["namespaces"][0]["status"]')" critical "docker critical"
jget "$F" 'd["namespaces"][0]["remediation"]["container"]["run_flags"]' |
	grep -q -- '--sysctl=net.ipv4.ip_local_port_range=' || fail "docker remediation in json"
assert_eq "$(jget "$F" 'd["omitted"]["count"]')" 0 "nothing omitted"
LABELS=$(jget "$F" '"\n".join(n["label"] for n in d["namespaces"])')
for want in "docker dddddddddddd" "pod shop/web-0" "netns twa-blue"; do
	grep -qxF "$want" <<<"$LABELS" || fail "json lacks '$want': $LABELS"
done
N=$(jget "$F" 'len(d["namespaces"])')
# The ranks never rise down the list (critical > warning > unknown > ok > gone).
assert_eq "$(jget "$F" 'all({"critical":4,"warning":3,"unknown":2,"ok":1,None:0}[a["status"]] >= {"critical":4,"warning":3,"unknown":2,"ok":1,None:0}[b["status"]] for a, b in zip(d["namespaces"], d["namespaces"][1:]))')" \
	true "json worst first"

# Markdown (the default): a section per namespace, in the same order, with
# the docker --sysctl fix in the worst one.
run_tw 0 "${A[@]}" report
M=$TMP/all.md; cp "$OUT" "$M"
head -n 1 "$M" | grep -q "^# twadvise report: every network namespace" || fail "md title: $(head -n 1 "$M")"
grep -q '^\*\*CRITICAL\*\*' "$M" || fail "md verdict"
grep '^## ' "$M" | sed 's/^## [0-9]*\. [A-Z]*: //' >"$TMP/md.labels"
assert_eq "$(wc -l <"$TMP/md.labels")" "$N" "a section per namespace"
head -n 1 "$TMP/md.labels" | grep -qxF "docker dddddddddddd" || fail "md worst first: $(head -n 3 "$TMP/md.labels")"
for want in "docker dddddddddddd" "pod shop/web-0" "netns twa-blue"; do
	grep -qxF "$want" "$TMP/md.labels" || fail "md lacks '$want': $(cat "$TMP/md.labels")"
done
sed -n '/^## 1\./,/^## 2\./p' "$M" | grep -q -- "--sysctl .net.ipv4.ip_local_port_range=32768 60999." ||
	fail "md docker fix: $(sed -n '/^## 1\./,/^## 2\./p' "$M")"
sed -n '/^## 1\./,/^## 2\./p' "$M" | grep -q 'ephemeral-exhaustion' || fail "md docker findings"

# HTML: one file (-o .html picks it), no external reference.
run_tw 0 "${A[@]}" report -o "$TMP/all.html"
H=$TMP/all.html
head -c 15 "$H" | grep -q '<!DOCTYPE html>' || fail "-o .html did not write HTML"
[ "$(grep -c '<!DOCTYPE html>' "$H")" = 1 ] || fail "more than one page"
grep -qiE 'https?://|src=|href=|<link|@import|url\(' "$H" &&
	fail "external reference: $(grep -oiE '.{20}(https?://|src=|href=|<link|@import|url\().{20}' "$H")"
assert_eq "$(grep -c '<section class="netns"' "$H")" "$N" "an html section per namespace"
{ grep -q 'docker dddddddddddd' "$H" && grep -q 'pod shop/web-0' "$H" && grep -q 'netns twa-blue' "$H"; } ||
	fail "html labels"
grep -q '</html>' "$H" || fail "html not closed"

# --all-netns with --merge or --facts is refused, and other commands still refuse it.
run_tw 64 --all-netns report --merge "$F"
grep -q -- "--all-netns reports on live namespaces" "$ERR" || fail "merge refusal: $(cat "$ERR")"
run_tw 64 --all-netns plan
pass_msg "report --all-netns: $N namespaces, markdown, json and html"
