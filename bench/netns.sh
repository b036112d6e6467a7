#!/bin/bash
# SPDX-License-Identifier: MIT
# netns.sh - `make bench`, last part: `check --all-netns` across many network
# namespaces against `check` on one namespace holding all their sockets.
#
#   TWADVISE=... BENCHDIR=... HELPERS=... bench/netns.sh
#
# Runs in its own pid, mount and network namespace (unshare -p -m -n), with
# an empty /run/netns, so discovery sees only the bench's namespaces: the
# host's namespaces, sockets, sysctls and state directory are never touched
# (every check gets --state-dir in a temporary directory).
#
# One session, three phases, each measured with bench/bench.c, the sockets
# made before and gone after (TIME_WAIT lasts 60 s: a phase ends before its
# first socket expires):
#   1. shared: BENCH_NETNS namespaces (200) of BENCH_NETNS_SOCKETS (1,000)
#      sockets each, made the way container runtimes make them: with the
#      host's one established hash table (tcp_child_ehash_entries=0).
#   2. private: the same with tcp_child_ehash_entries=1024 set in the
#      session's namespace, so each namespace has a hash table of its own.
#   3. single: all 200,000 sockets in one namespace, `check` alone.
# Then: time ratios and peak RSS against the targets of issue 14
# (--all-netns <= 2x single, peak RSS <= single + 2 MiB). A miss is printed,
# not an exit status.
#
# Environment: BENCH_NETNS (200; 0 skips), BENCH_NETNS_SOCKETS (1000),
# BENCH_NETNS_ROUNDS (7).
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${TWADVISE:?}" "${BENCHDIR:?}" "${HELPERS:?}"
NS=${BENCH_NETNS:-200}
PER=${BENCH_NETNS_SOCKETS:-1000}
ROUNDS=${BENCH_NETNS_ROUNDS:-7}
[ "$NS" -gt 0 ] || exit 0
# run.sh runs a copy of twadvise, away from the tree's profiles/.
export TWADVISE_PROFILE_PATH=${TWADVISE_PROFILE_PATH:-$here/../profiles}
if [ "$NS" -gt 1000 ] || [ "$PER" -lt 20 ] || [ "$PER" -gt 20000 ]; then
	echo "bench: BENCH_NETNS 1..1000, BENCH_NETNS_SOCKETS 20..20000" >&2
	exit 64
fi

if [ "${1:-}" != --inside ]; then
	unshare -p -f -m --mount-proc -n bash "$here/netns.sh" --inside &
	child=$!
	trap 'kill -TERM "$child" 2>/dev/null; wait; exit 143' INT TERM HUP
	wait "$child"
	exit $?
fi

# ---------------------------------------------------------------- inside
tmp=$(mktemp -d /tmp/twadvise-bench-netns.XXXXXX) || exit 1
pids=()
bench_pid=
stop_all() {
	local q
	for q in "${pids[@]}"; do kill -TERM "$q" 2>/dev/null; done
	wait "${pids[@]}" 2>/dev/null
	pids=()
}
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
	[ -n "$bench_pid" ] && kill -TERM "$bench_pid" 2>/dev/null
	stop_all
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'echo "bench: interrupted" >&2; exit 130' INT
trap 'echo "bench: terminated" >&2; exit 143' TERM HUP

[ "$(readlink /proc/self/ns/net)" != "$(readlink /proc/1/ns/net)" ] || [ "$$" -eq 1 ] ||
	{ echo "bench: not in a namespace of our own; refusing" >&2; exit 1; }
# Discovery reads /run/netns (and docker's): empty ones, ours alone.
mount -t tmpfs tmpfs /run/netns 2>/dev/null ||
	{ mkdir -p /run/netns && mount -t tmpfs tmpfs /run/netns; } || exit 1
[ -d /run/docker/netns ] && { mount -t tmpfs tmpfs /run/docker/netns || exit 1; }
ip link set lo up || exit 1

# wait_ready N PREFIX: bounded (2 minutes), every generator alive.
wait_ready() {
	local n=$1 prefix=$2 i p ready
	for ((i = 0; i < 6000; i++)); do
		ready=$(find "$tmp" -maxdepth 1 -name "$prefix.*" | wc -l)
		[ "$ready" -ge "$n" ] && return 0
		for p in "${pids[@]}"; do
			kill -0 "$p" 2>/dev/null || { echo "bench: sockgen exited early" >&2; return 1; }
		done
		sleep 0.02
	done
	echo "bench: sockgen not ready after 120 s" >&2
	return 1
}

# fill_many: NS namespaces of PER sockets (PER-10 client TIME_WAIT over two
# ports, 5 established pairs), each held by its sockgen (unshare -n).
fill_many() {
	local i
	rm -f "$tmp"/ready.*
	for ((i = 0; i < NS; i++)); do
		unshare -n bash -c 'ip link set lo up && exec "$@"' sockgen \
			"$HELPERS/sockgen" --tw "$((PER - 10)):700,701" --established 5:702 \
			--ready-file "$tmp/ready.$i" --hold 150 >/dev/null &
		pids+=($!)
	done
	wait_ready "$NS" ready
}

