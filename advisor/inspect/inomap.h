/* SPDX-License-Identifier: MIT */
/* inomap.h - socket inode -> small integer, for finding owners in /proc/PID/fd. */
#ifndef TWA_INOMAP_H
#define TWA_INOMAP_H

#include <stddef.h>
#include <stdint.h>

/* Socket inodes are 32-bit (inet_diag's idiag_inode); 0 means none and
 * marks an empty slot. Capped like the destination table. */
#define TWA_INOMAP_MAX_SLOTS (1u << 19)

struct twa_inoent {
	uint32_t inode;
	uint32_t value;
};

struct twa_inomap {
	struct twa_inoent *slots;
	size_t mask, used, max_slots;
	uint64_t dropped;	/* inodes not stored: table full */
};

int twa_inomap_init(struct twa_inomap *m);
void twa_inomap_release(struct twa_inomap *m);
/* Insert or overwrite. Returns 0, or -ENOSPC when full (counted). */
int twa_inomap_put(struct twa_inomap *m, uint32_t inode, uint32_t value);
/* The entry for inode or NULL. */
struct twa_inoent *twa_inomap_get(const struct twa_inomap *m, uint32_t inode);

#endif
