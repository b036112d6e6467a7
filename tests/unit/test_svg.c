/* SPDX-License-Identifier: MIT */
/* test_svg.c - unit tests for advisor/svg.h: geometry, thresholds, clipping, bad values, escaping, well-formed output. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "advisor/util/strbuf.h"
#include "advisor/report/svg.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The hbars layout, as svg.c draws it. */
#define PLOT_X 168.0
#define PLOT_W 212.0

/* Well-formed XML as far as the charts go: every element closed in order,
 * attributes quoted, no stray '<' or '&' in text, exactly one root. */
static void assert_well_formed(const char *svg)
{
	const char *stack[64], *p = svg;
	size_t len[64], depth = 0, roots = 0;

	while (*p) {
		if (*p == '<') {
			bool close = p[1] == '/';
			const char *name = p + 1 + close, *end = strchr(p, '>'), *q;
			size_t n = strspn(name, "abcdefghijklmnopqrstuvwxyz");
			int quotes = 0;

			assert_non_null(end);
			assert_true(n > 0);
			for (q = p; q < end; q++) {
				quotes += *q == '"';
				assert_true(*q != '<' || q == p);
			}
			assert_int_equal(quotes % 2, 0);
			if (close) {
				assert_true(depth > 0);
				assert_int_equal(len[depth - 1], n);
				assert_memory_equal(stack[depth - 1], name, n);
				depth--;
			} else if (end[-1] != '/') {
				assert_true(depth < N(stack));
				if (!depth)
					roots++;
				stack[depth] = name;
				len[depth++] = n;
			} else if (!depth) {
				roots++;
			}
			p = end + 1;
			continue;
		}
		if (*p == '&') {
			size_t n = strspn(p + 1, "abcdefghijklmnopqrstuvwxyz#0123456789");

			assert_true(n > 0 && p[1 + n] == ';');
		}
		if (*p != '\n')
			assert_true(depth > 0);	/* no text outside the root */
		p++;
	}
	assert_int_equal(depth, 0);
	assert_int_equal(roots, 1);
	assert_null(strstr(svg, "nan"));
	assert_null(strstr(svg, "inf"));
}

static size_t count(const char *s, const char *what)
{
	size_t n = 0;

	for (s = strstr(s, what); s; s = strstr(s + 1, what))
		n++;
	return n;
}

/* The value of attribute attr in the nth element starting with tag. */
static double attr(const char *svg, const char *tag, size_t nth, const char *attr)
{
	const char *p = svg, *a;
	char key[32];

	for (p = strstr(p, tag); p && nth; nth--)
		p = strstr(p + 1, tag);
	if (!p)
		fail_msg("no %s number %zu", tag, nth);
	snprintf(key, sizeof(key), " %s=\"", attr);
	a = strstr(p, key);
	if (!a || a > strchr(p, '>'))
		fail_msg("%s has no %s", tag, attr);
	return strtod(a + strlen(key), NULL);
}

