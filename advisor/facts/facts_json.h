/* SPDX-License-Identifier: MIT */
/* facts_json.h - facts as twadvise.facts/1 JSON, both ways. */
#ifndef TWA_FACTS_JSON_H
#define TWA_FACTS_JSON_H

#include <stddef.h>

#include <json-c/json.h>

#include "advisor/util/err.h"
#include "advisor/facts/facts.h"
#include "advisor/facts/record.h"

/* Field tables shared by the JSON, text and report writers. */
extern const struct twa_field twa_destination_fields[];
extern const struct twa_field twa_listener_fields[];
extern const struct twa_field twa_owner_fields[];
extern const struct twa_field twa_boot_override_fields[];

#define TWA_FACTS_FILE_MAX (16u << 20)

json_object *twa_facts_to_json(const struct twa_facts *f);
/* Decode; f must be initialised. file names the source in messages. */
int twa_facts_from_json(json_object *obj, const char *file,
			struct twa_facts *f, struct twa_err *err);
/* Parse a facts document from a buffer (at most TWA_FACTS_FILE_MAX). */
int twa_facts_parse(const char *buf, size_t len, const char *file,
		    struct twa_facts *f, struct twa_err *err);

#endif
