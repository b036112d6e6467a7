/* SPDX-License-Identifier: MIT */
/* tuned.c - TuneD's tuned.conf read the way TuneD reads it, and the twadvise profile it becomes (pure). */
#include "advisor/profile/tuned.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <yaml.h>

#include "advisor/facts/sysctl_db.h"
#include "advisor/profile/profile.h"
#include "advisor/util/parse.h"

void twa_tuned_release(struct twa_tuned *t)
{
	if (!t)
		return;
	free(t->sysctls);
	free(t->skips);
	memset(t, 0, sizeof(*t));
}

struct tctx {
	const char *file;
	struct twa_tuned *t;
	struct twa_err *err;
	char section[128];
	bool in_section;
	unsigned line;
};

static int at(struct tctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int at(struct tctx *c, const char *fmt, ...)
{
	char msg[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return twa_err_set_at(c->err, -EBADMSG, c->file, c->line, 1, "%s", msg);
}

static bool blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f' || ch == '\v';
}

/* Copy s (n bytes) without its blank ends into out, printable only. */
static void trim_copy(char *out, size_t size, const char *s, size_t n)
{
	while (n && blank(*s)) {
		s++;
		n--;
	}
	while (n && blank(s[n - 1]))
		n--;
	if (n >= size)
		n = size - 1;
	memmove(out, s, n);	/* out may be s */
	out[n] = '\0';
}

/* One line for a header comment or stderr: control bytes become '?'. */
static void printable(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			*s = '?';
}

static int skip(struct tctx *c, const char *kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int skip(struct tctx *c, const char *kind, const char *fmt, ...)
{
	struct twa_tuned *t = c->t;
	struct twa_tuned_skip *s;
	va_list ap;

	s = realloc(t->skips, (t->n_skips + 1) * sizeof(*s));
	if (!s)
		return twa_err_set(c->err, -ENOMEM, "out of memory");
	t->skips = s;
	s = &s[t->n_skips++];
	memset(s, 0, sizeof(*s));
	snprintf(s->kind, sizeof(s->kind), "%.31s", kind);
	printable(s->kind);
	va_start(ap, fmt);
	vsnprintf(s->what, sizeof(s->what), fmt, ap);
	va_end(ap);
	printable(s->what);
	s->line = c->line;
	return 0;
}

/* TuneD's unit options: they steer the plugin, they are not sysctls. */
static bool unit_option(const char *key)
{
	static const char *const opts[] = { "type", "enabled", "replace", "drop", "devices",
		"devices_udev_regex", "script_pre", "script_post", "priority",
		"cpuinfo_regex", "uname_regex", NULL };
	size_t i;

	for (i = 0; opts[i]; i++)
		if (!strcmp(key, opts[i]))
			return true;
	return false;
}

/* TuneD's unquote: one pair of double quotes around the whole value. */
static void unquote(char *v)
{
	size_t n = strlen(v);

	if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
		memmove(v, v + 1, n - 2);
		v[n - 2] = '\0';
	}
}

static struct twa_tuned_sysctl *sysctl_slot(struct twa_tuned *t, const char *key)
{
	struct twa_tuned_sysctl *s;
	size_t i;

	for (i = 0; i < t->n_sysctls; i++)
		if (!strcmp(t->sysctls[i].key, key))
			return &t->sysctls[i];	/* configparser: the last one wins */
	s = realloc(t->sysctls, (t->n_sysctls + 1) * sizeof(*s));
	if (!s)
		return NULL;
	t->sysctls = s;
	s = &s[t->n_sysctls++];
	memset(s, 0, sizeof(*s));
	return s;
}

/* "${name}" or "${f:function:...}": what a value depends on. */
static void depends_on(const char *v, char *out, size_t size)
{
	const char *p = strstr(v, "${"), *e = p ? strchr(p, '}') : NULL;
	int n = e ? (int)(e - p + 1) : 40;

	snprintf(out, size, "%s %.*s", !strncmp(p, "${f:", 4) ? "function" : "variable", n, p);
}

static int sysctl_option(struct tctx *c, const char *key, char *value)
{
	struct twa_err sub = { 0 };
	struct twa_tuned_sysctl *s;
	char dep[120], op = '=';

	if (unit_option(key))
		return skip(c, "unit-option", "[%s] %s=%s: a TuneD unit option, not a sysctl",
			    c->section, key, value);
	unquote(value);
	if (strstr(value, "${")) {
		depends_on(value, dep, sizeof(dep));
		return skip(c, "variable", "[sysctl] %s=%s: its value depends on the %s, which only TuneD expands at run time",
			    key, value, dep);
	}
	if (twa_sysctl_key_check(key, &sub) < 0)
		return at(c, "[sysctl] %s", sub.msg);
	if (strlen(value) > 1 && (value[0] == '>' || value[0] == '<')) {
		int64_t v;

		op = value[0];
		memmove(value, value + 1, strlen(value));
		if (twa_parse_i64(value, strlen(value), &v) < 0)
			return at(c, "[sysctl] %s: '%c%.64s' compares with the current value, which needs an integer",
				  key, op, value);
	}
	if (twa_sysctl_value_check(value, &sub) < 0)
		return at(c, "[sysctl] %s: %s", key, sub.msg);
	if (!(s = sysctl_slot(c->t, key)))
		return twa_err_set(c->err, -ENOMEM, "out of memory");
	twa_strlcpy(s->key, key, sizeof(s->key));
	twa_strlcpy(s->value, value, sizeof(s->value));
	s->op = op;
	s->line = c->line;
	return 0;
}

static int include_option(struct tctx *c, const char *value)
{
	char dep[120];

	if (strstr(value, "${")) {
		depends_on(value, dep, sizeof(dep));
		return skip(c, "include", "[main] include=%s: the parent depends on the %s, which only TuneD expands; no extends",
			    value, dep);
	}
	if (strpbrk(value, ",;"))
		return at(c, "[main] include=%.200s: a twadvise profile extends one profile, not several",
			  value);
	if (strlen(value) >= sizeof(c->t->include))
		return at(c, "[main] include=%.64s...: too long", value);
	twa_strlcpy(c->t->include, value, sizeof(c->t->include));
	c->t->include_line = c->line;
	return 0;
}

static const char *section_kind(const char *section)
{
	if (!strcmp(section, "variables") || !strcmp(section, "script") ||
	    !strcmp(section, "bootloader"))
		return section;
	return "plugin";
}

static int option(struct tctx *c, char *key, char *value)
{
	if (!strcmp(c->section, "main")) {
		if (!strcmp(key, "summary")) {
			twa_strlcpy(c->t->summary, value, sizeof(c->t->summary));
			printable(c->t->summary);
			return 0;
		}
		if (!strcmp(key, "include"))
			return include_option(c, value);
		return skip(c, "main", "[main] %s=%s: not a TuneD setting twadvise carries", key,
			    value);
	}
	if (!strcmp(c->section, "sysctl"))
		return sysctl_option(c, key, value);
	return skip(c, section_kind(c->section), "[%s] %s=%s: TuneD's '%s' %s, not managed by twadvise",
		    c->section, key, value, c->section,
		    !strcmp(section_kind(c->section), "plugin") ? "plugin" : "section");
}

/* '#' after a blank starts an inline comment (configparser). */
static size_t cut_comment(const char *s, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++)
		if (s[i] == '#' && blank(s[i - 1]))
			return i;
	return n;
}

