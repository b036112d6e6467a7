/* SPDX-License-Identifier: MIT */
/* fuzz_plan.c - libFuzzer harness: a twadvise.plan/1 file (twa_plan_parse), its writers, and the round trip. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "advisor/util/jsonutil.h"
#include "advisor/apply/plan.h"
#include "advisor/apply/sysctl_conf.h"
#include "advisor/util/strbuf.h"
#include "fuzz.h"

/* Issue 17's property: the persisted file rendered from a plan holds the
 * plan's keys and nothing else, whatever its header fields say (header:
 * the plan's profile, or the raw input with its newlines). */
static void fuzz_plan_render(const struct twa_plan *p, const char *header)
{
	struct twa_conf_setting *v = calloc(p->n + 1, sizeof(*v)), *back = NULL;
	const char **named = calloc(p->n + 1, sizeof(*named));
	struct strbuf sb = STRBUF_INIT;
	size_t i, j, n_back = 0;

	FUZZ_ASSERT(v && named);
	for (i = 0; i < p->n; i++) {
		snprintf(v[i].key, sizeof(v[i].key), "%s", p->changes[i].key);
		FUZZ_ASSERT(twa_sysctl_value_copy(v[i].value, sizeof(v[i].value),
						  p->changes[i].to) == 0);
		named[i] = p->changes[i].key;
	}
	FUZZ_ASSERT(twa_persist_render(header, "snap-1", p->created, v, p->n, named, p->n,
				       &sb, NULL) == 0);
	FUZZ_ASSERT(twa_persist_content_check(sb.buf, sb.len, "r.conf", NULL) == 0);
	FUZZ_ASSERT(twa_sysctl_conf_settings(sb.buf, sb.len, "r.conf", &back, &n_back,
					     NULL) == 0);
	FUZZ_ASSERT(n_back == p->n);	/* no line more: nothing injected */
	for (j = 0; j < n_back; j++) {
		for (i = 0; i < p->n && strcmp(back[j].key, named[i]); i++)
			;
		FUZZ_ASSERT(i < p->n);	/* a key the plan names */
	}
	free(back);
	free(named);
	free(v);
	strbuf_release(&sb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size);
	struct twa_plan p, again;
	struct twa_err err = { 0 };
	struct strbuf sb = STRBUF_INIT;
	json_object *o;
	char fp[80], fp2[80];
	size_t i;
	int r;

	twa_plan_init(&p);
	twa_plan_init(&again);
	r = twa_plan_parse(buf, size, "fuzz.plan", &p, &err);
	if (r < 0) {
		FUZZ_ASSERT_ERR(r, err);
		twa_plan_release(&p);
		FUZZ_ASSERT(twa_plan_parse(buf, size, "fuzz.plan", &p, NULL) == r);
		goto out;
	}
	FUZZ_ASSERT(p.n <= TWA_PLAN_MAX_CHANGES);
	for (i = 0; i < p.n; i++) {
		FUZZ_ASSERT(twa_plan_check_value(p.changes[i].key, p.changes[i].to, NULL) == 0);
		(void)twa_plan_change_state(&p.changes[i], p.changes[i].from);
		(void)twa_plan_change_state(&p.changes[i], p.changes[i].to);
		(void)twa_plan_change_state(&p.changes[i], "0");
		(void)twa_plan_change_state(&p.changes[i], NULL);
	}
	twa_plan_fingerprint(&p, false, fp, sizeof(fp));
	twa_plan_fingerprint(&p, true, fp2, sizeof(fp2));
	FUZZ_ASSERT(!strncmp(fp, "sha256:", 7) && strlen(fp) == 71);
	FUZZ_ASSERT(twa_plan_write_text(&p, &sb) == 0);
	fuzz_plan_render(&p, p.profile);
	{
		char *raw = fuzz_cstr(data, size);

		fuzz_plan_render(&p, raw);
		free(raw);
	}
	strbuf_reset(&sb);
	/* What twadvise writes, twadvise reads back unchanged. */
	o = twa_plan_to_json(&p);
	FUZZ_ASSERT(o);
	FUZZ_ASSERT(twa_json_write(o, true, &sb) == 0);
	json_object_put(o);
	r = twa_plan_parse(sb.buf, sb.len, "again.plan", &again, &err);
	if (r < 0)
		fprintf(stderr, "round trip refused: %s\n", err.msg);
	FUZZ_ASSERT(r == 0);
	FUZZ_ASSERT(again.n == p.n);
	FUZZ_ASSERT(!p.n || !memcmp(again.changes, p.changes, p.n * sizeof(*p.changes)));
	FUZZ_ASSERT(!strcmp(again.fingerprint, p.fingerprint));
out:
	strbuf_release(&sb);
	twa_plan_release(&again);
	twa_plan_release(&p);
	free(buf);
	return 0;
}
