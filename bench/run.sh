#!/bin/bash
# SPDX-License-Identifier: MIT
# run.sh - `make bench`: twadvise inspect against a bare netlink dump, ss and
# netstat, on 200,000 TCP sockets in a private network namespace.
#
#   TWADVISE=build/twadvise BENCHDIR=build/bench HELPERS=build/tests/helpers bench/run.sh
#
# Two sessions, each in its own namespace (unshare -n; the host's sockets
# and sysctls are never touched): a small one (BENCH_SMALL sockets) to show
# that inspect's memory does not grow with the socket count, then the real
# one (BENCH_SOCKETS). Each fills the namespace with client-side TIME_WAIT
# sockets over BENCH_PORTS destination ports (plus 1,000 established pairs),
# then runs every command alternately (bench/bench.c) and prints medians and
# PASS/MISS per target. A miss is printed, not an exit status: this is a
# measurement, not a test.
#
# TIME_WAIT lasts 60 s. Nothing creates sockets while measuring, so the count
# can only fall; the bench counts before and after, and sizes its time budget
# so the oldest socket is still < 60 s old when the last round ends.
#
# Environment: BENCH_SOCKETS (200000), BENCH_SMALL (20000, 0 skips),
# BENCH_ROUNDS (21), BENCH_PORTS (16), BENCH_BUDGET (35 s at most);
# BENCH_NETNS (200, 0 skips) and the rest of bench/netns.sh's.
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${TWADVISE:?set TWADVISE to the twadvise binary}"
: "${BENCHDIR:?set BENCHDIR to the built bench programs}"
: "${HELPERS:?set HELPERS to the helper binaries directory}"
TWADVISE_ORIG=$TWADVISE
SOCKETS=${BENCH_SOCKETS:-200000}
SMALL=${BENCH_SMALL:-20000}
ROUNDS=${BENCH_ROUNDS:-21}
PORTS=${BENCH_PORTS:-16}
BUDGET=${BENCH_BUDGET:-35}
ESTABLISHED=1000
# Destination ports below 1024: outside the ephemeral range, so a listener
# can never collide with a TIME_WAIT socket's local port.
PORT_BASE=700

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# ---------------------------------------------------------------- inside
# One session: runs as the namespace's first process (unshare -n).
inside() {
	local n=$1 rounds=$2 label=$3 result=$4
	local tmp pids=() bench_pid='' i p ncpu nproc_fill

	tmp=$(mktemp -d /tmp/twadvise-bench.XXXXXX) || exit 1
	# shellcheck disable=SC2317 # called by the EXIT trap
	cleanup() {
		local q
		[ -n "$bench_pid" ] && kill -TERM "$bench_pid" 2>/dev/null
		for q in "${pids[@]}"; do kill -TERM "$q" 2>/dev/null; done
		wait 2>/dev/null
		rm -rf "$tmp"
	}
	trap cleanup EXIT
	trap 'echo "bench: interrupted" >&2; exit 130' INT
	trap 'echo "bench: terminated" >&2; exit 143' TERM HUP

	# Never on the host: refuse unless this is a namespace of our own.
	if [ "$(readlink /proc/self/ns/net)" = "$(readlink /proc/1/ns/net)" ]; then
		echo "bench: not in a private network namespace; refusing" >&2
		exit 1
	fi
	ip link set lo up || exit 1
	# A new namespace starts from kernel defaults; these are its own.
	sysctl -qw net.ipv4.tcp_tw_reuse=0 \
		net.ipv4.ip_local_port_range="1024 65535" \
		net.ipv4.tcp_max_tw_buckets=1000000 || exit 1

	# Fill: one generator per CPU (at most 4), the ports dealt out among
	# them. connect() takes even local ports first and scans all of them
	# before trying odd ones, so more than ~32,000 sockets toward one
	# destination make every further connect() a scan of the whole range:
	# BENCH_PORTS keeps each destination well below that.
	ncpu=$(nproc)
	nproc_fill=$((ncpu < 4 ? ncpu : 4))
	[ "$nproc_fill" -gt "$PORTS" ] && nproc_fill=$PORTS
	local t0 t1 fill
	t0=$(now)
	for ((i = 0; i < nproc_fill; i++)); do
		local ports='' share extra=()
		for ((p = i; p < PORTS; p += nproc_fill)); do
			ports+=${ports:+,}$((PORT_BASE + p))
		done
		share=$(((n - ESTABLISHED) / nproc_fill))
		[ "$i" -eq 0 ] && share=$((n - ESTABLISHED - share * (nproc_fill - 1))) &&
			extra=(--established "$ESTABLISHED:$((PORT_BASE + PORTS))")
		"$HELPERS/sockgen" --tw "$share:$ports" "${extra[@]}" \
			--ready-file "$tmp/ready.$i" --hold 300 &
		pids+=($!)
	done
	# Bounded: 6,000 polls of 20 ms, two minutes.
	for ((i = 0; i < 6000; i++)); do
		local ready=0
		for ((p = 0; p < nproc_fill; p++)); do
			[ -f "$tmp/ready.$p" ] && ready=$((ready + 1))
		done
		[ "$ready" -eq "$nproc_fill" ] && break
		for p in "${pids[@]}"; do
			kill -0 "$p" 2>/dev/null || { echo "bench: sockgen exited early" >&2; exit 1; }
		done
		sleep 0.02
	done
	[ "$i" -lt 6000 ] || { echo "bench: sockgen not ready after 120 s" >&2; exit 1; }
	t1=$(now)
	fill=$(secs "$t0" "$t1")

	local before after tw_before
	before=$("$BENCHDIR/nldump" --total) || exit 1
	tw_before=$(awk '/^TCP:/ { print $7 }' /proc/net/sockstat)
	echo "== $label: $n sockets"
	echo "kernel $(uname -r), $ncpu CPUs, $(awk '/^model name/ { sub(/.*: /, ""); print; exit }' /proc/cpuinfo)"
	echo "netns $(readlink /proc/self/ns/net): tcp_tw_reuse=0, ip_local_port_range=1024-65535, tcp_max_tw_buckets=1000000"
	echo "fill: $fill s for $n sockets ($nproc_fill generators, $PORTS destination ports, $ESTABLISHED established pairs)"
	echo "sockets before: $before (nldump), sockstat tw $tw_before; load average $(cut -d' ' -f1-3 /proc/loadavg)"
	[ "$before" -ge "$n" ] || echo "WARNING: only $before of $n sockets: the numbers are for fewer"

	# Budget: the oldest socket was made at t0 and lives 60 s; leave 15 s
	# for the warm-up round and the count after.
	local left budget
	left=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%d", 60 - (b - a) - 15 }')
	budget=$((left < BUDGET ? left : BUDGET))
	if [ "$budget" -lt 5 ]; then
		echo "WARNING: the fill took $fill s: no time left to measure within TIME_WAIT's 60 s; measuring 5 s anyway"
		budget=5
	fi
	local targets=()
	if [ "$n" -ge 100000 ]; then
		targets=(--target 'time:inspect/nldump<=1.25'
			 --target 'time:inspect-json/nldump<=1.25'
			 --target 'time:ss+awk/inspect>=3'
			 --target 'time:netstat+awk/inspect>=4'
			 --target 'time:ss+awk/inspect-json>=3'
			 --target 'time:netstat+awk/inspect-json>=4')
	fi
	targets+=(--target 'rss:inspect<=12M' --target 'rss:inspect-json<=12M')
	"$BENCHDIR/bench" --rounds "$rounds" --warmup 1 --budget "$budget" "${targets[@]}" \
		"inspect=$TWADVISE inspect" \
		"inspect-json=$TWADVISE inspect --format json" \
		"nldump=$BENCHDIR/nldump" \
		"ss+awk=ss -tan | awk '{++S[\$1]} END {for (s in S) print s, S[s]}'" \
		"netstat+awk=netstat -n | awk '/^tcp/ {++S[\$NF]} END {for (s in S) print s, S[s]}'" \
		>"$tmp/bench.out" &
	bench_pid=$!
	wait "$bench_pid"
	local rc=$?
	bench_pid=
	[ "$rc" -ge 128 ] && exit "$rc"	# interrupted: nothing to report
	cat "$tmp/bench.out"
	# inspect's largest peak RSS, for the summary across sessions.
	awk '$1 == "inspect" && $2 == "exec" { print $9 }' "$tmp/bench.out" >"$result"
	after=$("$BENCHDIR/nldump" --total) || exit 1
	local age
	age=$(secs "$t0" "$(now)")
	echo "sockets after: $after (oldest socket $age s old; TIME_WAIT lasts 60 s)"
	if [ "$after" -lt "$n" ]; then
		echo "WARNING: sockets expired while measuring ($before -> $after): later rounds saw fewer than $n"
	elif [ "$rc" -eq 0 ]; then
		echo "every run saw >= $n sockets (nothing is created while measuring: the count only falls)"
	fi
	exit "$rc"
}

