/* SPDX-License-Identifier: MIT */
/* http.c - libcurl requests for report posting and remote profiles. */
#include "advisor/util/http.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <dlfcn.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <curl/curl.h>

#include "advisor/util/fsutil.h"
#include "advisor/util/parse.h"

#define RETRY_AFTER_MAX_S 60

/*
 * libcurl is loaded on the first request, not linked: linked, it and its
 * ~30 dependencies (TLS, Kerberos, LDAP, IDN, ...) are mapped and relocated
 * by every run of twadvise, ~5 ms and ~6 MiB RSS that inspect and check
 * pay for nothing (bench/README.md). Only this file calls libcurl.
 */
static struct {
	CURLcode (*global_init)(long);
	void (*global_cleanup)(void);
	CURL *(*easy_init)(void);
	void (*easy_reset)(CURL *);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_perform)(CURL *);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	const char *(*easy_strerror)(CURLcode);
	void (*easy_cleanup)(CURL *);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
} lc;

/* Hand each symbol over as a void pointer: POSIX guarantees the round trip
 * for dlsym() results. */
static int load_curl(struct twa_err *err)
{
	static const char *const names[] = {
		"curl_global_init", "curl_global_cleanup", "curl_easy_init",
		"curl_easy_reset", "curl_easy_setopt", "curl_easy_perform",
		"curl_easy_getinfo", "curl_easy_strerror", "curl_easy_cleanup",
		"curl_slist_append", "curl_slist_free_all",
	};
	void *slots[sizeof(names) / sizeof(names[0])];
	void *h;
	size_t i;

	_Static_assert(sizeof(slots) == sizeof(lc), "one name per libcurl function");
	if (lc.global_init)
		return 0;
	h = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
	if (!h)
		return twa_err_set(err, -ENOSYS, "cannot load libcurl (install libcurl4): %s",
				   dlerror());
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		slots[i] = dlsym(h, names[i]);
		if (!slots[i]) {
			dlclose(h);
			return twa_err_set(err, -ENOSYS, "libcurl.so.4 lacks %s", names[i]);
		}
	}
	memcpy(&lc, slots, sizeof(lc));
	return 0;	/* stays loaded for the life of the process */
}

/* Below, the libcurl names call through the table (curl/typecheck-gcc.h
 * makes two of them macros: replace those). */
#undef curl_easy_setopt
#undef curl_easy_getinfo
#define curl_global_init lc.global_init
#define curl_global_cleanup lc.global_cleanup
#define curl_easy_init lc.easy_init
#define curl_easy_reset lc.easy_reset
#define curl_easy_setopt lc.easy_setopt
#define curl_easy_perform lc.easy_perform
#define curl_easy_getinfo lc.easy_getinfo
#define curl_easy_strerror lc.easy_strerror
#define curl_easy_cleanup lc.easy_cleanup
#define curl_slist_append lc.slist_append
#define curl_slist_free_all lc.slist_free_all

struct sink {
	struct strbuf *body;
	size_t max;
	bool too_big;
};

struct hdrs {
	long retry_after_s;
	char content_type[128];
};

void twa_http_response_release(struct twa_http_response *r)
{
	if (r)
		strbuf_release(&r->body);
}

static size_t on_body(char *data, size_t size, size_t n, void *ctx)
{
	struct sink *s = ctx;
	size_t len = size * n;

	if (s->body->len + len > s->max) {
		s->too_big = true;
		return 0;	/* aborts the transfer */
	}
	return strbuf_add(s->body, data, len) < 0 ? 0 : len;
}

static size_t on_header(char *data, size_t size, size_t n, void *ctx)
{
	struct hdrs *h = ctx;
	size_t len = size * n;
	char line[256];

	if (len >= sizeof(line))
		return len;
	memcpy(line, data, len);
	line[len] = '\0';
	twa_rstrip(line);
	if (!strncasecmp(line, "Retry-After:", 12)) {
		const char *v = line + 12;
		uint64_t s;

		while (*v == ' ')
			v++;
		if (twa_parse_u64_str(v, &s) == 0)
			h->retry_after_s = s > RETRY_AFTER_MAX_S ? RETRY_AFTER_MAX_S : (long)s;
	} else if (!strncasecmp(line, "Content-Type:", 13)) {
		const char *v = line + 13;

		while (*v == ' ')
			v++;
		twa_strlcpy(h->content_type, v, sizeof(h->content_type));
	}
	return len;
}

