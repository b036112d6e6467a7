/* SPDX-License-Identifier: MIT */
/* fleet.h - many hosts' twadvise.report/1 files merged into one fleet report: host x rule matrix, totals per rule. */
#ifndef TWA_FLEET_H
#define TWA_FLEET_H

#include <stddef.h>

#include <json-c/json.h>

#include "advisor/util/err.h"
#include "advisor/rules/findings.h"
#include "advisor/util/strbuf.h"

#define TWA_FLEET_SCHEMA "twadvise.fleet/1"
#define TWA_FLEET_MAX_HOSTS 100000
#define TWA_FLEET_MAX_RULES 256

/* A matrix cell: the rule's severity on the host (TWA_SEV_OK: checked,
 * nothing found), or TWA_FLEET_UNCHECKED (disabled by the host's profile,
 * or unknown to the twadvise that wrote the report). */
#define TWA_FLEET_UNCHECKED (-1)

struct twa_fleet_verdict {
	char rule[48];
	int severity;		/* enum twa_severity, or TWA_FLEET_UNCHECKED */
};

struct twa_fleet_host {
	char hostname[256];
	char machine_id[40];	/* facts.host.machine_id; "" when the report has none */
	char label[800];	/* the row's name: hostname, [machine-id] and (file)
				 * added where two rows would otherwise read alike */
	char file[512];		/* the report it came from */
	char kernel[128];
	char time[32];		/* when its facts were gathered */
	char profile[64];
	enum twa_status status;
	size_t counts[TWA_SEV_CRITICAL + 1];	/* findings per severity */
	struct twa_fleet_verdict *found;	/* one per rule with a finding */
	size_t n_found;
	char **checked;		/* rules its check evaluated */
	size_t n_checked;
};

struct twa_fleet_rule {
	char rule[48];
	/* hosts per cell value: ok, info, warning, critical */
	size_t hosts[TWA_SEV_CRITICAL + 1];
	size_t unchecked;
};

struct twa_fleet {
	struct twa_fleet_host *hosts;	/* worst first after finish */
	size_t n_hosts;
	/* The matrix's columns: rules with a finding on at least one host,
	 * most critical hosts first, then most warnings, then infos. */
	struct twa_fleet_rule *rules;
	size_t n_rules;
	size_t n_quiet;			/* further rules checked: no finding anywhere */
	enum twa_status status;		/* the worst host's */
	char version[32];		/* twadvise writing the fleet report */
	char time[32];
};

void twa_fleet_init(struct twa_fleet *fl);
void twa_fleet_release(struct twa_fleet *fl);

/* Parse one twadvise.report/1 document and add its host. -EBADMSG with
 * file (and line:col for JSON syntax) for anything else. */
int twa_fleet_add(struct twa_fleet *fl, const char *buf, size_t len,
		  const char *file, struct twa_err *err);
/* Order the hosts worst first (status, then critical, warning and info
 * counts, then name), choose the columns and count the totals. */
int twa_fleet_finish(struct twa_fleet *fl, const char *version,
		     const char *time, struct twa_err *err);

/* Host h's cell in column c. */
int twa_fleet_cell(const struct twa_fleet *fl, size_t h, size_t c);

void twa_fleet_verdict(const struct twa_fleet *fl, char *buf, size_t size);
json_object *twa_fleet_to_json(const struct twa_fleet *fl);
int twa_fleet_write_markdown(const struct twa_fleet *fl, struct strbuf *out);
int twa_fleet_write_html(const struct twa_fleet *fl, struct strbuf *out);

#endif
