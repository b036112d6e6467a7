/* SPDX-License-Identifier: MIT */
/* check_out.h - check's monitoring formats: Nagios plugin output, Prometheus. */
#ifndef TWA_CHECK_OUT_H
#define TWA_CHECK_OUT_H

#include "advisor/facts/facts.h"
#include "advisor/rules/findings.h"
#include "advisor/profile/profile.h"
#include "advisor/util/strbuf.h"

/* "TWADVISE CRITICAL - 2 critical, 1 warning: ... | perfdata", then one
 * line per finding (the plugin's long output). */
int twa_check_write_nagios(const struct twa_facts *f,
			   const struct twa_findings *fs,
			   const struct twa_profile *p, struct strbuf *out);
/* "TWADVISE UNKNOWN - reason": the check could not evaluate. */
int twa_check_write_nagios_unknown(const char *reason, struct strbuf *out);
/* twadvise_check_status{profile} 3 alone. */
int twa_check_write_prometheus_unknown(const char *profile, struct strbuf *out);
/* The facts' metrics plus twadvise_check_status and twadvise_finding. */
int twa_check_write_prometheus(const struct twa_facts *f,
			       const struct twa_findings *fs,
			       struct strbuf *out);

#endif