/* An address in 127.0.0.0/8 or ::1 (or ::ffff:127.x.y.z). */
static bool addr_is_loopback(int family, const void *a)
{
	if (family == AF_INET)
		return (ntohl(((const struct in_addr *)a)->s_addr) >> 24) == 127;
	if (family == AF_INET6) {
		const struct in6_addr *a6 = a;

		return IN6_IS_ADDR_LOOPBACK(a6) ||
		       (IN6_IS_ADDR_V4MAPPED(a6) && a6->s6_addr[12] == 127);
	}
	return false;
}

/*
 * https://..., or http:// to loopback: an IP literal in 127.0.0.0/8,
 * [::1], or the name localhost (whose addresses on_open_socket checks,
 * since /etc/hosts could say anything). A name that merely starts with
 * "127." (127.evil.example) is a name, not an address: refused here,
 * before any lookup or connection. No user@ in the authority.
 */
static bool url_allowed(const char *url, bool *plain)
{
	const char *host, *end;
	char name[256];
	unsigned char a[16];
	size_t len;

	*plain = false;
	if (!strncmp(url, "https://", 8))
		return true;
	if (strncmp(url, "http://", 7))
		return false;
	*plain = true;
	host = url + 7;
	len = strcspn(host, "/?#");
	if (memchr(host, '@', len) || memchr(host, '\\', len))
		return false;
	if (*host == '[') {
		end = memchr(host, ']', len);
		if (!end || (size_t)(end - host - 1) >= sizeof(name))
			return false;
		memcpy(name, host + 1, (size_t)(end - host - 1));
		name[end - host - 1] = '\0';
		return inet_pton(AF_INET6, name, a) == 1 && addr_is_loopback(AF_INET6, a);
	}
	len = strcspn(host, ":/?#");
	if (!len || len >= sizeof(name))
		return false;
	memcpy(name, host, len);
	name[len] = '\0';
	if (!strcasecmp(name, "localhost"))
		return true;
	return inet_pton(AF_INET, name, a) == 1 && addr_is_loopback(AF_INET, a);
}

/* Plain http: every address libcurl is about to connect to (a name's, or
 * a proxy's) must be loopback, checked before the socket exists, so no
 * byte of the request, token included, leaves the host. */
static curl_socket_t on_open_socket(void *ctx, curlsocktype purpose,
				    struct curl_sockaddr *addr)
{
	bool *refused = ctx;
	const void *a = NULL;

	(void)purpose;
	if (addr->family == AF_INET)
		a = &((const struct sockaddr_in *)(const void *)&addr->addr)->sin_addr;
	else if (addr->family == AF_INET6)
		a = &((const struct sockaddr_in6 *)(const void *)&addr->addr)->sin6_addr;
	if (!a || !addr_is_loopback(addr->family, a)) {
		*refused = true;
		return CURL_SOCKET_BAD;
	}
	return socket(addr->family, addr->socktype | SOCK_CLOEXEC, addr->protocol);
}

/* The URL for messages: no user:password@ and no query string, which can
 * carry secrets. */
static void url_for_messages(const char *url, char *buf, size_t size)
{
	const char *scheme_end = strstr(url, "://"), *host = scheme_end ? scheme_end + 3 : url;
	const char *at = strchr(host, '@'), *slash = strchr(host, '/');
	size_t n;

	if (at && (!slash || at < slash))
		snprintf(buf, size, "%.*s%s", (int)(host - url), url, at + 1);
	else
		snprintf(buf, size, "%s", url);
	n = strcspn(buf, "?#");
	if (buf[n])
		snprintf(buf + n, size - n, "?...");
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static bool transient(CURLcode c)
{
	switch (c) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
		return true;
	default:
		return false;
	}
}

