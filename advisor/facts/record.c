/* SPDX-License-Identifier: MIT */
/* record.c - generic record writers and reader driven by field tables. */
#include "advisor/facts/record.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "advisor/facts/facts.h"
#include "advisor/util/jsonutil.h"

#define AT(rec, off, type) ((type *)((char *)(rec) + (off)))
#define CAT(rec, off, type) ((const type *)((const char *)(rec) + (off)))

static bool field_present(const struct twa_field *f, const void *rec)
{
	return !f->have_off || *CAT(rec, f->have_off, bool);
}

json_object *twa_rec_to_json(const struct twa_field *fields, const void *rec)
{
	json_object *o = json_object_new_object(), *v;
	const struct twa_field *f;

	if (!o)
		return NULL;
	for (f = fields; f->key; f++) {
		if (!field_present(f, rec))
			continue;
		switch (f->type) {
		case TWA_F_STR:
			v = json_object_new_string(CAT(rec, f->off, char));
			break;
		case TWA_F_UINT:
			v = json_object_new_int64(*CAT(rec, f->off, unsigned));
			break;
		case TWA_F_INT:
			v = json_object_new_int64(*CAT(rec, f->off, int));
			break;
		case TWA_F_U64:
			v = json_object_new_int64((int64_t)*CAT(rec, f->off, uint64_t));
			break;
		case TWA_F_I64_OPT: {
			int64_t x = *CAT(rec, f->off, int64_t);

			v = x < 0 ? NULL : json_object_new_int64(x);
			break;
		}
		case TWA_F_DOUBLE:
		case TWA_F_SHARE:
			v = twa_json_double(*CAT(rec, f->off, double));
			break;
		case TWA_F_BOOL:
			v = json_object_new_boolean(*CAT(rec, f->off, bool));
			break;
		case TWA_F_PROCESS: {
			const struct twa_process *p = CAT(rec, f->off, struct twa_process);

			v = NULL;
			if (p->pid) {
				v = json_object_new_object();
				json_object_object_add(v, "pid", json_object_new_int(p->pid));
				json_object_object_add(v, "comm", json_object_new_string(p->comm));
			}
			break;
		}
		default:
			v = NULL;
		}
		json_object_object_add(o, f->key, v);
	}
	return o;
}

/* One present member of obj (v) into its field of rec. */
static int field_from_json(const struct twa_field *f, json_object *obj,
			   json_object *v, void *rec, const char *file,
			   const char *path, struct twa_err *err)
{
	int64_t x;
	int r = 0;

	switch (f->type) {
	case TWA_F_STR:
		r = twa_json_get_str(obj, f->key, true, file, path,
				     AT(rec, f->off, char), f->size, err);
		break;
	case TWA_F_UINT:
		r = twa_json_get_i64(obj, f->key, true, file, path, 0,
				     UINT32_MAX, &x, err);
		if (r >= 0)
			*AT(rec, f->off, unsigned) = (unsigned)x;
		break;
	case TWA_F_INT:
		r = twa_json_get_i64(obj, f->key, true, file, path, INT32_MIN,
				     INT32_MAX, &x, err);
		if (r >= 0)
			*AT(rec, f->off, int) = (int)x;
		break;
	case TWA_F_U64:
		r = twa_json_get_i64(obj, f->key, true, file, path, 0,
				     INT64_MAX, &x, err);
		if (r >= 0)
			*AT(rec, f->off, uint64_t) = (uint64_t)x;
		break;
	case TWA_F_I64_OPT:
		r = twa_json_get_i64(obj, f->key, true, file, path, 0,
				     INT64_MAX, AT(rec, f->off, int64_t), err);
		break;
	case TWA_F_DOUBLE:
	case TWA_F_SHARE:
		r = twa_json_get_double(obj, f->key, true, file, path,
					AT(rec, f->off, double), err);
		break;
	case TWA_F_BOOL:
		r = twa_json_get_bool(obj, f->key, true, file, path,
				      AT(rec, f->off, bool), err);
		break;
	case TWA_F_PROCESS: {
		struct twa_process *p = AT(rec, f->off, struct twa_process);
		char sub[256];

		snprintf(sub, sizeof(sub), "%s.%s", path, f->key);
		r = twa_json_get_i64(v, "pid", true, file, sub, 1, INT32_MAX,
				     &x, err);
		if (r >= 0) {
			p->pid = (int)x;
			r = twa_json_get_str(v, "comm", true, file, sub, p->comm,
					     sizeof(p->comm), err);
		}
		break;
	}
	}
	return r;
}

