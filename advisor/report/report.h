/* SPDX-License-Identifier: MIT */
/* report.h - the report of one host for ops tickets: model, twadvise.report/1 JSON, Markdown and HTML. */
#ifndef TWA_REPORT_H
#define TWA_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "advisor/util/err.h"
#include "advisor/facts/facts.h"
#include "advisor/rules/findings.h"
#include "advisor/profile/profile.h"
#include "advisor/facts/record.h"
#include "advisor/util/strbuf.h"

#define TWA_REPORT_SCHEMA "twadvise.report/1"
/* A report embeds its facts (at most TWA_FACTS_FILE_MAX) and findings. */
#define TWA_REPORT_FILE_MAX (32u << 20)

/* What the report cannot learn from facts, findings and profile. */
struct twa_report_opts {
	const char *version;	/* twadvise version writing it */
	const char *time;	/* RFC 3339 UTC time of the report; NULL: the
				 * facts' time (tests pass a fixed one) */
	const char *profile_spec;	/* the profile as the user named it (name,
					 * path or URL), for the commands; NULL:
					 * the profile's name */
	/* Global options the commands must repeat to act on the same
	 * namespace and directories; NULL when not given. */
	const char *netns;
	const char *state_dir;
	const char *sysctl_dir;
};

/* One row of "sysctls current vs recommended". */
struct twa_report_sysctl {
	char key[96];
	bool present;		/* the kernel has it */
	char current[256];	/* tabs as spaces; "" when absent */
	char wanted[256];	/* the profile's want, described; "" */
	char proposed[256];	/* the value a finding proposes; "" */
	char status[16];	/* "change", "not met", "absent", "ok" */
	char rules[160];	/* rules proposing the change, or the profile */
};

extern const struct twa_field twa_report_sysctl_fields[];

struct twa_strvec {
	char **v;
	size_t n;
};

/* The commands to fix and to roll back. Empty strings when nothing is
 * proposed. */
struct twa_report_commands {
	char apply[1024];		/* plan && apply */
	char apply_persist[1024];	/* plan && apply --persist */
	struct twa_strvec sysctl;	/* sysctl -w key=value, one per change */
	char rollback[512];		/* twadvise rollback --last */
	struct twa_strvec sysctl_rollback;	/* sysctl -w key=old */
};

struct twa_report {
	char version[32];
	char time[32];
	char profile[64];
	char profile_chain[256];
	char profile_source[512];
	/* ephemeral-exhaustion's warning and critical shares (the profile's
	 * or the defaults), drawn on the port-use chart */
	double port_warning, port_critical;
	const struct twa_facts *facts;		/* borrowed */
	const struct twa_findings *findings;	/* borrowed */
	struct twa_report_sysctl *sysctls;
	size_t n_sysctls;
	struct twa_report_commands cmds;
};

void twa_report_init(struct twa_report *r);
void twa_report_release(struct twa_report *r);

/*
 * Build the report of f and fs (both must outlive r) under profile p (may
 * be NULL: no wants, default thresholds): the sysctl rows from the plan
 * twadvise plan makes of these findings (twa_plan_from_findings: the first
 * finding proposing a key wins), the other proposals and p's wants; and
 * the commands. -ENOMEM only.
 */
int twa_report_build(struct twa_report *r, const struct twa_facts *f,
		     const struct twa_findings *fs, const struct twa_profile *p,
		     const struct twa_report_opts *o, struct twa_err *err);

/* "CRITICAL: 1 critical, 2 warning, 0 info on HOST (profile P): worst
 * finding" as plain text, one line. */
void twa_report_verdict(const struct twa_report *r, char *buf, size_t size);

/* twadvise.report/1; NULL on allocation failure. */
json_object *twa_report_to_json(const struct twa_report *r);
int twa_report_write_markdown(const struct twa_report *r, struct strbuf *out);
int twa_report_write_html(const struct twa_report *r, struct strbuf *out);

/* A word for a POSIX shell: as is when it has only safe characters, else
 * single-quoted. */
int twa_shell_quote(struct strbuf *out, const char *s);

#endif
