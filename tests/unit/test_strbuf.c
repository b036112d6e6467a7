/* SPDX-License-Identifier: MIT */
/* test_strbuf.c - unit tests for advisor/util/strbuf.h: a never-NULL buf, the sticky failure flag, writers returning -ENOMEM rather than truncated text. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "advisor/apply/plan.h"
#include "advisor/apply/sysctl_conf.h"
#include "advisor/report/markup.h"
#include "advisor/report/report.h"
#include "advisor/report/svg.h"
#include "advisor/util/jsonutil.h"
#include "advisor/util/strbuf.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/*
 * -Wl,--wrap=malloc,--wrap=realloc (WRAP_test_strbuf): calls from this
 * file and the library objects come here. fail_at = k makes the k-th
 * allocation from now fail; 0 fails none. allocs counts them.
 */
void *__real_malloc(size_t size);
void *__real_realloc(void *p, size_t size);
void *__wrap_malloc(size_t size);
void *__wrap_realloc(void *p, size_t size);

static unsigned fail_at, allocs;

static bool fail_now(void)
{
	allocs++;
	return fail_at && allocs == fail_at;
}

void *__wrap_malloc(size_t size)
{
	return fail_now() ? NULL : __real_malloc(size);
}

void *__wrap_realloc(void *p, size_t size)
{
	return fail_now() ? NULL : __real_realloc(p, size);
}

static void arm(unsigned k)
{
	allocs = 0;
	fail_at = k;
}

static void make_failed(struct strbuf *sb)
{
	assert_int_equal(strbuf_grow(sb, SIZE_MAX / 2), -ENOMEM);
	assert_true(strbuf_failed(sb));
}

static void assert_empty(const struct strbuf *sb)
{
	assert_non_null(sb->buf);
	assert_ptr_equal(sb->buf, strbuf_slopbuf);
	assert_string_equal(sb->buf, "");
	assert_int_equal(sb->len, 0);
	assert_int_equal(sb->alloc, 0);
	assert_false(strbuf_failed(sb));
}

static void test_init_never_null(void **state)
{
	struct strbuf a = STRBUF_INIT, b, c;
	char line[64];

	(void)state;
	assert_empty(&a);
	strbuf_init(&b, 0);
	assert_empty(&b);
	strbuf_init(&c, 100);
	assert_non_null(c.buf);
	assert_string_equal(c.buf, "");
	assert_true(c.alloc > 100);
	/* printed without a check: "", never "(null)" */
	snprintf(line, sizeof(line), "keys: %s", a.buf);
	assert_string_equal(line, "keys: ");
	assert_string_equal(strbuf_str(&a), "");
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&c);
	assert_empty(&c);
}

static void test_release_reset_never_null(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	/* reset of a never-used buffer leaves the slop buffer alone */
	strbuf_reset(&sb);
	assert_empty(&sb);
	assert_int_equal(strbuf_addf(&sb, "%s-%d", "abc", 7), 0);
	assert_string_equal(sb.buf, "abc-7");
	strbuf_reset(&sb);
	assert_non_null(sb.buf);
	assert_string_equal(sb.buf, "");
	assert_int_equal(sb.len, 0);
	assert_true(sb.alloc > 0);	/* memory kept */
	strbuf_release(&sb);
	assert_empty(&sb);
	strbuf_release(&sb);	/* twice is fine */
	assert_empty(&sb);
	strbuf_release(NULL);
	/* a zeroed struct (inside a calloc'd object) is tolerated */
	memset(&sb, 0, sizeof(sb));
	assert_string_equal(strbuf_str(&sb), "");
	assert_int_equal(strbuf_addstr(&sb, "x"), 0);
	assert_string_equal(sb.buf, "x");
	strbuf_release(&sb);
	assert_empty(&sb);
}

static void test_detach(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	size_t len = 99;
	char *p;

	(void)state;
	/* empty: a malloc'd "", never the slop buffer */
	p = strbuf_detach(&sb, &len);
	assert_non_null(p);
	assert_ptr_not_equal(p, strbuf_slopbuf);
	assert_string_equal(p, "");
	assert_int_equal(len, 0);
	assert_empty(&sb);
	free(p);
	/* with text */
	strbuf_addstr(&sb, "hello");
	p = strbuf_detach(&sb, &len);
	assert_string_equal(p, "hello");
	assert_int_equal(len, 5);
	assert_empty(&sb);
	free(p);
	/* failed: NULL, never the partial text; sb starts over */
	strbuf_addstr(&sb, "partial");
	make_failed(&sb);
	len = 99;
	p = strbuf_detach(&sb, &len);
	assert_null(p);
	assert_int_equal(len, 0);
	assert_empty(&sb);
	/* no memory for "": NULL, sb still usable */
	arm(1);
	p = strbuf_detach(&sb, NULL);
	arm(0);
	assert_null(p);
	assert_non_null(sb.buf);
	assert_string_equal(sb.buf, "");
	strbuf_release(&sb);
}

