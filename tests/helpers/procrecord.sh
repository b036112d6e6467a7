#!/bin/bash
# SPDX-License-Identifier: MIT
# procrecord.sh - record this network namespace's /proc as a --proc-root fixture tree.
#
#   procrecord.sh [-n HOSTNAME] [-d SYSCTL_DB_C] DIR
#
# Copies file CONTENTS (cat: /proc files report size 0, so cp would copy
# nothing) into DIR, laid out as twadvise reads them under --proc-root:
#
#   net/{tcp,tcp6,sockstat,netstat,snmp}
#   sys/net/...             every sysctl of advisor/facts/sysctl_db.c's table that exists
#   sys/kernel/{hostname,osrelease}   hostname replaced by -n HOSTNAME when given
#   self/ns/net             a symlink whose target is the same text ("net:[N]")
#   PID/comm, PID/fd/N      for every process holding a TCP socket of this
#                           namespace: its fds as symlinks with the same
#                           target text ("socket:[INODE]", "pipe:[N]",
#                           "/dev/null"); fds on other paths are left out
#                           so no host path ends up in a fixture
#
# Only this namespace's sockets select processes: a process is recorded
# when one of its fds is a socket whose inode appears in net/tcp or tcp6.
# Run it inside the namespace (unshare -n) right after filling it. It only
# reads /proc; it writes nothing but DIR (which must not exist yet).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
db=$here/../../advisor/facts/sysctl_db.c
hostname=
while getopts n:d: opt; do
	case $opt in
	n) hostname=$OPTARG ;;
	d) db=$OPTARG ;;
	*) echo "usage: procrecord.sh [-n HOSTNAME] [-d SYSCTL_DB_C] DIR" >&2; exit 64 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || { echo "usage: procrecord.sh [-n HOSTNAME] [-d SYSCTL_DB_C] DIR" >&2; exit 64; }
out=$1
[ ! -e "$out" ] || { echo "procrecord: $out exists; refusing to mix recordings" >&2; exit 73; }
[ -r "$db" ] || { echo "procrecord: cannot read $db" >&2; exit 66; }

mkdir -p "$out/net" "$out/sys/kernel" "$out/self/ns"

# The socket tables first: the process scan below depends on them.
for f in tcp tcp6 sockstat netstat snmp; do
	if [ -r "/proc/net/$f" ]; then
		cat "/proc/net/$f" >"$out/net/$f"
	fi
done

# Every key of the table: lines like `{ "net.ipv4.tcp_tw_reuse", TWA_SYSCTL_INT, ...`.
keys=$(sed -n 's/^[[:space:]]*{ "\(net\.[a-z0-9_.-]*\)".*/\1/p' "$db")
[ -n "$keys" ] || { echo "procrecord: no sysctl keys found in $db" >&2; exit 65; }
for key in $keys; do
	rel=sys/${key//.//}
	if [ -f "/proc/$rel" ] && [ -r "/proc/$rel" ]; then
		mkdir -p "$out/$(dirname "$rel")"
		cat "/proc/$rel" >"$out/$rel"
	fi
done

if [ -n "$hostname" ]; then
	printf '%s\n' "$hostname" >"$out/sys/kernel/hostname"
else
	cat /proc/sys/kernel/hostname >"$out/sys/kernel/hostname"
fi
cat /proc/sys/kernel/osrelease >"$out/sys/kernel/osrelease"
ln -s "$(readlink /proc/self/ns/net)" "$out/self/ns/net"

# Inodes of this namespace's TCP sockets (column 10; 0 = no owner).
inodes=$(awk 'FNR > 1 && $10 != 0 { print $10 }' "$out/net/tcp" \
	"$([ -f "$out/net/tcp6" ] && echo "$out/net/tcp6" || echo /dev/null)" | sort -u)

# PIDs with an fd on one of them. find prints "PATH TARGET" per socket fd;
# processes that exit meanwhile only cost a message on /dev/null.
pids=$(find /proc/[0-9]*/fd -maxdepth 1 -type l -lname 'socket:\[*\]' -printf '%p %l\n' 2>/dev/null |
	awk -v list="$inodes" '
		BEGIN { n = split(list, a, "\n"); for (i = 1; i <= n; i++) want["socket:[" a[i] "]"] = 1 }
		($2 in want) { split($1, p, "/"); print p[3] }' | sort -un)

for pid in $pids; do
	[ -d "/proc/$pid/fd" ] || continue
	mkdir -p "$out/$pid/fd"
	cat "/proc/$pid/comm" >"$out/$pid/comm" 2>/dev/null || true
	for fd in /proc/"$pid"/fd/*; do
		target=$(readlink "$fd" 2>/dev/null) || continue
		case $target in
		socket:\[*\] | pipe:\[*\] | anon_inode:* | /dev/null) ;;
		*) continue ;;
		esac
		ln -s "$target" "$out/$pid/fd/${fd##*/}"
	done
done
echo "procrecord: $out: $(($(wc -l <"$out/net/tcp") - 1)) tcp, $(($( [ -f "$out/net/tcp6" ] && wc -l <"$out/net/tcp6" || echo 1) - 1)) tcp6 sockets, processes: ${pids:-none}" | tr '\n' ' '
echo
