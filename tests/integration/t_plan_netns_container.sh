#!/bin/bash
# SPDX-License-Identifier: MIT
# plan and apply through --netns into a container's namespace: the plan and
# the snapshot record who lives there, both say the change is ephemeral and
# show the lasting fix (docker --sysctl, compose sysctls:, or the pod's
# securityContext.sysctls); apply and rollback work there. Holder processes
# in docker- and kubepods-shaped cgroups under the test's own cgroup, in the
# test's own pid namespace (t_check_all_netns.sh does the same).
. "$TESTS_DIR/lib_netns.sh"

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
