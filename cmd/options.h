/* SPDX-License-Identifier: MIT */
/* options.h - the one option parser and runner every command goes through. */
#ifndef TWA_CMD_OPTIONS_H
#define TWA_CMD_OPTIONS_H

#include "cmd/cmd.h"

/* Returned (negative, never an exit code) when -h/--help or --version was
 * given: the caller shows it and decides the exit. */
enum { TWA_PARSED_HELP = -2, TWA_PARSED_VERSION = -3 };

/* The global options, accepted before and after the command. */
extern const struct twa_cmd_option twa_global_options[];

/* Global options before the command: stops at the first operand, leaving
 * c->argc/c->argv at it. c->entry is NULL. Returns 0, TWA_PARSED_* or an
 * exit code after printing. */
int twa_parse_globals(struct twa_cmd *c, int argc, char **argv);

/* The command named name in the NULL-terminated list, or NULL. */
const struct twa_cmd_entry *twa_cmd_find(const struct twa_cmd_entry *const *cmds,
					 const char *name);

/* Run entry with argv (argv[0] is its name) after the globals g: parse
 * global and own options, check --format, entry->check, the setup its
 * needs ask for, then entry->exec. Returns exec's exit status, an exit
 * code after printing, or TWA_PARSED_*. */
int twa_cmd_run(const struct twa_cmd_entry *entry, const struct twa_cmd_entry *const *cmds,
		const struct twa_globals *g, int argc, char **argv);

/* A usage error of command c: prints with the help hint, returns 64. */
int twa_cmd_usage(const struct twa_cmd *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* An operand where the command takes none: 0, or 64 after printing. */
int twa_cmd_no_operands(struct twa_cmd *c);

#endif
