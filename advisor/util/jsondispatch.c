/* SPDX-License-Identifier: MIT */
/* jsondispatch.c - one loop decodes a JSON object through a member table. */
#include "advisor/util/jsondispatch.h"

#include <errno.h>
#include <string.h>

#include "advisor/util/jsonutil.h"

#define AT(rec, off, type) ((type *)((char *)(rec) + (off)))

static void store_int(const struct twa_json_field *f, void *rec, int64_t x)
{
	if (f->size == sizeof(int64_t))
		*AT(rec, f->off, int64_t) = x;
	else if (f->min >= 0)
		*AT(rec, f->off, uint32_t) = (uint32_t)x;
	else
		*AT(rec, f->off, int32_t) = (int32_t)x;
}

/* One scalar row: 1 when absent, 0 when stored, negative on error. */
static int dispatch_scalar(json_object *o, const struct twa_json_field *f,
			   const char *file, const char *path, void *rec,
			   struct twa_err *err)
{
	json_object *v = NULL;
	int64_t x;
	int r;

	if ((!json_object_object_get_ex(o, f->key, &v) || !v) && !f->required)
		return 1;
	switch (f->type) {
	case TWA_JSON_STR:
		return twa_json_get_str(o, f->key, true, file, path,
					AT(rec, f->off, char), f->size, err);
	case TWA_JSON_INT:
		r = twa_json_get_i64(o, f->key, true, file, path, f->min,
				     f->max, &x, err);
		if (r >= 0)
			store_int(f, rec, x);
		return r;
	case TWA_JSON_DOUBLE:
		return twa_json_get_double(o, f->key, true, file, path,
					   AT(rec, f->off, double), err);
	case TWA_JSON_BOOL:
		return twa_json_get_bool(o, f->key, true, file, path,
					 AT(rec, f->off, bool), err);
	default:
		return -EINVAL;
	}
}

static int dispatch_one(json_object *o, const struct twa_json_field *f,
			const char *file, const char *path, void *rec,
			struct twa_err *err)
{
	json_object *v = NULL;
	int r;

	switch (f->type) {
	case TWA_JSON_OBJECT:
	case TWA_JSON_NESTED:
		r = twa_json_get_obj(o, f->key, f->required, file, path, &v, err);
		break;
	case TWA_JSON_ARRAY:
		r = twa_json_get_array(o, f->key, f->required, file, path, &v, err);
		break;
	default:
		r = dispatch_scalar(o, f, file, path, rec, err);
		if (r)
			return r;
		v = json_object_object_get(o, f->key);
	}
	if (r < 0 || !v)
		return r;
	if (f->type == TWA_JSON_NESTED)
		r = twa_json_dispatch(v, f->sub, file, f->key, rec, err);
	else if (f->fn)
		r = f->fn(v, file, rec, err);
	if (r >= 0 && f->have_off)
		*AT(rec, f->have_off, bool) = true;
	return r;
}

int twa_json_dispatch(json_object *o, const struct twa_json_field *fields,
		      const char *file, const char *path, void *rec,
		      struct twa_err *err)
{
	const struct twa_json_field *f;
	int r;

	for (f = fields; f->key; f++) {
		if (f->when_off && !*AT(rec, f->when_off, bool))
			continue;
		r = dispatch_one(o, f, file, path, rec, err);
		if (r < 0)
			return r;
	}
	return 0;
}

int twa_json_check_schema(json_object *o, const char *file, const char *path,
			  const char *want, struct twa_err *err)
{
	char schema[64];
	int r;

	r = twa_json_get_str(o, "schema", true, file, path, schema,
			     sizeof(schema), err);
	if (r < 0)
		return r;
	if (strcmp(schema, want))
		return twa_err_set_at(err, -EBADMSG, file, 0, 0,
				      "schema '%s' is not %s", schema, want);
	return 0;
}
