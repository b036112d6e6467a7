/* SPDX-License-Identifier: MIT */
/* trace.bpf.c - the in-kernel half of `twadvise trace`: per netns x process x
 * destination, connections opened, who closed first, lifetimes, CLOSE_WAIT
 * dwell and connect() failures by errno. Built with clang -target bpf
 * against the build's vmlinux.h (CO-RE); loaded by trace_load.c.
 *
 * Attach points, both BTF-typed raw tracepoints (no tracefs, no kprobes,
 * no fentry/fexit: this kernel (lockdown=integrity) refuses them, EPERM):
 *   tp_btf/inet_sock_set_state   every TCP state change (a stable tracepoint)
 *   tp_btf/sys_exit              connect()'s errno as the caller sees it, and
 *                                the process that accept()ed a server socket
 * State changes often run in softirq, where "current" is whoever was
 * interrupted: a socket's owner is recorded only in process context
 * (connect, accept, close) and kept in `socks`, keyed by the sock pointer. */
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
#define EINPROGRESS 115
#define EALREADY 114
#define EISCONN 106
#define EINTR 4
#define S_IFMT 0170000
#define S_IFSOCK 0140000
#define SOCK_STREAM 1

char LICENSE[] SEC("license") = "Dual MIT/GPL";

/* Set by the loader before load: the namespace traced (0: all), and this
 * architecture's syscall numbers. */
const volatile __u32 target_netns = 0;
const volatile long connect_nr = -1, accept_nr = -1, accept4_nr = -1;

#if defined(__TARGET_ARCH_x86)
#define SYSCALL_NR(regs) BPF_CORE_READ(regs, orig_ax)
#elif defined(__TARGET_ARCH_arm64)
#define SYSCALL_NR(regs) BPF_CORE_READ((struct user_pt_regs *)(regs), syscallno)
#endif

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
	return BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum);
}

static bool wanted(const struct sock *sk)
{
	return !target_netns || sk_netns(sk) == target_netns;
}

/* The destination of a row: the peer for a client, the local end for a server. */
static void key_addr(struct twa_tr_key *k, const struct sock *sk, __u8 role)
{
	k->family = BPF_CORE_READ(sk, __sk_common.skc_family);
	k->role = role;
	k->netns = sk_netns(sk);
	if (role == TWA_TR_ROLE_CLIENT)
		k->port = __builtin_bswap16(BPF_CORE_READ(sk, __sk_common.skc_dport));
	else
		k->port = BPF_CORE_READ(sk, __sk_common.skc_num);
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

static __u32 log2_slot(__u64 v)
{
	__u32 r = 0;

	while (v > 1 && r < TWA_TR_HIST_SLOTS - 1) {
		v >>= 1;
		r++;
	}
	return r;
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

	if (!t->established_ns)
		goto out;
	if (!t->key.tgid)
		count(TWA_TR_CTR_UNOWNED);
	s = row(&t->key);
	if (!s)
		goto out;
	__sync_fetch_and_add(&s->closed, 1);
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
		__sync_fetch_and_add(&s->lifetime_hist[log2_slot(life / 1000) & (TWA_TR_HIST_SLOTS - 1)], 1);
	}
out:
	bpf_map_delete_elem(&socks, &skp);
}

static void established(__u64 skp, const struct sock *sk, int old, __u64 now)
{
	struct twa_tr_sock *t = bpf_map_lookup_elem(&socks, &skp);
	struct twa_tr_stats *s;

	if (!t && old == TCP_SYN_RECV)
		t = track(skp, sk, TWA_TR_ROLE_SERVER, false);
	if (!t)
		return;
	t->established_ns = now;
	if (!t->key.tgid)
		return;		/* a server socket: counted when accepted */
	s = row(&t->key);
	if (s)
		__sync_fetch_and_add(&s->opened, 1);
}

/* Process-context closes of a socket that was open before tracing began:
 * adopt it so that who closed first is still counted. */
static struct twa_tr_sock *adopt(__u64 skp, const struct sock *sk)
{
	struct twa_tr_sock *t = bpf_map_lookup_elem(&socks, &skp);
	__u8 role = TWA_TR_ROLE_ADOPTED;