int twa_rec_from_json(const struct twa_field *fields, json_object *obj,
		      void *rec, const char *file, const char *path,
		      struct twa_err *err)
{
	const struct twa_field *f;
	int r = 0;

	if (!json_object_is_type(obj, json_type_object))
		return twa_err_set_at(err, -EBADMSG, file, 0, 0,
				      "%s: expected an object", path);
	for (f = fields; f->key && r >= 0; f++) {
		bool required = !f->have_off && !f->may_omit &&
				f->type != TWA_F_PROCESS &&
				f->type != TWA_F_I64_OPT;
		json_object *v = NULL;

		if (!json_object_object_get_ex(obj, f->key, &v) || !v) {
			if (required)
				r = twa_err_set_at(err, -EBADMSG, file, 0, 0,
						   "%s.%s: missing", path, f->key);
			else if (f->type == TWA_F_I64_OPT)
				*AT(rec, f->off, int64_t) = -1;
			continue;
		}
		if (f->have_off)
			*AT(rec, f->have_off, bool) = true;
		r = field_from_json(f, obj, v, rec, file, path, err);
	}
	return r < 0 ? r : 0;
}

void twa_rec_cell(const struct twa_field *f, const void *rec, char *buf,
		  size_t size)
{
	if (!field_present(f, rec)) {
		snprintf(buf, size, "-");
		return;
	}
	switch (f->type) {
	case TWA_F_STR:
		snprintf(buf, size, "%s", CAT(rec, f->off, char));
		break;
	case TWA_F_UINT:
		snprintf(buf, size, "%u", *CAT(rec, f->off, unsigned));
		break;
	case TWA_F_INT:
		snprintf(buf, size, "%d", *CAT(rec, f->off, int));
		break;
	case TWA_F_U64:
		snprintf(buf, size, "%" PRIu64, *CAT(rec, f->off, uint64_t));
		break;
	case TWA_F_I64_OPT: {
		int64_t x = *CAT(rec, f->off, int64_t);

		if (x < 0)
			snprintf(buf, size, "-");
		else
			snprintf(buf, size, "%" PRId64, x);
		break;
	}
	case TWA_F_DOUBLE:
		snprintf(buf, size, "%.1f", *CAT(rec, f->off, double));
		break;
	case TWA_F_SHARE:
		snprintf(buf, size, "%.1f%%", *CAT(rec, f->off, double) * 100);
		break;
	case TWA_F_BOOL:
		snprintf(buf, size, "%s", *CAT(rec, f->off, bool) ? "yes" : "no");
		break;
	case TWA_F_PROCESS: {
		const struct twa_process *p = CAT(rec, f->off, struct twa_process);

		if (p->pid)
			snprintf(buf, size, "%s[%d]", p->comm, p->pid);
		else
			snprintf(buf, size, "-");
		break;
	}
	}
}

#define MAX_COLS 16

int twa_rec_table(struct strbuf *out, const struct twa_field *fields,
		  const void *recs, size_t n, size_t stride, const char *indent)
{
	size_t width[MAX_COLS] = { 0 }, i, c, ncols = 0;
	const struct twa_field *cols[MAX_COLS];
	const struct twa_field *f;
	char cell[128];

	for (f = fields; f->key && ncols < MAX_COLS; f++)
		if (f->header)
			cols[ncols++] = f;
	for (c = 0; c < ncols; c++)
		width[c] = strlen(cols[c]->header);
	for (i = 0; i < n; i++)
		for (c = 0; c < ncols; c++) {
			twa_rec_cell(cols[c], (const char *)recs + i * stride, cell,
				     sizeof(cell));
			if (strlen(cell) > width[c])
				width[c] = strlen(cell);
		}
	for (i = 0; i <= n; i++) {
		strbuf_addstr(out, indent);
		for (c = 0; c < ncols; c++) {
			const char *text = cell;
			int w = (int)width[c];

			if (i == 0)
				text = cols[c]->header;
			else
				twa_rec_cell(cols[c], (const char *)recs + (i - 1) * stride,
					     cell, sizeof(cell));
			if (c + 1 == ncols && !cols[c]->right)
				strbuf_addstr(out, text);
			else
				strbuf_addf(out, cols[c]->right ? "%*s" : "%-*s", w, text);
			if (c + 1 < ncols)
				strbuf_addstr(out, "  ");
		}
		strbuf_addch(out, '\n');
	}
	return strbuf_failed(out) ? -ENOMEM : 0;
}
