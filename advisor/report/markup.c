/* SPDX-License-Identifier: MIT */
/* markup.c - HTML and Markdown escaping, record tables, the report page's stylesheet. */
#include "advisor/report/markup.h"
#include "advisor/facts/sysctl_key.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* U+FFFD REPLACEMENT CHARACTER */
#define REPLACEMENT "\xef\xbf\xbd"

static bool is_ctl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

int twa_html_escape(struct strbuf *out, const char *s)
{
	const unsigned char *p;
	int r = 0;

	for (p = (const unsigned char *)s; *p && r >= 0; p++) {
		switch (*p) {
		case '&':
			r = strbuf_addstr(out, "&amp;");
			break;
		case '<':
			r = strbuf_addstr(out, "&lt;");
			break;
		case '>':
			r = strbuf_addstr(out, "&gt;");
			break;
		case '"':
			r = strbuf_addstr(out, "&quot;");
			break;
		case '\'':
			r = strbuf_addstr(out, "&#39;");
			break;
		case '\t':
		case '\n':
			r = strbuf_addch(out, (char)*p);
			break;
		default:
			r = is_ctl(*p) ? strbuf_addstr(out, REPLACEMENT) :
					 strbuf_addch(out, (char)*p);
		}
	}
	return r < 0 ? r : 0;
}

static bool alnum_at(const unsigned char *s, const unsigned char *p)
{
	return p >= s && *p && (isalnum(*p) || *p >= 0x80);
}

int twa_md_escape(struct strbuf *out, const char *s)
{
	const unsigned char *start = (const unsigned char *)s, *p;
	int r = 0;

	for (p = start; *p && r >= 0; p++) {
		unsigned char c = *p;

		if (is_ctl(c)) {
			r = strbuf_addch(out, ' ');
			continue;
		}
		switch (c) {
		case ']':
			/* Without a reference definition (which must start a
			 * line, and these strings never do), brackets link only
			 * as [text](url): escaping the ] before ( or [ is enough,
			 * and "sockgen[4242]" stays readable. */
			if (p[1] == '(' || p[1] == '[')
				r = strbuf_addch(out, '\\');
			break;
		case '>':
			/* a block quote only at the start of a line */
			if (p == start)
				r = strbuf_addch(out, '\\');
			break;
		case '_':
			/* Between two letters or digits an underscore cannot
			 * open or close emphasis (CommonMark's flanking rules):
			 * TIME_WAIT and tcp_tw_reuse stay readable. */
			if (p > start && alnum_at(start, p - 1) && alnum_at(start, p + 1))
				break;
			__attribute__((fallthrough)); /* clang reads no comment */
		case '\\':
		case '`':
		case '*':
		case '<':
		case '|':
		case '~':
			r = strbuf_addch(out, '\\');
			break;
		case '&':
			if (isalpha(p[1]) || p[1] == '#')
				r = strbuf_addch(out, '\\');
			break;
		default:
			break;
		}
		if (r >= 0)
			r = strbuf_addch(out, (char)c);
	}
	return r < 0 ? r : 0;
}

/* The longest run of backticks in s. */
static size_t longest_tick_run(const char *s)
{
	size_t best = 0, run = 0;

	for (; *s; s++) {
		run = *s == '`' ? run + 1 : 0;
		if (run > best)
			best = run;
	}
	return best;
}

int twa_md_code(struct strbuf *out, const char *s)
{
	size_t ticks = longest_tick_run(s) + 1;
	bool pad;
	const unsigned char *p;

	if (strpbrk(s, "|<") || !*s)
		return twa_md_escape(out, s);
	/* A span starting or ending with a backtick needs a space inside the
	 * fence; CommonMark strips one space on each side. */
	pad = s[0] == '`' || s[strlen(s) - 1] == '`' ||
	      (s[0] == ' ' && s[strlen(s) - 1] == ' ');
	strbuf_addchars(out, '`', ticks);
	if (pad)
		strbuf_addch(out, ' ');
	for (p = (const unsigned char *)s; *p; p++)
		strbuf_addch(out, is_ctl(*p) ? ' ' : (char)*p);
	if (pad)
		strbuf_addch(out, ' ');
	return strbuf_addchars(out, '`', ticks);
}

int twa_md_fence(struct strbuf *out, const char *lang, const char *text)
{
	size_t ticks = longest_tick_run(text) + 1;
	size_t len = strlen(text);
	const unsigned char *p;

	if (ticks < 3)
		ticks = 3;
	strbuf_addchars(out, '`', ticks);
	strbuf_addf(out, "%s\n", lang ? lang : "");
	for (p = (const unsigned char *)text; *p; p++) {
		if (is_ctl(*p) && *p != '\n' && *p != '\t')
			strbuf_addstr(out, REPLACEMENT);
		else
			strbuf_addch(out, (char)*p);
	}
	if (len && text[len - 1] != '\n')
		strbuf_addch(out, '\n');
	strbuf_addchars(out, '`', ticks);
	return strbuf_addch(out, '\n');
}

