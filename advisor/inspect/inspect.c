/* SPDX-License-Identifier: MIT */
/* inspect.c - the inspector: sysctls, counters, one streaming dump, owners. */
#include "advisor/inspect/inspect.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "advisor/inspect/host.h"
#include "advisor/inspect/netlink.h"
#include "advisor/inspect/owners.h"
#include "advisor/util/parse.h"
#include "advisor/inspect/procfs.h"
#include "advisor/facts/proctext.h"
#include "advisor/inspect/sockagg.h"
#include "advisor/facts/sysctl_db.h"
#include "advisor/inspect/sysctl_io.h"

#define DUMP_ATTEMPTS 3

/* One sysctl into the facts; absent, unreadable or a directory: left out. */
static int read_sysctl(const char *root, const char *key, struct twa_facts *f,
		       struct twa_err *err)
{
	char value[TWA_SYSCTL_VALUE_SIZE + 1];
	bool ro = false;
	int r = twa_sysctl_read_ro(root, key, value, sizeof(value), &ro, NULL);

	if (r < 0)
		return 0;	/* this kernel lacks it, or it cannot be read: absent */
	r = twa_facts_set_sysctl(f, key, value);
	if (r < 0)
		return twa_err_set(err, r, "out of memory");
	/* Keys this namespace cannot write (host-global ones in a child). */
	for (size_t i = 0; i < f->n_sysctls; i++)
		if (!strcmp(f->sysctls[i].key, key))
			f->sysctls[i].readonly = ro;
	return 0;
}

static int read_sysctls(const struct twa_inspect_opts *o, struct twa_facts *f,
			struct twa_err *err)
{
	const char *root = o->proc_root;
	const struct twa_sysctl_def *d;
	size_t i;
	int r;

	for (d = twa_sysctl_defs; d->key; d++)
		if ((r = read_sysctl(root, d->key, f, err)) < 0)
			return r;
	for (i = 0; i < o->n_extra_sysctls; i++)
		if ((r = read_sysctl(root, o->extra_sysctls[i], f, err)) < 0)
			return r;
	snprintf(f->sources.sysctls, sizeof(f->sources.sysctls), "%s/sys",
		 root ? root : "/proc");
	return 0;
}

static int read_ephemeral(struct twa_facts *f, struct twa_err *err)
{
	struct twa_ephemeral *e = &f->ephemeral;
	const char *range = twa_facts_sysctl(f, "net.ipv4.ip_local_port_range");
	const char *reserved = twa_facts_sysctl(f, "net.ipv4.ip_local_reserved_ports");
	int r;

	if (!range)
		return 0;
	r = twa_port_range_parse(range, &e->low, &e->high, err);
	if (r < 0) {
		twa_err_prefix(err, "net.ipv4.ip_local_port_range");
		return r;
	}
	if (reserved) {
		r = twa_reserved_ports_parse(reserved, &e->reserved, &e->n_reserved, err);
		if (r < 0) {
			twa_err_prefix(err, "net.ipv4.ip_local_reserved_ports");
			return r;
		}
	}
	e->usable = twa_usable_ports(e->low, e->high, e->reserved, e->n_reserved);
	e->present = true;
	return 0;
}

/* An absent file leaves its group absent; a malformed one is an error. */
static int read_counters(const char *root, struct twa_facts *f,
			 struct twa_err *err)
{
	static const struct {
		const char *rel, *section;
	} snmp[] = {
		{ "net/netstat", "TcpExt" },
		{ "net/snmp", "Tcp" },
	};
	struct strbuf sb = STRBUF_INIT;
	char path[512];
	size_t i;
	int r;

