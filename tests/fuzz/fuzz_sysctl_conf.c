/* SPDX-License-Identifier: MIT */
/* fuzz_sysctl_conf.c - libFuzzer harness: sysctl.d(5) text (twa_sysctl_conf_parse), the settings it yields and the persisted file rendered back from them. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "advisor/util/strbuf.h"
#include "advisor/apply/sysctl_conf.h"
#include "fuzz.h"

struct conf_count {
	unsigned lines, last;
};

static int conf_cb(const char *key, const char *value, unsigned line, void *ctx)
{
	struct conf_count *c = ctx;

	FUZZ_ASSERT(key && value);
	FUZZ_ASSERT(line > c->last);	/* in order, each line once */
	c->last = line;
	c->lines++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size);
	struct twa_conf_setting *v = NULL, *v2 = NULL;
	struct conf_count c = { 0, 0 };
	struct strbuf sb = STRBUF_INIT;
	struct twa_err err = { 0 };
	size_t n = 0, n2 = 0, i;
	int r;

	r = twa_sysctl_conf_parse(buf, size, "fuzz.conf", conf_cb, &c, &err);
	if (r < 0) {
		FUZZ_ASSERT_ERR(r, err);
		FUZZ_ASSERT(twa_sysctl_conf_settings(buf, size, "fuzz.conf", &v, &n, NULL) == r);
		goto out;
	}
	r = twa_sysctl_conf_settings(buf, size, "fuzz.conf", &v, &n, &err);
	FUZZ_ASSERT(r == 0);
	FUZZ_ASSERT(n <= c.lines);
	for (i = 0; i < n; i++) {
		char key[96];

		twa_sysctl_conf_key(v[i].key, key, sizeof(key));
		twa_sysctl_conf_key(v[i].key, key, 4);
	}
	/* twadvise's own file, rendered from them, parses back to the same
	 * keys (values: tabs become spaces). */
	FUZZ_ASSERT(twa_persist_render("fuzz", "snap-1", "2026-01-01", v, n, &sb) == 0);
	r = twa_sysctl_conf_settings(sb.buf, sb.len, "rendered.conf", &v2, &n2, &err);
	if (r < 0)
		fprintf(stderr, "rendered file refused: %s\n%s", err.msg, sb.buf);
	FUZZ_ASSERT(r == 0 && n2 <= n);
out:
	free(v);
	free(v2);
	strbuf_release(&sb);
	free(buf);
	return 0;
}
