/* report.c - `twadvise report`: findings, evidence and fix commands as Markdown, HTML or JSON; --post; --merge.
 *
 * Exit codes: 0 when the report was written (and posted), whatever the
 * findings say (that is check's job); 64 usage; 65 bad facts, profile or
 * report file, or the server answered 4xx; 66 an input file is missing;
 * 69 the server could not be reached, or answered 5xx/429 after the
 * retries; 73 -o cannot be written; 77 the token file is readable by
 * every user.
 *
 * With --post the server's status goes to stderr and its answer body to
 * stdout (to stderr when the report itself goes to stdout with -o -): stdout
 * carries only one requested output.
 */
#include "cmd.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "advisor/inspect/host.h"
#include "advisor/facts/facts.h"
#include "advisor/rules/findings.h"
#include "advisor/report/fleet.h"
#include "advisor/util/http.h"
#include "advisor/util/jsonutil.h"
#include "advisor/util/parse.h"
#include "advisor/profile/profile.h"
#include "advisor/report/report.h"
#include "advisor/rules/rules.h"

enum { OPT_PROFILE = OPT_COMMAND_BASE, OPT_FACTS, OPT_SAMPLES, OPT_INTERVAL,
       OPT_PROC, OPT_POST, OPT_HEADER, OPT_TOKEN_FILE, OPT_CACERT, OPT_TIMEOUT,
       OPT_MERGE };

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
	double timeout;
	char token[TOKEN_MAX + 1];
};

static bool has_suffix(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcasecmp(s + a - b, suffix);
}

static int parse_format(const struct twa_globals *g, enum fmt *ret)
{
	const char *f = g->format;

	if (!f) {
		/* -o report.html writes HTML without --format */
		if (g->output && (has_suffix(g->output, ".html") || has_suffix(g->output, ".htm")))
			*ret = FMT_HTML;
		else if (g->output && has_suffix(g->output, ".json"))
			*ret = FMT_JSON;
		else
			*ret = FMT_MARKDOWN;
		return 0;
	}
	if (!strcmp(f, "markdown") || !strcmp(f, "md"))
		*ret = FMT_MARKDOWN;
	else if (!strcmp(f, "html"))
		*ret = FMT_HTML;
	else if (!strcmp(f, "json"))
		*ret = FMT_JSON;
	else
		return twa_usage_error("report", "--format takes markdown, html or json, not '%s'", f);
	return 0;
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
static int check_header(const char *h, struct post *po)
{
	const char *colon = strchr(h, ':');
	size_t len;

	if (!colon || colon == h || strpbrk(h, "\r\n"))
		return twa_usage_error("report", "--header wants 'Name: value', not '%.80s'", h);
	len = (size_t)(colon - h);
	if ((len == 13 && !strncasecmp(h, "Authorization", 13)) ||
	    (len == 19 && !strncasecmp(h, "Proxy-Authorization", 19)))
		return twa_usage_error("report",
				       "credentials do not belong on the command line (every user can read it): "
				       "put the bearer token in TWADVISE_TOKEN or a --token-file");
	if (len == 12 && !strncasecmp(h, "Content-Type", 12))
		po->own_content_type = true;
	if (po->n_headers >= MAX_HEADERS)
		return twa_usage_error("report", "at most %d --header options", MAX_HEADERS);
	po->headers[po->n_headers++] = h;
	return 0;
}

static int check_url(const char *url)
{
	const char *auth, *end, *at;

	if (strncmp(url, "https://", 8) && strncmp(url, "http://", 7))
		return twa_usage_error("report", "--post wants an https:// URL (http:// only to loopback), not '%.200s'",
				       url);
	auth = strstr(url, "://") + 3;
	end = auth + strcspn(auth, "/?#");
	at = memchr(auth, '@', (size_t)(end - auth));
	if (at)
		return twa_usage_error("report",
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

/* The bearer token: the first line of --token-file, else $TWADVISE_TOKEN.
 * Returns 0 (token may be "") or an exit code after printing. */
static int load_token(struct post *po)
{
	char buf[TOKEN_MAX + 2];
	struct stat st;
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
		return 0;
	}
	fd = open(po->token_file, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		twa_errorf("cannot open token file '%s': %s", po->token_file, strerror(errno));
		return errno == ENOENT ? EXIT_NOINPUT : errno == EACCES ? EXIT_NOPERM : EXIT_NOINPUT;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		twa_errorf("token file '%s' is not a regular file", po->token_file);
		close(fd);
		return EXIT_DATAERR;
	}
	if (st.st_mode & S_IROTH) {
		twa_errorf("token file '%s' is readable by every user (mode %04o): chmod 600 it",
			   po->token_file, (unsigned)(st.st_mode & 07777));
		close(fd);
		return EXIT_NOPERM;
	}
	if (st.st_mode & (S_IRGRP | S_IWGRP | S_IWOTH))
		twa_warnf("token file '%s' is open to its group (mode %04o): consider chmod 600",
			  po->token_file, (unsigned)(st.st_mode & 07777));
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
	return 0;
}

/* Write the server's answer where it cannot mix with the report. */
static void print_answer(const struct twa_http_response *resp, FILE *to)
{
	const unsigned char *p = (const unsigned char *)resp->body.buf;
	bool tty = isatty(fileno(to));
	size_t i;

	if (!resp->body.len)
		return;
	for (i = 0; i < resp->body.len; i++) {
		unsigned char c = p[i];

		/* no terminal escape sequences from a remote server */
		if (tty && ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f))
			c = '?';
		fputc(c, to);
	}
	if (p[resp->body.len - 1] != '\n')
		fputc('\n', to);
	fflush(to);
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

	o.timeout_ms = (long)(po->timeout * 1000);
	o.connect_timeout_ms = o.timeout_ms < 10000 ? o.timeout_ms : 10000;
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
		return r == -EINVAL ? EXIT_USAGE : EXIT_UNAVAILABLE;
	}
	if (resp.status >= 200 && resp.status <= 299) {
		if (!g->quiet)
			fprintf(stderr, "twadvise: posted to %s: HTTP %ld (%u attempt%s)\n", url,
				resp.status, resp.attempts, resp.attempts == 1 ? "" : "s");
		print_answer(&resp, report_on_stdout ? stderr : stdout);
		r = 0;
	} else {
		twa_errorf("POST %s: the server answered HTTP %ld after %u attempt%s%s", url,
			   resp.status, resp.attempts, resp.attempts == 1 ? "" : "s",
			   resp.status >= 400 && resp.status < 500 && resp.status != 429 ?
			   " (not retried: the request itself was refused)" : "");
		print_answer(&resp, stderr);
		r = resp.status >= 400 && resp.status < 500 && resp.status != 429 ?
		    EXIT_DATAERR : EXIT_UNAVAILABLE;
	}
	twa_http_response_release(&resp);
	return r;
}