	r = twa_proc_read(root, "net/sockstat", &sb, err);
	if (r == 0) {
		twa_proc_path(root, "net/sockstat", path, sizeof(path));
		r = twa_sockstat_parse(sb.buf, sb.len, path, &f->sockstat, err);
		if (r < 0)
			goto out;
		f->have_sockstat = true;
		twa_strlcpy(f->sources.sockstat, path, sizeof(f->sources.sockstat));
	} else if (r != -ENOENT) {
		goto out;
	}
	/* IPv6 sockets in use are counted apart (TIME_WAIT, orphans are not). */
	r = twa_proc_read(root, "net/sockstat6", &sb, err);
	if (r == 0 && f->have_sockstat) {
		twa_proc_path(root, "net/sockstat6", path, sizeof(path));
		r = twa_sockstat6_parse(sb.buf, sb.len, path, &f->sockstat, err);
		if (r < 0)
			goto out;
	} else if (r < 0 && r != -ENOENT) {
		goto out;
	}
	for (i = 0; i < sizeof(snmp) / sizeof(snmp[0]); i++) {
		r = twa_proc_read(root, snmp[i].rel, &sb, err);
		if (r == -ENOENT)
			continue;
		if (r < 0)
			goto out;
		twa_proc_path(root, snmp[i].rel, path, sizeof(path));
		r = twa_snmp_parse(sb.buf, sb.len, snmp[i].section, path,
				   &f->counters, err);
		if (r < 0)
			goto out;
	}
	snprintf(f->sources.counters, sizeof(f->sources.counters),
		 "%s/net/{netstat,snmp}", root ? root : "/proc");
	r = 0;
out:
	strbuf_release(&sb);
	return r;
}

static int dump_proc_file(const char *root, const char *rel, int family,
			  struct twa_sockagg *agg, struct twa_err *err)
{
	struct twa_lines lr;
	const char *line;
	size_t len;
	int r;

	r = twa_lines_open(&lr, root, rel, err);
	if (r < 0)
		return r;
	while ((r = twa_lines_next(&lr, &line, &len, err)) > 0) {
		struct twa_sock s;

		r = twa_proctcp_parse_line(line, len, family, lr.path, lr.lineno,
					   &s, err);
		if (r < 0)
			break;
		if (r == 1) {
			if (lr.lineno != 1) {
				r = twa_err_set_at(err, -EBADMSG, lr.path, lr.lineno, 1,
						   "header line in the middle of the file");
				break;
			}
			continue;
		}
		r = twa_sockagg_add(&s, agg);
		if (r < 0)
			break;
	}
	twa_lines_close(&lr);
	return r;
}

static int dump_proc(const char *root, struct twa_sockagg *agg,
		     struct twa_err *err)
{
	int r = dump_proc_file(root, "net/tcp", TWA_AF_INET, agg, err);

	if (r < 0)
		return r == -ENOENT ? twa_err_recode(err, -EIO) : r;
	r = dump_proc_file(root, "net/tcp6", TWA_AF_INET6, agg, err);
	if (r == -ENOENT)	/* IPv6 disabled */
		r = 0;
	twa_strlcpy(agg->facts->sockets.source, "proc",
		    sizeof(agg->facts->sockets.source));
	return r;
}

/* One pass of dumps, one per entry of families; interrupted says whether
 * the kernel flagged any of them inconsistent. */
static int dump_pass(struct twa_nl *nl, const int *families, size_t n,
		     unsigned states, struct twa_sockagg *agg,
		     bool *interrupted, struct twa_err *err)
{
	size_t i;
	int r;

	*interrupted = false;
	for (i = 0; i < n; i++) {
		struct twa_diag_walk walk;

		r = twa_nl_dump(nl, families[i], states, twa_sockagg_add, agg,
				&walk, err);
		/* No IPv6 in this kernel: the family is simply empty. */
		if (r == -ENOENT && families[i] == TWA_AF_INET6)
			continue;
		if (r < 0)
			return r;
		*interrupted |= walk.interrupted;
	}
	return 0;
}

/* Both families through netlink, in one walk of the kernel's socket table
 * when it takes TWA_NL_ANY_FAMILY: one dump per family walks the whole
 * established hash once per family (on 200,000 IPv4 sockets the empty IPv6
 * walk alone costs 18 ms; bench/README.md). -EPROTONOSUPPORT-like failures
 * come back as -EIO so the caller can fall back to /proc. */
static int dump_netlink(unsigned states, struct twa_sockagg *agg,
			struct twa_err *err)
{
	static const int one_walk[] = { TWA_NL_ANY_FAMILY };
	static const int per_family[] = { TWA_AF_INET, TWA_AF_INET6 };
	const int *families = one_walk;
	size_t n_families = 1;
	struct twa_nl nl;
	int attempt, r;

