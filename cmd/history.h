/* SPDX-License-Identifier: MIT */
/* history.h - the counter history of this host: which directory, read, compare, keep. */
#ifndef TWA_CMD_HISTORY_H
#define TWA_CMD_HISTORY_H

#include <stdbool.h>

#include "advisor/facts/facts.h"
#include "advisor/facts/history.h"
#include "cmd/cmd.h"

/* What a command does with the history file. */
enum twa_history_use {
	TWA_HISTORY_READ,	/* compare with the last check (inspect, plan, report) */
	TWA_HISTORY_KEEP,	/* compare, then keep this run's sample (check) */
	TWA_HISTORY_OFF,	/* --no-history: neither read nor write */
};

/*
 * Fill f->history from the sample the last check kept for f's network
 * namespace, and with KEEP replace that sample with f's. The file lives
 * in the state directory when it is usable (KEEP makes it), else, when
 * --state-dir was not given, in $XDG_STATE_HOME/twadvise or
 * ~/.local/state/twadvise. A missing, corrupt or foreign file, or one
 * that cannot be written, is never fatal: -v says so.
 */
void twa_cmd_history(const struct twa_globals *g, enum twa_history_use use,
		     struct twa_facts *f);

/*
 * The same for a run over many namespaces (--all-netns): the file is read
 * once by open, each namespace compared (and with KEEP recorded) by
 * sample, and written once by close. Sampling a run that could not be
 * opened leaves f->history NONE (DISABLED for OFF), like twa_cmd_history.
 */
struct twa_history_run {
	enum twa_history_use use;
	bool usable;		/* a directory was found */
	bool keep;		/* write at close: loaded, or corrupt (replaced) */
	bool dirty;		/* a sample was recorded */
	char dir[1024];
	struct twa_history h;
};

void twa_history_run_open(const struct twa_globals *g, enum twa_history_use use,
			  struct twa_history_run *run);
void twa_history_run_sample(const struct twa_globals *g, struct twa_history_run *run,
			    struct twa_facts *f);
void twa_history_run_close(const struct twa_globals *g, struct twa_history_run *run);

#endif
