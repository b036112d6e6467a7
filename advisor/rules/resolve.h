/* SPDX-License-Identifier: MIT */
/* resolve.h - one target per sysctl: settle what several findings propose for the same key. */
#ifndef TWA_RESOLVE_H
#define TWA_RESOLVE_H

#include "advisor/rules/findings.h"

/* How the proposals of one key combine. */
enum twa_resolve_kind {
	TWA_RESOLVE_EXACT,	/* one value wins by precedence */
	TWA_RESOLVE_AT_LEAST,	/* a limit: the largest need */
	TWA_RESOLVE_WIDEST,	/* a port range: the most ports */
	TWA_RESOLVE_UNION,	/* a port list: every port asked for */
};

enum twa_resolve_kind twa_resolve_kind_of(const char *key);

/*
 * Make every key proposed by fs (sorted, twa_findings_finish) have one
 * target. Precedence among proposals: a change a rule derived from live
 * evidence before one that only copies the profile (twa_change.profile),
 * then the finding order (most severe first, catalogue order within a
 * severity). AT_LEAST takes the largest integer, WIDEST the range with the
 * most ports (precedence breaks ties), UNION the union of the lists, EXACT
 * the first by precedence. The owner (the first proposal by precedence
 * whose value is the target, else the first) carries the target; another
 * finding keeps its change only when it equals the target, else the
 * change is removed and its recommendation says "see <owner>".
 * Returns 0 or -ENOMEM.
 */
int twa_findings_resolve(struct twa_findings *fs);

#endif