if [ "${1:-}" = --inside ]; then
	inside "$2" "$3" "$4" "$5"
fi

# ---------------------------------------------------------------- outside
if ! unshare -n true 2>/dev/null; then
	echo "bench: cannot create a network namespace (unshare -n): run as root" >&2
	exit 1
fi
host_sysctls() {
	sysctl -n net.ipv4.tcp_tw_reuse net.ipv4.ip_local_port_range \
		net.ipv4.tcp_max_tw_buckets 2>/dev/null | tr '\n' ' '
}
host_before=$(host_sysctls)
child=
# A job of a non-interactive shell ignores SIGINT, so forward it as SIGTERM:
# the session's trap then stops its generators and the bench.
trap '[ -n "$child" ] && kill -TERM "$child" 2>/dev/null; wait; rm -rf "${res:-}"; exit 130' INT
trap '[ -n "$child" ] && kill -TERM "$child" 2>/dev/null; wait; rm -rf "${res:-}"; exit 143' TERM HUP

session() {
	unshare -n bash "$here/run.sh" --inside "$@" &
	child=$!
	wait "$child"
	local rc=$?
	child=
	return "$rc"
}

res=$(mktemp -d /tmp/twadvise-bench-res.XXXXXX) || exit 1
# Run copies: a rebuild in the tree while the bench runs (make in another
# shell) must not swap or break the binaries between rounds.
mkdir "$res/bin" &&
	cp "$TWADVISE" "$res/bin/twadvise" &&
	cp "$BENCHDIR/bench" "$BENCHDIR/nldump" "$HELPERS/sockgen" "$res/bin/" || exit 1
