/* SPDX-License-Identifier: MIT */
/* facts.h - the facts model: everything the inspector learned about a host. */
#ifndef TWA_FACTS_H
#define TWA_FACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "advisor/facts/addr.h"
#include "advisor/facts/tcpstate.h"
#include "advisor/facts/sysctl_key.h"
#include "advisor/facts/tracefacts.h"

#define TWA_FACTS_SCHEMA "twadvise.facts/1"

enum { TWA_FAM_INET, TWA_FAM_INET6, TWA_FAM_MAX };

/* How many destinations and owners the facts keep (largest first). */
#define TWA_TOP_DESTINATIONS 20
#define TWA_TOP_OWNERS 20

/* A counter or summary value by name ("ListenOverflows", "inuse"). */
struct twa_named {
	char name[64];
	int64_t value;
};

struct twa_named_vec {
	struct twa_named *v;
	size_t n, alloc;
};

struct twa_rate {
	char name[64];
	double per_sec;
};

struct twa_rate_vec {
	struct twa_rate *v;
	size_t n, alloc;
};

struct twa_sysctl {
	char key[96];
	char *value;	/* as the kernel prints it, newline stripped */
	/* Nobody may write it here: /proc/sys mode without a write bit (a
	 * host-global key seen from a child network namespace). */
	bool readonly;
};

struct twa_host {
	char hostname[256];
	char kernel[128];
	char netns[64];		/* "net:[4026531840]" */
	char time[32];		/* RFC 3339, UTC */
	char boot_id[40];	/* /proc/sys/kernel/random/boot_id; "" unknown */
	char machine_id[40];	/* /etc/machine-id (32 hex digits); "" when absent */
};

struct twa_sockets {
	bool present;
	char source[16];		/* "netlink" or "proc" */
	char fallback[160];		/* why not netlink, when it fell back */
	uint64_t states[TWA_FAM_MAX][TWA_TCP_STATE_MAX];
	uint64_t fin_wait2_orphans;	/* FIN_WAIT2 with no owning socket */
	/* Of those, the ones whose peer (4-tuple reversed) is a CLOSE_WAIT
	 * socket of this namespace: a local client closed, the local server
	 * never did. A lower bound when the pair table was full. */
	uint64_t fin_wait2_orphans_local_peer;
	/* FIN_WAIT1 with no owning socket: closed locally, their FIN not
	 * acknowledged yet (tcp_orphan_retries governs them). */
	uint64_t fin_wait1_orphans;
	unsigned skipped;		/* TWA_TCPF() mask of states not dumped */
};

struct twa_portrange {
	unsigned lo, hi;
};

struct twa_process {
	int pid;		/* 0: unknown */
	char comm[32];
};

struct twa_owner {
	int pid;
	char comm[32];
	uint64_t count;
};

struct twa_destination {
	int family;
	char local[TWA_ADDRSTRLEN];
	char remote[TWA_ADDRSTRLEN];
	unsigned remote_port;
	uint64_t in_use;	/* local ports of the ephemeral range, any state */
	uint64_t time_wait;	/* of which in TIME_WAIT */
	double share;		/* in_use / usable */
	/* Of time_wait, those younger than tcp_tw_reuse_delay (their timer
	 * says so), which connect() cannot reuse yet. have_tw_recent is
	 * false in facts that predate it. */
	bool have_tw_recent;
	uint64_t tw_recent;
	/* Local or remote address is loopback: what tcp_tw_reuse=2 allows.
	 * have_loopback is false only while decoding facts that lack it. */
	bool have_loopback;
	bool loopback;
	/* Of in_use, the ports this destination holds through a bind bucket
	 * (bind() before connect(), or a listener's port): they are among
	 * ephemeral.bind_ports and ephemeral.listener_ports already.
	 * have_bind_held is false in facts that predate it. */
	bool have_bind_held;
	uint64_t bind_held;
	/* With --samples: TIME_WAIT entered per second, and that times 60 s. */
	bool have_rate;
	double close_rate;
	double projected_time_wait;
};

