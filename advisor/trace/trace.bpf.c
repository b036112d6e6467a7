/* SPDX-License-Identifier: MIT */
/* trace.bpf.c - the in-kernel half of `twadvise trace`: per netns x process x
 * destination, connections opened, who closed first, lifetimes, CLOSE_WAIT
 * dwell and connect() failures by errno. Built with clang -target bpf
 * against the build's vmlinux.h (CO-RE); loaded by trace_load.c.
 *
 * One attach point: the sock:inet_sock_set_state tracepoint as a BTF-typed
 * raw tracepoint (tp_btf: no tracefs, no kprobes; fentry/fexit, which this
 * kernel refuses under lockdown=integrity, are not needed). Every TCP
 * state change passes here, and connect()'s failures show in them:
 *   CLOSE -> SYN_SENT        inside connect(): the owner and destination
 *   SYN_SENT -> CLOSE        no local port and no socket error: connect()
 *                            found no free port (EADDRNOTAVAIL, the one path
 *                            of tcp_v4/v6_connect that leaves it so); with
 *                            sk_err: refused, timed out, unreachable
 * State changes often run in softirq, where "current" is whoever was
 * interrupted: a socket's owner is recorded only in process context
 * (connect, and close or shutdown for a server's accepted sockets)
 * and kept in `socks`, keyed by the sock pointer. */
#include "vmlinux.h"

#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "advisor/trace/trace_abi.h"

#define AF_INET 2
#define AF_INET6 10
#define EADDRNOTAVAIL 99
#define ECONNREFUSED 111
#define ETIMEDOUT 110
#define ENETUNREACH 101
#define EHOSTUNREACH 113

char LICENSE[] SEC("license") = "Dual MIT/GPL";

/* Set by the loader before load: the namespace traced (0: all). */
const volatile __u32 target_netns = 0;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, TWA_TR_MAX_SOCKS);
	__type(key, __u64);
	__type(value, struct twa_tr_sock);
} socks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, TWA_TR_MAX_STATS);
	__type(key, struct twa_tr_key);
	__type(value, struct twa_tr_stats);
} stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, TWA_TR_CTR_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

/* Zeroed values to insert from (too big for the BPF stack). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct twa_tr_stats);
} zero SEC(".maps");

static void count(__u32 which)
{
	__u64 *v = bpf_map_lookup_elem(&counters, &which);

	if (v)
		__sync_fetch_and_add(v, 1);
}

static __u32 sk_netns(const struct sock *sk)
{
	return sk->__sk_common.skc_net.net->ns.inum;
}

static bool wanted(const struct sock *sk)
{
	return !target_netns || sk_netns(sk) == target_netns;
}

/* The destination of a row: the peer for a client, the local end for a server. */
static void key_addr(struct twa_tr_key *k, const struct sock *sk, __u8 role)
{
	k->family = sk->__sk_common.skc_family;
	k->role = role;
	k->netns = sk_netns(sk);
	if (role == TWA_TR_ROLE_CLIENT)
		k->port = __builtin_bswap16(sk->__sk_common.skc_dport);
	else
		k->port = sk->__sk_common.skc_num;
	if (k->family == AF_INET6) {
		if (role == TWA_TR_ROLE_CLIENT)
			BPF_CORE_READ_INTO(&k->addr, sk, __sk_common.skc_v6_daddr.in6_u.u6_addr8);
		else
			BPF_CORE_READ_INTO(&k->addr, sk, __sk_common.skc_v6_rcv_saddr.in6_u.u6_addr8);
	} else if (role == TWA_TR_ROLE_CLIENT) {
		BPF_CORE_READ_INTO((__u32 *)k->addr, sk, __sk_common.skc_daddr);
	} else {
		BPF_CORE_READ_INTO((__u32 *)k->addr, sk, __sk_common.skc_rcv_saddr);
	}
}

/* Process context only: the task that is calling into the socket. */
static void key_owner(struct twa_tr_key *k)
{
	k->tgid = bpf_get_current_pid_tgid() >> 32;
	k->cgroup = bpf_get_current_cgroup_id();
	bpf_get_current_comm(k->comm, sizeof(k->comm));
}

