/* SPDX-License-Identifier: MIT */
/* facts_text.c - inspect's text and Prometheus output. */
#include "advisor/facts/facts_text.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "advisor/facts/facts_json.h"
#include "advisor/facts/record.h"
#include "advisor/facts/sysctl_key.h"

/* Counters worth a line even when not verbose. */
static const char *const key_counters[] = {
	"TCPTimeWaitOverflow", "TW", "TWRecycled", "TWKilled",
	"ListenOverflows", "ListenDrops", "TCPAbortOnMemory",
	"ActiveOpens", "PassiveOpens", "CurrEstab", "AttemptFails",
	"EstabResets", NULL,
};

/* A state not dumped: no per-family count; TIME_WAIT's total from sockstat. */
static void write_skipped_state(const struct twa_facts *f, unsigned st, struct strbuf *out)
{
	int64_t tw;

	if (st == TWA_TCP_TIME_WAIT && twa_facts_sockstat(f, "tw", &tw))
		strbuf_addf(out, "  %-14s %10s %10s %10" PRId64 "  (sockstat tw: not dumped)\n",
			    twa_tcp_state_name(st), "-", "-", tw);
	else
		strbuf_addf(out, "  %-14s %10s %10s %10s  (not dumped)\n",
			    twa_tcp_state_name(st), "-", "-", "-");
}

static void write_states(const struct twa_facts *f, struct strbuf *out)
{
	const struct twa_sockets *s = &f->sockets;
	unsigned st;

	strbuf_addf(out, "sockets     %" PRIu64 " TCP sockets, counted from %s\n",
		    twa_facts_total(f), s->source);
	if (s->fallback[0])
		strbuf_addf(out, "            (netlink failed: %s)\n", s->fallback);
	strbuf_addf(out, "  %-14s %10s %10s %10s\n", "STATE", "IPv4", "IPv6", "TOTAL");
	for (st = 1; st < TWA_TCP_STATE_MAX; st++) {
		uint64_t v4 = s->states[TWA_FAM_INET][st], v6 = s->states[TWA_FAM_INET6][st];

		if (!(v4 + v6) && st != TWA_TCP_TIME_WAIT && st != TWA_TCP_CLOSE_WAIT &&
		    st != TWA_TCP_ESTABLISHED)
			continue;
		if (s->skipped & TWA_TCPF(st)) {
			write_skipped_state(f, st, out);
			continue;
		}
		strbuf_addf(out, "  %-14s %10" PRIu64 " %10" PRIu64 " %10" PRIu64 "\n",
			    twa_tcp_state_name(st), v4, v6, v4 + v6);
	}
	if (s->fin_wait2_orphans)
		strbuf_addf(out, "  of FIN_WAIT2: %" PRIu64 " orphaned (no process holds them)\n",
			    s->fin_wait2_orphans);
	if (s->fin_wait2_orphans_local_peer)
		strbuf_addf(out, "  of those: %" PRIu64 " whose peer is a local CLOSE_WAIT socket\n",
			    s->fin_wait2_orphans_local_peer);
}

static void write_ephemeral(const struct twa_facts *f, struct strbuf *out)
{
	const struct twa_ephemeral *e = &f->ephemeral;
	size_t i;

	strbuf_addf(out, "ephemeral   ports %u-%u: %u usable", e->low, e->high, e->usable);
	if (e->n_reserved) {
		strbuf_addstr(out, ", reserved ");
		for (i = 0; i < e->n_reserved; i++) {
			if (e->reserved[i].lo == e->reserved[i].hi)
				strbuf_addf(out, "%s%u", i ? "," : "", e->reserved[i].lo);
			else
				strbuf_addf(out, "%s%u-%u", i ? "," : "",
					    e->reserved[i].lo, e->reserved[i].hi);
		}
	}
	strbuf_addch(out, '\n');
	if (!e->dumped) {
		strbuf_addf(out, "  destinations not counted: at most %" PRIu64
			    " TCP sockets exist (sockstat), far below the range\n",
			    e->bound);
		return;
	}
	if (!e->n_dest) {
		strbuf_addstr(out, "  no local port of the range is in use\n");
		return;
	}
	strbuf_addf(out, "  top destinations by local ports in use (%" PRIu64 " destinations):\n",
		    e->dest_total);
	twa_rec_table(out, twa_destination_fields, e->dest,
		      e->n_dest > 10 ? 10 : e->n_dest, sizeof(*e->dest), "  ");
	if (e->untracked)
		strbuf_addf(out, "  %" PRIu64 " sockets of further destinations not tracked (table full)\n",
			    e->untracked);
}