void twa_report_cell(const struct twa_field *f, const void *rec, char *buf,
		     size_t size)
{
	twa_rec_cell(f, rec, buf, size);
	twa_sysctl_value_display(buf, buf, size);
}

#define MAX_COLS 16
#define CELL_MAX 1024

static size_t columns(const struct twa_field *fields,
		      const struct twa_field **cols)
{
	const struct twa_field *f;
	size_t n = 0;

	for (f = fields; f->key && n < MAX_COLS; f++)
		if (f->header)
			cols[n++] = f;
	return n;
}

int twa_md_rec_table(struct strbuf *out, const struct twa_field *fields,
		     const void *recs, size_t n, size_t stride)
{
	const struct twa_field *cols[MAX_COLS];
	size_t ncols = columns(fields, cols), i, c;
	char cell[CELL_MAX];

	strbuf_addch(out, '|');
	for (c = 0; c < ncols; c++) {
		strbuf_addch(out, ' ');
		twa_md_escape(out, cols[c]->header);
		strbuf_addstr(out, " |");
	}
	strbuf_addstr(out, "\n|");
	for (c = 0; c < ncols; c++)
		strbuf_addstr(out, cols[c]->right ? " ---: |" : " --- |");
	strbuf_addch(out, '\n');
	for (i = 0; i < n; i++) {
		const void *rec = (const char *)recs + i * stride;

		strbuf_addch(out, '|');
		for (c = 0; c < ncols; c++) {
			twa_report_cell(cols[c], rec, cell, sizeof(cell));
			strbuf_addch(out, ' ');
			twa_md_escape(out, cell);
			strbuf_addstr(out, " |");
		}
		strbuf_addch(out, '\n');
	}
	return strbuf_failed(out) ? -ENOMEM : 0;
}

int twa_html_rec_table(struct strbuf *out, const struct twa_field *fields,
		       const void *recs, size_t n, size_t stride,
		       const char *cls)
{
	const struct twa_field *cols[MAX_COLS];
	size_t ncols = columns(fields, cols), i, c;
	char cell[CELL_MAX];

	strbuf_addstr(out, "<div class=\"wrap\"><table");
	if (cls) {
		strbuf_addstr(out, " class=\"");
		twa_html_escape(out, cls);
		strbuf_addch(out, '"');
	}
	strbuf_addstr(out, "><thead><tr>");
	for (c = 0; c < ncols; c++) {
		strbuf_addstr(out, cols[c]->right ? "<th class=\"num\">" : "<th>");
		twa_html_escape(out, cols[c]->header);
		strbuf_addstr(out, "</th>");
	}
	strbuf_addstr(out, "</tr></thead>\n<tbody>\n");
	for (i = 0; i < n; i++) {
		const void *rec = (const char *)recs + i * stride;

		strbuf_addstr(out, "<tr>");
		for (c = 0; c < ncols; c++) {
			twa_report_cell(cols[c], rec, cell, sizeof(cell));
			strbuf_addstr(out, "<td data-label=\"");
			twa_html_escape(out, cols[c]->header);
			strbuf_addstr(out, cols[c]->right ? "\" class=\"num\">" : "\">");
			twa_html_escape(out, cell);
			strbuf_addstr(out, "</td>");
		}
		strbuf_addstr(out, "</tr>\n");
	}
	strbuf_addstr(out, "</tbody></table></div>\n");
	return strbuf_failed(out) ? -ENOMEM : 0;
}

/* Everything inline: no fonts, images or scripts are fetched, so the file
 * reads the same offline, attached to a ticket, or printed. System font
 * stacks only. Tables turn into stacked cards below 640 px. */