static struct twa_tr_stats *row(const struct twa_tr_key *k)
{
	struct twa_tr_stats *s = bpf_map_lookup_elem(&stats, k);
	__u32 z = 0;
	void *init;

	if (s)
		return s;
	init = bpf_map_lookup_elem(&zero, &z);
	if (!init)
		return 0;
	bpf_map_update_elem(&stats, k, init, BPF_NOEXIST);
	s = bpf_map_lookup_elem(&stats, k);
	if (!s)
		count(TWA_TR_CTR_STATS_OVERFLOW);
	return s;
}

/* floor(log2(v)), 0 for 0 and 1: five steps, no loop. */
static __u32 log2_slot(__u64 v)
{
	__u32 r = 0, shift;

	if (v >> 32) {
		v >>= 32;
		r += 32;
	}
	shift = (v > 0xFFFF) << 4; v >>= shift; r |= shift;
	shift = (v > 0xFF) << 3; v >>= shift; r |= shift;
	shift = (v > 0xF) << 2; v >>= shift; r |= shift;
	shift = (v > 0x3) << 1; v >>= shift; r |= shift;
	r |= (__u32)(v >> 1);
	return r < TWA_TR_HIST_SLOTS ? r : TWA_TR_HIST_SLOTS - 1;
}

static __u32 err_slot(int err)
{
	switch (err) {
	case EADDRNOTAVAIL: return TWA_TR_ERR_EADDRNOTAVAIL;
	case ECONNREFUSED: return TWA_TR_ERR_ECONNREFUSED;
	case ETIMEDOUT: return TWA_TR_ERR_ETIMEDOUT;
	case ENETUNREACH: return TWA_TR_ERR_ENETUNREACH;
	case EHOSTUNREACH: return TWA_TR_ERR_EHOSTUNREACH;
	default: return TWA_TR_ERR_OTHER;
	}
}

static void count_err(const struct twa_tr_key *k, int err)
{
	struct twa_tr_stats *s = row(k);
	__u32 slot = err_slot(err);

	if (s && slot < TWA_TR_ERR_MAX)
		__sync_fetch_and_add(&s->connect_err[slot], 1);
}

static struct twa_tr_sock *track(__u64 skp, const struct sock *sk, __u8 role, bool owner)
{
	struct twa_tr_sock t = {};

	key_addr(&t.key, sk, role);
	if (owner)
		key_owner(&t.key);
	if (bpf_map_update_elem(&socks, &skp, &t, BPF_ANY)) {
		count(TWA_TR_CTR_SOCKS_OVERFLOW);
		return 0;
	}
	return bpf_map_lookup_elem(&socks, &skp);
}

/* The socket ended: fold it into its row. */
static void finish(__u64 skp, struct twa_tr_sock *t, __u64 now)
{
	struct twa_tr_stats *s;
	__u64 life;
	__u32 slot;

	if (!t->established_ns)
		goto out;
	if (!t->key.tgid)
		count(TWA_TR_CTR_UNOWNED);
	s = row(&t->key);
	if (!s)
		goto out;
	__sync_fetch_and_add(&s->closed, 1);
	if (t->established_ns != 1)	/* 1: established before tracing began */
		__sync_fetch_and_add(&s->opened, 1);
	if (t->closed_first == 1)
		__sync_fetch_and_add(&s->active_close, 1);
	else if (t->closed_first == 2)
		__sync_fetch_and_add(&s->passive_close, 1);
	else
		__sync_fetch_and_add(&s->aborted, 1);
	if (t->cw_start_ns) {
		__u64 d = t->cw_done ? t->cw_dwell_ns : now - t->cw_start_ns;

		__sync_fetch_and_add(&s->close_wait, 1);
		__sync_fetch_and_add(&s->close_wait_ns, d);
		if (d > s->close_wait_max_ns)
			s->close_wait_max_ns = d;
	}
	if (t->established_ns != 1) {	/* 1: established before tracing began */
		life = now - t->established_ns;
		__sync_fetch_and_add(&s->lifetime_ns, life);
		slot = log2_slot(life / 1000);
		asm volatile("" : "+r"(slot));	/* keep the mask: the verifier needs it */
		__sync_fetch_and_add(&s->lifetime_hist[slot & (TWA_TR_HIST_SLOTS - 1)], 1);
	}
out:
	bpf_map_delete_elem(&socks, &skp);
}

