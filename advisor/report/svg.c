/* SPDX-License-Identifier: MIT */
/* svg.c - bar and line charts as inline SVG text for the HTML reports. */
#include "advisor/report/svg.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "advisor/report/markup.h"

#define FONT "font-size=\"12\" font-family=\"system-ui,-apple-system,Segoe UI,Roboto,Arial,sans-serif\""

/* Okabe-Ito: distinguishable with the common colour-vision deficiencies. */
static const char *const palette[TWA_SVG_MAX_SERIES] = {
	"#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9",
};

static double clean(double v)
{
	return isfinite(v) && v > 0 ? v : 0;
}

static const char *bar_fill(const char *cls)
{
	if (!cls)
		return "#0b57a4";
	if (!strcmp(cls, "critical"))
		return "#b3261e";
	if (!strcmp(cls, "warning"))
		return "#d98a00";
	if (!strcmp(cls, "muted"))
		return "#8c959f";
	return "#0b57a4";
}

/* Class names come from the caller's fixed set; anything else is "bar". */
static const char *safe_cls(const char *cls)
{
	static const char *const ok[] = { "bar", "warning", "critical", "muted", NULL };
	size_t i;

	for (i = 0; cls && ok[i]; i++)
		if (!strcmp(cls, ok[i]))
			return cls;
	return "bar";
}

static void fmt_value(char *buf, size_t size, double v)
{
	if (v == floor(v) && fabs(v) < 1e15)
		snprintf(buf, size, "%.0f", v);
	else if (fabs(v) >= 100)
		snprintf(buf, size, "%.0f", v);
	else if (fabs(v) >= 10)
		snprintf(buf, size, "%.1f", v);
	else
		snprintf(buf, size, "%.2f", v);
}

double twa_svg_nice_ceil(double v)
{
	static const double steps[] = { 1, 2, 2.5, 5, 10 };
	double e, f;
	size_t i;

	if (!isfinite(v) || v <= 0)
		return 1;
	e = pow(10, floor(log10(v)));
	f = v / e;
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (f <= steps[i] * (1 + 1e-9))
			return steps[i] * e;
	return 10 * e;
}

/* Up to max bytes of label, cut at a UTF-8 character boundary, with an
 * ellipsis when cut. */
static void short_label(char *buf, size_t size, const char *label, size_t max)
{
	size_t len = strlen(label);

	if (max >= size)
		max = size - 1;
	if (len <= max) {
		memcpy(buf, label, len + 1);
		return;
	}
	len = max > 3 ? max - 3 : 0;
	while (len && ((unsigned char)label[len] & 0xc0) == 0x80)
		len--;
	memcpy(buf, label, len);
	memcpy(buf + len, "\xe2\x80\xa6", 4);	/* U+2026 */
}

static void svg_open(struct strbuf *out, const char *title, double height)
{
	strbuf_addf(out, "<svg viewBox=\"0 0 %d %.0f\" width=\"%d\" height=\"%.0f\" role=\"img\" aria-label=\"",
		    TWA_SVG_WIDTH, height, TWA_SVG_WIDTH, height);
	twa_html_escape(out, title);
	strbuf_addstr(out, "\" class=\"chart\">\n<title>");
	twa_html_escape(out, title);
	strbuf_addstr(out, "</title>\n");
}

static int no_data(struct strbuf *out, const char *title)
{
	svg_open(out, title, 40);
	strbuf_addstr(out, "<text x=\"8\" y=\"24\" " FONT " fill=\"#59636e\">no data</text>\n</svg>\n");
	return strbuf_failed(out) ? -ENOMEM : 0;
}

#define LABEL_W 160
#define VALUE_W 96
#define PLOT_X (LABEL_W + 8)
#define PLOT_W (TWA_SVG_WIDTH - PLOT_X - VALUE_W - 4)
#define ROW_H 22
#define BAR_H 14
#define MARK_LINE_H 14