TWADVISE=$res/bin/twadvise BENCHDIR=$res/bin HELPERS=$res/bin
echo "binaries: copies of $TWADVISE_ORIG ($(stat -c %y "$TWADVISE_ORIG" | cut -d. -f1)), bench, nldump, sockgen in $res/bin"
echo
rc=0
if [ "$SMALL" -gt 0 ]; then
	session "$SMALL" 7 "memory check" "$res/small" || rc=1
	echo
fi
session "$SOCKETS" "$ROUNDS" "benchmark" "$res/big" || rc=1
if [ -s "$res/small" ] && [ -s "$res/big" ]; then
	rss_small=$(cat "$res/small") rss_big=$(cat "$res/big")
	echo
	echo "inspect peak RSS: $rss_small MiB at $SMALL sockets, $rss_big MiB at $SOCKETS sockets" \
	     "($(awk -v a="$rss_small" -v b="$rss_big" 'BEGIN { printf "%+.1f", b - a }') MiB)"
fi
# Last: --all-netns across BENCH_NETNS namespaces against one namespace
# (bench/netns.sh, in a pid, mount and network namespace of its own).
if [ "${BENCH_NETNS:-200}" -gt 0 ]; then
	echo
	bash "$here/netns.sh" &
	child=$!
	wait "$child" || rc=1
	child=
fi
rm -rf "$res"
if [ "$(host_sysctls)" != "$host_before" ]; then
	echo "bench: the host's sysctls changed: $host_before -> $(host_sysctls)" >&2
	rc=1
fi
exit "$rc"
