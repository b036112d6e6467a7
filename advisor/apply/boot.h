/* SPDX-License-Identifier: MIT */
/* boot.h - which value each persisted key gets at the next boot (edge). */
#ifndef TWA_BOOT_H
#define TWA_BOOT_H

#include "advisor/util/err.h"
#include "advisor/facts/facts.h"

/* The file `apply --persist` writes in the sysctl.d directory. */
#define TWA_PERSIST_FILE "90-twadvise.conf"
#define TWA_SYSCTL_DIR_DEFAULT "/etc/sysctl.d"

/*
 * Replays what systemd-sysctl and `sysctl --system` apply at boot:
 * *.conf from sysctl_dir (default /etc/sysctl.d), /run/sysctl.d,
 * /usr/local/lib/sysctl.d, /usr/lib/sysctl.d and /lib/sysctl.d (a name in
 * an earlier directory masks it in later ones), in lexicographic order of
 * name, then /etc/sysctl.conf; the last setting of a key wins. Fills
 * f->boot with every key of our persisted file whose boot-time value comes
 * from elsewhere. Nothing persisted: f->boot stays absent.
 */
int twa_boot_scan(const char *sysctl_dir, struct twa_facts *f,
		  struct twa_err *err);

#endif
