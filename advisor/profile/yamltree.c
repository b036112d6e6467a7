/* SPDX-License-Identifier: MIT */
/* yamltree.c - YAML to a tree of nodes with libyaml's event parser. */
#include "advisor/profile/yamltree.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

struct builder {
	yaml_parser_t parser;
	const char *file;
	size_t nodes;
	struct twa_err *err;
};

void twa_ynode_free(struct twa_ynode *n)
{
	size_t i;

	if (!n)
		return;
	for (i = 0; i < n->n; i++)
		twa_ynode_free(n->kids[i]);
	free(n->kids);
	free(n->value);
	free(n);
}

static int parser_error(struct builder *b)
{
	yaml_parser_t *p = &b->parser;
	const yaml_mark_t *m = p->problem ? &p->problem_mark : &p->context_mark;

	return twa_err_set_at(b->err, -EBADMSG, b->file, (unsigned)m->line + 1,
			      (unsigned)m->column + 1, "YAML syntax error: %s%s%s",
			      p->problem ? p->problem : "unknown problem",
			      p->context ? " " : "", p->context ? p->context : "");
}

static int add_kid(struct twa_ynode *parent, struct twa_ynode *kid)
{
	struct twa_ynode **k = realloc(parent->kids, (parent->n + 1) * sizeof(*k));

	if (!k)
		return -ENOMEM;
	parent->kids = k;
	k[parent->n++] = kid;
	return 0;
}

static struct twa_ynode *new_node(struct builder *b, enum twa_ynode_type type,
				  const yaml_event_t *ev)
{
	struct twa_ynode *n;

	if (++b->nodes > TWA_YAML_MAX_NODES) {
		twa_err_set_at(b->err, -EBADMSG, b->file,
			       (unsigned)ev->start_mark.line + 1,
			       (unsigned)ev->start_mark.column + 1,
			       "too many YAML nodes (more than %u)", TWA_YAML_MAX_NODES);
		return NULL;
	}
	n = calloc(1, sizeof(*n));
	if (!n) {
		twa_err_set(b->err, -ENOMEM, "out of memory");
		return NULL;
	}
	n->type = type;
	n->line = (unsigned)ev->start_mark.line + 1;
	n->col = (unsigned)ev->start_mark.column + 1;
	return n;
}

/* Why new_node() failed, also when the caller passed no struct twa_err. */
static int node_error(const struct builder *b)
{
	return b->nodes > TWA_YAML_MAX_NODES ? -EBADMSG : -ENOMEM;
}

static int refuse_extras(struct builder *b, const yaml_event_t *ev,
			 const unsigned char *anchor, const unsigned char *tag,
			 bool implicit_tag)
{
	if (anchor)
		return twa_err_set_at(b->err, -EBADMSG, b->file,
				      (unsigned)ev->start_mark.line + 1,
				      (unsigned)ev->start_mark.column + 1,
				      "YAML anchors ('&%.32s') are not allowed in profiles",
				      (const char *)anchor);
	if (tag && !implicit_tag)
		return twa_err_set_at(b->err, -EBADMSG, b->file,
				      (unsigned)ev->start_mark.line + 1,
				      (unsigned)ev->start_mark.column + 1,
				      "YAML tags ('%.32s') are not allowed in profiles",
				      (const char *)tag);
	return 0;
}

static int next_event(struct builder *b, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&b->parser, ev))
		return parser_error(b);
	if (ev->type == YAML_ALIAS_EVENT) {
		int r = twa_err_set_at(b->err, -EBADMSG, b->file,
				       (unsigned)ev->start_mark.line + 1,
				       (unsigned)ev->start_mark.column + 1,
				       "YAML aliases ('*%.32s') are not allowed in profiles",
				       (const char *)ev->data.alias.anchor);
		yaml_event_delete(ev);
		return r;
	}
	return 0;
}

/* Build the node that starts with ev (already read); takes ownership. */
static int build(struct builder *b, yaml_event_t *ev, unsigned depth,
		 struct twa_ynode **ret);

static int build_children(struct builder *b, struct twa_ynode *n,
			  yaml_event_type_t end, unsigned depth)
{
	for (;;) {
		yaml_event_t ev;
		struct twa_ynode *kid;
		int r = next_event(b, &ev);

		if (r < 0)
			return r;
		if (ev.type == end) {
			yaml_event_delete(&ev);
			return 0;
		}
		if (n->type == TWA_Y_MAP && n->n % 2 == 0 &&
		    ev.type != YAML_SCALAR_EVENT) {
			r = twa_err_set_at(b->err, -EBADMSG, b->file,
					   (unsigned)ev.start_mark.line + 1,
					   (unsigned)ev.start_mark.column + 1,
					   "map keys must be plain scalars");
			yaml_event_delete(&ev);
			return r;
		}
		r = build(b, &ev, depth + 1, &kid);
		if (r < 0)
			return r;
		if (n->type == TWA_Y_MAP && n->n % 2 == 0 &&
		    twa_ynode_get(n, kid->value)) {
			r = twa_err_set_at(b->err, -EBADMSG, b->file, kid->line, kid->col,
					   "duplicate key '%.64s'", kid->value);
			twa_ynode_free(kid);
			return r;
		}
		if (add_kid(n, kid) < 0) {
			twa_ynode_free(kid);
			return twa_err_set(b->err, -ENOMEM, "out of memory");
		}
	}
}