struct twa_ephemeral {
	bool present;
	unsigned low, high;
	struct twa_portrange *reserved;
	size_t n_reserved;
	unsigned usable;
	/* Per-destination usage. dumped is false when the dump was skipped
	 * because sockstat alone bounds every destination (bound). */
	bool dumped;
	uint64_t bound;
	struct twa_destination *dest;	/* the top ones, in_use descending */
	size_t n_dest;
	uint64_t dest_total;		/* distinct destinations seen */
	uint64_t time_wait;		/* TIME_WAIT on ephemeral local ports:
					 * connections this host opened and
					 * closed first */
	uint64_t untracked;		/* sockets not attributed: table full */
	/* Ports of the range whose bind bucket was made by bind(), which
	 * __inet_hash_connect() skips for every destination: ports taken by
	 * bind() before connect() (estimated from the dump, see sockagg.h),
	 * and ports of listeners. have_bind is false in older facts. */
	bool have_bind;
	uint64_t bind_ports;
	uint64_t listener_ports;
	bool bind_searched;		/* owners of bind_ports were looked for */
	struct twa_owner *bind_owners;	/* sockets count descending */
	size_t n_bind_owners;
};

struct twa_listener {
	int family;
	char local[TWA_ADDRSTRLEN];
	unsigned port;
	uint64_t queue;		/* accept queue now */
	int64_t backlog;	/* its limit; -1 when the source lacks it */
	/* Request sockets (SYN_RECV) on its port now: its SYN queue, which
	 * the kernel bounds by the same backlog (inet_csk_reqsk_queue_is_full). */
	uint64_t syn_recv;
	bool in_ephemeral_range;	/* and not reserved */
	uint32_t inode;
	struct twa_process process;
};

struct twa_owners {
	bool searched;		/* false: no CLOSE_WAIT, nothing to look for */
	struct twa_owner *v;	/* CLOSE_WAIT owners, count descending */
	size_t n;
	uint64_t unattributed;	/* CLOSE_WAIT sockets no readable process held */
	unsigned unreadable;	/* processes whose fds could not be read */
};

/* One sample of a --samples run, kept for rates over time. */
struct twa_sample {
	double t;		/* seconds since the first sample */
	uint64_t states[TWA_TCP_STATE_MAX];	/* both families */
};

struct twa_rates {
	bool present;
	unsigned samples;
	double interval;	/* requested seconds between samples */
	double elapsed;		/* first to last sample */
	struct twa_rate_vec counters;	/* per second */
	struct twa_rate_vec states;	/* change of the count per second */
	struct twa_sample *series;
	size_t n_series;
};

/*
 * "Since the last run": the counters' increase since the sample kept by
 * the previous check of this network namespace (advisor/facts/history.h).
 * UNSET: not looked at (no "history" member in recorded facts).
 */
enum twa_history_state {
	TWA_HISTORY_UNSET,
	TWA_HISTORY_NONE,	/* no earlier sample of this namespace */
	TWA_HISTORY_VALID,	/* deltas and interval hold */
	TWA_HISTORY_REBOOT,	/* the earlier sample is from another boot */
	TWA_HISTORY_RESET,	/* a counter went backwards (namespace recreated) */
	TWA_HISTORY_DISABLED,	/* --no-history */
};

struct twa_history_view {
	enum twa_history_state state;
	char previous_time[32];		/* RFC 3339, VALID only */
	double interval;		/* seconds since then, VALID only */
	struct twa_named_vec deltas;	/* counter increases, VALID only */
};

const char *twa_history_state_name(enum twa_history_state s);
/* -EINVAL for an unknown name (and for "unset"). */
int twa_history_state_from_name(const char *name, enum twa_history_state *ret);

/* Boot-time truth for the keys twadvise persists (sysctl.d scan). */
struct twa_boot_override {
	char key[96];
	char ours[TWA_SYSCTL_VALUE_SIZE];		/* value in our persisted file */
	char theirs[TWA_SYSCTL_VALUE_SIZE];	/* value that wins at boot */
	char file[512];		/* the file it comes from */
};