# fill_one: NS*PER sockets in this namespace, as bench/run.sh does.
fill_one() {
	local n=$((NS * PER)) gens=2 i p ports share extra
	sysctl -qw net.ipv4.tcp_tw_reuse=0 net.ipv4.ip_local_port_range="1024 65535" \
		net.ipv4.tcp_max_tw_buckets=1000000 || return 1
	rm -f "$tmp"/ready.*
	for ((i = 0; i < gens; i++)); do
		ports=''
		for ((p = i; p < 16; p += gens)); do ports+=${ports:+,}$((700 + p)); done
		share=$(((n - 1000) / gens))
		[ "$i" -eq 0 ] && share=$((n - 1000 - share * (gens - 1)))
		extra=()
		[ "$i" -eq 0 ] && extra=(--established 500:716)
		"$HELPERS/sockgen" --tw "$share:$ports" "${extra[@]}" \
			--ready-file "$tmp/ready.$i" --hold 150 >/dev/null &
		pids+=($!)
	done
	wait_ready "$gens" ready
}

# measure LABEL NAME COMMAND: bench's table for one command into $tmp/LABEL.
# check exits 1 or 2 for findings; only 3 (UNKNOWN) or worse fails the bench.
measure() {
	local label=$1 name=$2 cmd=$3
	"$BENCHDIR/bench" --rounds "$ROUNDS" --warmup 1 --budget 30 \
		"$name=$cmd >/dev/null; [ \$? -le 2 ]" >"$tmp/$label" &
	bench_pid=$!
	wait "$bench_pid"
	local rc=$?
	bench_pid=
	grep -v '^command' "$tmp/$label" | sed "s/^/$label: /"
	return "$rc"
}
# col LABEL N: column N of LABEL's command row (3 median ms, 9 max MiB).
col() { awk -v n="$2" 'NR > 1 && $2 == "sh" { print $n; exit }' "$tmp/$1"; }

now() { date +%s.%N; }
echo "== --all-netns: $NS namespaces x $PER sockets against one namespace with $((NS * PER))"
ehash=$(sysctl -n net.ipv4.tcp_ehash_entries)
echo "kernel $(uname -r), $(nproc) CPUs; established hash: ${ehash#-} buckets$([ "${ehash#-}" != "$ehash" ] && echo ", the host's (shared)")"
rc=0
for phase in shared private; do
	ehash=0
	[ "$phase" = private ] && ehash=1024
	sysctl -qw net.ipv4.tcp_child_ehash_entries=$ehash || { echo "bench: tcp_child_ehash_entries" >&2; rc=1; continue; }
	t0=$(now)
	fill_many || exit 1
	echo "$phase: tcp_child_ehash_entries=$ehash; fill $(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }') s; TCP sockets made: $((NS * PER))"
	measure "$phase" all-netns "$TWADVISE --state-dir $tmp/state-$phase --all-netns check" || rc=1
	stop_all
done
sysctl -qw net.ipv4.tcp_child_ehash_entries=0
# The namespaces' TIME_WAIT sockets go with them, purged by a kernel worker
# after the namespaces exit: wait (20 s at most) until the host's
# TIME_WAIT slab is nearly empty, so the purge does not share the CPUs
# with the single namespace's fill and rounds.
for ((i = 0; i < 100; i++)); do
	tw=$(awk '$1 == "tw_sock_TCP" { print $2 }' /proc/slabinfo 2>/dev/null)
	[ "${tw:-0}" -lt $((NS * PER / 20)) ] && break
	sleep 0.2
done
sleep 1
t0=$(now)
fill_one || exit 1
echo "single: fill $(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }') s; sockets $("$BENCHDIR/nldump" --total) (nldump)"
measure single check "$TWADVISE --state-dir $tmp/state-single check" || rc=1
echo "single: sockets after $("$BENCHDIR/nldump" --total)"
stop_all

single_ms=$(col single 3) single_rss=$(col single 9)
for phase in shared private; do
	if [ ! -s "$tmp/$phase" ] || [ -z "$single_ms" ]; then continue; fi
	awk -v p="$phase" -v a="$(col "$phase" 3)" -v b="$single_ms" -v ra="$(col "$phase" 9)" \
	    -v rb="$single_rss" -v ns="$NS" 'BEGIN {
		r = a / b; d = ra - rb
		printf "%-8s check --all-netns (%d ns) %.1f ms / check (1 ns) %.1f ms = %.2fx  <=2.00x  %s\n",
			p, ns, a, b, r, r <= 2 ? "PASS" : "MISS"
		printf "%-8s peak RSS %.1f MiB, single %.1f MiB: %+.1f MiB  <=+2.0 MiB  %s\n",
			p, ra, rb, d, d <= 2 ? "PASS" : "MISS"
	}'
done
exit "$rc"
