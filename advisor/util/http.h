/* SPDX-License-Identifier: MIT */
/* http.h - HTTP requests with libcurl: TLS verified, timeouts, bounded retries (edge). */
#ifndef TWA_HTTP_H
#define TWA_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "advisor/util/err.h"
#include "advisor/util/strbuf.h"

#define TWA_HTTP_MAX_RETRIES 3

struct twa_http_opts {
	long connect_timeout_ms;	/* 0: 10 s */
	long timeout_ms;		/* whole request; 0: 30 s */
	unsigned retries;		/* after the first try; at most 3 */
	unsigned backoff_ms;		/* first wait, doubled each time; 0: 500 */
	const char *cacert;		/* extra CA file, or NULL */
	const char *const *headers;	/* "Name: value" */
	size_t n_headers;
	const char *bearer_token;	/* never logged */
	size_t max_body;		/* response cap; 0: 1 MiB */
	long deadline_ms;		/* all attempts and the waits between
					 * them together; 0: twice timeout_ms */
	/* Plain http:// only to loopback (tests, local collectors); other
	 * hosts need https with certificate verification. */
};

struct twa_http_response {
	long status;		/* 0: no HTTP answer */
	unsigned attempts;
	struct strbuf body;
	char content_type[128];
};

void twa_http_response_release(struct twa_http_response *r);

/*
 * method "GET" or "POST" (with body, content_type). Retries on connection
 * errors and timeouts, 5xx and 429 (honouring Retry-After up to 60 s); not
 * on other 4xx. Returns 0 with the final answer in resp (any status), or:
 * -ECONNREFUSED/-ETIMEDOUT/-EHOSTUNREACH when no answer came, -EINVAL for
 * a URL that is not https (or http to loopback), -EFBIG for a body above
 * the cap.
 */
int twa_http_request(const char *method, const char *url,
		     const char *content_type, const char *body, size_t len,
		     const struct twa_http_opts *o, struct twa_http_response *resp,
		     struct twa_err *err);

#endif
