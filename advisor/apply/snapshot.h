/* SPDX-License-Identifier: MIT */
/* snapshot.h - what apply and rollback save first, so every change can be undone (pure). */
#ifndef TWA_SNAPSHOT_H
#define TWA_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "advisor/util/err.h"
#include "advisor/facts/nsident.h"
#include "advisor/facts/sysctl_key.h"

#define TWA_SNAPSHOT_SCHEMA "twadvise.snapshot/1"
#define TWA_SNAPSHOT_MAX_BYTES (2u << 20)
#define TWA_SNAPSHOT_MAX_KEYS 256
#define TWA_PERSIST_MAX_BYTES (1u << 20)

struct twa_snapshot_value {
	char key[96];
	char value[TWA_SYSCTL_VALUE_SIZE];	/* before the operation: what rollback restores */
	/* What the operation set the key to ("written" in JSON). Snapshots of
	 * twadvise before 0.2 lack it: rollback cannot check drift then. */
	bool has_written;
	char written[TWA_SYSCTL_VALUE_SIZE];
};

struct twa_snapshot {
	char id[64];
	char created[32];
	char operation[16];	/* "apply" or "rollback" */
	char host[256];
	char netns[64];
	char profile[64];
	char plan_fingerprint[80];
	char rolls_back[64];	/* for a rollback: the snapshot it restored */
	struct twa_snapshot_value *values;
	size_t n;
	/* The persisted sysctl.d file, when the operation touched it. */
	bool has_persist;
	char persist_path[512];
	bool persist_existed;
	char *persist_content;	/* NULL when it did not exist */
	/* Taken through --netns: who lives in that namespace, written as
	 * "netns_identity" (with ephemeral); never read back. */
	bool has_ident;
	struct twa_ns_ident ident;
};

void twa_snapshot_init(struct twa_snapshot *s);
void twa_snapshot_release(struct twa_snapshot *s);
/* -E2BIG for a value longer than TWA_SYSCTL_VALUE_MAX (never cut). */
int twa_snapshot_add(struct twa_snapshot *s, const char *key, const char *value);
/* Record what the operation writes to the last key added. */
int twa_snapshot_set_written(struct twa_snapshot *s, const char *written);
int twa_snapshot_set_persist(struct twa_snapshot *s, const char *path,
			     const char *content, size_t len);

/* Snapshot ids are file names: [A-Za-z0-9._-], 1-63 bytes, not starting
 * with a dot. */
bool twa_snapshot_id_valid(const char *id);

json_object *twa_snapshot_to_json(const struct twa_snapshot *s);
/*
 * Parse and validate: schema, id, every key's grammar (net. only) and
 * value, the persisted file's size. A snapshot is trusted no more than a
 * plan: an edited one is refused with -EBADMSG naming the problem.
 */
int twa_snapshot_parse(const char *buf, size_t len, const char *file,
		       struct twa_snapshot *s, struct twa_err *err);

#endif