static int render_host(const struct twa_globals *g, enum fmt f,
		       const char *profile, const char *facts_file,
		       unsigned samples, double interval, bool force_proc,
		       struct strbuf *out)
{
	struct twa_report_opts ro = { 0 };
	struct twa_err err = { 0 };
	struct twa_findings fs;
	struct twa_profile p;
	struct twa_report rep;
	struct twa_facts facts;
	char now[32];
	int r;

	twa_profile_init(&p);
	twa_facts_init(&facts);
	twa_findings_init(&fs);
	twa_report_init(&rep);
	r = twa_cmd_load_profile(profile, &p);
	if (r)
		goto out;
	r = twa_cmd_gather(g, facts_file, &p, samples, interval, force_proc, &facts);
	if (r)
		goto out;
	if (twa_rules_evaluate(&facts, &p, &fs, &err) < 0) {
		r = twa_fail(&err);
		goto out;
	}
	twa_time_rfc3339(now, sizeof(now));
	ro.version = TWA_VERSION;
	ro.time = now;
	ro.profile_spec = profile;
	ro.netns = g->netns;
	ro.state_dir = g->state_dir;
	ro.sysctl_dir = g->sysctl_dir;
	if (twa_report_build(&rep, &facts, &fs, &p, &ro, &err) < 0) {
		r = twa_fail(&err);
		goto out;
	}
	if (f == FMT_JSON) {
		json_object *o = twa_report_to_json(&rep);

		r = o ? twa_json_write(o, true, out) : -ENOMEM;
		json_object_put(o);
	} else if (f == FMT_HTML) {
		r = twa_report_write_html(&rep, out);
	} else {
		r = twa_report_write_markdown(&rep, out);
	}
	if (r < 0) {
		twa_errorf("out of memory");
		r = EXIT_SOFTWARE;
	}
out:
	twa_report_release(&rep);
	twa_findings_release(&fs);
	twa_facts_release(&facts);
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

int cmd_report(int argc, char **argv, const struct twa_globals *gin)
{
	static const struct option opts[] = {
		{ "profile", required_argument, NULL, OPT_PROFILE },
		{ "facts", required_argument, NULL, OPT_FACTS },
		{ "samples", required_argument, NULL, OPT_SAMPLES },
		{ "interval", required_argument, NULL, OPT_INTERVAL },
		{ "proc", no_argument, NULL, OPT_PROC },
		{ "post", required_argument, NULL, OPT_POST },
		{ "header", required_argument, NULL, OPT_HEADER },
		{ "token-file", required_argument, NULL, OPT_TOKEN_FILE },
		{ "cacert", required_argument, NULL, OPT_CACERT },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "merge", no_argument, NULL, OPT_MERGE },
		TWA_GLOBAL_OPTIONS,
		{ 0 },
	};
	struct twa_globals g = *gin;
	struct post po = { .timeout = 30 };
	struct strbuf out = STRBUF_INIT;
	const char *profile = NULL, *facts_file = NULL;
	bool merge = false, force_proc = false, sampled = false, post_opts = false;
	uint64_t samples = 1;
	double interval = 1;
	enum fmt f = FMT_MARKDOWN;
	int opt, r;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, TWA_GLOBAL_SHORT, opts, NULL)) != -1) {
		switch (opt) {
		case OPT_PROFILE:
			profile = optarg;
			break;
		case OPT_FACTS:
			facts_file = optarg;
			break;
		case OPT_SAMPLES:
			if (twa_parse_samples("report", optarg, &samples))
				return EXIT_USAGE;
			sampled = true;
			break;
		case OPT_INTERVAL:
			if (twa_parse_interval("report", optarg, &interval))
				return EXIT_USAGE;
			sampled = true;
			break;
		case OPT_PROC:
			force_proc = true;
			break;
		case OPT_POST:
			po.url = optarg;
			break;
		case OPT_HEADER:
			r = check_header(optarg, &po);
			if (r)
				return r;
			post_opts = true;
			break;
		case OPT_TOKEN_FILE:
			po.token_file = optarg;
			post_opts = true;
			break;
		case OPT_CACERT:
			po.cacert = optarg;
			post_opts = true;
			break;
		case OPT_TIMEOUT:
			if (twa_parse_double_str(optarg, &po.timeout) < 0 || po.timeout < 0.1 ||
			    po.timeout > 3600)
				return twa_usage_error("report", "--timeout wants 0.1 to 3600 seconds, not '%s'",
						       optarg);
			post_opts = true;
			break;
		case OPT_MERGE:
			merge = true;
			break;
		case '?':
			return twa_usage_error("report", "unknown option or missing value '%s'",
					       argv[optind - 1]);
		default:
			r = twa_global_option(&g, opt, optarg, "report");
			if (r)
				return r;
		}
	}
	if (merge && (profile || facts_file || sampled || force_proc))
		return twa_usage_error("report", "--merge combines existing reports: it takes no --profile, --facts, --samples or --proc");
	if (merge && optind >= argc)
		return twa_usage_error("report", "--merge wants the JSON reports to combine (report --format json)");
	if (!merge && optind < argc)
		return twa_usage_error("report", "unexpected argument '%s'", argv[optind]);
	if (post_opts && !po.url)
		return twa_usage_error("report", "--header, --token-file, --cacert and --timeout go with --post URL");
	if (po.url && (r = check_url(po.url)))
		return r;
	if ((r = parse_format(&g, &f)))
		return r;
	twa_globals_finish(&g);
	if (po.url && (r = load_token(&po)))
		return r;
	if (merge)
		r = render_fleet(f, argv + optind, argc - optind, &out);
	else
		r = render_host(&g, f, profile ? profile : "default", facts_file,
				(unsigned)samples, interval, force_proc, &out);
	if (r)
		goto out;
	/* The file first: it exists even when posting fails. */
	if (!po.url || g.output) {
		r = twa_write_output(&g, &out);
		if (r)
			goto out;
	}
	if (po.url)
		r = do_post(&po, f, &out, &g);
out:
	explicit_bzero(po.token, sizeof(po.token));
	strbuf_release(&out);
	return r;
}
