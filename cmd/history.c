/* SPDX-License-Identifier: MIT */
/* history.c - the counter history of this host: which directory, read, compare, keep. */
#include "cmd/history.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advisor/apply/state.h"
#include "advisor/facts/history.h"
#include "advisor/inspect/history_io.h"
#include "advisor/util/parse.h"

static void note(const struct twa_globals *g, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* err as "FILE:LINE:COL: MSG", for the notes. */
static const char *where(const struct twa_err *err)
{
	static char buf[1100];

	twa_err_format(err, buf, sizeof(buf));
	return buf;
}

static void note(const struct twa_globals *g, const char *fmt, ...)
{
	va_list ap;

	if (!g->verbose)
		return;
	fputs("twadvise: note: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* $XDG_STATE_HOME/twadvise, else ~/.local/state/twadvise. */
static bool user_dir(char *buf, size_t size)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	int n;

	if (xdg && xdg[0] == '/')
		n = snprintf(buf, size, "%s/twadvise", xdg);
	else if (home && home[0] == '/')
		n = snprintf(buf, size, "%s/.local/state/twadvise", home);
	else
		return false;
	return n > 0 && (size_t)n < size;
}

static bool pick_dir(const struct twa_globals *g, bool create, char *buf, size_t size)
{
	const char *sd = g->state_dir ? g->state_dir : TWA_STATE_DIR_DEFAULT;
	struct twa_err err = { 0 };

	if (twa_history_dir_open(sd, create, false, &err) == 0) {
		twa_strlcpy(buf, sd, size);
		return true;
	}
	/* A directory named on purpose is not second-guessed. */
	if (g->state_dir) {
		note(g, "no counter history: %s", where(&err));
		return false;
	}
	if (!user_dir(buf, size)) {
		note(g, "no counter history: %s, and no per-user state directory", where(&err));
		return false;
	}
	note(g, "counter history: %s; using %s", where(&err), buf);
	if (twa_history_dir_open(buf, create, true, &err) == 0)
		return true;
	note(g, "no counter history: %s", where(&err));
	return false;
}

void twa_history_run_open(const struct twa_globals *g, enum twa_history_use use,
			  struct twa_history_run *run)
{
	struct twa_err err = { 0 };
	int r;

	memset(run, 0, sizeof(*run));
	run->use = use;
	twa_history_init(&run->h);
	if (use == TWA_HISTORY_OFF ||
	    !pick_dir(g, use == TWA_HISTORY_KEEP, run->dir, sizeof(run->dir)))
		return;
	run->usable = true;
	r = twa_history_load(run->dir, &run->h, &err);
	if (r < 0)
		note(g, "ignoring the counter history: %s", where(&err));
	/* A corrupt file is replaced; an unreadable one is left alone. */
	run->keep = use == TWA_HISTORY_KEEP && (r == 0 || r == -EBADMSG);
}

void twa_history_run_sample(const struct twa_globals *g, struct twa_history_run *run,
			    struct twa_facts *f)
{
	f->history.state = run->use == TWA_HISTORY_OFF ? TWA_HISTORY_DISABLED : TWA_HISTORY_NONE;
	if (!run->usable)
		return;
	if (twa_history_compare(&run->h, f, run->use == TWA_HISTORY_READ, &f->history) < 0)
		f->history.state = TWA_HISTORY_NONE;
	if (!run->keep)
		return;
	if (twa_history_record(&run->h, f) < 0) {
		note(g, "cannot keep the counter history: out of memory");
		run->keep = false;
	} else {
		run->dirty = true;
	}
}

void twa_history_run_close(const struct twa_globals *g, struct twa_history_run *run)
{
	struct twa_err err = { 0 };

	if (run->keep && run->dirty && twa_history_save(run->dir, &run->h, &err) < 0)
		note(g, "cannot keep the counter history: %s", where(&err));
	twa_history_release(&run->h);
	run->usable = run->keep = run->dirty = false;
}

void twa_cmd_history(const struct twa_globals *g, enum twa_history_use use,
		     struct twa_facts *f)
{
	struct twa_history_run run;

	twa_history_run_open(g, use, &run);
	twa_history_run_sample(g, &run, f);
	twa_history_run_close(g, &run);
}
