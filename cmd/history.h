/* SPDX-License-Identifier: MIT */
/* history.h - the counter history of this host: which directory, read, compare, keep. */
#ifndef TWA_CMD_HISTORY_H
#define TWA_CMD_HISTORY_H

#include "advisor/facts/facts.h"
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

#endif
