/* SPDX-License-Identifier: MIT */
/* options.c - the shared parser (getopt_long over the global and a command's
 * declared options), the --format check and the runner that calls a command. */
#include "cmd/options.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "advisor/util/parse.h"
#include "advisor/util/strbuf.h"
#include "cmd/errors.h"
#include "cmd/netns.h"

#define MAX_ROWS 64
#define ROW_BASE 256		/* getopt ids of rows: above every short option */

static int set_color(struct twa_cmd *c, const char *arg);

#define G(n, s, t, field, a, h) \
	{ .name = (n), .short_name = (s), .type = (t), \
	  .offset = offsetof(struct twa_globals, field), .arg = (a), .help = (h) }

const struct twa_cmd_option twa_global_options[] = {
	G("proc-root", 0, TWA_OPT_STRING, proc_root, "DIR",
	  "read /proc and /proc/sys under DIR (a recorded host)"),
	G("netns", 0, TWA_OPT_STRING, netns, "NAME|PATH",
	  "inspect or change another network namespace\n"
	  "(/run/netns/NAME, or a path like /proc/PID/ns/net)"),
	G("all-netns", 0, TWA_OPT_FLAG, all_netns, NULL,
	  "inspect, check or report every network namespace\n"
	  "(containers, pods, ip netns), one at a time"),
	G("pods-dir", 0, TWA_OPT_STRING, pods_dir, "DIR",
	  "the kubelet's pod log directories NAMESPACE_NAME_UID\n"
	  "that name pods (default /var/log/pods)"),
	G("format", 0, TWA_OPT_STRING, format, "FORMAT", "output format; each command lists its own"),
	G("output", 'o', TWA_OPT_STRING, output, "FILE", "write the output to FILE (atomically)"),
	G("quiet", 'q', TWA_OPT_COUNT, quiet, NULL, "print less"),
	G("verbose", 'v', TWA_OPT_COUNT, verbose, NULL, "print more"),
	{ .name = "color", .type = TWA_OPT_CALLBACK, .cb = set_color, .arg = "auto|always|never",
	  .help = "colour text output (NO_COLOR is honoured)" },
	G("state-dir", 0, TWA_OPT_STRING, state_dir, "DIR",
	  "snapshots, lock and counter history\n(default $TWADVISE_STATE_DIR, else /var/lib/twadvise)"),
	G("sysctl-dir", 0, TWA_OPT_STRING, sysctl_dir, "DIR",
	  "where --persist writes (default /etc/sysctl.d)"),
	{ .name = "help", .short_name = 'h', .type = TWA_OPT_HELP, .help = "show help" },
	{ .name = "version", .type = TWA_OPT_VERSION, .help = "show the version" },
	{ .type = TWA_OPT_END },
};

static const char *cmd_name(const struct twa_cmd *c)
{
	return c->entry ? c->entry->name : NULL;
}

int twa_cmd_usage(const struct twa_cmd *c, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return twa_usage_error(cmd_name(c), "%s", msg);
}

int twa_cmd_no_operands(struct twa_cmd *c)
{
	if (c->argc > 0)
		return twa_cmd_usage(c, "unexpected argument '%s'", c->argv[0]);
	return 0;
}

static int set_color(struct twa_cmd *c, const char *arg)
{
	if (strcmp(arg, "auto") && strcmp(arg, "always") && strcmp(arg, "never"))
		return twa_cmd_usage(c, "--color takes auto, always or never, not '%s'", arg);
	c->g.color_mode = arg;
	return 0;
}

/* --samples N (1..100000) and --interval SECS (0.01..59: below the 60 s of
 * TIME_WAIT, which the close rates rely on). */
static int parse_samples(struct twa_cmd *c, const char *arg, uint64_t *ret)
{
	if (twa_parse_u64_str(arg, ret) < 0 || !*ret || *ret > 100000)
		return twa_cmd_usage(c, "--samples wants 1 to 100000, not '%s'", arg);
	return 0;
}

