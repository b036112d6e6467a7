/* SPDX-License-Identifier: MIT */
/* bench.c - run commands alternately, time them, print medians and targets.
 *
 *   bench [--rounds K] [--warmup W] [--budget SECS] [--target SPEC]...
 *         NAME=COMMAND...
 *
 * Every round runs each command once, the starting command rotating from
 * round to round so no command always runs first (cold) or last. A command
 * with shell syntax (a pipeline) runs through /bin/sh -c; a plain one is
 * exec'd directly, so its time holds no shell start-up. Stdin and stdout are
 * /dev/null, stderr is kept. Per run: wall time (CLOCK_MONOTONIC around
 * fork..wait4), user+system CPU and peak RSS (ru_maxrss from wait4: for a
 * pipeline, the largest process of it). The "vs" column is each command's
 * median over the first command's. Columns: median, min and max wall time;
 * median CPU (user+system, the pipeline's processes included); median and
 * largest peak RSS.
 *
 * --warmup W   rounds run first and not counted (default 1)
 * --rounds K   counted rounds (default 21)
 * --budget S   start no round that would end (at the pace so far) past S
 *              seconds of counted rounds; the bench prints how many it ran
 * --target     SPEC is one of
 *                time:A/B<=X   median time of A at most X times that of B
 *                time:A/B>=X   median time of A at least X times that of B
 *                rss:A<=N[K|M] peak RSS of A (its largest run) at most N KiB/MiB
 *              printed as PASS or MISS. A miss is reported, not an error:
 *              the exit status is 0 whenever every command ran.
 *
 * Exit: 0; 1 when a command failed (non-zero exit or signal: a benchmark of
 * a failing command means nothing); 64 for bad usage; 130/143 on SIGINT/
 * SIGTERM, after killing the running command's process group.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CMDS 16
#define MAX_ROUNDS 1000
#define MAX_TARGETS 32
#define MAX_ARGS 64
/* wall / CPU of a single-process command above which the machine was busy */
#define CONTENDED 1.10

struct cmd {
	const char *name;
	const char *line;
	int shell;		/* needs /bin/sh -c */
	char *argv[MAX_ARGS];	/* when not */
	double *wall_ms, *cpu_ms;
	long *rss_kib;
	int runs;
};

struct target {
	const char *spec;
	char kind;		/* 't' time ratio, 'r' rss */
	int a, b;
	int at_most;
	double limit;		/* ratio, or KiB */
};

static volatile sig_atomic_t got_signal;
static volatile pid_t running;

