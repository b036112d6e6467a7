/* SPDX-License-Identifier: MIT */
/* fuzz_procstat.c - libFuzzer harness: /proc/net/sockstat, netstat and snmp text, and the port range and reserved ports sysctls. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "advisor/facts/facts.h"
#include "advisor/facts/proctext.h"
#include "fuzz.h"

static void procstat_named_release(struct twa_named_vec *v)
{
	free(v->v);
	memset(v, 0, sizeof(*v));
}

/* Parse with an error struct, then without: same verdict. */
static void procstat_snmp(const char *buf, size_t size, const char *section)
{
	struct twa_named_vec v = { 0 };
	struct twa_err err = { 0 };
	int r = twa_snmp_parse(buf, size, section, "fuzz/net/netstat", &v, &err);

	if (r < 0) {
		FUZZ_ASSERT_ERR(r, err);
		procstat_named_release(&v);
		FUZZ_ASSERT(twa_snmp_parse(buf, size, section, NULL, &v, NULL) == r);
	} else {
		FUZZ_ASSERT((size_t)r >= v.n);
	}
	procstat_named_release(&v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size), *str = fuzz_cstr(data, size);
	struct twa_named_vec v = { 0 };
	struct twa_portrange *pr = NULL;
	struct twa_err err = { 0 };
	unsigned lo = 0, hi = 0, usable;
	size_t n = 0, i;
	int r;

	r = twa_sockstat_parse(buf, size, "fuzz/net/sockstat", &v, &err);
	if (r < 0) {
		FUZZ_ASSERT_ERR(r, err);
		procstat_named_release(&v);
		FUZZ_ASSERT(twa_sockstat_parse(buf, size, NULL, &v, NULL) == r);
	}
	procstat_named_release(&v);
	procstat_snmp(buf, size, "TcpExt");
	procstat_snmp(buf, size, "Tcp");
	procstat_snmp(buf, size, "IpExt");

	r = twa_port_range_parse(str, &lo, &hi, &err);
	if (r == 0)
		FUZZ_ASSERT(lo >= 1 && lo <= hi && hi <= 65535);
	else
		FUZZ_ASSERT(twa_port_range_parse(str, &lo, &hi, NULL) == r);
	r = twa_reserved_ports_parse(str, &pr, &n, &err);
	if (r == 0) {
		for (i = 0; i < n; i++)
			FUZZ_ASSERT(pr[i].lo <= pr[i].hi && pr[i].hi <= 65535);
		if (!lo) {
			lo = 1;
			hi = 65535;
		}
		usable = twa_usable_ports(lo, hi, pr, n);
		FUZZ_ASSERT(usable <= hi - lo + 1);
		if (n <= 8) {	/* the slow cross-check, on short lists */
			struct twa_ephemeral e = { .present = true, .low = lo, .high = hi,
						   .reserved = pr, .n_reserved = n };
			unsigned port, count = 0;

			for (port = lo; port <= hi; port++)
				count += twa_ephemeral_contains(&e, port);
			FUZZ_ASSERT(count == usable);
		}
		free(pr);
	} else {
		FUZZ_ASSERT_ERR(r, err);
		FUZZ_ASSERT(twa_reserved_ports_parse(str, &pr, &n, NULL) == r);
	}
	free(str);
	free(buf);
	return 0;
}
