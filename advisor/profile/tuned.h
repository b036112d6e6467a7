/* SPDX-License-Identifier: MIT */
/* tuned.h - a TuneD profile (tuned.conf) read as TuneD reads it, and written as a twadvise profile through libyaml's emitter (pure). */
#ifndef TWA_TUNED_H
#define TWA_TUNED_H

#include <stddef.h>

#include "advisor/facts/sysctl_key.h"
#include "advisor/util/err.h"
#include "advisor/util/strbuf.h"

/* Larger tuned.conf files are refused (Debian's largest is 3 KiB). */
#define TWA_TUNED_MAX_BYTES (256 * 1024)

struct twa_tuned_sysctl {
	char key[TWA_SYSCTL_KEY_MAX + 1];
	char value[TWA_SYSCTL_VALUE_SIZE];
	char op;		/* '=' exact, '>' at least (min), '<' at most (max) */
	unsigned line;
};

/* What twadvise does not manage, never dropped silently. */
struct twa_tuned_skip {
	char kind[32];		/* "vm", "bootloader", "script", "variables", "variable", ... */
	char what[320];		/* one printable line */
	unsigned line;
};

struct twa_tuned {
	char name[64];
	char file[512];
	char summary[512];
	char include[256];	/* one profile name, "" if none */
	unsigned include_line;
	struct twa_tuned_sysctl *sysctls;
	size_t n_sysctls;
	struct twa_tuned_skip *skips;
	size_t n_skips;
};

void twa_tuned_release(struct twa_tuned *t);

/* Parse tuned.conf text the way TuneD does (Python configparser, '=' the
 * only delimiter, '#' and ';' comment lines, '#' after a blank an inline
 * comment, duplicates: last wins; sysctl values unquoted; '>'/'<'
 * assignment modifiers). name is the profile's directory name. Errors are
 * -EBADMSG at file:line. */
int twa_tuned_parse(const char *buf, size_t len, const char *file, const char *name,
		    struct twa_tuned *t, struct twa_err *err);

/* The twadvise profile (YAML from libyaml's emitter) after a comment
 * header naming the source and every part not imported. extends: "" none. */
int twa_tuned_to_yaml(const struct twa_tuned *t, const char *extends, struct strbuf *out,
		      struct twa_err *err);

/* The typed check of a known key's value (as a profile would be parsed):
 * -EBADMSG at the tuned.conf line when it fails; 0 for other keys. */
int twa_tuned_check_known(const struct twa_tuned *t, struct twa_err *err);

#endif