static void write_listeners(const struct twa_facts *f, bool verbose,
			    struct strbuf *out)
{
	struct twa_listener shown[64];
	size_t i, n = 0, near = 0, in_range = 0;

	for (i = 0; i < f->n_listeners; i++) {
		const struct twa_listener *l = &f->listeners[i];
		bool notable = twa_listener_near_limit(l) || l->in_ephemeral_range;

		near += twa_listener_near_limit(l);
		in_range += l->in_ephemeral_range;
		if ((verbose || notable || f->n_listeners <= 10) &&
		    n < sizeof(shown) / sizeof(shown[0]))
			shown[n++] = *l;
	}
	strbuf_addf(out, "listeners   %zu listening sockets, %zu with the accept queue half full or more, %zu on unreserved ephemeral ports\n",
		    f->n_listeners, near, in_range);
	if (n)
		twa_rec_table(out, twa_listener_fields, shown, n, sizeof(*shown), "  ");
	if (n < f->n_listeners)
		strbuf_addf(out, "  (%zu more; -v shows all)\n", f->n_listeners - n);
}

static void write_owners(const struct twa_facts *f, struct strbuf *out)
{
	const struct twa_owners *o = &f->close_wait;

	strbuf_addf(out, "close_wait  %" PRIu64 " sockets the local application has not closed\n",
		    twa_facts_state(f, TWA_TCP_CLOSE_WAIT));
	if (!o->searched)
		return;
	if (o->n)
		twa_rec_table(out, twa_owner_fields, o->v, o->n, sizeof(*o->v), "  ");
	if (o->unattributed)
		strbuf_addf(out, "  %" PRIu64 " not attributed (%u processes unreadable: run as root to see all)\n",
			    o->unattributed, o->unreadable);
}

static bool is_key_counter(const char *name)
{
	size_t i;

	for (i = 0; key_counters[i]; i++)
		if (!strcmp(key_counters[i], name))
			return true;
	return false;
}

int twa_facts_write_text(const struct twa_facts *f, bool verbose,
			 struct strbuf *out)
{
	size_t i, col;

	strbuf_addf(out, "host        %s, kernel %s, netns %s, %s\n",
		    f->host.hostname[0] ? f->host.hostname : "?",
		    f->host.kernel[0] ? f->host.kernel : "?",
		    f->host.netns[0] ? f->host.netns : "?", f->host.time);
	if (f->sockets.present)
		write_states(f, out);
	if (f->have_sockstat) {
		strbuf_addstr(out, "sockstat   ");
		for (i = 0; i < f->sockstat.n; i++)
			strbuf_addf(out, " %s %" PRId64, f->sockstat.v[i].name,
				    f->sockstat.v[i].value);
		strbuf_addch(out, '\n');
	}
	if (f->ephemeral.present)
		write_ephemeral(f, out);
	if (f->have_listeners)
		write_listeners(f, verbose, out);
	if (f->sockets.present)
		write_owners(f, out);
	if (f->counters.n) {
		strbuf_addstr(out, "counters    since boot (or namespace creation):\n");
		for (i = 0, col = 0; i < f->counters.n; i++) {
			if (!verbose && !is_key_counter(f->counters.v[i].name))
				continue;
			strbuf_addf(out, "  %-22s %12" PRId64, f->counters.v[i].name,
				    f->counters.v[i].value);
			if (++col % 3 == 0)
				strbuf_addch(out, '\n');
		}
		if (col % 3)
			strbuf_addch(out, '\n');
	}
	if (f->n_sysctls) {
		strbuf_addstr(out, "sysctls\n");
		for (i = 0; i < f->n_sysctls; i++) {
			char v[256];

			twa_sysctl_value_display(f->sysctls[i].value, v, sizeof(v));
			strbuf_addf(out, "  %-36s %s\n", f->sysctls[i].key, v);
		}
	}
	if (f->rates.present) {
		strbuf_addf(out, "rates       per second over %.1f s (%u samples):\n",
			    f->rates.elapsed, f->rates.samples);
		for (i = 0, col = 0; i < f->rates.counters.n; i++) {
			if (!verbose && !is_key_counter(f->rates.counters.v[i].name))
				continue;
			strbuf_addf(out, "  %-22s %12.1f", f->rates.counters.v[i].name,
				    f->rates.counters.v[i].per_sec);
			if (++col % 3 == 0)
				strbuf_addch(out, '\n');
		}
		if (col % 3)
			strbuf_addch(out, '\n');
	}
	return 0;
}