static int section_line(struct tctx *c, const char *v)
{
	const char *end = strrchr(v, ']');

	if (!end || end == v + 1)
		return at(c, "'%.64s' is not a section header", v);
	trim_copy(c->section, sizeof(c->section), v + 1, (size_t)(end - v - 1));
	c->in_section = true;
	if (strcmp(c->section, "main") && strcmp(c->section, "sysctl"))
		return skip(c, section_kind(c->section), "[%s]: TuneD's '%s' %s, not managed by twadvise",
			    c->section, c->section,
			    !strcmp(section_kind(c->section), "plugin") ? "plugin" : "section");
	return 0;
}

/* One logical line (comment cut, not blank). *cont: it continues an option. */
static int one_line(struct tctx *c, const char *s, size_t n, bool *in_option)
{
	char v[TWA_SYSCTL_VALUE_SIZE + 200], key[200];
	const char *eq;

	if (blank(s[0]) && *in_option) {
		if (strcmp(c->section, "main") && strcmp(c->section, "sysctl"))
			return 0;	/* more of an option already listed as not imported */
		return at(c, "a value continued on an indented line: a sysctl value is one line");
	}
	trim_copy(v, sizeof(v), s, n);
	if (n >= sizeof(v))
		return at(c, "line longer than %zu bytes", sizeof(v) - 1);
	if (v[0] == '[') {
		*in_option = false;
		return section_line(c, v);
	}
	if (!c->in_section)
		return at(c, "text before the first [section]: not a TuneD profile");
	eq = strchr(v, '=');
	if (!eq)
		return at(c, "'%.64s' has no '=': TuneD refuses the profile", v);
	trim_copy(key, sizeof(key), v, (size_t)(eq - v));
	if (!key[0])
		return at(c, "an option without a name");
	*in_option = true;
	memmove(v, eq + 1, strlen(eq + 1) + 1);
	trim_copy(v, sizeof(v), v, strlen(v));
	return option(c, key, v);
}

