/* SPDX-License-Identifier: MIT */
/* help.c - `twadvise help` and every --help, rendered from the declarations. */
#include "cmd/help.h"

#include <stdio.h>
#include <string.h>

#include "advisor/util/strbuf.h"
#include "cmd/errors.h"
#include "cmd/options.h"

#define CMD_WIDTH 31		/* left column of a command's options */
#define GLOBAL_WIDTH 22		/* left column of the global options */

/* "  LEFT  help", help lines after the first under the first. */
static void print_row(const char *left, const char *help, int width)
{
	const char *p = help, *nl;
	bool first = true;

	if (!help || !*help) {
		printf("  %s\n", left);
		return;
	}
	for (; *p; p = nl + (*nl == '\n'), first = false) {
		nl = p + strcspn(p, "\n");
		if (first && (int)strlen(left) > width)
			printf("  %s  %.*s\n", left, (int)(nl - p), p);
		else
			printf("  %-*s %.*s\n", width, first ? left : "", (int)(nl - p), p);
	}
}

static void print_options(const struct twa_cmd_option *rows, int width)
{
	const struct twa_cmd_option *o;

	for (o = rows; o && o->type != TWA_OPT_END; o++) {
		struct strbuf left = STRBUF_INIT;

		if (!o->help)
			continue;
		if (o->type == TWA_OPT_DOC) {
			strbuf_addstr(&left, o->name);
		} else {
			if (o->short_name)
				strbuf_addf(&left, "-%c, ", o->short_name);
			strbuf_addf(&left, "--%s", o->name);
			if (o->arg)
				strbuf_addf(&left, " %s", o->arg);
		}
		print_row(left.buf, o->help, width);
		strbuf_release(&left);
	}
}

static void print_formats(const struct twa_cmd_entry *e)
{
	const struct twa_cmd_format *f;
	struct strbuf left = STRBUF_INIT;

	if (!e->formats)
		return;
	strbuf_addstr(&left, "--format ");
	for (f = e->formats; f->name; f++)
		if (!f->alias)
			strbuf_addf(&left, "%s%s", f == e->formats ? "" : "|", f->name);
	print_row(left.buf, e->format_help, CMD_WIDTH);
	strbuf_release(&left);
}

static void print_globals(void)
{
	printf("global options (before or after the command):\n");
	print_options(twa_global_options, GLOBAL_WIDTH);
}

void twa_help_command(const struct twa_cmd_entry *e)
{
	printf("usage: twadvise %s %s\n\n%s\n", e->name, e->usage, e->summary);
	if ((e->options && e->options->type != TWA_OPT_END) || e->formats || e->notes) {
		printf("\noptions:\n");
		print_options(e->options, CMD_WIDTH);
		print_formats(e);
		if (e->notes)
			fputs(e->notes, stdout);
	}
	printf("\n");
	print_globals();
}

void twa_help_overview(const struct twa_cmd_entry *const *cmds)
{
	printf("usage: twadvise [global options] COMMAND [options]\n\n"
	       "Advice on the TCP connection lifecycle (TIME_WAIT, CLOSE_WAIT, ephemeral\n"
	       "ports, listen queues) from evidence on this host, and reviewed,\n"
	       "reversible sysctl changes.\n\ncommands:\n");
	for (; *cmds; cmds++)
		printf("  %-10s %s\n", (*cmds)->name, (*cmds)->summary);
	printf("\n");
	print_globals();
	printf("\nexit codes: check 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN; others 0 success,\n"
	       "64 usage, 65 bad data, 66 no input, 69 unavailable, 73 cannot create,\n"
	       "75 temporary failure (lock, drift), 77 permission denied.\n"
	       "'twadvise help COMMAND' shows a command's options.\n");
}

void twa_help_version(void)
{
	printf("twadvise %s\n", TWA_VERSION);
}

static int help_exec(struct twa_cmd *c)
{
	const struct twa_cmd_entry *e;

	if (c->argc > 0) {
		e = twa_cmd_find(c->commands, c->argv[0]);
		if (!e)
			return twa_usage_error(NULL, "'%s' is not a twadvise command", c->argv[0]);
		twa_help_command(e);
		return 0;
	}
	twa_help_overview(c->commands);
	return 0;
}

const struct twa_cmd_entry twa_cmd_help = {
	.name = "help",
	.usage = "[COMMAND]",
	.summary = "show help for twadvise or a command",
	.exec = help_exec,
};