/* ---- Prometheus -------------------------------------------------------- */

static void prom_escape(struct strbuf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			strbuf_addch(out, '\\');
		if (*s == '\n') {
			strbuf_addstr(out, "\\n");
			continue;
		}
		strbuf_addch(out, *s);
	}
}

void twa_prom_family(struct strbuf *out, const char *name, const char *type,
		     const char *help)
{
	strbuf_addf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

void twa_prom_sample(struct strbuf *out, const char *name,
		     const char *const *labels, double value)
{
	strbuf_addstr(out, name);
	if (labels && labels[0]) {
		strbuf_addch(out, '{');
		for (; labels[0]; labels += 2) {
			strbuf_addf(out, "%s=\"", labels[0]);
			prom_escape(out, labels[1]);
			strbuf_addstr(out, labels[2] ? "\"," : "\"");
		}
		strbuf_addch(out, '}');
	}
	if (value == floor(value) && fabs(value) < 9e15)
		strbuf_addf(out, " %.0f\n", value);
	else
		strbuf_addf(out, " %.6g\n", value);
}

static void prom_sockets(const struct twa_facts *f, struct strbuf *out)
{
	static const char *const fam_names[TWA_FAM_MAX] = { "inet", "inet6" };

	twa_prom_family(out, "twadvise_sockets", "gauge",
			"TCP sockets by state and address family.");
	for (int fam = 0; fam < TWA_FAM_MAX; fam++)
		for (unsigned st = 1; st < TWA_TCP_STATE_MAX; st++) {
			const char *l[] = { "state", twa_tcp_state_name(st),
					    "family", fam_names[fam], NULL };

			twa_prom_sample(out, "twadvise_sockets", l,
					(double)f->sockets.states[fam][st]);
		}
}

/* One sample per named value, labelled label="name". */
static void prom_named(struct strbuf *out, const char *name, const char *type,
		       const char *help, const char *label,
		       const struct twa_named_vec *v)
{
	size_t i;

	twa_prom_family(out, name, type, help);
	for (i = 0; i < v->n; i++) {
		const char *l[] = { label, v->v[i].name, NULL };

		twa_prom_sample(out, name, l, (double)v->v[i].value);
	}
}

/* The Tcp/TcpExt values: cumulative counters as twadvise_tcp_events_total
 * (TYPE counter), gauges such as CurrEstab as twadvise_tcp_current.
 * MaxConn is -1 when the kernel has no fixed limit: no sample then. */
static void prom_counters(const struct twa_named_vec *v, struct strbuf *out)
{
	size_t i;

	twa_prom_family(out, "twadvise_tcp_events_total", "counter",
			"TcpExt (/proc/net/netstat) and Tcp (/proc/net/snmp) counters since boot.");
	for (i = 0; i < v->n; i++) {
		const char *l[] = { "name", v->v[i].name, NULL };

		if (!twa_counter_is_gauge(v->v[i].name))
			twa_prom_sample(out, "twadvise_tcp_events_total", l, (double)v->v[i].value);
	}
	twa_prom_family(out, "twadvise_tcp_current", "gauge",
			"Tcp values of /proc/net/snmp that are not counters (CurrEstab, MaxConn, Rto*).");
	for (i = 0; i < v->n; i++) {
		const char *l[] = { "name", v->v[i].name, NULL };

		if (twa_counter_is_gauge(v->v[i].name) && v->v[i].value >= 0)
			twa_prom_sample(out, "twadvise_tcp_current", l, (double)v->v[i].value);
	}
}

static void prom_sysctls(const struct twa_facts *f, struct strbuf *out)
{
	size_t i;

	twa_prom_family(out, "twadvise_sysctl", "gauge",
			"Sysctls that hold a single integer.");
	for (i = 0; i < f->n_sysctls; i++) {
		int64_t v;
		const char *l[] = { "key", f->sysctls[i].key, NULL };

		if (twa_facts_sysctl_int(f, f->sysctls[i].key, &v) == 0)
			twa_prom_sample(out, "twadvise_sysctl", l, (double)v);
	}
}

static void prom_ephemeral(const struct twa_ephemeral *e, struct strbuf *out)
{
	char num[32];
	size_t i;

	twa_prom_family(out, "twadvise_ephemeral_ports_usable", "gauge",
			"Ports of ip_local_port_range outside ip_local_reserved_ports.");
	twa_prom_sample(out, "twadvise_ephemeral_ports_usable", NULL, e->usable);
	if (e->dumped) {
		twa_prom_family(out, "twadvise_ephemeral_ports_in_use", "gauge",
				"Local ephemeral ports taken per destination (top destinations).");
		for (i = 0; i < e->n_dest; i++) {
			const char *l[] = { "local", e->dest[i].local, "remote",
					    e->dest[i].remote, "remote_port", num, NULL };

			snprintf(num, sizeof(num), "%u", e->dest[i].remote_port);
			twa_prom_sample(out, "twadvise_ephemeral_ports_in_use", l,
					(double)e->dest[i].in_use);
		}
	}
	twa_prom_family(out, "twadvise_ephemeral_worst_share", "gauge",
			"Largest share of the usable range taken toward one destination.");
	twa_prom_sample(out, "twadvise_ephemeral_worst_share", NULL,
			e->n_dest ? e->dest[0].share :
			!e->dumped && e->usable ? (double)e->bound / e->usable : 0);
}

static void prom_listeners(const struct twa_facts *f, struct strbuf *out)
{
	char num[32];
	size_t i;

	twa_prom_family(out, "twadvise_listener_queue", "gauge",
			"Accept queue length of each listening socket.");
	for (i = 0; i < f->n_listeners; i++) {
		const char *l[] = { "local", f->listeners[i].local, "port", num, NULL };

		snprintf(num, sizeof(num), "%u", f->listeners[i].port);
		twa_prom_sample(out, "twadvise_listener_queue", l,
				(double)f->listeners[i].queue);
	}
	twa_prom_family(out, "twadvise_listener_backlog", "gauge",
			"Accept queue limit of each listening socket.");
	for (i = 0; i < f->n_listeners; i++) {
		const char *l[] = { "local", f->listeners[i].local, "port", num, NULL };

		if (f->listeners[i].backlog < 0)
			continue;
		snprintf(num, sizeof(num), "%u", f->listeners[i].port);
		twa_prom_sample(out, "twadvise_listener_backlog", l,
				(double)f->listeners[i].backlog);
	}
}

/* Per command name, summed over its processes: a pid label would start a
 * new series at every restart. */
static void prom_close_wait(const struct twa_owners *o, struct strbuf *out)
{
	size_t i, j;

	twa_prom_family(out, "twadvise_close_wait_owner_sockets", "gauge",
			"CLOSE_WAIT sockets held per command name (all its processes).");
	for (i = 0; i < o->n; i++) {
		const char *l[] = { "comm", o->v[i].comm, NULL };
		uint64_t sum = 0;

		for (j = 0; j < i && strcmp(o->v[j].comm, o->v[i].comm); j++)
			;
		if (j < i)
			continue;	/* this comm was written already */
		for (j = i; j < o->n; j++)
			if (!strcmp(o->v[j].comm, o->v[i].comm))
				sum += o->v[j].count;
		twa_prom_sample(out, "twadvise_close_wait_owner_sockets", l, (double)sum);
	}
}

/* One metric family group per facts section, in a fixed order. */
int twa_facts_write_prometheus(const struct twa_facts *f, struct strbuf *out)
{
	if (f->sockets.present)
		prom_sockets(f, out);
	if (f->have_sockstat)
		prom_named(out, "twadvise_sockstat", "gauge",
			   "The TCP line of /proc/net/sockstat.", "field", &f->sockstat);
	if (f->counters.n)
		prom_counters(&f->counters, out);
	prom_sysctls(f, out);
	if (f->ephemeral.present)
		prom_ephemeral(&f->ephemeral, out);
	if (f->have_listeners && f->n_listeners)
		prom_listeners(f, out);
	if (f->close_wait.searched && f->close_wait.n)
		prom_close_wait(&f->close_wait, out);
	return strbuf_failed(out) ? -ENOMEM : 0;
}
