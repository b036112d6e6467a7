/* SPDX-License-Identifier: MIT */
/* host.c - reading the host's identity and the time. */
#include "advisor/inspect/host.h"

#include <ctype.h>
#include <stdio.h>
#include <time.h>

#include "advisor/util/fsutil.h"
#include "advisor/util/parse.h"
#include "advisor/inspect/procfs.h"

void twa_time_rfc3339(char *buf, size_t size)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* machine-id(5): 32 lowercase hex digits; under a recorded root its
 * etc/machine-id when the recording holds one, else none. */
static void read_machine_id(const char *root, char *buf, size_t size)
{
	struct strbuf sb = STRBUF_INIT;
	char path[4096];
	size_t i, n = 0;
	bool exists = false;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "%s/etc/machine-id", root ? root : "");
	if (twa_file_read(path, 4096, &sb, &exists, NULL) == 0 && exists) {
		for (i = 0; i < sb.len && isxdigit((unsigned char)sb.buf[i]); i++)
			n++;
		if (n == 32 && n < size)
			twa_strlcpy(buf, sb.buf, n + 1);
	}
	strbuf_release(&sb);
}

void twa_host_read(const char *root, struct twa_host *h)
{
	struct strbuf sb = STRBUF_INIT;

	if (twa_proc_read(root, "sys/kernel/hostname", &sb, NULL) == 0)
		twa_strlcpy(h->hostname, strbuf_str(&sb), sizeof(h->hostname));
	if (twa_proc_read(root, "sys/kernel/osrelease", &sb, NULL) == 0)
		twa_strlcpy(h->kernel, strbuf_str(&sb), sizeof(h->kernel));
	/* Counters restart at boot: the history keys its samples by this. */
	if (twa_proc_read(root, "sys/kernel/random/boot_id", &sb, NULL) == 0)
		twa_strlcpy(h->boot_id, strbuf_str(&sb), sizeof(h->boot_id));
	twa_rstrip(h->hostname);
	twa_rstrip(h->kernel);
	twa_rstrip(h->boot_id);
	if (twa_proc_readlink(root, "self/ns/net", h->netns, sizeof(h->netns)) < 0)
		h->netns[0] = '\0';
	twa_time_rfc3339(h->time, sizeof(h->time));
	read_machine_id(root, h->machine_id, sizeof(h->machine_id));
	strbuf_release(&sb);
}
