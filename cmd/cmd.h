/* SPDX-License-Identifier: MIT */
/* cmd.h - the command layer: globals, option and format declarations, command entries.
 *
 * A new command: cmd/NAME.c with its options struct, an option table, its
 * formats and a `const struct twa_cmd_entry twa_cmd_NAME` (needs flags,
 * check, exec); declare it below and add its pointer to main.c's table.
 * A new option: one row in its command's table (or in twa_global_options);
 * its help string is the help. A new format: one row in the command's
 * formats and a case in its render switch. Help (help.c), the option
 * parser and the --format check (options.c) follow from the declarations.
 */
#ifndef TWA_CMD_H
#define TWA_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef TWA_VERSION
#define TWA_VERSION "0.0.0"
#endif

/* sysexits.h, as the spec uses them. */
enum {
	EXIT_USAGE = 64,
	EXIT_DATAERR = 65,
	EXIT_NOINPUT = 66,
	EXIT_UNAVAILABLE = 69,
	EXIT_SOFTWARE = 70,
	EXIT_CANTCREAT = 73,
	EXIT_TEMPFAIL = 75,
	EXIT_NOPERM = 77,
};

struct twa_globals {
	const char *proc_root;
	const char *netns;
	bool all_netns;		/* --all-netns: every network namespace, one at a time */
	const char *pods_dir;	/* --pods-dir: the kubelet's pod log directories */
	const char *format;
	const char *output;
	const char *state_dir;
	const char *sysctl_dir;
	int quiet;
	int verbose;
	bool color;		/* resolved from --color, NO_COLOR and isatty */
	const char *color_mode;
};

struct twa_cmd;

/* What an option row does with its value. */
enum twa_opt_type {
	TWA_OPT_END,
	TWA_OPT_STRING,		/* const char * at offset */
	TWA_OPT_FLAG,		/* bool at offset, set to true */
	TWA_OPT_COUNT,		/* int at offset, incremented */
	TWA_OPT_SAMPLES,	/* uint64_t at offset: 1..100000 */
	TWA_OPT_INTERVAL,	/* double at offset: 0.01..59 seconds */
	TWA_OPT_CALLBACK,	/* cb(c, arg) checks and stores it */
	TWA_OPT_FLAG_CB,	/* no value: cb(c, NULL) decides */
	TWA_OPT_HELP,		/* -h, --help: the parser returns TWA_PARSED_HELP */
	TWA_OPT_VERSION,	/* --version: the parser returns TWA_PARSED_VERSION */
	TWA_OPT_DOC,		/* not parsed: a help line only (name is the left column) */
};

/*
 * One option, declared beside the command that owns it. Values land at
 * offset in the command's option struct (struct twa_globals for the global
 * table). help: the description, "\n" between lines; NULL hides the row.
 */
struct twa_cmd_option {
	const char *name;	/* long name without "--" */
	char short_name;	/* 0: none */
	enum twa_opt_type type;
	size_t offset;
	int (*cb)(struct twa_cmd *c, const char *arg);
	const char *arg;	/* value name shown in help ("N", "FILE"); NULL: none */
	const char *help;
};

#define TWA_OPT_ROW(n, t, st, field, a, h) \
	{ .name = (n), .type = (t), .offset = offsetof(st, field), .arg = (a), .help = (h) }
#define TWA_OPT_CB(n, f, a, h) \
	{ .name = (n), .type = TWA_OPT_CALLBACK, .cb = (f), .arg = (a), .help = (h) }
#define TWA_OPT_DOC_ROW(left, h) { .name = (left), .type = TWA_OPT_DOC, .help = (h) }

/* One accepted --format value; an alias is accepted but not listed. */
struct twa_cmd_format {
	const char *name;
	int id;
	bool alias;
};

/* What the shared runner does for a command before its exec. */
enum twa_cmd_needs {
	TWA_NEEDS_NETNS = 1 << 0,	/* the runner enters --netns before exec */
	TWA_NEEDS_PIPELINE = 1 << 1,	/* profile -> facts -> findings (pipeline.c);
					 * --netns is entered only to inspect */
	TWA_NEEDS_OUTPUT = 1 << 2,	/* writes its result to -o FILE (twa_write_output) */
	TWA_NEEDS_PROFILE = 1 << 3,	/* loads a profile (profile_path.c) */
	TWA_NEEDS_ALL_NETNS = 1 << 4,	/* takes --all-netns (allnetns.c) */
};

/*
 * A command, declared in its own file (tmux's cmd_entry, git's
 * parse_options): the runner parses global and own options into a fresh
 * options struct of opts_size bytes, checks --format against formats,
 * calls check (usage checks before any side effect), does the setup needs
 * asks for, then exec. exec's return is the exit status.
 */
struct twa_cmd_entry {
	const char *name;
	const char *usage;	/* after "twadvise NAME " */
	const char *summary;
	const struct twa_cmd_option *options;	/* TWA_OPT_END-terminated, or NULL */
	const struct twa_cmd_format *formats;	/* NULL-terminated; NULL: the command's own business */
	const char *format_help;	/* the --format help line */
	const char *format_error;	/* printf format for a bad --format; NULL: the list */
	const char *notes;		/* help after the options, verbatim */
	unsigned needs;			/* enum twa_cmd_needs */
	int usage_exit;			/* exit code for a usage error; 0: 64 */
	size_t opts_size;
	int (*check)(struct twa_cmd *c);
	int (*exec)(struct twa_cmd *c);
	/* NULL, or called with the exit code r when the run fails before exec
	 * (usage, --format, --netns): renders the failure in the command's
	 * format (check's UNKNOWN) and returns the exit code. */
	int (*fail)(struct twa_cmd *c, int r);
};

/* One run of a command: what the parser produced. */
struct twa_cmd {
	const struct twa_cmd_entry *entry;
	const struct twa_cmd_entry *const *commands;	/* every command, for help */
	struct twa_globals g;
	void *opts;		/* the entry's option struct */
	int format;		/* id from entry->formats (the first one when not given) */
	int argc;		/* the operands, options removed */
	char **argv;
};

extern const struct twa_cmd_entry twa_cmd_inspect, twa_cmd_check, twa_cmd_report,
	twa_cmd_plan, twa_cmd_apply, twa_cmd_rollback, twa_cmd_snapshots,
	twa_cmd_profiles, twa_cmd_explain, twa_cmd_help, twa_cmd_trace;

#endif