static int parse_interval(struct twa_cmd *c, const char *arg, double *ret)
{
	if (twa_parse_double_str(arg, ret) < 0 || *ret < 0.01 || *ret > 59)
		return twa_cmd_usage(c, "--interval wants seconds from 0.01 to 59 (below the 60 s TIME_WAIT), not '%s'",
				     arg);
	return 0;
}

/* Store one option's value where its row says. */
static int apply_row(struct twa_cmd *c, const struct twa_cmd_option *o, bool global,
		     const char *arg)
{
	char *p = (global ? (char *)&c->g : (char *)c->opts) + o->offset;

	switch (o->type) {
	case TWA_OPT_STRING:
		*(const char **)(void *)p = arg;
		return 0;
	case TWA_OPT_FLAG:
		*(bool *)(void *)p = true;
		return 0;
	case TWA_OPT_COUNT:
		(*(int *)(void *)p)++;
		return 0;
	case TWA_OPT_SAMPLES:
		return parse_samples(c, arg, (uint64_t *)(void *)p);
	case TWA_OPT_INTERVAL:
		return parse_interval(c, arg, (double *)(void *)p);
	case TWA_OPT_CALLBACK:
	case TWA_OPT_FLAG_CB:
		return o->cb(c, arg);
	case TWA_OPT_HELP:
		return TWA_PARSED_HELP;
	case TWA_OPT_VERSION:
		return TWA_PARSED_VERSION;
	default:
		return 0;
	}
}

struct table {
	const struct twa_cmd_option *rows[MAX_ROWS];
	bool global[MAX_ROWS];
	struct option lo[MAX_ROWS + 1];
	char shorts[32];
	size_t n;
};

static void add_rows(struct table *t, const struct twa_cmd_option *rows, bool global)
{
	const struct twa_cmd_option *o;
	size_t len = strlen(t->shorts);

	for (o = rows; o && o->type != TWA_OPT_END && t->n < MAX_ROWS; o++) {
		bool has_arg = o->type == TWA_OPT_STRING || o->type == TWA_OPT_SAMPLES ||
			       o->type == TWA_OPT_INTERVAL || o->type == TWA_OPT_CALLBACK;

		if (o->type == TWA_OPT_DOC)
			continue;
		t->lo[t->n] = (struct option){ o->name, has_arg ? required_argument : no_argument,
					       NULL, ROW_BASE + (int)t->n };
		if (o->short_name && len + 3 < sizeof(t->shorts)) {
			t->shorts[len++] = o->short_name;
			if (has_arg)
				t->shorts[len++] = ':';
			t->shorts[len] = '\0';
		}
		t->rows[t->n] = o;
		t->global[t->n++] = global;
	}
	t->lo[t->n] = (struct option){ 0 };
}

static int row_of(const struct table *t, int opt)
{
	size_t i;

	if (opt >= ROW_BASE && (size_t)(opt - ROW_BASE) < t->n)
		return opt - ROW_BASE;
	for (i = 0; i < t->n; i++)
		if (t->rows[i]->short_name && t->rows[i]->short_name == opt)
			return (int)i;
	return -1;
}

/* getopt_long over the global rows and the entry's: operands are
 * permuted to the end (or end the parse when first_operand_ends). */
static int parse(struct twa_cmd *c, int argc, char **argv, bool first_operand_ends)
{
	struct table t = { .n = 0 };
	int opt, i, r;

	strcpy(t.shorts, first_operand_ends ? "+:" : ":");
	add_rows(&t, twa_global_options, true);
	if (c->entry)
		add_rows(&t, c->entry->options, false);
	opterr = 0;
	optind = 0;	/* glibc: full reinitialisation */
	while ((opt = getopt_long(argc, argv, t.shorts, t.lo, NULL)) != -1) {
		if (opt == ':')
			return twa_cmd_usage(c, "option '%s' wants a value", argv[optind - 1]);
		i = row_of(&t, opt);
		if (i < 0)
			return twa_cmd_usage(c, "unknown option '%s'", argv[optind - 1]);
		r = apply_row(c, t.rows[i], t.global[i], optarg);
		if (r)
			return r;
	}
	c->argc = argc - optind;
	c->argv = argv + optind;
	return 0;
}

