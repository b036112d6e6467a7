/* SPDX-License-Identifier: MIT */
/* sysctl_db.c - the table of known sysctls.
 *
 * Bounds follow Documentation/networking/ip-sysctl.rst and the proc
 * handlers in net/ipv4/sysctl_net_ipv4.c and net/core/sysctl_net_core.c. */
#include "advisor/facts/sysctl_db.h"

#include <stddef.h>
#include <string.h>

#define I32 2147483647

const struct twa_sysctl_def twa_sysctl_defs[] = {
	{ "net.ipv4.tcp_tw_reuse", TWA_SYSCTL_INT, 0, 2, true, false,
	  "tw-reuse-off",
	  "reuse TIME_WAIT sockets for new outgoing connections: 0 off, 1 on, 2 loopback only" },
	{ "net.ipv4.tcp_tw_reuse_delay", TWA_SYSCTL_INT, 1, 2000000, true, false,
	  NULL, "milliseconds a TIME_WAIT socket must age before tcp_tw_reuse may take it" },
	{ "net.ipv4.tcp_timestamps", TWA_SYSCTL_INT, 0, 2, true, false,
	  "tw-reuse-without-timestamps", "RFC 7323 timestamps: 0 off, 1 on, 2 on without random offsets" },
	{ "net.ipv4.tcp_fin_timeout", TWA_SYSCTL_INT, 1, I32, true, false,
	  "fin-timeout-misconception",
	  "seconds an orphaned socket stays in FIN_WAIT_2 (not TIME_WAIT)" },
	{ "net.ipv4.tcp_max_tw_buckets", TWA_SYSCTL_INT, 0, I32, true, false,
	  NULL, "TIME_WAIT sockets allowed at once in the namespace; beyond it a closing socket skips TIME_WAIT" },
	{ "net.ipv4.ip_local_port_range", TWA_SYSCTL_RANGE, 1, 65535, true, false,
	  "ephemeral-range-narrow", "the ephemeral ports connect() and bind(0) choose from" },
	{ "net.ipv4.ip_local_reserved_ports", TWA_SYSCTL_PORTLIST, 0, 65535, true, false,
	  NULL, "ports left out of automatic ephemeral selection" },
	{ "net.core.somaxconn", TWA_SYSCTL_INT, 1, I32, true, false,
	  "somaxconn-low", "upper limit of the listen() backlog (accept queue)" },
	{ "net.ipv4.tcp_max_syn_backlog", TWA_SYSCTL_INT, 1, I32, true, false,
	  "syn-backlog-low", "half-open connections a listener may hold" },
	{ "net.ipv4.tcp_syncookies", TWA_SYSCTL_INT, 0, 2, true, false,
	  NULL, "SYN cookies when the SYN queue overflows: 0 off, 1 on overflow, 2 always" },
	{ "net.ipv4.tcp_abort_on_overflow", TWA_SYSCTL_INT, 0, 1, true, false,
	  NULL, "reset new connections when the accept queue is full instead of dropping the ACK" },
	{ "net.ipv4.tcp_max_orphans", TWA_SYSCTL_INT, 0, I32, false, false,
	  NULL, "sockets no process holds, allowed host-wide before they are reset" },
	{ "net.ipv4.tcp_orphan_retries", TWA_SYSCTL_INT, 0, 255, true, false,
	  NULL, "retransmissions before an orphaned connection is killed (0 means 8)" },
	{ "net.ipv4.tcp_tw_recycle", TWA_SYSCTL_INT, 0, 1, true, false,
	  "tw-recycle-enabled", "removed in Linux 4.12; broke clients behind NAT" },
	{ "net.ipv4.tcp_keepalive_time", TWA_SYSCTL_INT, 1, I32, true, false,
	  NULL, "seconds idle before TCP keepalive probes start (for SO_KEEPALIVE sockets)" },
	{ "net.ipv4.tcp_keepalive_intvl", TWA_SYSCTL_INT, 1, I32, true, false,
	  NULL, "seconds between keepalive probes" },
	{ "net.ipv4.tcp_keepalive_probes", TWA_SYSCTL_INT, 1, 127, true, false,
	  NULL, "unanswered keepalive probes before the connection is dropped" },
	{ "net.ipv4.tcp_syn_retries", TWA_SYSCTL_INT, 1, 127, true, false,
	  NULL, "SYN retransmissions of an active open" },
	{ "net.ipv4.tcp_synack_retries", TWA_SYSCTL_INT, 1, 255, true, false,
	  NULL, "SYN-ACK retransmissions of a passive open" },
	{ "net.core.netdev_max_backlog", TWA_SYSCTL_INT, 1, I32, false, false,
	  NULL, "packets queued on the input side when the interface is faster than the kernel" },
	{ "net.netfilter.nf_conntrack_max", TWA_SYSCTL_INT, 1, I32, true, false,
	  "conntrack-near-full", "connection tracking table size" },
	{ "net.netfilter.nf_conntrack_count", TWA_SYSCTL_INT, 0, I32, true, true,
	  NULL, "connections tracked now" },
	{ NULL, 0, 0, 0, false, false, NULL, NULL },
};

const struct twa_sysctl_def *twa_sysctl_def_find(const char *key)
{
	const struct twa_sysctl_def *d;

	for (d = twa_sysctl_defs; d->key; d++)
		if (!strcmp(d->key, key))
			return d;
	return NULL;
}