int twa_tuned_parse(const char *buf, size_t len, const char *file, const char *name,
		    struct twa_tuned *t, struct twa_err *err)
{
	struct tctx c = { .file = file, .t = t, .err = err };
	size_t pos = 0;
	bool in_option = false;
	int r;

	memset(t, 0, sizeof(*t));
	twa_strlcpy(t->name, name, sizeof(t->name));
	twa_strlcpy(t->file, file, sizeof(t->file));
	if (memchr(buf, '\0', len))
		return twa_err_set_at(err, -EBADMSG, file, 0, 0, "a NUL byte: not a text file");
	while (pos < len) {
		const char *s = buf + pos, *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos, k = 0;

		pos += n + (nl ? 1 : 0);
		c.line++;
		while (k < n && blank(s[k]))
			k++;
		if (k == n) {
			in_option = false;
			continue;
		}
		if (s[k] == '#' || s[k] == ';')
			continue;
		n = cut_comment(s, n);
		if ((r = one_line(&c, s, n, &in_option)) < 0) {
			twa_tuned_release(t);
			return r;
		}
	}
	return 0;
}

/* ---- the twadvise profile, through libyaml's emitter ---------------------- */

static int put(void *data, unsigned char *buf, size_t size)
{
	strbuf_add(data, buf, size);
	return 1;
}

static int emit(yaml_emitter_t *e, yaml_event_t *ev)
{
	return yaml_emitter_emit(e, ev) ? 0 : -1;
}

static int scalar(yaml_emitter_t *e, const char *s)
{
	yaml_event_t ev;

	yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)(uintptr_t)s,
				     (int)strlen(s), 1, 1, YAML_ANY_SCALAR_STYLE);
	return emit(e, &ev);
}

static int map_start(yaml_emitter_t *e)
{
	yaml_event_t ev;

	yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
	return emit(e, &ev);
}

static int map_end(yaml_emitter_t *e)
{
	yaml_event_t ev;

	yaml_mapping_end_event_initialize(&ev);
	return emit(e, &ev);
}

static int emit_sysctl(yaml_emitter_t *e, const struct twa_tuned_sysctl *s)
{
	if (scalar(e, s->key) < 0)
		return -1;
	if (s->op == '=')
		return scalar(e, s->value);
	if (map_start(e) < 0 || scalar(e, s->op == '>' ? "min" : "max") < 0 ||
	    scalar(e, s->value) < 0)
		return -1;
	return map_end(e);
}

