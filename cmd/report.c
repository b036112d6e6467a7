/* SPDX-License-Identifier: MIT */
/* report.c - `twadvise report`: findings, evidence and fix commands as Markdown, HTML or JSON; --post; --merge; --all-netns.
 *
 * Exit codes: 0 when the report was written (and posted), whatever the
 * findings say (that is check's job); 64 usage; 65 bad facts, profile or
 * report file, or the server answered 4xx; 66 an input file is missing;
 * 69 the server could not be reached, or answered 5xx/429 after the
 * retries; 73 -o cannot be written; 77 the token file is readable by
 * every user or a symbolic link. A 3xx answer is 65 too: redirects are
 * not followed. An input that is not a regular file (a directory, FIFO,
 * device) is 65.
 *
 * With --post the server's status goes to stderr and its answer body to
 * stdout (to stderr when the report itself goes to stdout with -o -): stdout
 * carries only one requested output.
 */
#include "cmd/cmd.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "advisor/inspect/host.h"
#include "advisor/report/fleet.h"
#include "advisor/report/nsreport.h"
#include "advisor/report/report.h"
#include "advisor/util/fsutil.h"
#include "advisor/util/http.h"
#include "advisor/util/jsonutil.h"
#include "advisor/util/parse.h"
#include "advisor/util/textesc.h"
#include "cmd/allnetns.h"
#include "cmd/errors.h"
#include "cmd/options.h"
#include "cmd/output.h"
#include "cmd/pipeline.h"
#include "cmd/profile_path.h"
#include "cmd/tracing.h"

#define MAX_HEADERS 32
#define TOKEN_MAX 1024

enum fmt { FMT_MARKDOWN, FMT_HTML, FMT_JSON };

struct post {
	const char *url;
	const char *headers[MAX_HEADERS];
	size_t n_headers;
	bool own_content_type;	/* the user set Content-Type */
	const char *token_file;
	const char *cacert;
	double timeout;		/* 0: 30 seconds */
	double deadline;	/* 0: twice the timeout */
	char token[TOKEN_MAX + 1];
};

struct report_opts {
	struct twa_pipeline_opts po;
	uint64_t samples;
	bool merge;
	struct post post;
};

static bool has_suffix(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcasecmp(s + a - b, suffix);
}

/* Without --format, -o report.html writes HTML and -o report.json JSON. */
static enum fmt format_from_output(const char *output)
{
	if (output && (has_suffix(output, ".html") || has_suffix(output, ".htm")))
		return FMT_HTML;
	if (output && has_suffix(output, ".json"))
		return FMT_JSON;
	return FMT_MARKDOWN;
}

static const char *content_type(enum fmt f)
{
	switch (f) {
	case FMT_HTML:
		return "text/html; charset=utf-8";
	case FMT_JSON:
		return "application/json";
	default:
		return "text/markdown; charset=utf-8";
	}
}

/* Credentials never go on the command line, where every user can read
 * them (ps, /proc/PID/cmdline) and shells keep them in history. */
static int set_header(struct twa_cmd *c, const char *h)
{
	struct post *po = &((struct report_opts *)c->opts)->post;
	const char *colon = strchr(h, ':');
	size_t len;

	if (!colon || colon == h || strpbrk(h, "\r\n"))
		return twa_cmd_usage(c, "--header wants 'Name: value', not '%.80s'", h);
	len = (size_t)(colon - h);
	if ((len == 13 && !strncasecmp(h, "Authorization", 13)) ||
	    (len == 19 && !strncasecmp(h, "Proxy-Authorization", 19)))
		return twa_cmd_usage(c,
				       "credentials do not belong on the command line (every user can read it): "
				       "put the bearer token in TWADVISE_TOKEN or a --token-file");
	if (len == 12 && !strncasecmp(h, "Content-Type", 12))
		po->own_content_type = true;
	if (po->n_headers >= MAX_HEADERS)
		return twa_cmd_usage(c, "at most %d --header options", MAX_HEADERS);
	po->headers[po->n_headers++] = h;
	return 0;
}