static void on_signal(int sig)
{
	got_signal = sig;
	if (running > 0)
		kill(-running, SIGTERM);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int usage(const char *msg, const char *arg)
{
	fprintf(stderr, "bench: %s '%s'\n", msg, arg);
	fprintf(stderr, "usage: bench [--rounds K] [--warmup W] [--budget SECS] "
		"[--target SPEC]... NAME=COMMAND...\n");
	return 64;
}

/* Split a plain command (no quoting: anything needing it goes to sh) at
 * blanks, in place. */
static int split_args(struct cmd *c, char *s)
{
	int n = 0;

	for (;;) {
		while (*s == ' ' || *s == '\t')
			*s++ = '\0';
		if (!*s)
			break;
		if (n == MAX_ARGS - 1)
			return -1;
		c->argv[n++] = s;
		s += strcspn(s, " \t");
	}
	c->argv[n] = NULL;
	return n ? 0 : -1;
}

static int find_cmd(const struct cmd *cmds, int n, const char *name, size_t len)
{
	for (int i = 0; i < n; i++)
		if (strlen(cmds[i].name) == len && !strncmp(cmds[i].name, name, len))
			return i;
	return -1;
}

/* "time:A/B<=X", "time:A/B>=X" or "rss:A<=N[K|M]". */
static int parse_target(struct target *t, const char *spec,
			const struct cmd *cmds, int n)
{
	const char *p = strchr(spec, ':'), *op, *slash;
	char *end;

	t->spec = spec;
	if (!p)
		return -1;
	op = strstr(p, "<=");
	t->at_most = op != NULL;
	if (!op)
		op = strstr(p, ">=");
	if (!op)
		return -1;
	if (!strncmp(spec, "time:", 5)) {
		t->kind = 't';
		slash = memchr(p + 1, '/', (size_t)(op - p - 1));
		if (!slash)
			return -1;
		t->a = find_cmd(cmds, n, p + 1, (size_t)(slash - p - 1));
		t->b = find_cmd(cmds, n, slash + 1, (size_t)(op - slash - 1));
	} else if (!strncmp(spec, "rss:", 4)) {
		t->kind = 'r';
		t->a = find_cmd(cmds, n, p + 1, (size_t)(op - p - 1));
		t->b = t->a;
	} else {
		return -1;
	}
	if (t->a < 0 || t->b < 0)
		return -1;
	errno = 0;
	t->limit = strtod(op + 2, &end);
	if (errno || end == op + 2 || t->limit <= 0)
		return -1;
	if (t->kind == 'r' && (*end == 'M' || *end == 'm'))
		t->limit *= 1024, end++;
	else if (t->kind == 'r' && (*end == 'K' || *end == 'k'))
		end++;
	return *end ? -1 : 0;
}

/* One run of c: 0, or -1 when it failed. */
static int run_once(struct cmd *c, int devnull)
{
	struct rusage ru;
	double t0, t1;
	int status;
	pid_t pid, w;

	t0 = now_ms();
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "bench: fork: %s\n", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		/* Its own process group, so a signal can take a whole pipeline;
		 * default dispositions whatever the shell that started us set. */
		setpgid(0, 0);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		dup2(devnull, 0);
		dup2(devnull, 1);
		if (c->shell)
			execl("/bin/sh", "sh", "-c", c->line, (char *)NULL);
		else
			execvp(c->argv[0], c->argv);
		fprintf(stderr, "bench: cannot run '%s': %s\n", c->line, strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid);	/* also here: no race with a signal */
	running = pid;
	do
		w = wait4(pid, &status, 0, &ru);
	while (w < 0 && errno == EINTR);
	t1 = now_ms();
	running = 0;
	if (w < 0) {
		fprintf(stderr, "bench: wait4: %s\n", strerror(errno));
		return -1;
	}
	if (got_signal)
		return -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "bench: %s: '%s' %s %d\n", c->name, c->line,
			WIFEXITED(status) ? "exited with" : "killed by signal",
			WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
		return -1;
	}
	c->wall_ms[c->runs] = t1 - t0;
	c->cpu_ms[c->runs] = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
			     (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
	c->rss_kib[c->runs] = ru.ru_maxrss;
	c->runs++;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return x < y ? -1 : x > y;
}

/* Sorts v. */
static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct stats {
	double med, min, max, cpu;
	long rss_med, rss_max;
};

static void summarize(struct cmd *c, struct stats *s)
{
	int n = c->runs;

	s->med = median(c->wall_ms, n);
	s->min = c->wall_ms[0];
	s->max = c->wall_ms[n - 1];
	s->cpu = median(c->cpu_ms, n);
	qsort(c->rss_kib, (size_t)n, sizeof(long), cmp_long);
	s->rss_med = c->rss_kib[n / 2];
	s->rss_max = c->rss_kib[n - 1];
}

int main(int argc, char **argv)
{
	struct cmd cmds[MAX_CMDS];
	struct target targets[MAX_TARGETS];
	struct stats st[MAX_CMDS];
	long rounds = 21, warmup = 1;
	double budget_ms = 0, start;
	int ncmd = 0, ntarget = 0, devnull, done = 0, misses = 0, i;
	const char *target_specs[MAX_TARGETS];
	char vs[32];

	memset(cmds, 0, sizeof(cmds));
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		char *end;

		if (!strcmp(a, "--rounds") || !strcmp(a, "--warmup") ||
		    !strcmp(a, "--budget") || !strcmp(a, "--target")) {
			if (!v)
				return usage("missing value for", a);
			i++;
			if (!strcmp(a, "--target")) {
				if (ntarget == MAX_TARGETS)
					return usage("too many targets at", v);
				target_specs[ntarget++] = v;
				continue;
			}
			errno = 0;
			double x = strtod(v, &end);

			if (errno || *end || x < 0 || x > MAX_ROUNDS * 100.0)
				return usage("bad number", v);
			if (!strcmp(a, "--rounds") && (x < 1 || x > MAX_ROUNDS))
				return usage("--rounds wants 1 to 1000, not", v);
			if (!strcmp(a, "--warmup") && x > 100)
				return usage("--warmup wants 0 to 100, not", v);
			if (!strcmp(a, "--rounds"))
				rounds = (long)x;
			else if (!strcmp(a, "--warmup"))
				warmup = (long)x;
			else
				budget_ms = x * 1e3;
			continue;
		}
		const char *eq = strchr(a, '=');
		struct cmd *c = &cmds[ncmd];
		char *copy;

		if (!eq || eq == a || !eq[1] || a[0] == '-')
			return usage("not NAME=COMMAND:", a);
		if (ncmd == MAX_CMDS)
			return usage("too many commands at", a);
		c->name = strndup(a, (size_t)(eq - a));
		c->line = eq + 1;
		c->shell = strpbrk(c->line, "|&;<>()$`\\\"'*?[]#~{}\n") != NULL;
		copy = strdup(c->line);
		c->wall_ms = calloc((size_t)rounds, sizeof(double));
		c->cpu_ms = calloc((size_t)rounds, sizeof(double));
		c->rss_kib = calloc((size_t)rounds, sizeof(long));
		if (!c->name || !copy || !c->wall_ms || !c->cpu_ms || !c->rss_kib) {
			fprintf(stderr, "bench: out of memory\n");
			return 1;
		}
		if (!c->shell && split_args(c, copy) < 0)
			return usage("cannot split command", c->line);
		if (find_cmd(cmds, ncmd, c->name, strlen(c->name)) >= 0)
			return usage("duplicate name", c->name);
		ncmd++;
	}
	if (!ncmd)
		return usage("no commands", "");
	for (i = 0; i < ntarget; i++)
		if (parse_target(&targets[i], target_specs[i], cmds, ncmd) < 0)
			return usage("bad target (time:A/B<=X, time:A/B>=X, rss:A<=N[K|M]; A, B command names)",
				     target_specs[i]);
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (devnull < 0) {
		fprintf(stderr, "bench: /dev/null: %s\n", strerror(errno));
		return 1;
	}
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	start = now_ms();
	for (long round = 0; round < warmup + rounds && !got_signal; round++) {
		if (round == warmup)
			start = now_ms();
		if (round > warmup && budget_ms > 0) {
			/* Start another round only if it fits: rounds so far tell
			 * how long one takes. */
			double per = (now_ms() - start) / (double)(round - warmup);

			if (now_ms() - start + per > budget_ms)
				break;
		}
		for (int k = 0; k < ncmd; k++) {
			struct cmd *c = &cmds[(k + round) % ncmd];
			int counted = round >= warmup, saved = c->runs;

			if (run_once(c, devnull) < 0) {
				if (got_signal)
					break;
				return 1;
			}
			if (!counted)
				c->runs = saved;
		}
		if (round >= warmup && !got_signal)
			done++;
	}
	if (got_signal) {
		fprintf(stderr, "bench: interrupted\n");
		return got_signal == SIGINT ? 130 : 143;
	}
	if (!done) {
		fprintf(stderr, "bench: no round fitted the budget\n");
		return 1;
	}
	printf("rounds: %d counted (+%ld warm-up), commands alternating, %.1f s\n",
	       done, warmup, (now_ms() - start) / 1e3);
	snprintf(vs, sizeof(vs), "vs %s", cmds[0].name);
	printf("%-14s %-4s %9s %9s %9s %9s %10.10s %9s %9s\n", "command", "via",
	       "median ms", "min ms", "max ms", "cpu ms", vs, "RSS MiB",
	       "max MiB");
	for (i = 0; i < ncmd; i++) {
		summarize(&cmds[i], &st[i]);
		double ratio = st[i].med / st[0].med;

		printf("%-14s %-4s %9.1f %9.1f %9.1f %9.1f %9.2fx %9.1f %9.1f\n",
		       cmds[i].name, cmds[i].shell ? "sh" : "exec", st[i].med,
		       st[i].min, st[i].max, st[i].cpu, ratio,
		       st[i].rss_med / 1024.0, st[i].rss_max / 1024.0);
	}
	printf("\n");
	for (i = 0; i < ncmd; i++)
		printf("  %-14s %s\n", cmds[i].name, cmds[i].line);
	/* A single-threaded process on an idle CPU spends its wall time on
	 * the CPU: when wall clearly exceeds CPU, something else ran. */
	double worst = 0;
	int who = -1;

	for (i = 0; i < ncmd; i++) {
		if (cmds[i].shell || st[i].cpu <= 0)
			continue;
		if (st[i].med / st[i].cpu > worst) {
			worst = st[i].med / st[i].cpu;
			who = i;
		}
	}
	if (who >= 0 && worst > CONTENDED)
		printf("\nWARNING: median wall time of %s is %.0f%% above its CPU time: unless it sleeps or\n"
		       "         waits for I/O, other work held the CPUs and the ratios are unreliable;\n"
		       "         run again on an idle machine\n",
		       cmds[who].name, (worst - 1) * 100);
	if (ntarget)
		printf("\n%-40s %10s %10s  %s\n", "target", "measured", "want", "result");
	for (i = 0; i < ntarget; i++) {
		const struct target *t = &targets[i];
		char what[80], got[32], want[32];
		double v;
		int pass;

		if (t->kind == 't') {
			v = st[t->a].med / st[t->b].med;
			snprintf(what, sizeof(what), "median %s / %s", cmds[t->a].name,
				 cmds[t->b].name);
			snprintf(got, sizeof(got), "%.2fx", v);
			snprintf(want, sizeof(want), "%s%.2fx", t->at_most ? "<=" : ">=",
				 t->limit);
		} else {
			v = (double)st[t->a].rss_max;
			snprintf(what, sizeof(what), "peak RSS %s (max of runs)",
				 cmds[t->a].name);
			snprintf(got, sizeof(got), "%.1f MiB", v / 1024);
			snprintf(want, sizeof(want), "%s%.1f MiB", t->at_most ? "<=" : ">=",
				 t->limit / 1024);
		}
		pass = t->at_most ? v <= t->limit : v >= t->limit;
		misses += !pass;
		printf("%-40s %10s %10s  %s\n", what, got, want, pass ? "PASS" : "MISS  <<<<<<");
	}
	if (ntarget)
		printf("targets: %d of %d met%s\n", ntarget - misses, ntarget,
		       misses ? " (MISS: see above; not an error)" : "");
	return 0;
}