int twa_parse_globals(struct twa_cmd *c, int argc, char **argv)
{
	c->entry = NULL;
	return parse(c, argc, argv, true);
}

const struct twa_cmd_entry *twa_cmd_find(const struct twa_cmd_entry *const *cmds,
					 const char *name)
{
	for (; *cmds; cmds++)
		if (!strcmp((*cmds)->name, name))
			return *cmds;
	return NULL;
}

/* --format against the entry's list: c->format is the id of the match,
 * or of the first format when none was given. */
static int check_format(struct twa_cmd *c)
{
	const struct twa_cmd_entry *e = c->entry;
	const struct twa_cmd_format *f;
	struct strbuf list = STRBUF_INIT;
	size_t n = 0, k = 0;
	int r;

	if (!e->formats)
		return 0;
	c->format = e->formats[0].id;
	if (!c->g.format)
		return 0;
	for (f = e->formats; f->name; f++) {
		if (!strcmp(f->name, c->g.format)) {
			c->format = f->id;
			return 0;
		}
		n += !f->alias;
	}
	for (f = e->formats; f->name; f++)
		if (!f->alias)
			strbuf_addf(&list, "%s%s", k++ ? (k == n ? " or " : ", ") : "", f->name);
	r = twa_cmd_usage(c, "%s%s, not '%s'", e->format_error ? e->format_error : "--format takes ",
			  e->format_error ? "" : list.buf, c->g.format);
	strbuf_release(&list);
	return r;
}

/* --all-netns: only where the command takes it, and not with a single
 * namespace or a recorded host. */
static int check_all_netns(struct twa_cmd *c)
{
	if (!c->g.all_netns)
		return c->g.pods_dir && !c->g.netns ?
		       twa_cmd_usage(c, "--pods-dir goes with --all-netns or --netns") : 0;
	if (!(c->entry->needs & TWA_NEEDS_ALL_NETNS))
		return twa_cmd_usage(c, "--all-netns is for inspect, check and report; use --netns NAME|PATH here");
	if (c->g.netns)
		return twa_cmd_usage(c, "--all-netns and --netns exclude each other");
	if (c->g.proc_root)
		return twa_cmd_usage(c, "--all-netns enters live namespaces: not with --proc-root");
	return 0;
}

/* Resolve --color against NO_COLOR and the terminal; --state-dir defaults
 * to TWADVISE_STATE_DIR when set (test suites, relocated installs). */
static void globals_finish(struct twa_globals *g)
{
	const char *mode = g->color_mode ? g->color_mode : "auto";
	const char *no_color = getenv("NO_COLOR");
	const char *state_dir = getenv("TWADVISE_STATE_DIR");

	if (!g->state_dir && state_dir && *state_dir)
		g->state_dir = state_dir;
	if (!strcmp(mode, "always"))
		g->color = true;
	else if (!strcmp(mode, "never"))
		g->color = false;
	else
		g->color = (!no_color || !*no_color) && !g->output &&
			   isatty(STDOUT_FILENO);
}

int twa_cmd_run(const struct twa_cmd_entry *e, const struct twa_cmd_entry *const *cmds,
		const struct twa_globals *g, int argc, char **argv)
{
	struct twa_cmd c = { .entry = e, .commands = cmds, .g = *g };
	int r;

	c.opts = calloc(1, e->opts_size ? e->opts_size : 1);
	if (!c.opts) {
		twa_errorf("out of memory");
		return EXIT_SOFTWARE;
	}
	r = parse(&c, argc, argv, false);
	if (r == 0)
		r = check_format(&c);
	if (r == 0 && e->check)
		r = e->check(&c);
	if (r == 0)
		r = check_all_netns(&c);
	if (r == 0)
		globals_finish(&c.g);
	if (r == 0 && (e->needs & TWA_NEEDS_NETNS))
		r = twa_enter_netns(&c.g);
	if (r > 0 && e->fail)
		r = e->fail(&c, r);
	else if (r > 0 && e->usage_exit)
		r = e->usage_exit;
	if (r == 0)
		r = e->exec(&c);
	free(c.opts);
	return r;
}