static int check_url(const struct twa_cmd *c, const char *url)
{
	const char *auth, *end, *at;

	if (strncmp(url, "https://", 8) && strncmp(url, "http://", 7))
		return twa_cmd_usage(c, "--post wants an https:// URL (http:// only to loopback), not '%.200s'",
				       url);
	auth = strstr(url, "://") + 3;
	end = auth + strcspn(auth, "/?#");
	at = memchr(auth, '@', (size_t)(end - auth));
	if (at)
		return twa_cmd_usage(c,
				       "the --post URL holds a user name or password: put the bearer token in "
				       "TWADVISE_TOKEN or a --token-file instead");
	return 0;
}

/* scheme://host[:port]/path of url, without query or fragment, for
 * messages: query strings often carry webhook secrets. */
static void url_for_humans(const char *url, char *buf, size_t size)
{
	size_t len = strcspn(url, "?#");

	if (len >= size)
		len = size - 1;
	memcpy(buf, url, len);
	buf[len] = '\0';
	if (url[len])
		twa_strlcpy(buf + len, "?...", size - len);
}

static void trim(char *s)
{
	char *p = s;
	size_t len;

	while (*p && strchr(" \t\r\n", *p))
		p++;
	memmove(s, p, strlen(p) + 1);
	len = strlen(s);
	while (len && strchr(" \t\r\n", s[len - 1]))
		s[--len] = '\0';
}

/* A token goes into an HTTP header: printable ASCII only (after trim). */
static int token_check(const char *tok, const char *from)
{
	const unsigned char *p;

	for (p = (const unsigned char *)tok; *p; p++)
		if (*p < 0x20 || *p == 0x7f) {
			twa_errorf("%s: the token holds a control character (byte %zu): refusing it",
				   from, (size_t)(p - (const unsigned char *)tok) + 1);
			return EXIT_DATAERR;
		}
	return 0;
}

/* The token file: not a link (it would lend another file's first line,
 * /etc/shadow's, as a token), a regular file (no FIFO to hang on), not
 * readable by every user. Returns an fd, or -exit code after printing. */
static int token_open(const char *file)
{
	struct twa_err err = { 0 };
	struct stat st;
	int fd = twa_file_open(file, O_RDONLY | O_NOFOLLOW, 0, "token file", &st, &err);

	if (fd < 0) {
		twa_print_err(&err);
		return fd == -EACCES || fd == -EPERM || fd == -ELOOP ? -EXIT_NOPERM :
		       fd == -EBADMSG ? -EXIT_DATAERR : -EXIT_NOINPUT;
	}
	if (st.st_mode & S_IROTH) {
		twa_errorf("token file '%s' is readable by every user (mode %04o): chmod 600 it",
			   file, (unsigned)(st.st_mode & 07777));
		close(fd);
		return -EXIT_NOPERM;
	}
	if (st.st_mode & (S_IRGRP | S_IWGRP | S_IWOTH))
		twa_warnf("token file '%s' is open to its group (mode %04o): consider chmod 600",
			  file, (unsigned)(st.st_mode & 07777));
	return fd;
}

/* The bearer token: the first line of --token-file, else $TWADVISE_TOKEN.
 * Returns 0 (token may be "") or an exit code after printing. */
