/* main.c - twadvise: global options and the one dispatch table. */
#include "cmd.h"

#include "advisor/util/parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct twa_command twa_commands[] = {
	{ "inspect", "[--samples N --interval SECS] [--listeners] [--proc]",
	  "gather facts from the kernel and print them",
	  "  --format text|json|prometheus   output format (default text)\n"
	  "  --samples N                     take N snapshots and add rates\n"
	  "  --interval SECS                 seconds between snapshots (default 1)\n"
	  "  --listeners                     only listening sockets (a LISTEN-only dump)\n"
	  "  --proc                          count from /proc/net/tcp instead of netlink\n",
	  cmd_inspect },
	{ "check", "[--profile NAME|FILE|URL] [--facts FILE] [--fail-on warning|critical]",
	  "inspect, evaluate a profile's rules, print findings (exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN)",
	  "  --profile NAME|FILE|URL         workload profile (default: default)\n"
	  "  --facts FILE                    evaluate recorded facts (inspect --format json) instead of this host\n"
	  "  --format text|json|nagios|prometheus\n"
	  "  --fail-on warning|critical      lowest status that exits non-zero (default warning)\n"
	  "  --samples N --interval SECS     sample N times to measure rates\n"
	  "  --proc                          count sockets from /proc/net/tcp instead of netlink\n",
	  cmd_check },
	{ "report", "[--profile NAME|FILE|URL] [--facts FILE] [--format markdown|html|json] [-o FILE] [--post URL] | --merge REPORT.json...",
	  "findings, evidence and the commands to fix as markdown, html or json; post it to a webhook (exit 0 whatever the findings)",
	  "  --profile NAME|FILE|URL         workload profile (default: default)\n"
	  "  --facts FILE                    report on recorded facts (inspect --format json) instead of this host\n"
	  "  --samples N --interval SECS     sample N times: rates, and their chart in html\n"
	  "  --proc                          count sockets from /proc/net/tcp instead of netlink\n"
	  "  --format markdown|html|json     default markdown, or html/json from -o's extension\n"
	  "  --merge REPORT.json...          one fleet report from hosts' json reports (hosts x rules)\n"
	  "  --post URL                      POST the report (https://; http:// only to loopback).\n"
	  "                                  With --post the report is not printed: add -o FILE (or\n"
	  "                                  -o -) to keep it. The server's status goes to stderr, its\n"
	  "                                  answer to stdout (stderr with -o -).\n"
	  "  --header 'Name: value'          extra request header, repeatable (not Authorization)\n"
	  "  --token-file FILE               bearer token: first line of FILE (not world-readable);\n"
	  "                                  else $TWADVISE_TOKEN. Never on the command line.\n"
	  "  --cacert FILE                   also trust this CA (TLS verification is always on)\n"
	  "  --timeout SECS                  per attempt, default 30 (connect at most 10); up to 3\n"
	  "                                  retries with backoff on connection errors, 5xx and 429\n"
	  "  exit 0 written (and posted), 64 usage, 65 bad facts, profile or report file or the\n"
	  "  server answered 4xx, 66 no such file, 69 server unreachable or 5xx/429 after the\n"
	  "  retries, 73 cannot write -o, 77 token file readable by every user\n",
	  cmd_report },
	{ "plan", "[--profile NAME|FILE|URL] [--facts FILE] [-o PLAN]",
	  "propose sysctl changes from a check; write a reviewable plan (twadvise.plan/1)",
	  "  --profile NAME|FILE|URL         workload profile (default: default)\n"
	  "  --facts FILE                    plan from recorded facts\n"
	  "  -o, --output PLAN               write the plan there and the diff to stdout\n"
	  "                                  (without -o: the plan to stdout, the diff to stderr)\n",
	  cmd_plan },
	{ "apply", "PLAN [--persist] [--dry-run] [--force]",
	  "apply a reviewed plan, taking a rollback snapshot first",
	  "  --persist                       also write <sysctl-dir>/90-twadvise.conf for boot\n"
	  "  --dry-run                       say what would change, write nothing\n"
	  "  --force                         apply over drift, or on another host or namespace\n"
	  "  --format text|json\n"
	  "  exit 75 on drift or a held lock, 77 without permission, 65 for a bad plan\n",
	  cmd_apply },
	{ "rollback", "ID | --last [--dry-run]",
	  "restore the values (and persisted file) saved in a snapshot",
	  "  --last                          the most recent snapshot\n"
	  "  --dry-run                       say what would change, write nothing\n"
	  "  --format text|json\n",
	  cmd_rollback },
	{ "snapshots", "", "list snapshots (id, time, operation, profile, keys)",
	  "  --format text|json\n", cmd_snapshots },
	{ "profiles", "list | show NAME | validate FILE... | export NAME --format tuned|sysctl",
	  "list, show, validate and export workload profiles",
	  "  list                            profiles found on the search path\n"
	  "  show NAME [--format text|json]  the resolved profile (extends applied)\n"
	  "  validate FILE...                check profiles; exit 65 on the first bad one\n"
	  "  export NAME --format tuned|sysctl   a TuneD profile or a sysctl.d file\n",
	  cmd_profiles },
	{ "explain", "[RULE]", "the knowledge behind a rule: meaning, evidence, what to do and not to do",
	  "  --format text|json\n", cmd_explain },
	{ "help", "[COMMAND]", "show help for twadvise or a command", "", cmd_help },
	{ NULL, NULL, NULL, NULL, NULL },
};

