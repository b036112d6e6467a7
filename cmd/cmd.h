/* cmd.h - what every subcommand shares: globals, the dispatch entry, helpers. */
#ifndef TWA_CMD_H
#define TWA_CMD_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>

#include "advisor/util/err.h"
#include "advisor/util/strbuf.h"

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
	const char *format;
	const char *output;
	const char *state_dir;
	const char *sysctl_dir;
	int quiet;
	int verbose;
	bool color;		/* resolved from --color, NO_COLOR and isatty */
	const char *color_mode;
};

struct twa_command {
	const char *name;
	const char *usage;	/* after "twadvise NAME " */
	const char *summary;
	const char *help;	/* the options, one per line */
	int (*fn)(int argc, char **argv, const struct twa_globals *g);
};

extern const struct twa_command twa_commands[];
const struct twa_command *twa_command_find(const char *name);

/* Global long options, accepted before and after the command. Commands
 * append TWA_GLOBAL_OPTIONS to their own table and pass unknown ids to
 * twa_global_option(). */
enum {
	OPT_PROC_ROOT = 1000, OPT_NETNS, OPT_FORMAT, OPT_OUTPUT, OPT_QUIET,
	OPT_VERBOSE, OPT_COLOR, OPT_STATE_DIR, OPT_SYSCTL_DIR, OPT_HELP,
	OPT_VERSION, OPT_COMMAND_BASE = 2000,
};
#define TWA_GLOBAL_OPTIONS \
	{ "proc-root", required_argument, NULL, OPT_PROC_ROOT }, \
	{ "netns", required_argument, NULL, OPT_NETNS }, \
	{ "format", required_argument, NULL, OPT_FORMAT }, \
	{ "output", required_argument, NULL, OPT_OUTPUT }, \
	{ "quiet", no_argument, NULL, OPT_QUIET }, \
	{ "verbose", no_argument, NULL, OPT_VERBOSE }, \
	{ "color", required_argument, NULL, OPT_COLOR }, \
	{ "state-dir", required_argument, NULL, OPT_STATE_DIR }, \
	{ "sysctl-dir", required_argument, NULL, OPT_SYSCTL_DIR }, \
	{ "help", no_argument, NULL, OPT_HELP }, \
	{ "version", no_argument, NULL, OPT_VERSION }
#define TWA_GLOBAL_SHORT "o:qvh"

/* Apply a global option; returns 0, or an exit code for the caller to
 * return (after printing), or -1 when opt is not a global option. */
int twa_global_option(struct twa_globals *g, int opt, const char *arg,
		      const char *cmd);
/* Resolve --color against NO_COLOR and the terminal. */
void twa_globals_finish(struct twa_globals *g);

/* Print "twadvise: MSG" (err formatted with file:line:col) once. */
void twa_print_err(const struct twa_err *err);
void twa_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void twa_warnf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The sysexits code for a library error. */
int twa_exit_code(int negerrno);
/* Report err and return its exit code. */
int twa_fail(const struct twa_err *err);
/* Usage error: prints the message and the hint, returns 64. */
int twa_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Print a command's help to stdout; returns 0. */
int twa_command_help(const struct twa_command *c);

/* Write out to -o FILE (atomically: temp file and rename) or stdout.
 * Returns 0 or an exit code (73) after printing. */
int twa_write_output(const struct twa_globals *g, const struct strbuf *out);
/* Read a whole file (at most max bytes) for a command; "-" is stdin. */
int twa_read_file(const char *path, size_t max, struct strbuf *out,
		  struct twa_err *err);

/* --samples N (1..100000) and --interval SECS (0.01..59: below the 60 s
 * of TIME_WAIT, which the close rates rely on). 0, or 64 after printing. */
int twa_parse_samples(const char *cmd, const char *arg, uint64_t *ret);
int twa_parse_interval(const char *cmd, const char *arg, double *ret);

/* Enter --netns when given; returns 0 or an exit code after printing. */
int twa_enter_netns(const struct twa_globals *g);

int cmd_inspect(int argc, char **argv, const struct twa_globals *g);
int cmd_check(int argc, char **argv, const struct twa_globals *g);
int cmd_plan(int argc, char **argv, const struct twa_globals *g);
int cmd_apply(int argc, char **argv, const struct twa_globals *g);
int cmd_rollback(int argc, char **argv, const struct twa_globals *g);
int cmd_snapshots(int argc, char **argv, const struct twa_globals *g);
int cmd_report(int argc, char **argv, const struct twa_globals *g);
int cmd_profiles(int argc, char **argv, const struct twa_globals *g);
int cmd_explain(int argc, char **argv, const struct twa_globals *g);
int cmd_help(int argc, char **argv, const struct twa_globals *g);
/* The top-level help (commands, global options, exit codes). */
void twa_show_help(void);

struct twa_profile;
/* Load a profile by name, path or URL from the usual places
 * ($TWADVISE_PROFILE_PATH, /etc/twadvise/profiles, the share directory, the
 * source tree when run from it). Prints the error and returns its exit code. */
int twa_cmd_load_profile(const char *spec, struct twa_profile *p);
/* The profile search path (storage owned by this module). */
struct twa_profile_search;
void twa_cmd_profile_search(struct twa_profile_search *s);
/* Facts for check, plan and report: from --facts FILE, or inspected with
 * only what the profile's enabled rules need (entering --netns), plus the
 * boot-time sysctl.d scan. Returns 0 or an exit code after printing. */
struct twa_facts;
int twa_cmd_gather(const struct twa_globals *g, const char *facts_file,
		   const struct twa_profile *p, unsigned samples, double interval,
		   bool force_proc, struct twa_facts *f);
/* Fetch an https:// profile (libcurl, TLS verified, size-capped). */
struct strbuf;
int twa_cmd_fetch_profile(const char *url, struct strbuf *out,
			  struct twa_err *err, void *ctx);

#endif
