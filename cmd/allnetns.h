/* SPDX-License-Identifier: MIT */
/* allnetns.h - --all-netns: discover every network namespace, enter each in
 * turn (coming back after each), judge it with its own sysctls. */
#ifndef TWA_CMD_ALLNETNS_H
#define TWA_CMD_ALLNETNS_H

#include "advisor/facts/facts.h"
#include "advisor/facts/nsident.h"
#include "advisor/profile/profile.h"
#include "advisor/rules/ns_out.h"
#include "cmd/cmd.h"
#include "cmd/pipeline.h"

/* Called inside each namespace that could be entered, with its facts
 * (inspect's streaming writers); NULL for check. */
typedef int (*twa_ns_visit_fn)(void *ctx, const struct twa_ns_ident *id,
			       const struct twa_facts *f);

/* Judge every namespace into rs with profile p (loaded by the caller).
 * Returns 0 or an exit code after printing (discovery failed, or the way
 * back to the original namespace was lost). */
int twa_all_netns_run(const struct twa_globals *g, const struct twa_pipeline_opts *o,
		      const struct twa_profile *p, struct twa_ns_results *rs,
		      twa_ns_visit_fn visit, void *ctx);

#endif