static int curl_errno(CURLcode c)
{
	switch (c) {
	case CURLE_OPERATION_TIMEDOUT:
		return -ETIMEDOUT;
	case CURLE_COULDNT_RESOLVE_HOST:
		return -EHOSTUNREACH;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CONNECT_ERROR:
		return -EPROTO;
	default:
		return -ECONNREFUSED;
	}
}

/* One request's fixed parts, shared by its attempts. */
struct request {
	const char *method, *url, *body;
	size_t len;
	const struct twa_http_opts *o;
	struct curl_slist *headers;
	char errbuf[CURL_ERROR_SIZE];
	char shown[256];	/* the URL for messages */
	bool plain;		/* http://: loopback only */
	bool refused;		/* on_open_socket refused an address */
	long deadline_ms;	/* all attempts and waits */
	long end_ms;		/* the deadline on the monotonic clock */
};

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The caller's headers, checked, then Content-Type, Authorization and an
 * empty Expect: (no 100-continue round trip). */
static int build_headers(struct request *q, const char *content_type,
			 struct twa_err *err)
{
	const struct twa_http_opts *o = q->o;
	char line[1200];
	size_t i;

	for (i = 0; i < o->n_headers; i++) {
		if (strchr(o->headers[i], '\r') || strchr(o->headers[i], '\n') ||
		    !strchr(o->headers[i], ':'))
			return twa_err_set(err, -EINVAL, "bad header '%.80s': want 'Name: value'",
					   o->headers[i]);
		q->headers = curl_slist_append(q->headers, o->headers[i]);
	}
	if (content_type) {
		snprintf(line, sizeof(line), "Content-Type: %s", content_type);
		q->headers = curl_slist_append(q->headers, line);
	}
	if (o->bearer_token) {
		if (strpbrk(o->bearer_token, "\r\n") || strlen(o->bearer_token) > 1024)
			return twa_err_set(err, -EINVAL,
					   "the bearer token has a newline or is too long");
		snprintf(line, sizeof(line), "Authorization: Bearer %s", o->bearer_token);
		q->headers = curl_slist_append(q->headers, line);
		memset(line, 0, sizeof(line));
	}
	q->headers = curl_slist_append(q->headers, "Expect:");
	return 0;
}

/* Every option of one attempt, from a reset handle; the attempt gets at
 * most left ms, what remains before the deadline. */
static void set_options(CURL *curl, struct request *q, struct sink *sink, struct hdrs *h,
			long left)
{
	const struct twa_http_opts *o = q->o;
	long total = o->timeout_ms ? o->timeout_ms : 30000L;
	long conn = o->connect_timeout_ms ? o->connect_timeout_ms : 10000L;

	curl_easy_reset(curl);
	curl_easy_setopt(curl, CURLOPT_URL, q->url);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https,http");
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
	if (o->cacert)
		curl_easy_setopt(curl, CURLOPT_CAINFO, o->cacert);
	if (total > left)
		total = left;
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, conn < total ? conn : total);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, total);
	if (q->plain) {
		curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
		curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, on_open_socket);
		curl_easy_setopt(curl, CURLOPT_OPENSOCKETDATA, &q->refused);
	}
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_USERAGENT, "twadvise");
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, q->headers);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, q->errbuf);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, sink);
	curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(curl, CURLOPT_HEADERDATA, h);
	if (!strcmp(q->method, "POST")) {
		curl_easy_setopt(curl, CURLOPT_POST, 1L);
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, q->body);
		curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)q->len);
	}
}

/* Worth another attempt: 5xx, 429, or a network error that may pass. */
static bool retryable(CURLcode c, long status)
{
	if (c == CURLE_OK)
		return status >= 500 || status == 429;
	return transient(c);
}

