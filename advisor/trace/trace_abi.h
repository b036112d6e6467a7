/* SPDX-License-Identifier: MIT */
/* trace_abi.h - the records the BPF program (trace.bpf.c) shares with userspace.
 *
 * Included by the BPF object (types from vmlinux.h) and by userspace (types
 * from <linux/types.h>): fixed-size fields only, explicit padding. */
#ifndef TWA_TRACE_ABI_H
#define TWA_TRACE_ABI_H

#define TWA_TR_COMM_LEN 16
#define TWA_TR_HIST_SLOTS 32	/* log2 of the lifetime in microseconds */

/* Map sizes: what does not fit is counted in TWA_TR_CTR_*_OVERFLOW. */
#define TWA_TR_MAX_SOCKS 65536	/* sockets in flight (owner, times) */
#define TWA_TR_MAX_STATS 4096	/* netns x process x destination rows */

/* Who a row's sockets belong to. */
enum {
	TWA_TR_ROLE_CLIENT = 0,		/* connect()ed: destination = the peer */
	TWA_TR_ROLE_SERVER = 1,		/* accepted: destination = the local end */
	TWA_TR_ROLE_ADOPTED = 2,	/* open before tracing, seen closing: the peer */
};

/* connect() errors counted by name; the rest in TWA_TR_ERR_OTHER. */
enum {
	TWA_TR_ERR_EADDRNOTAVAIL,
	TWA_TR_ERR_ECONNREFUSED,
	TWA_TR_ERR_ETIMEDOUT,
	TWA_TR_ERR_ENETUNREACH,
	TWA_TR_ERR_EHOSTUNREACH,
	TWA_TR_ERR_OTHER,
	TWA_TR_ERR_MAX,
};

/* Global counters (an array map). */
enum {
	TWA_TR_CTR_SOCKS_OVERFLOW,	/* a socket could not be tracked: socks map full */
	TWA_TR_CTR_STATS_OVERFLOW,	/* a close or failure had no row: stats map full */
	TWA_TR_CTR_UNOWNED,		/* closed before any process owned it (never accepted) */
	TWA_TR_CTR_MAX,
};

/*
 * One row: netns x process x destination. A client's destination is the
 * remote address:port it connected to; a server's is its own local
 * address:port (the listener's), so that peers' ports do not split rows.
 */
struct twa_tr_key {
	__u32 netns;		/* inode number of the network namespace */
	__u32 tgid;		/* 0: not (yet) owned by a process */
	__u64 cgroup;		/* cgroup v2 id */
	char comm[TWA_TR_COMM_LEN];
	__u8 addr[16];		/* IPv4 in the first 4 bytes */
	__u16 port;		/* host order */
	__u16 family;		/* AF_INET or AF_INET6 */
	__u8 role;
	__u8 pad[3];
};

struct twa_tr_stats {
	__u64 opened;		/* reached ESTABLISHED while tracing, and closed since;
				 * userspace adds the ones still open */
	__u64 closed;		/* ended (CLOSE) after ESTABLISHED */
	__u64 active_close;	/* sent the first FIN: ends in TIME_WAIT */
	__u64 passive_close;	/* received the first FIN: went through CLOSE_WAIT */
	__u64 aborted;		/* ESTABLISHED -> CLOSE without a FIN (reset) */
	__u64 close_wait;	/* CLOSE_WAIT periods that ended */
	__u64 close_wait_ns;	/* their total dwell */
	__u64 close_wait_max_ns;
	__u64 lifetime_ns;	/* total ESTABLISHED -> CLOSE of the closed ones */
	__u64 lifetime_hist[TWA_TR_HIST_SLOTS];
	__u64 connect_err[TWA_TR_ERR_MAX];	/* connect() attempts that failed, by errno */
};

/* A socket in flight, keyed by its struct sock pointer. */
struct twa_tr_sock {
	struct twa_tr_key key;
	__u64 established_ns;	/* 0: not established (or before tracing) */
	__u64 cw_start_ns;	/* CLOSE_WAIT entered; 0: never */
	__u64 cw_dwell_ns;	/* time in CLOSE_WAIT, once cw_done */
	__u8 closed_first;	/* 0 unknown, 1 active, 2 passive */
	__u8 cw_done;		/* the owner closed it (CLOSE_WAIT -> LAST_ACK) */
	__u8 pad[6];
};

#endif