/* Counted as opened when it ends (finish) or, still open, by userspace:
 * no row lookup here, on the hot path. */
static void established(__u64 skp, const struct sock *sk, int old, __u64 now)
{
	struct twa_tr_sock *t = bpf_map_lookup_elem(&socks, &skp);

	if (!t && old == TCP_SYN_RECV)
		t = track(skp, sk, TWA_TR_ROLE_SERVER, false);
	if (t)
		t->established_ns = now;
}

/* In close() or shutdown(): a server socket gets the process that closes it
 * as its owner (accept() is not traced). */
static void claim(struct twa_tr_sock *t)
{
	if (!t->key.tgid)
		key_owner(&t->key);
}

/* Process-context closes of a socket that was open before tracing began:
 * adopt it so that who closed first is still counted. */
static struct twa_tr_sock *adopt(__u64 skp, const struct sock *sk)
{
	struct twa_tr_sock *t = bpf_map_lookup_elem(&socks, &skp);
	__u8 role = TWA_TR_ROLE_ADOPTED;

	if (t) {
		claim(t);
		return t;
	}
	if (sk->__sk_common.skc_num == 0)
		return 0;
	t = track(skp, sk, role, true);
	if (t)
		t->established_ns = 1;
	return t;
}

/* A connect() that never reached ESTABLISHED: refused, timed out or
 * unreachable (sk_err, blocking or not), or no local port was free
 * (EADDRNOTAVAIL: still inside connect(), no port, no error). A close()
 * while connecting has a port and no error: not a failure. */
static void connect_failed(const struct twa_tr_sock *t, const struct sock *sk)
{
	int err = sk->sk_err;

	if (!t->key.tgid)
		return;
	if (err)
		count_err(&t->key, err);
	else if (sk->__sk_common.skc_num == 0)
		count_err(&t->key, EADDRNOTAVAIL);
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(twa_set_state, struct sock *sk, int old, int new)
{
	__u64 skp = (__u64)sk, now;
	struct twa_tr_sock *t;

	if (sk->sk_protocol != IPPROTO_TCP || new == TCP_FIN_WAIT2 || new == TCP_SYN_RECV ||
	    !wanted(sk))
		return 0;	/* (FIN_WAIT2, SYN_RECV: nothing to count) */
	now = bpf_ktime_get_ns();
	if (new == TCP_SYN_SENT) {
		track(skp, sk, TWA_TR_ROLE_CLIENT, true);	/* inside connect() */
		return 0;
	}
	if (new == TCP_ESTABLISHED) {
		established(skp, sk, old, now);
		return 0;
	}
	if (old == TCP_ESTABLISHED && (new == TCP_FIN_WAIT1 || new == TCP_CLOSE_WAIT)) {
		/* FIN_WAIT1 comes from close()/shutdown(): process context. */
		t = new == TCP_FIN_WAIT1 ? adopt(skp, sk) : bpf_map_lookup_elem(&socks, &skp);
		if (!t)
			return 0;
		t->closed_first = new == TCP_FIN_WAIT1 ? 1 : 2;
		if (new == TCP_CLOSE_WAIT)
			t->cw_start_ns = now;
		return 0;
	}
	if (new != TCP_CLOSE && new != TCP_LAST_ACK)
		return 0;
	t = bpf_map_lookup_elem(&socks, &skp);
	if (!t)
		return 0;
	if (new == TCP_LAST_ACK) {	/* the owner closed in CLOSE_WAIT: close() */
		claim(t);
		if (old == TCP_CLOSE_WAIT && t->cw_start_ns && !t->cw_done) {
			t->cw_dwell_ns = now - t->cw_start_ns;
			t->cw_done = 1;
		}
		return 0;
	}
	if (old == TCP_SYN_SENT) {
		connect_failed(t, sk);
		bpf_map_delete_elem(&socks, &skp);
		return 0;
	}
	finish(skp, t, now);
	return 0;
}
