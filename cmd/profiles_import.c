/* SPDX-License-Identifier: MIT */
/* profiles_import.c - `twadvise profiles import FILE|DIR --format tuned`: TuneD profiles become twadvise profiles. */
#include "cmd/profiles_import.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "advisor/profile/profile_load.h"
#include "advisor/profile/tuned.h"
#include "advisor/util/fsutil.h"
#include "cmd/errors.h"
#include "cmd/options.h"
#include "cmd/output.h"
#include "cmd/profile_path.h"

struct tset {
	struct twa_tuned *t;
	size_t n;
};

static void tset_release(struct tset *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		twa_tuned_release(&s->t[i]);
	free(s->t);
}

/* A twadvise profile name: 1-63 of [a-z0-9_-]. */
static bool name_ok(const char *s)
{
	size_t n = strlen(s);

	return n && n < 64 && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

static int read_one(const char *file, const char *name, struct tset *set)
{
	struct strbuf buf = STRBUF_INIT;
	struct twa_err err = { 0 };
	struct twa_tuned *t = realloc(set->t, (set->n + 1) * sizeof(*t));
	int r;

	if (!t) {
		twa_errorf("out of memory");
		return EXIT_SOFTWARE;
	}
	set->t = t;
	t = &t[set->n];
	if (!name_ok(name)) {
		twa_err_set_at(&err, -EBADMSG, file, 0, 0,
			       "TuneD profile '%.64s': a twadvise profile name is 1-63 characters of [a-z0-9_-]",
			       name);
		return twa_fail(&err);
	}
	r = twa_read_file(file, TWA_TUNED_MAX_BYTES, &buf, &err);
	if (r == 0)
		r = twa_tuned_parse(buf.buf, buf.len, file, name, t, &err);
	strbuf_release(&buf);
	if (r == 0 && (r = twa_tuned_check_known(t, &err)) < 0)
		twa_tuned_release(t);
	if (r < 0)
		return twa_fail(&err);
	set->n++;
	return 0;
}

static bool has_tuned_conf(const char *dir, char *path, size_t size)
{
	struct stat st;

	return (size_t)snprintf(path, size, "%s/tuned.conf", dir) < size &&
	       lstat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Every subdirectory of dir holding a tuned.conf, in name order; others
 * are named on stderr. No profile at all: 66. */
static int read_dir(const char *dir, struct tset *set)
{
	struct dirent **ents = NULL;
	char sub[4096], conf[4200];
	int i, n = scandir(dir, &ents, NULL, alphasort), r = 0;

	if (n < 0) {
		twa_errorf("%s: %s", dir, strerror(errno));
		return errno == ENOENT ? EXIT_NOINPUT : EXIT_DATAERR;
	}
	for (i = 0; i < n; i++) {
		struct stat st;

		snprintf(sub, sizeof(sub), "%s/%s", dir, ents[i]->d_name);
		if (r == 0 && ents[i]->d_name[0] != '.' && lstat(sub, &st) == 0 &&
		    S_ISDIR(st.st_mode)) {
			if (has_tuned_conf(sub, conf, sizeof(conf)))
				r = read_one(conf, ents[i]->d_name, set);
			else
				twa_warnf("%s: no tuned.conf in it, not a TuneD profile: not imported", sub);
		}
		free(ents[i]);
	}
	free(ents);
	if (r == 0 && !set->n) {
		twa_errorf("%s/tuned.conf: no such file, and no subdirectory holds one: not a TuneD profile directory",
			   dir);
		return EXIT_NOINPUT;
	}
	return r;
}

static const struct twa_tuned *find(const struct tset *set, const char *name)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (!strcmp(set->t[i].name, name))
			return &set->t[i];
	return NULL;
}

/* The include chain of t within the set: a loop is an error at the include. */
static int check_loop(const struct tset *set, const struct twa_tuned *t)
{
	const struct twa_tuned *p = t;
	struct twa_err err = { 0 };
	size_t hops = 0;

	while (p->include[0] && (p = find(set, p->include)) && hops++ <= set->n)
		if (p == t) {
			twa_err_set_at(&err, -ELOOP, t->file, t->include_line, 1,
				       "include loop: '%s' comes back to itself through include=%s",
				       t->name, t->include);
			return twa_fail(&err);
		}
	return 0;
}

/* Each include names a profile imported together or on the search path. */
static int resolve(const struct tset *set)
{
	struct twa_profile_search s;
	size_t i;
	int r;

	twa_cmd_profile_search(&s);
	for (i = 0; i < set->n; i++) {
		const struct twa_tuned *t = &set->t[i];
		struct twa_err err = { 0 };
		struct twa_profile p;

		if (!t->include[0] || find(set, t->include)) {
			if ((r = check_loop(set, t)) != 0)
				return r;
			continue;
		}
		if (twa_profile_load(t->include, &s, NULL, NULL, &p, &err) == 0) {
			twa_profile_release(&p);
			continue;
		}
		twa_err_set_at(&err, -ENOENT, t->file, t->include_line, 1,
			       "include=%s: no such profile among those imported together, nor on the profile search path",
			       t->include);
		return twa_fail(&err);
	}
	return 0;
}

static void report_skips(const struct tset *set)
{
	size_t i, k;

	for (i = 0; i < set->n; i++)
		for (k = 0; k < set->t[i].n_skips; k++)
			twa_warnf("%s:%u: not imported: %s", set->t[i].file, set->t[i].skips[k].line,
				  set->t[i].skips[k].what);
}

/* Render every profile first, then write: an error writes nothing. */
static int render(const struct tset *set, struct strbuf *outs)
{
	struct twa_err err = { 0 };
	size_t i;

	for (i = 0; i < set->n; i++)
		if (twa_tuned_to_yaml(&set->t[i], set->t[i].include, &outs[i], &err) < 0)
			return twa_fail(&err);
	return 0;
}

static int write_dir(const char *dir, const struct tset *set, const struct strbuf *outs)
{
	struct twa_err err = { 0 };
	char path[4200];
	size_t i;

	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		twa_errorf("%s: %s", dir, strerror(errno));
		return EXIT_CANTCREAT;
	}
	for (i = 0; i < set->n; i++) {
		snprintf(path, sizeof(path), "%s/%s.yaml", dir, set->t[i].name);
		if (twa_file_replace(path, outs[i].buf, outs[i].len, 0644, &err) < 0)
			return twa_fail(&err);
	}
	return 0;
}

