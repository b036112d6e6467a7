/* SPDX-License-Identifier: MIT */
/* nsreport.h - report --all-netns: one section per network namespace, worst
 * first (label, status, findings, the fix where it lasts), as Markdown, one
 * self-contained HTML page, or twadvise.netns-report/1 JSON (pure). */
#ifndef TWA_NSREPORT_H
#define TWA_NSREPORT_H

#include <stddef.h>

#include "advisor/rules/ns_out.h"
#include "advisor/util/strbuf.h"

#define TWA_NETNS_REPORT_SCHEMA "twadvise.netns-report/1"
/* Namespaces given a section at most (worst first); the rest are counted. */
#define TWA_NSREPORT_MAX_SECTIONS 200

struct twa_nsreport_opts {
	const char *version;	/* twadvise version writing it */
	const char *time;	/* RFC 3339 UTC */
	size_t max_sections;	/* 0: TWA_NSREPORT_MAX_SECTIONS */
};

/* rs must be finished (twa_ns_results_finish: worst first). 0 or -ENOMEM. */
int twa_nsreport_write_markdown(const struct twa_ns_results *rs,
				const struct twa_nsreport_opts *o, struct strbuf *out);
int twa_nsreport_write_html(const struct twa_ns_results *rs,
			    const struct twa_nsreport_opts *o, struct strbuf *out);
int twa_nsreport_write_json(const struct twa_ns_results *rs,
			    const struct twa_nsreport_opts *o, struct strbuf *out);

#endif
