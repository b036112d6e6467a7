/* SPDX-License-Identifier: MIT */
/* findings.h - what the rules conclude: findings with evidence and changes. */
#ifndef TWA_FINDINGS_H
#define TWA_FINDINGS_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "advisor/util/err.h"
#include "advisor/util/strbuf.h"
#include "advisor/facts/sysctl_key.h"

#define TWA_FINDINGS_SCHEMA "twadvise.findings/1"

enum twa_severity {
	TWA_SEV_OK,
	TWA_SEV_INFO,
	TWA_SEV_WARNING,
	TWA_SEV_CRITICAL,
};

/* Overall status of a check; UNKNOWN when it could not evaluate. */
enum twa_status {
	TWA_STATUS_OK,
	TWA_STATUS_WARNING,
	TWA_STATUS_CRITICAL,
	TWA_STATUS_UNKNOWN,
};

/*
 * What a finding rests on. HEALTH: live evidence (counts, rates,
 * exhaustion, a setting that breaks traffic now). COMPLIANCE: only that
 * this host's sysctls differ from what the profile wants. The rule sets
 * it; zeroed findings are HEALTH.
 */
enum twa_finding_kind {
	TWA_KIND_HEALTH,
	TWA_KIND_COMPLIANCE,
};

struct twa_evidence {
	char name[96];		/* "TIME_WAIT", "net.ipv4.tcp_tw_reuse" */
	char value[160];
	char source[96];	/* "netlink", "/proc/net/netstat", "/proc/sys" */
};

/* A proposed sysctl change. */
struct twa_change {
	char key[96];
	char from[TWA_SYSCTL_VALUE_SIZE];
	char to[TWA_SYSCTL_VALUE_SIZE];
	/* Only the profile's value, not a need live evidence shows: yields to
	 * other rules' proposals of the key (twa_findings_resolve). Not in
	 * JSON: findings are resolved before they are written. */
	bool profile;
};

struct twa_finding {
	char rule[48];
	enum twa_severity severity;
	enum twa_finding_kind kind;
	/* --evidence-only turned this compliance finding's severity into
	 * INFO; demoted_from is what it was. */
	bool demoted;
	enum twa_severity demoted_from;
	char summary[512];
	/* Set by a rule that could not judge (a key the namespace cannot
	 * see, say): why. The engine lists it as not judged, not checked. */
	char not_judged[256];
	char recommendation[1536];
	struct twa_evidence *evidence;
	size_t n_evidence;
	struct twa_change *changes;
	size_t n_changes;
};

/* A rule that ran but could not judge, and why. */
struct twa_unjudged {
	char rule[48];
	char reason[256];
};

struct twa_findings {
	char profile[64];
	enum twa_status status;
	struct twa_finding *v;	/* most severe first */
	size_t n;
	size_t n_ok;		/* rules evaluated that found nothing */
	char **checked;		/* ids of every rule evaluated */
	size_t n_checked;
	struct twa_unjudged *not_judged;	/* not in checked */
	size_t n_not_judged;
	bool evidence_only;	/* twa_findings_evidence_only() ran */
};

const char *twa_severity_name(enum twa_severity s);
/* "CRITICAL" etc. for text output. */
const char *twa_severity_label(enum twa_severity s);
int twa_severity_from_name(const char *name, enum twa_severity *ret);
const char *twa_status_name(enum twa_status s);
const char *twa_kind_name(enum twa_finding_kind k);
int twa_kind_from_name(const char *name, enum twa_finding_kind *ret);

void twa_findings_init(struct twa_findings *fs);
void twa_findings_release(struct twa_findings *fs);
void twa_finding_release(struct twa_finding *f);

int twa_finding_evidence(struct twa_finding *f, const char *name,
			 const char *source, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Append a change; a second change of the same key replaces the first. */
int twa_finding_change(struct twa_finding *f, const char *key,
		       const char *from, const char *to);
void twa_finding_summary(struct twa_finding *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Append a sentence to the recommendation. */
void twa_finding_recommend(struct twa_finding *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* List rule as not judged, for reason. -ENOMEM only. */
int twa_findings_add_not_judged(struct twa_findings *fs, const char *rule,
				const char *reason);
/* Take ownership of *f (left empty). */
int twa_findings_add(struct twa_findings *fs, struct twa_finding *f);
/* Record rule id as checked (judged): 0 or -ENOMEM. */
int twa_findings_mark_checked(struct twa_findings *fs, const char *id);
/* Sort most severe first (stable: rule order kept within a severity) and
 * set status. */
void twa_findings_finish(struct twa_findings *fs);
/* Judge live evidence only: every compliance finding above INFO becomes
 * INFO (demoted), then the list is sorted and the status set again, so
 * the status is the health findings' alone. */
void twa_findings_evidence_only(struct twa_findings *fs);
/* Counts per severity. */
size_t twa_findings_count(const struct twa_findings *fs, enum twa_severity s);

/* Writers. */
json_object *twa_findings_to_json(const struct twa_findings *fs);
int twa_findings_from_json(json_object *obj, const char *file,
			   struct twa_findings *fs, struct twa_err *err);
/* Text: one line per finding, most severe first, then its recommendation
 * and (verbose) its evidence; a closing status line. */
int twa_findings_write_text(const struct twa_findings *fs, bool verbose,
			    bool color, struct strbuf *out);

#endif