static int build(struct builder *b, yaml_event_t *ev, unsigned depth,
		 struct twa_ynode **ret)
{
	struct twa_ynode *n = NULL;
	int r;

	if (depth > TWA_YAML_MAX_DEPTH) {
		r = twa_err_set_at(b->err, -EBADMSG, b->file,
				   (unsigned)ev->start_mark.line + 1,
				   (unsigned)ev->start_mark.column + 1,
				   "YAML nested deeper than %u levels", TWA_YAML_MAX_DEPTH);
		goto out;
	}
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		r = refuse_extras(b, ev, ev->data.scalar.anchor, ev->data.scalar.tag,
				  ev->data.scalar.plain_implicit ||
				  ev->data.scalar.quoted_implicit);
		if (r < 0)
			goto out;
		if (ev->data.scalar.length > TWA_YAML_MAX_SCALAR ||
		    strlen((const char *)ev->data.scalar.value) != ev->data.scalar.length) {
			r = twa_err_set_at(b->err, -EBADMSG, b->file,
					   (unsigned)ev->start_mark.line + 1,
					   (unsigned)ev->start_mark.column + 1,
					   "scalar longer than %u bytes or containing NUL",
					   TWA_YAML_MAX_SCALAR);
			goto out;
		}
		n = new_node(b, TWA_Y_SCALAR, ev);
		if (!n) {
			r = node_error(b);
			goto out;
		}
		n->value = strdup((const char *)ev->data.scalar.value);
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		if (!n->value) {
			r = twa_err_set(b->err, -ENOMEM, "out of memory");
			goto out;
		}
		r = 0;
		break;
	case YAML_MAPPING_START_EVENT:
	case YAML_SEQUENCE_START_EVENT: {
		bool map = ev->type == YAML_MAPPING_START_EVENT;

		r = refuse_extras(b, ev,
				  map ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor,
				  map ? ev->data.mapping_start.tag : ev->data.sequence_start.tag,
				  map ? ev->data.mapping_start.implicit : ev->data.sequence_start.implicit);
		if (r < 0)
			goto out;
		n = new_node(b, map ? TWA_Y_MAP : TWA_Y_SEQ, ev);
		if (!n) {
			r = node_error(b);
			goto out;
		}
		r = build_children(b, n, map ? YAML_MAPPING_END_EVENT :
					       YAML_SEQUENCE_END_EVENT, depth);
		break;
	}
	default:
		r = twa_err_set_at(b->err, -EBADMSG, b->file,
				   (unsigned)ev->start_mark.line + 1,
				   (unsigned)ev->start_mark.column + 1,
				   "unexpected YAML event");
	}
out:
	yaml_event_delete(ev);
	if (r < 0) {
		twa_ynode_free(n);
		return r;
	}
	*ret = n;
	return 0;
}

int twa_yaml_parse(const char *buf, size_t len, const char *file,
		   struct twa_ynode **ret, struct twa_err *err)
{
	struct builder b = { .file = file, .err = err };
	struct twa_ynode *root = NULL;
	yaml_event_t ev;
	int r, docs = 0;

	if (len > TWA_YAML_MAX_BYTES)
		return twa_err_set_at(err, -EBADMSG, file, 0, 0,
				      "larger than %u bytes", TWA_YAML_MAX_BYTES);
	if (!yaml_parser_initialize(&b.parser))
		return twa_err_set(err, -ENOMEM, "out of memory");
	yaml_parser_set_input_string(&b.parser, (const unsigned char *)buf, len);
	for (;;) {
		r = next_event(&b, &ev);
		if (r < 0)
			goto fail;
		if (ev.type == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (ev.type == YAML_STREAM_START_EVENT ||
		    ev.type == YAML_DOCUMENT_END_EVENT) {
			yaml_event_delete(&ev);
			continue;
		}
		if (ev.type == YAML_DOCUMENT_START_EVENT) {
			if (++docs > 1) {
				r = twa_err_set_at(err, -EBADMSG, file,
						   (unsigned)ev.start_mark.line + 1,
						   (unsigned)ev.start_mark.column + 1,
						   "more than one YAML document");
				yaml_event_delete(&ev);
				goto fail;
			}
			yaml_event_delete(&ev);
			continue;
		}
		r = build(&b, &ev, 1, &root);
		if (r < 0)
			goto fail;
	}
	yaml_parser_delete(&b.parser);
	*ret = root;
	return 0;
fail:
	twa_ynode_free(root);
	yaml_parser_delete(&b.parser);
	return r;
}

struct twa_ynode *twa_ynode_get(const struct twa_ynode *map, const char *key)
{
	size_t i;

	if (!map || map->type != TWA_Y_MAP)
		return NULL;
	for (i = 0; i + 1 < map->n; i += 2)
		if (!strcmp(map->kids[i]->value, key))
			return map->kids[i + 1];
	return NULL;
}