static int load_token(struct post *po)
{
	char buf[TOKEN_MAX + 2];
	ssize_t n;
	size_t len = 0;
	int fd;

	po->token[0] = '\0';
	if (!po->token_file) {
		const char *env = getenv("TWADVISE_TOKEN");

		if (env && strlen(env) > TOKEN_MAX) {
			twa_errorf("TWADVISE_TOKEN is longer than %d bytes", TOKEN_MAX);
			return EXIT_DATAERR;
		}
		twa_strlcpy(po->token, env ? env : "", sizeof(po->token));
		trim(po->token);
		return token_check(po->token, "TWADVISE_TOKEN");
	}
	fd = token_open(po->token_file);
	if (fd < 0)
		return -fd;
	while (len < sizeof(buf) - 1) {
		n = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	if (strlen(buf) > TOKEN_MAX) {
		twa_errorf("token file '%s': the first line is longer than %d bytes", po->token_file,
			   TOKEN_MAX);
		explicit_bzero(buf, sizeof(buf));
		return EXIT_DATAERR;
	}
	twa_strlcpy(po->token, buf, sizeof(po->token));
	explicit_bzero(buf, sizeof(buf));
	trim(po->token);
	if (!po->token[0]) {
		twa_errorf("token file '%s' is empty", po->token_file);
		return EXIT_DATAERR;
	}
	return token_check(po->token, po->token_file);
}

/* Write the server's answer where it cannot mix with the report. */
static void print_answer(const struct twa_http_response *resp, FILE *to)
{
	struct strbuf out = STRBUF_INIT;

	if (!resp->body.len)
		return;
	/* no terminal escape sequences from a remote server, tty or not */
	twa_text_escape(&out, resp->body.buf, resp->body.len, false);
	if (out.len && out.buf[out.len - 1] != '\n')
		strbuf_addch(&out, '\n');
	fwrite(out.buf, 1, out.len, to);
	fflush(to);
	strbuf_release(&out);
}

/* A non-2xx answer: 3xx and 4xx (but 429) are the request's fault, 65;
 * 5xx and 429 after the retries, 69. Redirects are not followed: the
 * bearer token would go with the request to wherever they point. */
static int post_refused(const struct twa_http_response *resp, const char *url)
{
	bool redirect = resp->status >= 300 && resp->status < 400;
	bool client = resp->status >= 400 && resp->status < 500 && resp->status != 429;

	twa_errorf("POST %s: the server answered HTTP %ld after %u attempt%s%s", url,
		   resp->status, resp->attempts, resp->attempts == 1 ? "" : "s",
		   redirect ? " (a redirect: not followed, the token would go with it; "
			      "post to the final URL)" :
		   client ? " (not retried: the request itself was refused)" : "");
	print_answer(resp, stderr);
	return redirect || client ? EXIT_DATAERR : EXIT_UNAVAILABLE;
}

static int do_post(struct post *po, enum fmt f, const struct strbuf *body,
		   const struct twa_globals *g)
{
	struct twa_http_opts o = { 0 };
	struct twa_http_response resp;
	struct twa_err err = { 0 };
	bool report_on_stdout = g->output && !strcmp(g->output, "-");
	char url[512];
	int r;

	o.timeout_ms = (long)((po->timeout ? po->timeout : 30) * 1000);
	o.connect_timeout_ms = o.timeout_ms < 10000 ? o.timeout_ms : 10000;
	o.deadline_ms = (long)(po->deadline * 1000);
	o.retries = TWA_HTTP_MAX_RETRIES;
	o.cacert = po->cacert;
	o.headers = po->headers;
	o.n_headers = po->n_headers;
	o.bearer_token = po->token[0] ? po->token : NULL;
	url_for_humans(po->url, url, sizeof(url));
	r = twa_http_request("POST", po->url, po->own_content_type ? NULL : content_type(f),
			     body->buf, body->len, &o, &resp, &err);
	explicit_bzero(po->token, sizeof(po->token));
	if (r < 0) {
		twa_print_err(&err);
		twa_http_response_release(&resp);
		return r == -EINVAL ? EXIT_USAGE : r == -EBADMSG ? EXIT_DATAERR :
		       r == -ENOENT ? EXIT_NOINPUT : EXIT_UNAVAILABLE;
	}
	if (resp.status >= 200 && resp.status <= 299) {
		if (!g->quiet)
			fprintf(stderr, "twadvise: posted to %s: HTTP %ld (%u attempt%s)\n", url,
				resp.status, resp.attempts, resp.attempts == 1 ? "" : "s");
		print_answer(&resp, report_on_stdout ? stderr : stdout);
		r = 0;
	} else {
		r = post_refused(&resp, url);
	}
	twa_http_response_release(&resp);
	return r;
}

static int write_host(enum fmt f, const struct twa_report *rep, struct strbuf *out)
{
	json_object *o;
	int r;

	if (f == FMT_JSON) {
		o = twa_report_to_json(rep);
		r = o ? twa_json_write(o, true, out) : -ENOMEM;
		json_object_put(o);
	} else if (f == FMT_HTML) {
		r = twa_report_write_html(rep, out);
	} else {
		r = twa_report_write_markdown(rep, out);
	}
	if (r < 0) {
		twa_errorf("out of memory");
		return EXIT_SOFTWARE;
	}
	return 0;
}

static int render_host(const struct twa_globals *g, enum fmt f,
		       const struct twa_pipeline_opts *po, struct strbuf *out)
{
	struct twa_report_opts ro = { 0 };
	struct twa_err err = { 0 };
	struct twa_pipeline pl;
	struct twa_report rep;
	char now[32];
	int r;

	twa_pipeline_init(&pl);
	twa_report_init(&rep);
	r = twa_pipeline_run(g, po, &pl);
	if (r)
		goto out;
	twa_time_rfc3339(now, sizeof(now));
	ro.version = TWA_VERSION;
	ro.time = now;
	ro.profile_spec = po->profile ? po->profile : "default";
	ro.netns = g->netns;
	ro.state_dir = g->state_dir;
	ro.sysctl_dir = g->sysctl_dir;
	if (twa_report_build(&rep, &pl.facts, &pl.findings, &pl.profile, &ro, &err) < 0) {
		r = twa_fail(&err);
		goto out;
	}
	r = write_host(f, &rep, out);
out:
	twa_report_release(&rep);
	twa_pipeline_release(&pl);
	return r;
}

/* --all-netns: every namespace judged in turn (allnetns.c keeps only its
 * findings and size, not its facts), then a section each, worst first, at
 * most TWA_NSREPORT_MAX_SECTIONS; the rest are counted. */
static int render_all_netns(const struct twa_globals *g, enum fmt f,
			    const struct twa_pipeline_opts *po, struct strbuf *out)
{
	struct twa_nsreport_opts ro = { .version = TWA_VERSION };
	struct twa_ns_results rs;
	struct twa_profile p;
	char now[32];
	int r;

	twa_profile_init(&p);
	twa_ns_results_init(&rs);
	r = twa_cmd_load_profile(po->profile ? po->profile : "default", &p);
	if (r == 0)
		r = twa_all_netns_run(g, po, &p, &rs, NULL, NULL);
	if (r == 0) {
		twa_time_rfc3339(now, sizeof(now));
		ro.time = now;
		r = f == FMT_JSON ? twa_nsreport_write_json(&rs, &ro, out) :
		    f == FMT_HTML ? twa_nsreport_write_html(&rs, &ro, out) :
		    twa_nsreport_write_markdown(&rs, &ro, out);
		if (r < 0) {
			twa_errorf("out of memory");
			r = EXIT_SOFTWARE;
		}
	}
	twa_ns_results_release(&rs);
	twa_profile_release(&p);
	return r;
}

static int render_fleet(enum fmt f, char **files, int n, struct strbuf *out)
{
	struct twa_err err = { 0 };
	struct twa_fleet fl;
	char now[32];
	int i, r = 0;

	twa_fleet_init(&fl);
	for (i = 0; i < n && r == 0; i++) {
		struct strbuf buf = STRBUF_INIT;

		r = twa_read_file(files[i], TWA_REPORT_FILE_MAX, &buf, &err);
		if (r == 0)
			r = twa_fleet_add(&fl, buf.buf, buf.len, files[i], &err);
		strbuf_release(&buf);
	}
	twa_time_rfc3339(now, sizeof(now));
	if (r == 0)
		r = twa_fleet_finish(&fl, TWA_VERSION, now, &err);
	if (r < 0) {
		r = twa_fail(&err);
		goto out;
	}
	if (f == FMT_JSON) {
		json_object *o = twa_fleet_to_json(&fl);

		r = o ? twa_json_write(o, true, out) : -ENOMEM;
		json_object_put(o);
	} else if (f == FMT_HTML) {
		r = twa_fleet_write_html(&fl, out);
	} else {
		r = twa_fleet_write_markdown(&fl, out);
	}
	if (r < 0) {
		twa_errorf("out of memory");
		r = EXIT_SOFTWARE;
	}
out:
	twa_fleet_release(&fl);
	return r;
}

static int set_deadline(struct twa_cmd *c, const char *arg)
{
	struct post *po = &((struct report_opts *)c->opts)->post;

	if (twa_parse_double_str(arg, &po->deadline) < 0 || po->deadline < 0.1 ||
	    po->deadline > 7200)
		return twa_cmd_usage(c, "--deadline wants 0.1 to 7200 seconds, not '%s'", arg);
	return 0;
}

static int set_timeout(struct twa_cmd *c, const char *arg)
{
	struct post *po = &((struct report_opts *)c->opts)->post;

	if (twa_parse_double_str(arg, &po->timeout) < 0 || po->timeout < 0.1 ||
	    po->timeout > 3600)
		return twa_cmd_usage(c, "--timeout wants 0.1 to 3600 seconds, not '%s'", arg);
	return 0;
}

/* The combinations: --merge takes reports, not what makes one; the
 * request options go with --post. */
static int report_check(struct twa_cmd *c)
{
	const struct report_opts *o = c->opts;
	const struct post *po = &o->post;
	bool sampled = o->samples || o->po.interval;

	if (o->merge && (o->po.profile || o->po.facts_file || sampled || o->po.force_proc))
		return twa_cmd_usage(c, "--merge combines existing reports: it takes no --profile, --facts, --samples or --proc");
	if (c->g.all_netns && (o->merge || o->po.facts_file))
		return twa_cmd_usage(c, "--all-netns reports on live namespaces: not with --merge or --facts");
	if (o->merge && c->argc == 0)
		return twa_cmd_usage(c, "--merge wants the JSON reports to combine (report --format json)");
	if (!o->merge && c->argc > 0)
		return twa_cmd_usage(c, "unexpected argument '%s'", c->argv[0]);
	if ((po->n_headers || po->token_file || po->cacert || po->timeout || po->deadline) &&
	    !po->url)
		return twa_cmd_usage(c, "--header, --token-file, --cacert, --timeout and --deadline go with --post URL");
	if (po->url)
		return check_url(c, po->url);
	return 0;
}

static int report_exec(struct twa_cmd *c)
{
	struct report_opts *o = c->opts;
	enum fmt f = c->g.format ? (enum fmt)c->format : format_from_output(c->g.output);
	struct strbuf out = STRBUF_INIT;
	int r = 0;

	o->po.samples = (unsigned)o->samples;
	o->po.verbose = c->g.verbose > 0;
	if (o->post.url)
		r = load_token(&o->post);
	if (r == 0 && o->merge)
		r = render_fleet(f, c->argv, c->argc, &out);
	else if (r == 0 && c->g.all_netns)
		r = render_all_netns(&c->g, f, &o->po, &out);
	else if (r == 0)
		r = render_host(&c->g, f, &o->po, &out);
	/* The file first: it exists even when posting fails. */
	if (r == 0 && (!o->post.url || c->g.output))
		r = twa_write_output(&c->g, &out);
	if (r == 0 && o->post.url)
		r = do_post(&o->post, f, &out, &c->g);
	explicit_bzero(o->post.token, sizeof(o->post.token));
	strbuf_release(&out);
	return r;
}

#define ROW(n, t, field, a, h) TWA_OPT_ROW(n, t, struct report_opts, field, a, h)

static int set_trace(struct twa_cmd *c, const char *arg)
{
	return twa_cmd_set_trace(c, "trace", arg, &((struct report_opts *)c->opts)->po.trace);
}

static const struct twa_cmd_option options[] = {
	ROW("profile", TWA_OPT_STRING, po.profile, "NAME|FILE|URL",
	    "workload profile (default: default)"),
	ROW("facts", TWA_OPT_STRING, po.facts_file, "FILE",
	    "report on recorded facts (inspect --format json) instead of this host"),
	ROW("samples", TWA_OPT_SAMPLES, samples, "N", "sample N times: rates, and their chart in html"),
	ROW("interval", TWA_OPT_INTERVAL, po.interval, "SECS", "seconds between samples (default 1)"),
	ROW("proc", TWA_OPT_FLAG, po.force_proc, NULL,
	    "count sockets from /proc/net/tcp instead of netlink"),
	TWA_OPT_CB("trace", set_trace, "SECS", TWA_TRACE_OPT_HELP),
	ROW("no-history", TWA_OPT_FLAG, po.no_history, NULL,
	    "do not read the counters kept by the last check"),
	ROW("merge", TWA_OPT_FLAG, merge, "REPORT.json...",
	    "one fleet report from hosts' json reports (hosts x rules)"),
	ROW("post", TWA_OPT_STRING, post.url, "URL",
	    "POST the report (https://; http:// only to loopback).\n"
	    "With --post the report is not printed: add -o FILE (or\n"
	    "-o -) to keep it. The server's status goes to stderr, its\n"
	    "answer to stdout (stderr with -o -)."),
	TWA_OPT_CB("header", set_header, "'Name: value'",
		   "extra request header, repeatable (not Authorization)"),
	ROW("token-file", TWA_OPT_STRING, post.token_file, "FILE",
	    "bearer token: first line of FILE (not world-readable);\n"
	    "else $TWADVISE_TOKEN. Never on the command line."),
	ROW("cacert", TWA_OPT_STRING, post.cacert, "FILE",
	    "also trust this CA (TLS verification is always on)"),
	TWA_OPT_CB("timeout", set_timeout, "SECS",
		   "per attempt, default 30 (connect at most 10); up to 3\n"
		   "retries with backoff on connection errors, 5xx and 429"),
	TWA_OPT_CB("deadline", set_deadline, "SECS",
		   "all attempts and the waits between them together,\n"
		   "default twice --timeout (60)"),
	{ .type = TWA_OPT_END },
};

static const struct twa_cmd_format formats[] = {
	{ "markdown", FMT_MARKDOWN, false }, { "md", FMT_MARKDOWN, true },
	{ "html", FMT_HTML, false }, { "json", FMT_JSON, false }, { NULL, 0, false },
};

const struct twa_cmd_entry twa_cmd_report = {
	.name = "report",
	.usage = "[--profile NAME|FILE|URL] [--facts FILE] [--format markdown|html|json] [-o FILE] [--post URL] | --merge REPORT.json...",
	.summary = "findings, evidence and the commands to fix as markdown, html or json; post it to a webhook (exit 0 whatever the findings)",
	.options = options,
	.formats = formats,
	.format_help = "default markdown, or html/json from -o's extension",
	.notes = "  exit 0 written (and posted), 64 usage, 65 bad facts, profile or report file or the\n"
		 "  server answered 3xx or 4xx (redirects are not followed), 66 no such file, 69 server\n"
		 "  unreachable or 5xx/429 after the retries or the deadline, 73 cannot write -o,\n"
		 "  77 token file readable by every user or a symbolic link\n",
	.needs = TWA_NEEDS_PIPELINE | TWA_NEEDS_PROFILE | TWA_NEEDS_OUTPUT | TWA_NEEDS_ALL_NETNS,
	.opts_size = sizeof(struct report_opts),
	.check = report_check,
	.exec = report_exec,
};