/* The attempts, with backoff (or the server's Retry-After) between them. */
static int perform(CURL *curl, struct request *q, struct twa_http_response *resp,
		   struct twa_err *err)
{
	const struct twa_http_opts *o = q->o;
	unsigned retries = o->retries > TWA_HTTP_MAX_RETRIES ? TWA_HTTP_MAX_RETRIES :
			   o->retries;
	long backoff = o->backoff_ms ? o->backoff_ms : 500, wait;
	CURLcode c = CURLE_OK;
	bool expired = false;

	q->end_ms = now_ms() + q->deadline_ms;
	for (resp->attempts = 1;; resp->attempts++) {
		struct sink sink = { &resp->body, o->max_body ? o->max_body : 1u << 20, false };
		struct hdrs h = { -1, "" };

		strbuf_reset(&resp->body);
		set_options(curl, q, &sink, &h, q->end_ms - now_ms());
		q->errbuf[0] = '\0';
		c = curl_easy_perform(curl);
		resp->status = 0;
		curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &resp->status);
		twa_strlcpy(resp->content_type, h.content_type, sizeof(resp->content_type));
		if (q->refused)
			return twa_err_set(err, -EINVAL,
					   "%s: the host has a non-loopback address: plain http only goes to loopback (use https://)",
					   q->shown);
		if (sink.too_big)
			return twa_err_set(err, -EFBIG, "%s: answer larger than %zu bytes",
					   q->shown, sink.max);
		if (!retryable(c, resp->status) || resp->attempts > retries)
			break;
		wait = c == CURLE_OK && h.retry_after_s >= 0 ? h.retry_after_s * 1000 : backoff;
		/* no attempt without at least 100 ms left for it */
		if (now_ms() + wait + 100 >= q->end_ms) {
			expired = true;
			break;
		}
		sleep_ms(wait);
		backoff *= 2;
	}
	if (strbuf_failed(&resp->body))
		return twa_err_set(err, -ENOMEM, "%s: out of memory for the answer", q->shown);
	if (c != CURLE_OK)
		return twa_err_set(err, curl_errno(c), "%.200s: %s (after %u attempt%s%s%.1f s)",
				   q->shown, q->errbuf[0] ? q->errbuf : curl_easy_strerror(c),
				   resp->attempts, resp->attempts == 1 ? "" : "s",
				   expired ? "; gave up at the deadline of " : ", ",
				   expired ? (double)q->deadline_ms / 1000 :
				   (double)(now_ms() - (q->end_ms - q->deadline_ms)) / 1000);
	return 0;
}

int twa_http_request(const char *method, const char *url,
		     const char *content_type, const char *body, size_t len,
		     const struct twa_http_opts *o, struct twa_http_response *resp,
		     struct twa_err *err)
{
	struct request q = { .method = method, .url = url, .body = body, .len = len, .o = o };
	CURL *curl = NULL;
	int r;

	memset(resp, 0, sizeof(*resp));
	strbuf_init(&resp->body, 0);
	url_for_messages(url, q.shown, sizeof(q.shown));
	if (!url_allowed(url, &q.plain))
		return twa_err_set(err, -EINVAL,
				   "refusing '%.200s': use https:// (plain http only to 127.0.0.0/8, [::1] or localhost)",
				   q.shown);
	q.deadline_ms = o->deadline_ms > 0 ? o->deadline_ms :
			2 * (o->timeout_ms ? o->timeout_ms : 30000L);
	if (o->cacert) {	/* libcurl would block on a FIFO: check it here */
		int fd = twa_file_open(o->cacert, O_RDONLY, 0, "CA file", NULL, err);

		if (fd < 0)
			return fd;
		close(fd);
	}
	r = load_curl(err);
	if (r < 0)
		return r;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return twa_err_set(err, -ENOMEM, "cannot initialise libcurl");
	r = build_headers(&q, content_type, err);
	if (r < 0)
		goto out;
	curl = curl_easy_init();
	if (!curl) {
		r = twa_err_set(err, -ENOMEM, "cannot initialise libcurl");
		goto out;
	}
	r = perform(curl, &q, resp, err);
out:
	curl_slist_free_all(q.headers);
	if (curl)
		curl_easy_cleanup(curl);
	curl_global_cleanup();
	return r;
}
