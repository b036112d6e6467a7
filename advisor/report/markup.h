/* SPDX-License-Identifier: MIT */
/* markup.h - escaping for HTML and Markdown, record tables in both, the report page's shell (pure). */
#ifndef TWA_MARKUP_H
#define TWA_MARKUP_H

#include <stddef.h>

#include "advisor/facts/record.h"
#include "advisor/util/strbuf.h"

/* s escaped for HTML/XML text and attribute values: & < > " ' become
 * entities; control characters other than tab and newline become U+FFFD
 * (XML 1.0 cannot carry them at all). Returns 0 or -ENOMEM. */
int twa_html_escape(struct strbuf *out, const char *s);

/*
 * s as inline Markdown text that renders literally on GitHub, GitLab and
 * Jira's Markdown: the characters that could start markup, a link or raw
 * HTML are backslash-escaped (\ ` * < | ~ always; _ unless between two
 * letters or digits; ] before ( or [; & before a letter or #; > at the
 * start), and newlines, tabs and other control characters become spaces,
 * so the text also stays inside one table cell. The string must not start
 * a line in the output after a list marker or heading that it could
 * extend: callers put it after other text or a table pipe.
 */
int twa_md_escape(struct strbuf *out, const char *s);
/* s as a Markdown code span, with a backtick fence longer than any run in
 * s; control characters become spaces. A pipe cannot be escaped inside a
 * code span in every renderer, and a '<' could open raw HTML in some, so a
 * string holding either is written as escaped text instead. */
int twa_md_code(struct strbuf *out, const char *s);
/* A fenced code block (lang may be NULL) with a fence longer than any
 * backtick run in text; text ends with or without a newline. Control
 * characters other than newline and tab become U+FFFD. */
int twa_md_fence(struct strbuf *out, const char *lang, const char *text);

/* n records of stride bytes as a Markdown table: the fields with a header,
 * right-aligned numbers, cells escaped. */
int twa_md_rec_table(struct strbuf *out, const struct twa_field *fields,
		     const void *recs, size_t n, size_t stride);
/* The same as an HTML table (class cls, may be NULL); each cell carries
 * its header in data-label for the narrow-screen layout. */
int twa_html_rec_table(struct strbuf *out, const struct twa_field *fields,
		       const void *recs, size_t n, size_t stride,
		       const char *cls);

/* A record field as text for a report cell: tabs become spaces. */
void twa_report_cell(const struct twa_field *f, const void *rec, char *buf,
		     size_t size);

/* <!DOCTYPE html> to <body>: the one stylesheet (screen, narrow screens,
 * print) and a Content-Security-Policy that forbids every external
 * resource; title is escaped. */
int twa_html_begin(struct strbuf *out, const char *title);
int twa_html_end(struct strbuf *out);

#endif
