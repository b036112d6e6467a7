# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# lib_netns.sh - the setting of the tests that look at many network namespaces
# (sourced instead of lib.sh, which it sources): the test re-runs itself in
# its own pid and mount namespace (so /proc and /run/netns hold only its own
# namespaces), with a private /run/netns, a cgroup of its own under the
# test's cgroup shaped like docker's and kubepods/containerd's (DID, CID, UID_,
# KP), holder PATH (a process in a new network namespace moved into a cgroup:
# $HOLDER) and insock PID ARGS (sockgen inside PID's namespace); everything
# is removed on exit.
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
# Unique across concurrent runs: $$ is small and repeats inside a pid namespace.
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

# holder CGROUP_DIR: a process in a new network namespace, moved into the cgroup.
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
