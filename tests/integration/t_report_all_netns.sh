#!/bin/bash
# SPDX-License-Identifier: MIT
# report --all-netns: a section per network namespace, worst first, in
# Markdown, JSON (twadvise.netns-report/1) and one self-contained HTML file.
# The namespaces are built as in t_check_all_netns.sh: its own pid and mount
# namespace, holders in docker- and kubepods/containerd-shaped cgroups under
# the test's own cgroup, an ip netns, a fake /var/log/pods.
if [ -z "${TWA_PIDNS:-}" ]; then
	[ "$(readlink /proc/self/ns/net)" != "$(readlink /proc/1/ns/net)" ] ||
		{ echo "FAIL: not in a private network namespace" >&2; exit 1; }
	TWA_PIDNS=$(readlink /proc/self/ns/net) exec unshare -p -f -m --mount-proc bash "$0"
fi
export TWA_PIDNS
. "$TESTS_DIR/lib.sh"

mount -t tmpfs tmpfs /run/netns 2>/dev/null || { mkdir -p /run/netns && mount -t tmpfs tmpfs /run/netns; } ||
	skip "cannot mount a private /run/netns"
cg_root=/sys/fs/cgroup/unified
[ -d "$cg_root" ] || cg_root=/sys/fs/cgroup
cg_self=$(sed -n 's/^0:://p' /proc/self/cgroup)
CG="$cg_root${cg_self%/}/twa-test-$$-$(date +%s%N)-$RANDOM"
mkdir "$CG" 2>/dev/null || skip "cannot create a cgroup under $cg_root$cg_self"
DID=$(printf 'd%.0s' {1..64})
CID=$(printf 'c%.0s' {1..64})
UID_=1f2e3d4c-5b6a-4789-8abc-0123456789ab
KP="$CG/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${UID_//-/_}.slice"
mkdir -p "$CG/system.slice/docker-$DID.scope" "$KP/cri-containerd-$CID.scope"
HOLDERS=()
cleanup_ns() {
	local p
	for p in "${HOLDERS[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${SOCKGEN_PIDS[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	ip netns del twa-blue 2>/dev/null
	find "$CG" -depth -type d -exec rmdir {} + 2>/dev/null
	cleanup
}
trap cleanup_ns EXIT

holder() {
	unshare -n sleep 300 &
	HOLDERS+=($!)
	HOLDER=$!
	for _ in $(seq 100); do
		[ "$(readlink /proc/$HOLDER/ns/net)" != "$(readlink /proc/self/ns/net)" ] && break
		sleep 0.02
	done
	echo "$HOLDER" >"$1/cgroup.procs" || fail "cannot move $HOLDER into $1"
	nsenter -t "$HOLDER" -n ip link set lo up
}
insock() {
	local pid=$1 ready="$TMP/ready.$RANDOM"
	shift
	nsenter -t "$pid" -n "$HELPERS/sockgen" "$@" --ready-file "$ready" --hold 240 &
	SOCKGEN_PIDS+=($!)
	for _ in $(seq 600); do [ -f "$ready" ] && return 0; sleep 0.05; done
	fail "sockgen $* not ready in $pid's namespace"
}

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