static void test_nice_ceil(void **state)
{
	static const struct { double in, out; } cases[] = {
		{ 0, 1 }, { -5, 1 }, { NAN, 1 }, { INFINITY, 1 }, { 0.3, 0.5 }, { 1, 1 },
		{ 1.01, 2 }, { 2.2, 2.5 }, { 3, 5 }, { 7, 10 }, { 10, 10 }, { 11, 20 },
		{ 188885, 200000 }, { 24000, 25000 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++)
		if (fabs(twa_svg_nice_ceil(cases[i].in) - cases[i].out) > 1e-9)
			fail_msg("case %zu: nice_ceil(%g) = %g, want %g", i, cases[i].in,
				 twa_svg_nice_ceil(cases[i].in), cases[i].out);
}

static void test_hbars_geometry(void **state)
{
	const struct twa_svg_bar bars[] = {
		{ "a", 0.25, NULL, "bar" },
		{ "b", 0.5, "half", "warning" },
		{ "c", 2.0, NULL, "critical" },		/* beyond max: clipped */
		{ "d", 0.000001, NULL, NULL },		/* tiny: a hairline */
		{ "e", 0, NULL, NULL },
	};
	const struct twa_svg_mark marks[] = {
		{ 0.4, "warning 40%", "warning" },
		{ 0.7, "critical 70%", "critical" },
	};
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	assert_int_equal(twa_svg_hbars(&sb, "ports", bars, N(bars), 1, marks, N(marks)), 0);
	assert_well_formed(sb.buf);
	assert_non_null(strstr(sb.buf, "role=\"img\""));
	assert_non_null(strstr(sb.buf, "<title>ports</title>"));
	/* a track and a bar per row */
	assert_int_equal(count(sb.buf, "<rect"), 2 * N(bars));
	/* bars are the odd rects; width = value / max * plot width */
	assert_true(fabs(attr(sb.buf, "<rect class=", 0, "width") - 0.25 * PLOT_W) < 0.05);
	assert_true(fabs(attr(sb.buf, "<rect class=", 1, "width") - 0.5 * PLOT_W) < 0.05);
	assert_true(fabs(attr(sb.buf, "<rect class=", 2, "width") - PLOT_W) < 0.05);
	assert_true(fabs(attr(sb.buf, "<rect class=", 3, "width") - 1) < 0.05);
	assert_true(fabs(attr(sb.buf, "<rect class=", 4, "width")) < 0.05);
	assert_true(fabs(attr(sb.buf, "<rect class=", 0, "x") - PLOT_X) < 0.05);
	/* the threshold lines at their share of the plot */
	assert_int_equal(count(sb.buf, "<line class=\"mark"), 2);
	assert_true(fabs(attr(sb.buf, "<line class=\"mark", 0, "x1") - (PLOT_X + 0.4 * PLOT_W)) < 0.05);
	assert_true(fabs(attr(sb.buf, "<line class=\"mark", 1, "x1") - (PLOT_X + 0.7 * PLOT_W)) < 0.05);
	assert_non_null(strstr(sb.buf, ">warning 40%</text>"));
	assert_non_null(strstr(sb.buf, ">critical 70%</text>"));
	assert_non_null(strstr(sb.buf, "class=\"critical\""));
	/* the caller's text replaces the value */
	assert_non_null(strstr(sb.buf, ">half</text>"));
	strbuf_release(&sb);
}

static void test_hbars_autoscale_and_bad_values(void **state)
{
	const struct twa_svg_bar bars[] = {
		{ "TIME_WAIT", 188860, NULL, NULL },
		{ "CLOSE_WAIT", 3, NULL, NULL },
		{ "NaN", NAN, NULL, NULL },
		{ "neg", -7, NULL, NULL },
		{ "INF", INFINITY, NULL, NULL },
		{ NULL, 1, NULL, "<evil>" },
	};
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	/* max 0: the largest finite value fills the plot */
	assert_int_equal(twa_svg_hbars(&sb, "states", bars, N(bars), 0, NULL, 0), 0);
	assert_well_formed(sb.buf);
	assert_true(fabs(attr(sb.buf, "<rect class=", 0, "width") - PLOT_W) < 0.05);
	assert_true(fabs(attr(sb.buf, "<rect class=", 1, "width") - 1) < 0.05);
	assert_true(fabs(attr(sb.buf, "<rect class=", 2, "width")) < 0.05);
	assert_true(fabs(attr(sb.buf, "<rect class=", 3, "width")) < 0.05);
	assert_true(fabs(attr(sb.buf, "<rect class=", 4, "width")) < 0.05);
	assert_non_null(strstr(sb.buf, ">188860</text>"));
	/* an unknown class is not copied into the markup */
	assert_null(strstr(sb.buf, "evil"));
	assert_int_equal(count(sb.buf, "<line"), 0);
	strbuf_release(&sb);
}

static void test_hbars_escaping_and_long_labels(void **state)
{
	const struct twa_svg_bar bars[] = {
		{ "<script>alert(\"x\")</script>", 1, "a&b", NULL },
		{ "an-extremely-long-destination-label-that-goes-on", 2, NULL, NULL },
		{ "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 3, NULL, NULL },
	};
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	assert_int_equal(twa_svg_hbars(&sb, "t<i>tle", bars, N(bars), 0, NULL, 0), 0);
	assert_well_formed(sb.buf);
	assert_null(strstr(sb.buf, "<script"));
	assert_non_null(strstr(sb.buf, "&lt;script&gt;"));
	assert_non_null(strstr(sb.buf, "&quot;x&quot;"));
	assert_non_null(strstr(sb.buf, "a&amp;b"));
	assert_non_null(strstr(sb.buf, "aria-label=\"t&lt;i&gt;tle\""));
	/* shown cut with an ellipsis, whole in the tooltip */
	assert_non_null(strstr(sb.buf, "an-extremely-long-d\xe2\x80\xa6</text>"));
	assert_non_null(strstr(sb.buf, "<title>an-extremely-long-destination-label-that-goes-on: 2</title>"));
	/* never cut inside a UTF-8 character */
	assert_non_null(strstr(sb.buf, "\xc3\xa9\xe2\x80\xa6</text>"));
	strbuf_release(&sb);
}

static void test_hbars_no_data(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	assert_int_equal(twa_svg_hbars(&sb, "empty", NULL, 0, 1, NULL, 0), 0);
	assert_well_formed(sb.buf);
	assert_non_null(strstr(sb.buf, ">no data</text>"));
	strbuf_release(&sb);
}

static void test_lines(void **state)
{
	const double x[] = { 0, 1, 2, 3 };
	const double tw[] = { 1000, 1500, 2000, 2400 };
	const double est[] = { 10, 10, NAN, -3 };
	const struct twa_svg_series series[] = {
		{ "TIME_WAIT", tw },
		{ "ESTABLISHED<b>", est },
	};
	struct strbuf sb = STRBUF_INIT;
	const char *p;
	double y0, ylast;

	(void)state;
	assert_int_equal(twa_svg_lines(&sb, "over time", "s", x, N(x), series, N(series)), 0);
	assert_well_formed(sb.buf);
	assert_int_equal(count(sb.buf, "<polyline"), 2);
	/* 4 points per line */
	p = strstr(sb.buf, "points=\"");
	assert_non_null(p);
	assert_int_equal(count(p, ","), 4 + count(strstr(p + 1, "points=\""), ","));
	/* y axis up to the nice maximum, 2500: the last TIME_WAIT point is
	 * 2400/2500 of the way up the 160-unit plot from y = 172 */
	assert_non_null(strstr(sb.buf, ">2500</text>"));
	sscanf(p + 8, "%*f,%lf", &y0);
	assert_true(fabs(y0 - (172 - 160 * 1000.0 / 2500)) < 0.1);
	p = strstr(p, "\"/>");
	while (p[-1] != ' ')
		p--;
	sscanf(p, "%*f,%lf", &ylast);
	assert_true(fabs(ylast - (172 - 160 * 2400.0 / 2500)) < 0.1);
	/* legend with the last values, escaped labels */
	assert_non_null(strstr(sb.buf, "TIME_WAIT (last 2400)"));
	assert_non_null(strstr(sb.buf, "ESTABLISHED&lt;b&gt; (last 0)"));
	assert_non_null(strstr(sb.buf, ">3 s</text>"));
	strbuf_release(&sb);
}

static void test_lines_edges(void **state)
{
	double x1[] = { 5 }, y1[] = { 7 };
	double xs[8] = { 0, 1 }, ys[8][2] = { { 1, 2 }, { 1, 2 }, { 1, 2 }, { 1, 2 },
					       { 1, 2 }, { 1, 2 }, { 1, 2 }, { 1, 2 } };
	struct twa_svg_series one = { "one", y1 }, many[8];
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	(void)state;
	/* one sample: a dot, no line */
	assert_int_equal(twa_svg_lines(&sb, "t", "s", x1, 1, &one, 1), 0);
	assert_well_formed(sb.buf);
	assert_int_equal(count(sb.buf, "<polyline"), 0);
	assert_int_equal(count(sb.buf, "<circle"), 1);
	strbuf_reset(&sb);
	/* more series than colours: the first TWA_SVG_MAX_SERIES */
	for (i = 0; i < 8; i++) {
		many[i].label = "s";
		many[i].y = ys[i];
	}
	assert_int_equal(twa_svg_lines(&sb, "t", "s", xs, 2, many, 8), 0);
	assert_well_formed(sb.buf);
	assert_int_equal(count(sb.buf, "<polyline"), TWA_SVG_MAX_SERIES);
	strbuf_reset(&sb);
	/* no points */
	assert_int_equal(twa_svg_lines(&sb, "t", "s", xs, 0, many, 1), 0);
	assert_well_formed(sb.buf);
	assert_non_null(strstr(sb.buf, ">no data</text>"));
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nice_ceil),
		cmocka_unit_test(test_hbars_geometry),
		cmocka_unit_test(test_hbars_autoscale_and_bad_values),
		cmocka_unit_test(test_hbars_escaping_and_long_labels),
		cmocka_unit_test(test_hbars_no_data),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_lines_edges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