int twa_svg_hbars(struct strbuf *out, const char *title,
		  const struct twa_svg_bar *bars, size_t n, double max,
		  const struct twa_svg_mark *marks, size_t n_marks)
{
	double top = 6 + MARK_LINE_H * (double)n_marks, height, scale;
	char label[64], value[64];
	size_t i;

	if (!n)
		return no_data(out, title);
	max = clean(max);
	if (max <= 0)
		for (i = 0; i < n; i++)
			if (clean(bars[i].value) > max)
				max = clean(bars[i].value);
	if (max <= 0)
		max = 1;
	scale = PLOT_W / max;
	height = top + ROW_H * (double)n + 6;
	svg_open(out, title, height);
	for (i = 0; i < n; i++) {
		double v = clean(bars[i].value), y = top + ROW_H * (double)i, w = v * scale;
		const char *cls = safe_cls(bars[i].cls);

		if (w > PLOT_W)
			w = PLOT_W;
		if (v > 0 && w < 1)
			w = 1;	/* visible, however small */
		short_label(label, sizeof(label), bars[i].label ? bars[i].label : "", 22);
		if (bars[i].text)
			snprintf(value, sizeof(value), "%s", bars[i].text);
		else
			fmt_value(value, sizeof(value), v);
		strbuf_addstr(out, "<g class=\"row\"><title>");
		twa_html_escape(out, bars[i].label ? bars[i].label : "");
		strbuf_addstr(out, ": ");
		twa_html_escape(out, value);
		strbuf_addf(out, "</title>\n<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" " FONT " fill=\"#1f2328\">",
			    LABEL_W, y + BAR_H - 3);
		twa_html_escape(out, label);
		strbuf_addf(out, "</text>\n<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%d\" fill=\"#eef1f4\"/>\n",
			    PLOT_X, y, PLOT_W, BAR_H);
		strbuf_addf(out, "<rect class=\"%s\" x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>\n",
			    cls, PLOT_X, y, w, BAR_H, bar_fill(cls));
		strbuf_addf(out, "<text x=\"%d\" y=\"%.1f\" " FONT " fill=\"#1f2328\">",
			    PLOT_X + PLOT_W + 6, y + BAR_H - 3);
		twa_html_escape(out, value);
		strbuf_addstr(out, "</text></g>\n");
	}
	for (i = 0; i < n_marks; i++) {
		double at = clean(marks[i].at), x;
		const char *cls = safe_cls(marks[i].cls), *anchor = "middle";

		if (at > max)
			at = max;
		x = PLOT_X + at * scale;
		if (x > TWA_SVG_WIDTH - 50)
			anchor = "end";
		strbuf_addf(out, "<line class=\"mark %s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
			    "stroke=\"%s\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>\n",
			    cls, x, MARK_LINE_H * (double)i + 15, x, height - 2, bar_fill(cls));
		strbuf_addf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" " FONT " fill=\"%s\">",
			    x, MARK_LINE_H * (double)i + 12, anchor, bar_fill(cls));
		twa_html_escape(out, marks[i].label ? marks[i].label : "");
		strbuf_addstr(out, "</text>\n");
	}
	return strbuf_addstr(out, "</svg>\n") < 0 ? -ENOMEM : 0;
}

#define L_LEFT 56
#define L_RIGHT 12
#define L_TOP 12
#define L_PLOT_H 160
#define L_AXIS_H 26
#define L_LEGEND_ROW 18

/* The scales of a line chart, shared by its parts. */
struct line_plot {
	const double *x;
	size_t n_points;
	double plot_w, ymax, x0, x1;
};

/* y grid and labels: quarters of the rounded maximum; x labels: first,
 * middle, last. */
static void lines_axes(struct strbuf *out, const struct line_plot *p,
		       const char *x_unit)
{
	char buf[64];
	size_t i;

	for (i = 0; i <= 4; i++) {
		double v = p->ymax * (double)i / 4, y = L_TOP + L_PLOT_H - L_PLOT_H * (double)i / 4;

		fmt_value(buf, sizeof(buf), v);
		strbuf_addf(out, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1\"/>\n",
			    L_LEFT, y, L_LEFT + p->plot_w, y, i ? "#e5e9ed" : "#8c959f");
		strbuf_addf(out, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" " FONT " fill=\"#59636e\">%s</text>\n",
			    L_LEFT - 6, y + 4, buf);
	}
	for (i = 0; i < 3; i++) {
		double v = p->x0 + (p->x1 - p->x0) * (double)i / 2, px = L_LEFT + p->plot_w * (double)i / 2;
		const char *anchor = i == 0 ? "start" : i == 1 ? "middle" : "end";

		fmt_value(buf, sizeof(buf), v);
		strbuf_addf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"%s\" " FONT " fill=\"#59636e\">%s",
			    px, L_TOP + L_PLOT_H + 16, anchor, buf);
		if (x_unit && *x_unit) {
			strbuf_addch(out, ' ');
			twa_html_escape(out, x_unit);
		}
		strbuf_addstr(out, "</text>\n");
	}
}