	r = twa_nl_open(&nl, err);
	if (r < 0)
		return r;
	for (attempt = 0; attempt < DUMP_ATTEMPTS; attempt++) {
		bool interrupted = false;

		r = dump_pass(&nl, families, n_families, states, agg,
			      &interrupted, err);
		if (r < 0 && r != -EBADMSG && r != -ENOMEM && families == one_walk) {
			/* Refused (no TCPDIAG_GETSOCK: an emulated or
			 * trimmed kernel): one dump per family, from zero. */
			families = per_family;
			n_families = 2;
			twa_sockagg_reset(agg);
			r = dump_pass(&nl, families, n_families, states, agg,
				      &interrupted, err);
		}
		if (r < 0 && r != -EBADMSG && r != -ENOMEM)
			r = twa_err_recode(err, -EIO);
		if (r < 0)
			goto out;
		if (!interrupted)
			break;
		/* The kernel says the dump is inconsistent: count again. */
		twa_sockagg_reset(agg);
	}
	if (attempt == DUMP_ATTEMPTS)
		r = twa_err_set(err, -EIO,
				"netlink: socket dump interrupted %d times in a row (NLM_F_DUMP_INTR); try again",
				DUMP_ATTEMPTS);
	twa_strlcpy(agg->facts->sockets.source, "netlink",
		    sizeof(agg->facts->sockets.source));
out:
	twa_nl_close(&nl);
	return r;
}

/* Does sockstat alone show that no destination can reach floor? */
static bool bound_rules_out(struct twa_facts *f, double floor)
{
	int64_t inuse, inuse6 = 0, tw;
	uint64_t bound;

	/* sockstat's inuse is IPv4 only; sockstat6 has the IPv6 ones (no
	 * sockstat6: no IPv6 stack, no IPv6 socket). tw counts both. */
	twa_facts_sockstat(f, "inuse6", &inuse6);
	if (floor <= 0 || !f->ephemeral.present || !f->ephemeral.usable ||
	    !twa_facts_sockstat(f, "inuse", &inuse) ||
	    !twa_facts_sockstat(f, "tw", &tw) || inuse < 0 || tw < 0 || inuse6 < 0)
		return false;
	bound = (uint64_t)inuse + (uint64_t)inuse6 + (uint64_t)tw;
	f->ephemeral.bound = bound;
	return (double)bound < floor * f->ephemeral.usable;
}

/* What gather_sockets dumps, and from where. */
struct sock_plan {
	unsigned flags;		/* TWA_AGG_* */
	unsigned states;	/* TWA_TCPF_* asked of netlink */
	bool skip_tw;		/* TIME_WAIT counted from sockstat, not dumped */
	bool proc;		/* /proc/net/tcp* rather than netlink */
};

static void plan_sockets(const struct twa_inspect_opts *o, struct twa_facts *f,
			 struct sock_plan *sp)
{
	sp->flags = 0;
	sp->states = TWA_TCPF_ALL;
	sp->skip_tw = false;
	sp->proc = o->proc_root || o->force_proc;
	if (o->want & TWA_NEED_DESTINATIONS)
		sp->flags |= TWA_AGG_DESTINATIONS;
	if (o->want & (TWA_NEED_LISTENERS | TWA_NEED_LISTENER_OWNERS |
		       TWA_NEED_LISTENER_OWNERS_NOTABLE))
		sp->flags |= TWA_AGG_LISTENERS;
	if (o->want & TWA_NEED_CLOSE_WAIT_OWNERS)
		sp->flags |= TWA_AGG_CLOSE_WAIT;
	if (!(o->want & (TWA_NEED_STATES | TWA_NEED_DESTINATIONS |
			 TWA_NEED_CLOSE_WAIT_OWNERS)))
		/* Backlogs alone: the listeners and their SYN queues. */
		sp->states = TWA_TCPF(TWA_TCP_LISTEN) | TWA_TCPF(TWA_TCP_SYN_RECV);
	else if (!sp->proc && bound_rules_out(f, o->exhaustion_floor)) {
		sp->skip_tw = true;
		sp->states &= ~TWA_TCPF(TWA_TCP_TIME_WAIT);
		sp->flags &= ~(unsigned)TWA_AGG_DESTINATIONS;
	}
}

/* Dump into agg from /proc or netlink, falling back to /proc when netlink
 * is refused (sp->proc then becomes true). */
static int dump_sockets(const struct twa_inspect_opts *o, struct sock_plan *sp,
			struct twa_facts *f, struct twa_sockagg *agg, struct twa_err *err)
{
	int r;