static int write_set(const struct twa_globals *g, bool many, const struct tset *set)
{
	struct strbuf *outs = calloc(set->n, sizeof(*outs));
	size_t i;
	int r;

	if (!outs)
		return EXIT_SOFTWARE;
	for (i = 0; i < set->n; i++)
		strbuf_init(&outs[i], 0);
	r = render(set, outs);
	if (r == 0)
		r = many ? write_dir(g->output, set, outs) : twa_write_output(g, &outs[0]);
	if (r == 0 && !g->quiet && many)
		fprintf(stderr, "imported %zu TuneD profiles into %s\n", set->n, g->output);
	for (i = 0; i < set->n; i++)
		strbuf_release(&outs[i]);
	free(outs);
	return r;
}

/* FILE (a tuned.conf), a profile directory, or a directory of them. */
static int read_input(const char *in, struct tset *set, bool *many)
{
	char conf[4200], name[4200];
	const char *slash;
	struct stat st;

	*many = false;
	if (stat(in, &st) < 0) {
		twa_errorf("%s: %s", in, strerror(errno));
		return EXIT_NOINPUT;
	}
	if (S_ISDIR(st.st_mode) && !has_tuned_conf(in, conf, sizeof(conf))) {
		*many = true;
		return read_dir(in, set);
	}
	if (!S_ISDIR(st.st_mode))
		snprintf(conf, sizeof(conf), "%s", in);
	/* The profile's name is its directory's. */
	snprintf(name, sizeof(name), "%s", conf);
	*strrchr(name, '/') = '\0';
	slash = strrchr(name, '/');
	return read_one(conf, slash ? slash + 1 : name, set);
}

int twa_profiles_import(struct twa_cmd *c)
{
	const char *fmt = c->g.format ? c->g.format : "tuned";
	struct tset set = { NULL, 0 };
	bool many;
	int r;

	if (c->argc != 2)
		return twa_cmd_usage(c, "import needs one TuneD tuned.conf FILE or DIR");
	if (strcmp(fmt, "tuned"))
		return twa_cmd_usage(c, "import --format takes tuned, not '%s'", fmt);
	if (!strchr(c->argv[1], '/') && strcmp(c->argv[1], "tuned.conf"))
		return twa_cmd_usage(c, "import reads a tuned.conf FILE or a DIR (a path), not '%s'",
				     c->argv[1]);
	r = read_input(c->argv[1], &set, &many);
	if (r == 0 && many && !c->g.output)
		r = twa_cmd_usage(c, "importing a directory of profiles needs -o DIR for them");
	if (r == 0)
		r = resolve(&set);
	if (r == 0) {
		report_skips(&set);
		r = write_set(&c->g, many, &set);
	}
	tset_release(&set);
	return r;
}
