/* SPDX-License-Identifier: MIT */
/* yamltree.h - a small YAML document tree with positions, built under caps. */
#ifndef TWA_YAMLTREE_H
#define TWA_YAMLTREE_H

#include <stdbool.h>
#include <stddef.h>

#include "advisor/util/err.h"

/* Hostile input is refused early and in little memory. */
#define TWA_YAML_MAX_BYTES (1u << 20)
#define TWA_YAML_MAX_DEPTH 16
#define TWA_YAML_MAX_NODES 20000
#define TWA_YAML_MAX_SCALAR 4096

enum twa_ynode_type { TWA_Y_SCALAR, TWA_Y_MAP, TWA_Y_SEQ };

struct twa_ynode {
	enum twa_ynode_type type;
	unsigned line, col;	/* 1-based, where the node starts */
	char *value;		/* scalar text */
	bool plain;		/* scalar written without quotes */
	/* Map: keys and values alternate (kids[2i] key, kids[2i+1] value). */
	struct twa_ynode **kids;
	size_t n;
};

/*
 * Parse one YAML document. Anchors, aliases and tags are refused (a
 * "billion laughs" fails at its first alias), as are duplicate map keys,
 * non-scalar keys, several documents, depth beyond TWA_YAML_MAX_DEPTH and
 * more than TWA_YAML_MAX_NODES nodes. An empty document gives NULL.
 * Errors carry file:line:col.
 */
int twa_yaml_parse(const char *buf, size_t len, const char *file,
		   struct twa_ynode **ret, struct twa_err *err);
void twa_ynode_free(struct twa_ynode *n);

/* The value of key in a map, or NULL. */
struct twa_ynode *twa_ynode_get(const struct twa_ynode *map, const char *key);

#endif