	if (sp->proc)
		return dump_proc(o->proc_root, agg, err);
	r = dump_netlink(sp->states, agg, err);
	if (r == -EIO) {
		/* Netlink refused (old kernel, seccomp, LSM): /proc. */
		twa_strlcpy(f->sockets.fallback, err ? err->msg : "netlink failed",
			    sizeof(f->sockets.fallback));
		twa_sockagg_reset(agg);
		r = dump_proc(NULL, agg, err);
		/* Both failed: name the first cause too (an interrupted
		 * dump, say), not only the fallback's. */
		if (r < 0)
			twa_err_prefix(err, "%s; then /proc", f->sockets.fallback);
		sp->proc = true;
		sp->skip_tw = false;	/* /proc counted them all */
	}
	return r;
}

/* TIME_WAIT not dumped: sockstat's tw, which also counts FIN_WAIT2
 * timewait minisocks. */
static void time_wait_from_sockstat(struct twa_facts *f, const struct twa_sockagg *agg)
{
	int64_t tw = 0;

	twa_facts_sockstat(f, "tw", &tw);
	f->sockets.states[TWA_FAM_INET][TWA_TCP_TIME_WAIT] =
		(uint64_t)tw > agg->fin_wait2_minisocks ?
		(uint64_t)tw - agg->fin_wait2_minisocks : 0;
}

/* Name the processes behind CLOSE_WAIT sockets and listeners, as wanted. */
static int scan_owners(const struct twa_inspect_opts *o, struct twa_facts *f,
		       struct twa_sockagg *agg, struct twa_err *err)
{
	enum twa_owners_listeners which = TWA_OWNERS_NO_LISTENERS;
	bool close_wait = (o->want & TWA_NEED_CLOSE_WAIT_OWNERS) && agg->close_wait.used;
	/* Who binds before connecting: one walk, only when such ports exist. */
	bool bind = agg->bind_inodes.used > 0;
	size_t i;

	int64_t overflows = 0;

	/* Once accept queues have overflowed, listen-overflow may have to
	 * name suspects among all listeners, not only the notable ones. */
	twa_facts_counter(f, "ListenOverflows", &overflows);
	if ((o->want & TWA_NEED_LISTENER_OWNERS) && f->n_listeners)
		which = TWA_OWNERS_ALL_LISTENERS;
	else if ((o->want & TWA_NEED_LISTENER_OWNERS_NOTABLE) && overflows > 0 && f->n_listeners)
		which = TWA_OWNERS_ALL_LISTENERS;
	else if (o->want & TWA_NEED_LISTENER_OWNERS_NOTABLE)
		for (i = 0; i < f->n_listeners; i++)
			if (twa_listener_notable(&f->listeners[i]))
				which = TWA_OWNERS_NOTABLE_LISTENERS;
	/* Only walk /proc/PID/fd when there is someone to name. */
	if (close_wait || bind || which != TWA_OWNERS_NO_LISTENERS)
		return twa_owners_scan(o->proc_root, close_wait ? &agg->close_wait : NULL,
				       bind ? &agg->bind_inodes : NULL, f, which, err);
	return 0;
}

static int gather_sockets(const struct twa_inspect_opts *o,
			  struct twa_facts *f, struct twa_err *err)
{
	struct sock_plan sp;
	struct twa_sockagg agg;
	int r;

	plan_sockets(o, f, &sp);
	r = twa_sockagg_init(&agg, f, sp.flags, o->rate_window);
	if (r < 0)
		return twa_err_set(err, r, "out of memory");
	r = dump_sockets(o, &sp, f, &agg, err);
	if (r < 0)
		goto out;
	f->sockets.present = true;
	if (!sp.proc)
		f->sockets.skipped = TWA_TCPF_ALL & ~sp.states;
	/* The kernel reports request sockets as SYN_RECV in both sources. */
	f->sockets.skipped &= ~TWA_TCPF(TWA_TCP_NEW_SYN_RECV);
	if (sp.skip_tw)
		time_wait_from_sockstat(f, &agg);
	r = twa_sockagg_finish(&agg);
	if (r < 0) {
		twa_err_set(err, r, "out of memory");
		goto out;
	}
	r = scan_owners(o, f, &agg, err);
	f->have_listeners = (sp.flags & TWA_AGG_LISTENERS) != 0;
out:
	twa_sockagg_release(&agg);
	return r;
}

int twa_inspect(const struct twa_inspect_opts *o, struct twa_facts *f,
		struct twa_err *err)
{
	int r;