/* One series: a polyline, or a dot when there is one point. */
static void lines_series(struct strbuf *out, const struct line_plot *p,
			 const struct twa_svg_series *s, size_t k)
{
	const char *color = palette[k];
	size_t i;

	strbuf_addf(out, "<g class=\"series s%zu\"><title>", k);
	twa_html_escape(out, s->label ? s->label : "");
	strbuf_addstr(out, "</title>\n");
	if (p->n_points > 1)
		strbuf_addf(out, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
			    "stroke-linejoin=\"round\" points=\"", color);
	for (i = 0; i < p->n_points; i++) {
		double xv = isfinite(p->x[i]) ? p->x[i] : p->x0;
		double px = L_LEFT + p->plot_w * (xv - p->x0) / (p->x1 - p->x0);
		double py = L_TOP + L_PLOT_H - L_PLOT_H * clean(s->y[i]) / p->ymax;

		if (px < L_LEFT)
			px = L_LEFT;
		if (px > L_LEFT + p->plot_w)
			px = L_LEFT + p->plot_w;
		if (p->n_points > 1)
			strbuf_addf(out, "%s%.1f,%.1f", i ? " " : "", px, py);
		else
			strbuf_addf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n",
				    px, py, color);
	}
	if (p->n_points > 1)
		strbuf_addstr(out, "\"/>\n");
	strbuf_addstr(out, "</g>\n");
}

/* Legend, two columns: colour, label, last value. */
static void lines_legend(struct strbuf *out, const struct line_plot *p,
			 const struct twa_svg_series *series, size_t n_series)
{
	char buf[64], label[64];
	size_t k;

	for (k = 0; k < n_series; k++) {
		double lx = 8 + (double)(k % 2) * (TWA_SVG_WIDTH / 2.0);
		double ly = L_TOP + L_PLOT_H + L_AXIS_H + L_LEGEND_ROW * (double)(k / 2);

		short_label(label, sizeof(label), series[k].label ? series[k].label : "", 24);
		fmt_value(buf, sizeof(buf), clean(series[k].y[p->n_points - 1]));
		strbuf_addf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"4\" fill=\"%s\"/>\n",
			    lx, ly + 4, palette[k]);
		strbuf_addf(out, "<text x=\"%.1f\" y=\"%.1f\" " FONT " fill=\"#1f2328\">", lx + 18, ly + 10);
		twa_html_escape(out, label);
		strbuf_addf(out, " (last %s)</text>\n", buf);
	}
}

int twa_svg_lines(struct strbuf *out, const char *title, const char *x_unit,
		  const double *x, size_t n_points,
		  const struct twa_svg_series *series, size_t n_series)
{
	struct line_plot p = { .x = x, .n_points = n_points,
			       .plot_w = TWA_SVG_WIDTH - L_LEFT - L_RIGHT };
	size_t i, k, rows;
	double height;

	if (!n_points || !n_series)
		return no_data(out, title);
	if (n_series > TWA_SVG_MAX_SERIES)
		n_series = TWA_SVG_MAX_SERIES;
	for (k = 0; k < n_series; k++)
		for (i = 0; i < n_points; i++)
			if (clean(series[k].y[i]) > p.ymax)
				p.ymax = clean(series[k].y[i]);
	p.ymax = twa_svg_nice_ceil(p.ymax);
	p.x0 = isfinite(x[0]) ? x[0] : 0;
	p.x1 = isfinite(x[n_points - 1]) ? x[n_points - 1] : p.x0;
	if (p.x1 <= p.x0)
		p.x1 = p.x0 + 1;
	rows = (n_series + 1) / 2;
	height = L_TOP + L_PLOT_H + L_AXIS_H + L_LEGEND_ROW * (double)rows + 4;
	svg_open(out, title, height);
	lines_axes(out, &p, x_unit);
	for (k = 0; k < n_series; k++)
		lines_series(out, &p, &series[k], k);
	lines_legend(out, &p, series, n_series);
	return strbuf_addstr(out, "</svg>\n") < 0 ? -ENOMEM : 0;
}
