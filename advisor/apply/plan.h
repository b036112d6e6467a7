/* SPDX-License-Identifier: MIT */
/* plan.h - reviewed plans: proposed sysctl changes with the values they were made from. */
#ifndef TWA_PLAN_H
#define TWA_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "advisor/util/err.h"
#include "advisor/facts/facts.h"
#include "advisor/facts/nsident.h"
#include "advisor/rules/findings.h"
#include "advisor/rules/nsfix.h"
#include "advisor/facts/sysctl_key.h"

#define TWA_PLAN_SCHEMA "twadvise.plan/1"
#define TWA_PLAN_MAX_BYTES (1u << 20)
#define TWA_PLAN_MAX_CHANGES 256

struct twa_plan_change {
	char key[96];
	char from[TWA_SYSCTL_VALUE_SIZE];		/* the value when the plan was made */
	char to[TWA_SYSCTL_VALUE_SIZE];
	char rule[48];
	char reason[512];
};

struct twa_plan {
	char host[256];
	char netns[64];
	char profile[64];
	char created[32];
	char fingerprint[80];	/* "sha256:<hex>" of the keys' from values */
	struct twa_plan_change *changes;
	size_t n;
	/* Proposed by a finding but read-only in the target namespace (a
	 * host-global key seen from a child): not applied here; reason says
	 * to change it on the host. Written as "not_proposed", never read
	 * back (apply acts on changes only). */
	struct twa_plan_change *host_only;
	size_t n_host_only;
	/* Made through --netns: who lives in that namespace (cmd/ fills it;
	 * written as "netns_identity", with whether a change there is
	 * ephemeral and the lasting fix; never read back). */
	bool has_ident;
	struct twa_ns_ident ident;
};

void twa_plan_init(struct twa_plan *p);
void twa_plan_release(struct twa_plan *p);

/* The changes the findings propose, most severe finding first, one per key
 * (the engine resolved one target per key, twa_findings_resolve, so every
 * proposal of a key agrees; for findings read from elsewhere the first
 * wins; a change already in place is left out). from is the facts'
 * current value. A key the target namespace cannot write (facts: read-only)
 * goes to host_only instead. */
int twa_plan_from_findings(const struct twa_facts *f,
			   const struct twa_findings *fs, struct twa_plan *p,
			   struct twa_err *err);

/* "sha256:..." over "key=value\n" of keys sorted, values normalized. */
void twa_plan_fingerprint(const struct twa_plan *p, bool use_to,
			  char *out, size_t size);

json_object *twa_plan_to_json(const struct twa_plan *p);
/*
 * Parse and validate a plan: the schema, every key's grammar (and type
 * and range when twadvise knows the key), values without control
 * characters, no key twice, at most TWA_PLAN_MAX_CHANGES changes and
 * TWA_PLAN_MAX_BYTES bytes. -EBADMSG with file (line:col for syntax).
 */
int twa_plan_parse(const char *buf, size_t len, const char *file,
		   struct twa_plan *p, struct twa_err *err);

/* Check one value against the key's known type and bounds (unknown keys
 * pass); message in err. */
int twa_plan_check_value(const char *key, const char *value,
			 struct twa_err *err);

/* Where a key stands against its change. */
enum twa_change_state {
	TWA_CHANGE_PENDING,	/* at from: to be written */
	TWA_CHANGE_DONE,	/* already at to */
	TWA_CHANGE_DRIFTED,	/* neither: someone else changed it */
	TWA_CHANGE_ABSENT,	/* the kernel has no such sysctl */
};
enum twa_change_state twa_plan_change_state(const struct twa_plan_change *c,
					    const char *current);

/* The plan's changes as spec snippet pairs (at most max). */
size_t twa_plan_fix_kv(const struct twa_plan *p, struct twa_nsfix_kv *v, size_t max);

/* For a container's namespace: that the change is ephemeral, and the
 * lasting fix in the workload's spec; nothing otherwise. */
void twa_plan_write_ephemeral(const struct twa_plan *p, const struct twa_ns_ident *id,
			      struct strbuf *out);

/* "netns_identity": id, ephemeral and (with p) the lasting fix. */
json_object *twa_plan_ident_json(const struct twa_plan *p, const struct twa_ns_ident *id);

/* Human diff: one line per change, for review. */
int twa_plan_write_text(const struct twa_plan *p, struct strbuf *out);

#endif
