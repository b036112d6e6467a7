/* host.c - reading the host's identity and the time. */
#include "advisor/inspect/host.h"

#include <time.h>

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
	strbuf_release(&sb);
}
