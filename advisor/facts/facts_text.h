/* SPDX-License-Identifier: MIT */
/* facts_text.h - facts for people (inspect --format text) and for Prometheus. */
#ifndef TWA_FACTS_TEXT_H
#define TWA_FACTS_TEXT_H

#include <stdbool.h>

#include "advisor/facts/facts.h"
#include "advisor/util/strbuf.h"

/* verbose: every listener and counter, not only the notable ones. */
int twa_facts_write_text(const struct twa_facts *f, bool verbose,
			 struct strbuf *out);
/* Text exposition format, "twadvise_" prefix, # HELP and # TYPE lines. */
int twa_facts_write_prometheus(const struct twa_facts *f, struct strbuf *out);

/* Prometheus helpers shared with the findings writer. */
void twa_prom_family(struct strbuf *out, const char *name, const char *type,
		     const char *help);
/* One sample: labels are NULL-terminated name, value pairs. */
void twa_prom_sample(struct strbuf *out, const char *name,
		     const char *const *labels, double value);


#endif