static const char global_help[] =
	"global options (before or after the command):\n"
	"  --proc-root DIR        read /proc and /proc/sys under DIR (a recorded host)\n"
	"  --netns NAME|PATH      inspect or change another network namespace\n"
	"                         (/run/netns/NAME, or a path like /proc/PID/ns/net)\n"
	"  --format FORMAT        output format; each command lists its own\n"
	"  -o, --output FILE      write the output to FILE (atomically)\n"
	"  -q, --quiet            print less\n"
	"  -v, --verbose          print more\n"
	"  --color auto|always|never   colour text output (NO_COLOR is honoured)\n"
	"  --state-dir DIR        snapshots and lock (default /var/lib/twadvise)\n"
	"  --sysctl-dir DIR       where --persist writes (default /etc/sysctl.d)\n"
	"  -h, --help             show help\n"
	"  --version              show the version\n";

const struct twa_command *twa_command_find(const char *name)
{
	const struct twa_command *c;

	for (c = twa_commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

int twa_command_help(const struct twa_command *c)
{
	printf("usage: twadvise %s %s\n\n%s\n", c->name, c->usage, c->summary);
	if (c->help && *c->help)
		printf("\noptions:\n%s", c->help);
	printf("\n%s", global_help);
	return 0;
}

void twa_show_help(void)
{
	const struct twa_command *c;

	printf("usage: twadvise [global options] COMMAND [options]\n\n"
	       "Advice on the TCP connection lifecycle (TIME_WAIT, CLOSE_WAIT, ephemeral\n"
	       "ports, listen queues) from evidence on this host, and reviewed,\n"
	       "reversible sysctl changes.\n\ncommands:\n");
	for (c = twa_commands; c->name; c++)
		printf("  %-10s %s\n", c->name, c->summary);
	printf("\n%s\nexit codes: check 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN; others 0 success,\n"
	       "64 usage, 65 bad data, 66 no input, 69 unavailable, 73 cannot create,\n"
	       "75 temporary failure (lock, drift), 77 permission denied.\n"
	       "'twadvise help COMMAND' shows a command's options.\n", global_help);
}

int cmd_help(int argc, char **argv, const struct twa_globals *g)
{
	const struct twa_command *c;

	(void)g;
	if (argc > 1) {
		c = twa_command_find(argv[1]);
		if (!c)
			return twa_usage_error(NULL, "'%s' is not a twadvise command", argv[1]);
		return twa_command_help(c);
	}
	twa_show_help();
	return 0;
}

static const char *command_at(size_t i)
{
	return twa_commands[i].name;
}

/* The closest command name, for the hint after a typo. */
static const char *closest_command(const char *name)
{
	return twa_closest(name, 2, command_at);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = { TWA_GLOBAL_OPTIONS, { 0 } };
	struct twa_globals g = { 0 };
	const struct twa_command *c;
	int opt, r;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+" TWA_GLOBAL_SHORT, opts, NULL)) != -1) {
		if (opt == '?')
			return twa_usage_error(NULL, "unknown option '%s'", argv[optind - 1]);
		r = twa_global_option(&g, opt, optarg, NULL);
		if (r)
			return r;
	}
	if (optind >= argc) {
		twa_show_help();
		return EXIT_USAGE;
	}
	c = twa_command_find(argv[optind]);
	if (!c) {
		const char *hint = closest_command(argv[optind]);

		if (hint)
			return twa_usage_error(NULL, "'%s' is not a twadvise command; did you mean '%s'?",
					       argv[optind], hint);
		return twa_usage_error(NULL, "'%s' is not a twadvise command", argv[optind]);
	}
	argc -= optind;
	argv += optind;
	optind = 0;	/* glibc: full reinitialisation for the command */
	return c->fn(argc, argv, &g);
}
