/* json_diff.h - print where two JSON documents differ, by path (for unit tests).
 *
 * Included by the tests that compare documents; cmocka's print_error must
 * be declared first (include <cmocka.h> before this file). */
#ifndef TWA_TEST_JSON_DIFF_H
#define TWA_TEST_JSON_DIFF_H

#include <stdio.h>

#include <json-c/json.h>

/* Print up to *budget differences between want and got, with their
 * paths ("ephemeral.destinations[3].in_use"). */
static void json_diff(const char *path, json_object *want, json_object *got,
		      int *budget)
{
	char sub[512];

	if (*budget <= 0 || json_object_equal(want, got))
		return;
	if (json_object_is_type(want, json_type_object) &&
	    json_object_is_type(got, json_type_object)) {
		json_object_object_foreach(want, k, wv) {
			json_object *gv;

			snprintf(sub, sizeof(sub), "%s%s%s", path, *path ? "." : "", k);
			if (!json_object_object_get_ex(got, k, &gv)) {
				print_error("  %s: missing (want %s)\n", sub,
					    json_object_to_json_string_ext(wv, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
				--*budget;
			} else {
				json_diff(sub, wv, gv, budget);
			}
		}
		json_object_object_foreach(got, k2, gv2) {
			if (!json_object_object_get_ex(want, k2, NULL) && *budget > 0) {
				snprintf(sub, sizeof(sub), "%s%s%s", path, *path ? "." : "", k2);
				print_error("  %s: unexpected (got %s)\n", sub,
					    json_object_to_json_string_ext(gv2, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
				--*budget;
			}
		}
		return;
	}
	if (json_object_is_type(want, json_type_array) &&
	    json_object_is_type(got, json_type_array)) {
		size_t i, nw = json_object_array_length(want), ng = json_object_array_length(got);

		if (nw != ng) {
			print_error("  %s: %zu entries, want %zu\n", path, ng, nw);
			--*budget;
		}
		for (i = 0; i < nw && i < ng; i++) {
			snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
			json_diff(sub, json_object_array_get_idx(want, i),
				  json_object_array_get_idx(got, i), budget);
		}
		return;
	}
	print_error("  %s: got %s, want %s\n", *path ? path : "(top)",
		    json_object_to_json_string_ext(got, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE), json_object_to_json_string_ext(want, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	--*budget;
}

#endif