/* The document: name, description, extends, sysctls. */
static int emit_profile(yaml_emitter_t *e, const struct twa_tuned *t, const char *extends,
			size_t only)
{
	size_t i;

	if (map_start(e) < 0 || scalar(e, "name") < 0 || scalar(e, t->name) < 0)
		return -1;
	if (t->summary[0] && (scalar(e, "description") < 0 || scalar(e, t->summary) < 0))
		return -1;
	if (extends && extends[0] && (scalar(e, "extends") < 0 || scalar(e, extends) < 0))
		return -1;
	if (scalar(e, "sysctls") < 0 || map_start(e) < 0)
		return -1;
	for (i = 0; i < t->n_sysctls; i++)
		if ((only == (size_t)-1 || only == i) && emit_sysctl(e, &t->sysctls[i]) < 0)
			return -1;
	return map_end(e) < 0 || map_end(e) < 0 ? -1 : 0;
}

static int emit_doc(const struct twa_tuned *t, const char *extends, size_t only,
		    struct strbuf *out, struct twa_err *err)
{
	yaml_emitter_t e;
	yaml_event_t ev;
	int r = -1;

	if (!yaml_emitter_initialize(&e))
		return twa_err_set(err, -ENOMEM, "out of memory");
	yaml_emitter_set_output(&e, put, out);
	yaml_emitter_set_width(&e, -1);
	yaml_emitter_set_unicode(&e, 0);
	yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
	if (emit(&e, &ev) == 0) {
		yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
		if (emit(&e, &ev) == 0 && emit_profile(&e, t, extends, only) == 0) {
			yaml_document_end_event_initialize(&ev, 1);
			if (emit(&e, &ev) == 0) {
				yaml_stream_end_event_initialize(&ev);
				r = emit(&e, &ev);
			}
		}
	}
	if (r < 0)
		twa_err_set(err, -EINVAL, "%s: the YAML emitter failed: %s", t->file,
			    e.problem ? e.problem : "?");
	yaml_emitter_delete(&e);
	return r < 0 ? -EINVAL : 0;
}

static void header(const struct twa_tuned *t, struct strbuf *out)
{
	size_t i;

	strbuf_addf(out, "# Imported by twadvise %s from TuneD profile '%s' (%s).\n", TWA_VERSION,
		    t->name, t->file);
	strbuf_addf(out, "# %zu sysctl%s imported.", t->n_sysctls, t->n_sysctls == 1 ? "" : "s");
	if (!t->n_skips) {
		strbuf_addstr(out, " Nothing left out.\n");
		return;
	}
	strbuf_addstr(out, " Not imported (twadvise manages sysctls only):\n");
	for (i = 0; i < t->n_skips; i++)
		strbuf_addf(out, "#   line %u: %s\n", t->skips[i].line, t->skips[i].what);
}

int twa_tuned_to_yaml(const struct twa_tuned *t, const char *extends, struct strbuf *out,
		      struct twa_err *err)
{
	header(t, out);
	if (emit_doc(t, extends, (size_t)-1, out, err) < 0)
		return -EINVAL;
	return strbuf_failed(out) ? twa_err_set(err, -ENOMEM, "out of memory") : 0;
}

int twa_tuned_check_known(const struct twa_tuned *t, struct twa_err *err)
{
	size_t i;
	int r = 0;

	for (i = 0; i < t->n_sysctls && r == 0; i++) {
		struct strbuf doc = STRBUF_INIT;
		struct twa_profile p;
		struct twa_err sub = { 0 };

		if (!twa_sysctl_def_find(t->sysctls[i].key))
			continue;
		twa_profile_init(&p);
		r = emit_doc(t, NULL, i, &doc, err);
		if (r == 0 && twa_profile_parse(doc.buf, doc.len, t->file, &p, NULL, NULL, &sub) < 0)
			r = twa_err_set_at(err, -EBADMSG, t->file, t->sysctls[i].line, 1,
					   "[sysctl] %s", sub.msg);
		twa_profile_release(&p);
		strbuf_release(&doc);
	}
	return r;
}
