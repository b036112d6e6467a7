/* SPDX-License-Identifier: MIT */
/* allnetns.c - --all-netns: every network namespace, one at a time. */
#include "cmd/allnetns.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#ifdef TWA_TEST_HOOKS
#include <stdlib.h>
#endif

#include "advisor/inspect/netns.h"
#include "advisor/inspect/nsdisc.h"
#include "advisor/util/parse.h"
#include "cmd/errors.h"

static void say(struct twa_ns_result *r, const struct twa_err *err)
{
	twa_err_format(err, r->error, sizeof(r->error));
}

/* Inside the namespace: inspect, judge, keep the findings, drop the facts. */
static void judge(const struct twa_globals *g, const struct twa_pipeline_opts *o,
		  const struct twa_profile *p, struct twa_ns_result *r,
		  twa_ns_visit_fn visit, void *ctx)
{
	struct twa_err err = { 0 };
	struct twa_facts f;

	twa_facts_init(&f);
	if (twa_pipeline_judge_here(g, o, p, r->id.current, &f, &r->findings, &err) < 0) {
		r->state = TWA_NS_UNREADABLE;
		r->status = TWA_STATUS_UNKNOWN;
		say(r, &err);
	} else {
		twa_ns_result_take(r, &f);
		if (visit && visit(ctx, &r->id, &f) < 0) {
			r->state = TWA_NS_UNREADABLE;
			r->status = TWA_STATUS_UNKNOWN;
			snprintf(r->error, sizeof(r->error), "out of memory");
		}
	}
	twa_facts_release(&f);
}

/* One namespace: enter it (gone, or not allowed, is its result, not the
 * run's), judge, come back. <0 only when the way back is lost. */
static int one(const struct twa_globals *g, const struct twa_pipeline_opts *o,
	       const struct twa_profile *p, int home, struct twa_ns_result *r,
	       twa_ns_visit_fn visit, void *ctx)
{
	struct twa_err err = { 0 };
	int e;

	e = r->id.current ? 0 : twa_netns_enter_inode(r->id.path, r->id.inode, &err);
	if (e == -ENOENT || e == -ESTALE || e == -ESRCH) {
		r->state = TWA_NS_GONE;
		say(r, &err);
		return 0;
	}
	if (e < 0) {
		r->state = TWA_NS_UNREADABLE;
		r->status = TWA_STATUS_UNKNOWN;
		say(r, &err);
		return 0;
	}
	judge(g, o, p, r, visit, ctx);
	if (r->id.current)
		return 0;
	e = twa_netns_return(home, &err);
	return e < 0 ? twa_fail(&err) : 0;
}

static int discover(const struct twa_globals *g, struct twa_ns_list *l, struct twa_ns_results *rs)
{
	struct twa_nsdisc_opts d = { .pods_dir = g->pods_dir };
	struct twa_err err = { 0 };

	if (twa_ns_discover(&d, l, &err) < 0)
		return twa_fail(&err);
	rs->unreadable_procs = l->unreadable;
	rs->unreadable_pid = l->unreadable_pid;
	twa_strlcpy(rs->unreadable_why, l->unreadable_why, sizeof(rs->unreadable_why));
	rs->truncated = l->truncated;
#ifdef TWA_TEST_HOOKS
	/* Test builds only (tests/helpers/twadvise-hooks): a pause of N (<= 30)
	 * seconds between discovery and the first setns, so a namespace can
	 * vanish in between (tests/integration/t_check_all_netns.sh). */
	if (getenv("TWADVISE_TEST_NETNS_PAUSE"))
		sleep((unsigned)atoi(getenv("TWADVISE_TEST_NETNS_PAUSE")) % 31);
#endif
	return 0;
}

int twa_all_netns_run(const struct twa_globals *g, const struct twa_pipeline_opts *o,
		      const struct twa_profile *p, struct twa_ns_results *rs,
		      twa_ns_visit_fn visit, void *ctx)
{
	struct twa_pipeline_opts po = *o;
	struct twa_ns_list l = { 0 };
	struct twa_history_run hist;
	struct twa_err err = { 0 };
	struct twa_ns_result *r;
	int home, e = 0;
	size_t i;

	twa_strlcpy(rs->profile, p->name, sizeof(rs->profile));
	/* The counter history: read once, every namespace recorded, written once. */
	twa_history_run_open(g, twa_pipeline_history_use(o), &hist);
	po.history = &hist;
	e = discover(g, &l, rs);
	home = e ? -1 : twa_netns_open_current(&err);
	if (!e && home < 0)
		e = twa_fail(&err);
	for (i = 0; !e && i < l.n; i++) {
		r = twa_ns_results_add(rs, &l.v[i]);
		if (!r) {
			twa_errorf("out of memory");
			e = EXIT_SOFTWARE;
			break;
		}
		e = one(g, &po, p, home, r, visit, ctx);
	}
	if (home >= 0)
		close(home);
	twa_history_run_close(g, &hist);
	twa_ns_list_release(&l);
	if (!e)
		twa_ns_results_finish(rs);
	return e;
}
