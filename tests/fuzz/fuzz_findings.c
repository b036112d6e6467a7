/* SPDX-License-Identifier: MIT */
/* fuzz_findings.c - libFuzzer harness: a twadvise.findings/1 document (twa_findings_from_json), its writers, and the round trip. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "advisor/rules/findings.h"
#include "advisor/util/jsonutil.h"
#include "advisor/util/strbuf.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size);
	struct strbuf sb = STRBUF_INIT;
	struct twa_findings fs, again;
	struct twa_err err = { 0 };
	json_object *o = NULL, *o2 = NULL;
	size_t i;
	int r;

	twa_findings_init(&fs);
	twa_findings_init(&again);
	if (twa_json_parse(buf, size, "fuzz.json", &o, NULL) < 0)
		goto out;
	r = twa_findings_from_json(o, "fuzz.json", &fs, &err);
	if (r < 0) {
		FUZZ_ASSERT_ERR(r, err);
		twa_findings_release(&fs);
		twa_findings_init(&fs);
		FUZZ_ASSERT(twa_findings_from_json(o, "fuzz.json", &fs, NULL) == r);
		goto out;
	}
	for (i = 0; i <= TWA_SEV_CRITICAL; i++)
		(void)twa_findings_count(&fs, (enum twa_severity)i);
	FUZZ_ASSERT(twa_findings_write_text(&fs, true, true, &sb) == 0);
	FUZZ_ASSERT(twa_findings_write_text(&fs, false, false, &sb) == 0);
	twa_findings_finish(&fs);
	o2 = twa_findings_to_json(&fs);
	FUZZ_ASSERT(o2);
	strbuf_reset(&sb);
	FUZZ_ASSERT(twa_json_write(o2, true, &sb) == 0);
	json_object_put(o2);
	o2 = NULL;
	FUZZ_ASSERT(twa_json_parse(sb.buf, sb.len, "again.json", &o2, NULL) == 0);
	r = twa_findings_from_json(o2, "again.json", &again, &err);
	if (r < 0)
		fprintf(stderr, "round trip refused: %s\n", err.msg);
	FUZZ_ASSERT(r == 0);
	FUZZ_ASSERT(again.n == fs.n && again.status == fs.status);
	for (i = 0; i < fs.n; i++)
		FUZZ_ASSERT(again.v[i].n_evidence == fs.v[i].n_evidence &&
			    again.v[i].n_changes == fs.v[i].n_changes &&
			    !strcmp(again.v[i].summary, fs.v[i].summary));
out:
	json_object_put(o);
	json_object_put(o2);
	strbuf_release(&sb);
	twa_findings_release(&again);
	twa_findings_release(&fs);
	free(buf);
	return 0;
}