struct twa_boot {
	bool present;			/* our persisted file was found */
	char file[512];			/* that file */
	struct twa_boot_override *overrides;
	size_t n_overrides;
};

struct twa_facts {
	struct twa_host host;
	struct twa_sockets sockets;
	bool have_sockstat;
	struct twa_named_vec sockstat;	/* TCP: inuse orphan tw alloc mem */
	struct twa_named_vec counters;	/* TcpExt and Tcp, as the kernel names them */
	struct twa_sysctl *sysctls;
	size_t n_sysctls, alloc_sysctls;
	struct twa_ephemeral ephemeral;
	bool have_listeners;
	struct twa_listener *listeners;
	size_t n_listeners, alloc_listeners;
	struct twa_owners close_wait;
	struct twa_rates rates;
	struct twa_history_view history;
	struct twa_boot boot;
	struct twa_trace trace;		/* the eBPF tracer's evidence (--trace) */
	/* Where each group came from: "/proc/net/sockstat", "netlink", ... */
	struct {
		char sockstat[560], counters[560], sysctls[560], owners[560];
	} sources;
};

void twa_facts_init(struct twa_facts *f);
void twa_facts_release(struct twa_facts *f);

/* Named values: set (replace or append), look up. */
int twa_named_set(struct twa_named_vec *vec, const char *name, int64_t value);
const struct twa_named *twa_named_get(const struct twa_named_vec *vec,
				      const char *name);
void twa_named_release(struct twa_named_vec *vec);
int twa_rate_add(struct twa_rate_vec *vec, const char *name, double per_sec);
void twa_rate_release(struct twa_rate_vec *vec);

/* Sysctls: set (copying value), look up (NULL when absent). */
int twa_facts_set_sysctl(struct twa_facts *f, const char *key, const char *value);
const char *twa_facts_sysctl(const struct twa_facts *f, const char *key);
/* Parse a sysctl as a whole integer; -ENOENT when absent, -EINVAL when not
 * a single integer. */
/* Present and read-only in the namespace inspected. */
bool twa_facts_sysctl_readonly(const struct twa_facts *f, const char *key);
int twa_facts_sysctl_int(const struct twa_facts *f, const char *key,
			 int64_t *ret);

int twa_facts_add_listener(struct twa_facts *f, const struct twa_listener *l);

/* Convenience lookups for rules. */
uint64_t twa_facts_state(const struct twa_facts *f, unsigned state);
uint64_t twa_facts_total(const struct twa_facts *f);
/* A counter's value; false when the kernel lacks it. */
bool twa_facts_counter(const struct twa_facts *f, const char *name,
		       int64_t *ret);
bool twa_facts_sockstat(const struct twa_facts *f, const char *name,
			int64_t *ret);
/* tcp_tw_reuse_delay when the kernel lacks the sysctl (before 6.13 the
 * kernel waited about a second since the last timestamp). */
#define TWA_TW_REUSE_DELAY_DEFAULT_MS 1000
/* net.ipv4.tcp_tw_reuse_delay in ms, or the default when absent. */
uint32_t twa_facts_tw_reuse_delay_ms(const struct twa_facts *f);
/* True for the values of "counters" that are gauges or constants, not
 * cumulative counts (Tcp: CurrEstab, MaxConn, RtoAlgorithm, RtoMin, RtoMax):
 * they get no rate and are exported as gauges. */
bool twa_counter_is_gauge(const char *name);
/* Worst destination (largest in_use) or NULL. */
const struct twa_destination *twa_facts_worst_destination(const struct twa_facts *f);

/* A listener whose accept queue is at least this full is "near its limit". */
#define TWA_LISTENER_NEAR_LIMIT 0.5
bool twa_listener_near_limit(const struct twa_listener *l);
/* Near its limit, its SYN queue full, or on an unreserved ephemeral
 * port: worth naming. */
bool twa_listener_notable(const struct twa_listener *l);

/* True when port lies in [low, high] and outside the reserved ranges. */
bool twa_ephemeral_contains(const struct twa_ephemeral *e, unsigned port);

#endif