static const char stylesheet[] =
	":root{--crit:#b3261e;--warn:#8a5300;--info:#0b57a4;--ok:#1e7b34;"
	"--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--head:#f6f8fa;--code:#f3f4f6}\n"
	"*{box-sizing:border-box}\n"
	"html{-webkit-text-size-adjust:100%;text-size-adjust:100%}\n"
	"body{margin:0 auto;max-width:1120px;padding:16px 20px;color:var(--fg);background:#fff;"
	"font:15px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,sans-serif}\n"
	"h1{font-size:1.45em;margin:.2em 0 .4em;overflow-wrap:anywhere}\n"
	"h2{font-size:1.15em;margin:1.6em 0 .5em;padding-bottom:.2em;border-bottom:1px solid var(--line)}\n"
	"p{margin:.4em 0}\n"
	".muted{color:var(--muted)}\n"
	".verdict{margin:.6em 0;padding:.6em .8em;border-left:6px solid var(--ok);"
	"background:var(--head);border-radius:4px;font-weight:600;overflow-wrap:anywhere}\n"
	".verdict.critical{border-left-color:var(--crit)}\n"
	".verdict.warning{border-left-color:var(--warn)}\n"
	".verdict.unknown{border-left-color:var(--muted)}\n"
	".sev{display:inline-block;min-width:5.5em;white-space:nowrap;padding:.05em .45em;border-radius:3px;color:#fff;"
	"background:var(--ok);font-size:.78em;font-weight:700;text-align:center;letter-spacing:.03em}\n"
	".sev.critical{background:var(--crit)}\n"
	".sev.warning{background:var(--warn)}\n"
	".sev.info{background:var(--info)}\n"
	".sev.unknown{background:var(--muted)}\n"
	".sev.none{background:none;color:var(--muted);font-weight:400}\n"
	".wrap{overflow-x:auto;margin:.4em 0}\n"
	"table{border-collapse:collapse;width:100%;font-size:.92em}\n"
	"th,td{border:1px solid var(--line);padding:.35em .55em;text-align:left;vertical-align:top;"
	"overflow-wrap:break-word}\n"
	"th{background:var(--head);font-weight:600}\n"
	".num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
	"table.matrix th[scope=row]{white-space:nowrap}\n"
	"td.cell-critical{background:#fbe9e7}\n"
	"td.cell-warning{background:#fff4e0}\n"
	"td.cell-info{background:#e8f1fb}\n"
	"code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,\"Liberation Mono\",monospace;"
	"font-size:.88em}\n"
	"code{background:var(--code);padding:0 .25em;border-radius:3px}\n"
	"pre{background:var(--code);padding:.7em .8em;border-radius:4px;overflow-x:auto;white-space:pre}\n"
	"pre code{background:none;padding:0}\n"
	"ul.ev{margin:0;padding-left:1.1em}\n"
	".charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,360px),1fr));gap:18px}\n"
	"figure{margin:0;min-width:0}\n"
	"figcaption{font-size:.88em;color:var(--muted);margin-top:.3em}\n"
	"svg{display:block;width:100%;height:auto;max-width:760px}\n"
	"svg text{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,Arial,sans-serif}\n"
	"dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.25em 1.2em;margin:.4em 0}\n"
	"dl.meta dt{font-weight:600}\n"
	"dl.meta dd{margin:0;overflow-wrap:anywhere}\n"
	"footer{margin-top:2em;font-size:.85em;color:var(--muted)}\n"
	"@media (max-width:640px){\n"
	"body{padding:10px 12px;font-size:14px}\n"
	"table.cards,table.cards tbody,table.cards tr,table.cards td{display:block;width:100%}\n"
	"table.cards thead{display:none}\n"
	"table.cards tr{border:1px solid var(--line);border-radius:4px;margin:0 0 .7em}\n"
	"table.cards td{border:0;border-bottom:1px solid var(--line);text-align:left;white-space:normal}\n"
	"table.cards td:last-child{border-bottom:0}\n"
	"table.cards td::before{content:attr(data-label);display:block;font-size:.75em;"
	"font-weight:600;color:var(--muted);text-transform:uppercase}\n"
	"dl.meta{grid-template-columns:1fr}\n"
	"dl.meta dd{margin-bottom:.4em}\n"
	"}\n"
	"@media print{\n"
	"body{max-width:none;padding:0;font-size:10pt;color:#000}\n"
	"*{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
	".wrap{overflow:visible}\n"
	"pre{white-space:pre-wrap;overflow-wrap:anywhere}\n"
	"h2{break-after:avoid;page-break-after:avoid}\n"
	"tr,figure,pre,.verdict{break-inside:avoid;page-break-inside:avoid}\n"
	"thead{display:table-header-group}\n"
	".charts{display:block}\n"
	"figure{margin-bottom:12pt}\n"
	"svg{max-width:16cm}\n"
	"a{color:inherit;text-decoration:none}\n"
	"}\n";

int twa_html_begin(struct strbuf *out, const char *title)
{
	strbuf_addstr(out,
		      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		      "style-src 'unsafe-inline'\">\n"
		      "<meta name=\"generator\" content=\"twadvise\">\n<title>");
	twa_html_escape(out, title);
	strbuf_addstr(out, "</title>\n<style>\n");
	strbuf_addstr(out, stylesheet);
	return strbuf_addstr(out, "</style>\n</head>\n<body>\n");
}

int twa_html_end(struct strbuf *out)
{
	return strbuf_addstr(out, "</body>\n</html>\n");
}
