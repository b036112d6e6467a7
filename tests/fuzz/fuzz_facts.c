/* SPDX-License-Identifier: MIT */
/* fuzz_facts.c - libFuzzer harness: a twadvise.facts/1 file (twa_facts_parse, as `check --facts` reads it), the round trip, and everything downstream: rules, findings, plan, report. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "advisor/rules/check_out.h"
#include "advisor/facts/facts.h"
#include "advisor/facts/facts_json.h"
#include "advisor/facts/facts_text.h"
#include "advisor/rules/findings.h"
#include "advisor/util/jsonutil.h"
#include "advisor/apply/plan.h"
#include "advisor/report/report.h"
#include "advisor/rules/rules.h"
#include "advisor/util/strbuf.h"
#include "fuzz.h"

/* Facts read from a file reach every rule and writer: none may crash. */
static void facts_downstream(const struct twa_facts *f)
{
	struct twa_report_opts ro = { .version = "0.0.0-fuzz", .time = "2026-01-01T00:00:00Z" };
	struct strbuf sb = STRBUF_INIT;
	struct twa_findings fs;
	struct twa_report rep;
	struct twa_plan plan;
	json_object *o;
	int r;

	FUZZ_ASSERT(twa_facts_write_text(f, true, &sb) == 0);
	FUZZ_ASSERT(twa_facts_write_prometheus(f, &sb) == 0);
	twa_findings_init(&fs);
	twa_plan_init(&plan);
	twa_report_init(&rep);
	r = twa_rules_evaluate(f, NULL, &fs, NULL);
	FUZZ_ASSERT(r >= 0);
	strbuf_reset(&sb);
	FUZZ_ASSERT(twa_findings_write_text(&fs, true, true, &sb) == 0);
	FUZZ_ASSERT(twa_check_write_nagios(f, &fs, NULL, &sb) == 0);
	FUZZ_ASSERT(twa_check_write_prometheus(f, &fs, &sb) == 0);
	o = twa_findings_to_json(&fs);
	FUZZ_ASSERT(o);
	json_object_put(o);
	(void)twa_plan_from_findings(f, &fs, &plan, NULL);
	strbuf_reset(&sb);
	FUZZ_ASSERT(twa_plan_write_text(&plan, &sb) == 0);
	if (twa_report_build(&rep, f, &fs, NULL, &ro, NULL) == 0) {
		char verdict[512];

		twa_report_verdict(&rep, verdict, sizeof(verdict));
		o = twa_report_to_json(&rep);
		FUZZ_ASSERT(o);
		json_object_put(o);
		strbuf_reset(&sb);
		FUZZ_ASSERT(twa_report_write_markdown(&rep, &sb) == 0);
		strbuf_reset(&sb);
		FUZZ_ASSERT(twa_report_write_html(&rep, &sb) == 0);
	}
	twa_report_release(&rep);
	twa_plan_release(&plan);
	twa_findings_release(&fs);
	strbuf_release(&sb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size);
	struct strbuf one = STRBUF_INIT, two = STRBUF_INIT;
	struct twa_facts f, again;
	struct twa_err err = { 0 };
	json_object *o;
	int r;

	twa_facts_init(&f);
	twa_facts_init(&again);
	r = twa_facts_parse(buf, size, "fuzz.json", &f, &err);
	if (r < 0) {
		FUZZ_ASSERT_ERR(r, err);
		twa_facts_release(&f);
		twa_facts_init(&f);
		FUZZ_ASSERT(twa_facts_parse(buf, size, "fuzz.json", &f, NULL) == r);
		goto out;
	}
	/* What twadvise writes, twadvise reads back, and writes the same. */
	o = twa_facts_to_json(&f);
	FUZZ_ASSERT(o);
	FUZZ_ASSERT(twa_json_write(o, false, &one) == 0);
	json_object_put(o);
	r = twa_facts_parse(one.buf, one.len, "again.json", &again, &err);
	if (r < 0)
		fprintf(stderr, "round trip refused: %s\n", err.msg);
	FUZZ_ASSERT(r == 0);
	o = twa_facts_to_json(&again);
	FUZZ_ASSERT(o);
	FUZZ_ASSERT(twa_json_write(o, false, &two) == 0);
	json_object_put(o);
	if (strcmp(one.buf, two.buf))
		fprintf(stderr, "round trip changed the facts:\n%s\n%s\n", one.buf, two.buf);
	FUZZ_ASSERT(!strcmp(one.buf, two.buf));
	facts_downstream(&f);
out:
	strbuf_release(&one);
	strbuf_release(&two);
	twa_facts_release(&again);
	twa_facts_release(&f);
	free(buf);
	return 0;
}