	if (t)
		return t;
	if (BPF_CORE_READ(sk, __sk_common.skc_num) == 0)
		return 0;
	t = track(skp, sk, role, true);
	if (t)
		t->established_ns = 1;
	return t;
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(twa_set_state, struct sock *sk, int old, int new)
{
	__u64 skp = (__u64)sk, now;
	struct twa_tr_sock *t;

	if (BPF_CORE_READ(sk, sk_protocol) != IPPROTO_TCP || !wanted(sk))
		return 0;
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
		if (old == TCP_CLOSE_WAIT && t->cw_start_ns && !t->cw_done) {
			t->cw_dwell_ns = now - t->cw_start_ns;
			t->cw_done = 1;
		}
		return 0;
	}
	if (old == TCP_SYN_SENT) {	/* refused or timed out (or no port: no sk_err) */
		struct twa_tr_stats *s;

		if (BPF_CORE_READ(sk, sk_err) && t->key.tgid && (s = row(&t->key)))
			__sync_fetch_and_add(&s->handshake_failed, 1);
		bpf_map_delete_elem(&socks, &skp);
		return 0;
	}
	finish(skp, t, now);
	return 0;
}

/* The socket behind a file descriptor of the current task, or NULL. */
static struct sock *fd_sock(long fd)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds, *f = 0;
	struct socket *so;

	if (fd < 0 || fd >= BPF_CORE_READ(fdt, max_fds))
		return 0;
	fds = BPF_CORE_READ(fdt, fd);
	bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]);
	if (!f || (BPF_CORE_READ(f, f_inode, i_mode) & S_IFMT) != S_IFSOCK)
		return 0;
	so = BPF_CORE_READ(f, private_data);
	if (!so || BPF_CORE_READ(so, type) != SOCK_STREAM)
		return 0;
	return BPF_CORE_READ(so, sk);
}

/* connect() failed: count its errno toward the address it was given. */
static void connect_failed(struct sock *sk, const void *uaddr, long ret)
{
	struct twa_tr_key k = {};
	union {
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
	} a = {};

	if (ret == -EINPROGRESS || ret == -EALREADY || ret == -EISCONN || ret == -EINTR)
		return;
	if (bpf_probe_read_user(&a, sizeof(a), uaddr))
		return;
	k.netns = sk_netns(sk);
	key_owner(&k);
	k.family = a.in.sin_family;
	if (k.family == AF_INET) {
		k.port = __builtin_bswap16(a.in.sin_port);
		__builtin_memcpy(k.addr, &a.in.sin_addr, 4);
	} else if (k.family == AF_INET6) {
		k.port = __builtin_bswap16(a.in6.sin6_port);
		__builtin_memcpy(k.addr, &a.in6.sin6_addr, 16);
	} else {
		return;
	}
	count_err(&k, -ret);
}

/* accept() returned a server socket: now it has an owner, and is counted. */
static void accepted(struct sock *sk)
{
	__u64 skp = (__u64)sk;
	struct twa_tr_stats *s;
	struct twa_tr_sock *t;

	t = bpf_map_lookup_elem(&socks, &skp);
	if (!t || t->key.tgid)
		return;
	key_owner(&t->key);
	if (!t->established_ns)
		return;
	s = row(&t->key);
	if (s)
		__sync_fetch_and_add(&s->opened, 1);
}

/*
 * connect() and accept() as the process sees them, at syscall exit (a
 * BTF-typed raw tracepoint): the errno connect() returned, and the task
 * that accepted a socket. Every syscall passes here; all but three leave
 * at the first comparison.
 */
SEC("tp_btf/sys_exit")
int BPF_PROG(twa_sys_exit, struct pt_regs *regs, long ret)
{
	long nr = SYSCALL_NR(regs);
	struct sock *sk;

	if (nr == connect_nr) {
		if (ret >= 0)
			return 0;
		sk = fd_sock(PT_REGS_PARM1_CORE_SYSCALL(regs));
		if (sk && BPF_CORE_READ(sk, sk_protocol) == IPPROTO_TCP && wanted(sk))
			connect_failed(sk, (const void *)PT_REGS_PARM2_CORE_SYSCALL(regs), ret);
	} else if ((nr == accept_nr || nr == accept4_nr) && ret >= 0) {
		sk = fd_sock(ret);
		if (sk)
			accepted(sk);
	}
	return 0;
}
