/* SPDX-License-Identifier: MIT */
/* main.c - twadvise: the table of commands and the dispatch; only main decides to exit. */
#include "cmd/cmd.h"

#include <stddef.h>

#include "advisor/util/parse.h"
#include "cmd/errors.h"
#include "cmd/help.h"
#include "cmd/options.h"

static const struct twa_cmd_entry *const commands[] = {
	&twa_cmd_inspect, &twa_cmd_check, &twa_cmd_report, &twa_cmd_plan, &twa_cmd_apply,
	&twa_cmd_rollback, &twa_cmd_snapshots, &twa_cmd_profiles, &twa_cmd_explain,
	&twa_cmd_trace,
	&twa_cmd_help, NULL,
};

static const char *command_at(size_t i)
{
	return commands[i] ? commands[i]->name : NULL;
}

static int unknown_command(const char *name)
{
	const char *hint = twa_closest(name, 2, command_at);

	if (hint)
		return twa_usage_error(NULL, "'%s' is not a twadvise command; did you mean '%s'?",
				       name, hint);
	return twa_usage_error(NULL, "'%s' is not a twadvise command", name);
}

int main(int argc, char **argv)
{
	struct twa_cmd top = { .commands = commands };
	const struct twa_cmd_entry *e;
	int r;

	r = twa_parse_globals(&top, argc, argv);
	if (r == TWA_PARSED_VERSION)
		twa_help_version();
	if (r == TWA_PARSED_HELP)
		twa_help_overview(commands);
	if (r)
		return r < 0 ? 0 : r;
	if (top.argc == 0)	/* a usage error: stderr, not the help on stdout */
		return twa_usage_error(NULL, "no command given (inspect, check, plan, apply, report, ...)");
	e = twa_cmd_find(commands, top.argv[0]);
	if (!e)
		return unknown_command(top.argv[0]);
	r = twa_cmd_run(e, commands, &top.g, top.argc, top.argv);
	if (r == TWA_PARSED_VERSION)
		twa_help_version();
	if (r == TWA_PARSED_HELP)
		twa_help_command(e);
	return r < 0 ? 0 : r;
}
