/* SPDX-License-Identifier: MIT */
/* help.h - help rendered from the command and option declarations. */
#ifndef TWA_CMD_HELP_H
#define TWA_CMD_HELP_H

#include "cmd/cmd.h"

/* A command's help (usage, options, formats, notes, global options). */
void twa_help_command(const struct twa_cmd_entry *e);
/* The top-level help: every command, the global options, exit codes. */
void twa_help_overview(const struct twa_cmd_entry *const *cmds);
void twa_help_version(void);

#endif
