/* SPDX-License-Identifier: MIT */
/* svg.h - inline SVG charts for the HTML reports, drawn as text (pure: no I/O). */
#ifndef TWA_SVG_H
#define TWA_SVG_H

#include <stddef.h>

#include "advisor/util/strbuf.h"

/*
 * Every chart is one <svg> element with a viewBox (it scales to its
 * container), role="img", an aria-label and a <title>, and inline
 * presentation attributes so it reads the same outside the report's
 * stylesheet. All text is escaped. Values that are not finite or are
 * negative are drawn as 0.
 */

/* Chart width in user units: sized so labels stay legible when the chart
 * is scaled down to a phone's width. */
#define TWA_SVG_WIDTH 480

struct twa_svg_bar {
	const char *label;
	double value;
	const char *text;	/* shown after the bar; NULL: the value */
	const char *cls;	/* CSS class and colour key: "bar" (default),
				 * "warning", "critical", "muted" */
};

struct twa_svg_mark {
	double at;		/* in value units */
	const char *label;	/* "warning 50%" */
	const char *cls;	/* "warning" or "critical" colour the line */
};

/*
 * Horizontal bars, one row each: label, a bar scaled to max (max <= 0:
 * the largest value), the value text. marks are vertical dashed lines
 * across every row, labelled above the plot, one label line each. A
 * non-zero value always gets at least a hairline bar. n == 0 draws "no
 * data". Bars beyond max are clipped to the plot.
 */
int twa_svg_hbars(struct strbuf *out, const char *title,
		  const struct twa_svg_bar *bars, size_t n, double max,
		  const struct twa_svg_mark *marks, size_t n_marks);

struct twa_svg_series {
	const char *label;
	const double *y;	/* n_points values */
};

/* At most this many series are drawn (and get a distinct colour). */
#define TWA_SVG_MAX_SERIES 6

/*
 * Lines over a shared x axis (x ascending, e.g. seconds since the first
 * sample), y from 0 to a rounded maximum with grid lines, and a legend
 * with each series' last value. Fewer than 2 points: dots only.
 */
int twa_svg_lines(struct strbuf *out, const char *title, const char *x_unit,
		  const double *x, size_t n_points,
		  const struct twa_svg_series *series, size_t n_series);

/* The smallest "nice" number (1, 2, 2.5, 5 times a power of ten) >= v;
 * 1 for v <= 0. Axis maxima. */
double twa_svg_nice_ceil(double v);

#endif
