#!/bin/bash
# SPDX-License-Identifier: MIT
# plan and apply through --netns into a container's namespace: the plan and
# the snapshot record who lives there, both say the change is ephemeral and
# show the lasting fix (docker --sysctl, compose sysctls:, or the pod's
# securityContext.sysctls); apply and rollback work there. Holder processes
# in docker- and kubepods-shaped cgroups under the test's own cgroup, in the
# test's own pid namespace (t_check_all_netns.sh does the same).
if [ -z "${TWA_PIDNS:-}" ]; then
	[ "$(readlink /proc/self/ns/net)" != "$(readlink /proc/1/ns/net)" ] ||
		{ echo "FAIL: not in a private network namespace" >&2; exit 1; }
	TWA_PIDNS=$(readlink /proc/self/ns/net) exec unshare -p -f -m --mount-proc bash "$0"
fi
export TWA_PIDNS
. "$TESTS_DIR/lib.sh"

cg_root=/sys/fs/cgroup/unified
[ -d "$cg_root" ] || cg_root=/sys/fs/cgroup
cg_self=$(sed -n 's/^0:://p' /proc/self/cgroup)
CG="$cg_root${cg_self%/}/twa-test-$$"
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
# insock PID ARGS: sockgen inside PID's network namespace.
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
mkdir -p "$TMP/pods/shop_web-0_$UID_"
SCHEMA="$TESTS_DIR/../../docs/schema"
NS=/proc/$docker/ns/net

# The docker namespace runs out of ports: a narrow range, TIME_WAIT, no reuse.
nsenter -t "$docker" -n sysctl -qw net.ipv4.ip_local_port_range="40000 40099" net.ipv4.tcp_tw_reuse=0
insock "$docker" --tw 90:20000
"$TWADVISE" --netns "$NS" plan -o "$TMP/plan.json" >"$TMP/diff" 2>"$TMP/err" || fail "plan: $(cat "$TMP/err")"
python3 "$TESTS_DIR/schema_check.py" "$SCHEMA/plan.json" "$TMP/plan.json" || fail "plan schema"
I='d["netns_identity"]'
assert_eq "$(jget "$TMP/plan.json" "${I}['kind']")" container "plan: identity kind"
assert_eq "$(jget "$TMP/plan.json" "${I}['container']['id']")" "$DID" "plan: container id"
assert_eq "$(jget "$TMP/plan.json" "${I}['label']")" "docker dddddddddddd" "plan: label"
assert_eq "$(jget "$TMP/plan.json" "${I}['path']")" "$NS" "plan: path"
assert_eq "$(jget "$TMP/plan.json" "${I}['ephemeral']")" true "plan: ephemeral"
assert_eq "$(jget "$TMP/plan.json" "${I}['lasting_fix']['container']['compose_sysctls']['net.ipv4.tcp_tw_reuse']")" 1 \
	"plan: compose sysctls"
grep -q "^ephemeral: $NS belongs to docker dddddddddddd" "$TMP/diff" || fail "plan says ephemeral: $(cat "$TMP/diff")"
grep -q -- "--sysctl 'net.ipv4.tcp_tw_reuse=1'" "$TMP/diff" || fail "plan: docker flags: $(cat "$TMP/diff")"

# Apply there: the snapshot records who lives there; rollback restores.
run_tw 0 --netns "$NS" apply "$TMP/plan.json"
grep -q "^ephemeral: " "$OUT" || fail "apply says ephemeral: $(cat "$OUT")"
assert_eq "$(nsenter -t "$docker" -n sysctl -n net.ipv4.tcp_tw_reuse)" 1 "applied in the namespace"
SNAP=$(find "$TWADVISE_STATE_DIR" -name '*.json' -path '*snapshots*' | head -n 1)
[ -n "$SNAP" ] || SNAP=$(grep -rl '"twadvise.snapshot/1"' "$TWADVISE_STATE_DIR" | head -n 1)
[ -n "$SNAP" ] || fail "no snapshot in $TWADVISE_STATE_DIR"
python3 "$TESTS_DIR/schema_check.py" "$SCHEMA/snapshot.json" "$SNAP" || fail "snapshot schema"
assert_eq "$(jget "$SNAP" "${I}['container']['id']")" "$DID" "snapshot: container id"
assert_eq "$(jget "$SNAP" "${I}['ephemeral']")" true "snapshot: ephemeral"
run_tw 0 --netns "$NS" rollback --last
assert_eq "$(nsenter -t "$docker" -n sysctl -n net.ipv4.tcp_tw_reuse)" 0 "rolled back in the namespace"
assert_eq "$(nsenter -t "$docker" -n sysctl -n net.ipv4.ip_local_port_range | tr -s ' \t' ' ')" "40000 40099" "range rolled back"

# A pod's namespace: the securityContext.sysctls snippet, tcp_tw_reuse unsafe.
nsenter -t "$pod" -n sysctl -qw net.ipv4.ip_local_port_range="40000 40099" net.ipv4.tcp_tw_reuse=0
insock "$pod" --tw 90:20001
run_tw 0 --netns "/proc/$pod/ns/net" --pods-dir "$TMP/pods" plan
assert_eq "$(jget "$OUT" "${I}['label']")" "pod shop/web-0" "pod plan: label"
assert_eq "$(jget "$OUT" "${I}['lasting_fix']['kubernetes']['allowed_unsafe_sysctls']")" '["net.ipv4.tcp_tw_reuse"]' \
	"pod plan: unsafe sysctl"
grep -q "securityContext:" "$ERR" || fail "pod plan: k8s snippet: $(cat "$ERR")"

# Not a container's: no ephemeral note, the identity still recorded.
run_tw 0 plan
assert_eq "$(jget "$OUT" 'd["netns_identity"]')" null "no --netns: no identity"
pass_msg "plan/apply through --netns name a container's namespace and say the change is ephemeral"
