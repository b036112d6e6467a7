/* SPDX-License-Identifier: MIT */
/* fuzz_profile.c - libFuzzer harness: a YAML workload profile (twa_profile_parse), then what check does with one. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "advisor/facts/facts.h"
#include "advisor/rules/findings.h"
#include "advisor/profile/profile.h"
#include "advisor/rules/rules.h"
#include "fuzz.h"

/* Current values a want is checked against: typical, edge and hostile. */
static const char *const profile_currents[] = {
	"0", "1", "2", "-1", "60", "4096", "9223372036854775807",
	"32768\t60999", "1 65535", "60999 32768", "", "8080,9000-9010",
	"1-65535", "abc", " 1 ", NULL,
};

static void profile_exercise(const struct twa_profile *p)
{
	size_t i, k;

	for (i = 0; i < p->n_wants; i++) {
		const struct twa_sysctl_want *w = &p->wants[i];
		char proposal[256], small[8], desc[300];
		bool ok;

		for (k = 0; profile_currents[k]; k++) {
			FUZZ_ASSERT(twa_want_check(w, profile_currents[k], &ok,
						   proposal, sizeof(proposal)) == 0);
			FUZZ_ASSERT(memchr(proposal, '\0', sizeof(proposal)));
		}
		FUZZ_ASSERT(twa_want_check(w, w->value, &ok, small, sizeof(small)) == 0);
		FUZZ_ASSERT(twa_want_check(w, NULL, &ok, proposal, sizeof(proposal)) == 0);
		FUZZ_ASSERT(!ok);
		twa_want_describe(w, desc, sizeof(desc));
		twa_want_describe(w, small, sizeof(small));
		FUZZ_ASSERT(twa_profile_want(p, w->key) != NULL);
	}
	for (i = 0; i < p->n_settings; i++) {
		double v;

		FUZZ_ASSERT(twa_profile_setting(p, p->settings[i].rule,
						p->settings[i].param, &v));
	}
	for (i = 0; i < p->n_toggles; i++)
		FUZZ_ASSERT(twa_profile_toggle(p, p->toggles[i].rule) >= 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size);
	struct twa_profile p, child;
	struct twa_err err = { 0 };
	unsigned line = 0, col = 0;
	int r;

	twa_profile_init(&p);
	twa_profile_init(&child);
	r = twa_profile_parse(buf, size, "fuzz.yaml", &p, &line, &col, &err);
	if (r < 0) {
		FUZZ_ASSERT_ERR(r, err);
		/* The same verdict without an error struct to fill. */
		twa_profile_release(&p);
		FUZZ_ASSERT(twa_profile_parse(buf, size, "fuzz.yaml", &p, NULL,
					      NULL, NULL) == r);
		goto out;
	}
	FUZZ_ASSERT(p.name[0]);
	profile_exercise(&p);
	{
		double floor = 0;
		struct twa_facts f;
		struct twa_findings fs;

		/* The rules read the profile's parameters: evaluate them on
		 * empty facts (every fact absent). */
		(void)twa_rules_needs(&p, &floor);
		twa_facts_init(&f);
		twa_findings_init(&fs);
		r = twa_rules_evaluate(&f, &p, &fs, NULL);
		FUZZ_ASSERT(r >= 0);
		twa_findings_release(&fs);
		twa_facts_release(&f);
	}
	/* Inheriting from itself: every key collides, child wins. */
	if (twa_profile_parse(buf, size, "fuzz.yaml", &child, NULL, NULL, NULL) == 0) {
		size_t n = p.n_wants;

		r = twa_profile_inherit(&child, &p);
		FUZZ_ASSERT(r < 0 || child.n_wants == n);
		profile_exercise(&child);
	}
out:
	twa_profile_release(&child);
	twa_profile_release(&p);
	free(buf);
	return 0;
}