static void test_sticky_failure(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	assert_int_equal(strbuf_addstr(&sb, "keep"), 0);
	assert_false(strbuf_failed(&sb));
	make_failed(&sb);
	/* every later add is a no-op returning -ENOMEM, even a small one */
	assert_int_equal(strbuf_addstr(&sb, "more"), -ENOMEM);
	assert_int_equal(strbuf_addch(&sb, 'x'), -ENOMEM);
	assert_int_equal(strbuf_add(&sb, "yz", 2), -ENOMEM);
	assert_int_equal(strbuf_addf(&sb, "%d", 42), -ENOMEM);
	assert_int_equal(strbuf_addchars(&sb, '-', 3), -ENOMEM);
	assert_int_equal(strbuf_grow(&sb, 1), -ENOMEM);
	assert_string_equal(sb.buf, "keep");
	assert_int_equal(sb.len, 4);
	assert_true(strbuf_failed(&sb));
	/* reset keeps the flag: a writer that starts over midway still learns */
	strbuf_reset(&sb);
	assert_string_equal(sb.buf, "");
	assert_true(strbuf_failed(&sb));
	assert_int_equal(strbuf_addstr(&sb, "again"), -ENOMEM);
	assert_string_equal(sb.buf, "");
	/* release starts over */
	strbuf_release(&sb);
	assert_empty(&sb);
	assert_int_equal(strbuf_addstr(&sb, "fresh"), 0);
	assert_string_equal(sb.buf, "fresh");
	strbuf_release(&sb);
}

static void test_alloc_failure(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char big[200];

	(void)state;
	/* the first allocation fails: buf stays the slop buffer */
	arm(1);
	assert_int_equal(strbuf_addstr(&sb, "abc"), -ENOMEM);
	arm(0);
	assert_true(strbuf_failed(&sb));
	assert_ptr_equal(sb.buf, strbuf_slopbuf);
	assert_string_equal(sb.buf, "");
	assert_int_equal(strbuf_addstr(&sb, "abc"), -ENOMEM);
	strbuf_release(&sb);
	/* growing fails: the text so far stays, whole and terminated */
	assert_int_equal(strbuf_addstr(&sb, "0123456789"), 0);
	memset(big, 'b', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	arm(1);
	assert_int_equal(strbuf_addstr(&sb, big), -ENOMEM);
	assert_int_equal(strbuf_addf(&sb, "%s", big), -ENOMEM);
	arm(0);
	assert_string_equal(sb.buf, "0123456789");
	assert_int_equal(sb.len, 10);
	assert_true(strbuf_failed(&sb));
	/* memory is back, the flag stays */
	assert_int_equal(strbuf_addch(&sb, 'x'), -ENOMEM);
	strbuf_release(&sb);
}

static void settings(struct twa_conf_setting *v, size_t n)
{
	size_t i;

	memset(v, 0, n * sizeof(*v));
	for (i = 0; i < n; i++) {
		snprintf(v[i].key, sizeof(v[i].key), "net.ipv4.key_number_%zu", i);
		snprintf(v[i].value, sizeof(v[i].value), "%zu\t65535", i * 1000);
	}
}

/* 90-twadvise.conf is rendered whole or not at all: whichever allocation
 * fails, twa_persist_render says -ENOMEM. */
static void test_persist_render_enomem(void **state)
{
	static struct twa_conf_setting v[40];
	const char *named[40];
	struct strbuf out = STRBUF_INIT;
	unsigned k, total;

	(void)state;
	settings(v, N(v));
	for (k = 0; k < N(v); k++)
		named[k] = v[k].key;
	arm(0);
	assert_int_equal(twa_persist_render("p", "snap", "date", v, N(v), named, N(v), &out, NULL), 0);
	total = allocs;
	assert_true(total >= 2);	/* a malloc, then realloc as it grows */
	assert_false(strbuf_failed(&out));
	strbuf_release(&out);
	for (k = 1; k <= total; k++) {
		arm(k);
		assert_int_equal(twa_persist_render("p", "snap", "date", v, N(v), named, N(v), &out, NULL), -ENOMEM);
		arm(0);
		assert_true(strbuf_failed(&out));
		strbuf_release(&out);
	}
	/* a buffer that had already failed */
	make_failed(&out);
	assert_int_equal(twa_persist_render("p", "snap", "date", NULL, 0, NULL, 0, &out, NULL), -ENOMEM);
	strbuf_release(&out);
}

/* Each writer returns -ENOMEM into a failed buffer, not 0. */
static void test_writers_enomem(void **state)
{
	struct strbuf out = STRBUF_INIT;
	struct twa_plan plan;
	json_object *o = json_object_new_object();
	int r[9];
	size_t i;

	(void)state;
	twa_plan_init(&plan);
	make_failed(&out);
	r[0] = twa_plan_write_text(&plan, &out);
	r[1] = twa_svg_hbars(&out, "t", NULL, 0, 0, NULL, 0);
	r[2] = twa_svg_lines(&out, "t", "s", NULL, 0, NULL, 0);
	r[3] = twa_json_write(o, true, &out);
	r[4] = twa_html_escape(&out, "<a>");
	r[5] = twa_md_escape(&out, "a_b");
	r[6] = twa_md_fence(&out, "sh", "echo");
	r[7] = twa_html_begin(&out, "title");
	r[8] = twa_shell_quote(&out, "it's");
	for (i = 0; i < N(r); i++) {
		if (r[i] != -ENOMEM)
			print_error("writer %zu returned %d\n", i, r[i]);
		assert_int_equal(r[i], -ENOMEM);
	}
	assert_int_equal(out.len, 0);
	json_object_put(o);
	twa_plan_release(&plan);
	strbuf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_never_null),
		cmocka_unit_test(test_release_reset_never_null),
		cmocka_unit_test(test_detach),
		cmocka_unit_test(test_sticky_failure),
		cmocka_unit_test(test_alloc_failure),
		cmocka_unit_test(test_persist_render_enomem),
		cmocka_unit_test(test_writers_enomem),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