	twa_host_read(o->proc_root, &f->host);
	/* Sysctls come first: the port range shapes the dump. */
	r = read_sysctls(o, f, err);
	if (r < 0)
		return r;
	r = read_ephemeral(f, err);
	if (r < 0)
		return r;
	if (o->want & (TWA_NEED_COUNTERS | TWA_NEED_STATES)) {
		r = read_counters(o->proc_root, f, err);
		if (r < 0)
			return r;
	}
	if (o->want & (TWA_NEED_STATES | TWA_NEED_DESTINATIONS |
		       TWA_NEED_LISTENERS | TWA_NEED_CLOSE_WAIT_OWNERS |
		       TWA_NEED_LISTENER_OWNERS))
		r = gather_sockets(o, f, err);
	return r;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sleep_s(double s)
{
	struct timespec ts;

	if (s <= 0)
		return;
	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int record_sample(struct twa_rates *rates, double t,
			 const struct twa_facts *f)
{
	struct twa_sample *s;
	unsigned st;

	s = realloc(rates->series, (rates->n_series + 1) * sizeof(*s));
	if (!s)
		return -ENOMEM;
	rates->series = s;
	s = &s[rates->n_series++];
	s->t = t;
	for (st = 0; st < TWA_TCP_STATE_MAX; st++)
		s->states[st] = twa_facts_state(f, st);
	return 0;
}

static int compute_rates(struct twa_rates *rates, const struct twa_facts *first,
			 const struct twa_facts *last)
{
	double dt = rates->elapsed;
	size_t i;
	unsigned st;
	int r;

	if (dt <= 0)
		return 0;
	for (i = 0; i < last->counters.n; i++) {
		const struct twa_named *a = twa_named_get(&first->counters,
							  last->counters.v[i].name);

		if (!a || twa_counter_is_gauge(a->name))
			continue;	/* a gauge (CurrEstab) has no rate */
		r = twa_rate_add(&rates->counters, a->name,
				 (double)(last->counters.v[i].value - a->value) / dt);
		if (r < 0)
			return r;
	}
	for (st = 1; st < TWA_TCP_STATE_MAX; st++) {
		r = twa_rate_add(&rates->states, twa_tcp_state_name(st),
				 ((double)twa_facts_state(last, st) -
				  (double)twa_facts_state(first, st)) / dt);
		if (r < 0)
			return r;
	}
	return 0;
}

int twa_inspect_sampled(const struct twa_inspect_opts *o, unsigned samples,
			double interval, struct twa_facts *f,
			struct twa_err *err)
{
	struct twa_inspect_opts so = *o;
	struct twa_facts first, cur;
	struct twa_rates rates;
	double t0 = 0, t = 0;
	unsigned i;
	int r = 0;

	if (samples < 2)
		return twa_inspect(o, f, err);
	so.rate_window = interval;
	memset(&rates, 0, sizeof(rates));
	twa_facts_init(&first);
	twa_facts_init(&cur);
	for (i = 0; i < samples; i++) {
		if (i)
			sleep_s(interval - (now_s() - t0 - t));
		t = now_s();
		if (!i)
			t0 = t;
		t -= t0;
		twa_facts_release(&cur);
		twa_facts_init(&cur);
		r = twa_inspect(&so, &cur, err);
		if (r < 0)
			goto out;
		r = record_sample(&rates, t, &cur);
		if (r < 0)
			goto oom;
		if (!i) {
			/* Keep the first snapshot's counters for the deltas. */
			r = 0;
			for (size_t k = 0; k < cur.counters.n && r == 0; k++)
				r = twa_named_set(&first.counters, cur.counters.v[k].name,
						  cur.counters.v[k].value);
			memcpy(first.sockets.states, cur.sockets.states,
			       sizeof(first.sockets.states));
			if (r < 0)
				goto oom;
		}
	}
	rates.present = true;
	rates.samples = samples;
	rates.interval = interval;
	rates.elapsed = t;
	r = compute_rates(&rates, &first, &cur);
	if (r < 0)
		goto oom;
	twa_facts_release(f);
	*f = cur;
	twa_facts_init(&cur);
	f->rates = rates;
	memset(&rates, 0, sizeof(rates));
	goto out;
oom:
	r = twa_err_set(err, -ENOMEM, "out of memory");
out:
	twa_rate_release(&rates.counters);
	twa_rate_release(&rates.states);
	free(rates.series);
	twa_facts_release(&first);
	twa_facts_release(&cur);
	return r;
}
