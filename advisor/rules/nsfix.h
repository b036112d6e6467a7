/* SPDX-License-Identifier: MIT */
/* nsfix.h - how to fix one network namespace where the fix lasts: the
 * twadvise command for the namespace now, and for a container's namespace
 * the workload's own spec (Kubernetes securityContext.sysctls, Docker and
 * Podman --sysctl, compose sysctls:), since a sysctl written into a
 * container's namespace is lost when the container restarts (pure). */
#ifndef TWA_NSFIX_H
#define TWA_NSFIX_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "advisor/facts/nsident.h"
#include "advisor/rules/findings.h"
#include "advisor/util/strbuf.h"

/* The Kubernetes version from which key is on the kubelet's safe list
 * ("1.0" for the original five), or NULL: unsafe, the kubelet must allow
 * it with --allowed-unsafe-sysctls. */
const char *twa_k8s_safe_since(const char *key);

/* The namespace belongs to a container or pod: a change there is ephemeral. */
bool twa_nsfix_ephemeral(const struct twa_ns_ident *id);

/* "twadvise --netns PATH plan [--profile P]". */
void twa_nsfix_command(const struct twa_ns_ident *id, const char *profile,
		       struct strbuf *out);

/* Text: the command, and for a container the spec snippets of every
 * change the findings propose (nothing when none). indent: spaces. */
void twa_nsfix_write_text(const struct twa_ns_ident *id, const struct twa_findings *fs,
			  const char *profile, struct strbuf *out);

/* One change a spec snippet sets: key = to. */
struct twa_nsfix_kv {
	const char *key, *to;
};

/* Only the spec snippets (Kubernetes, or Docker/Podman and compose) of
 * the n changes v, for a container's namespace; nothing otherwise. */
void twa_nsfix_spec_text(const struct twa_ns_ident *id, const struct twa_nsfix_kv *v, size_t n,
			 struct strbuf *out);
json_object *twa_nsfix_spec_json(const struct twa_ns_ident *id, const struct twa_nsfix_kv *v,
				 size_t n);

/* JSON "remediation" object, or NULL when the namespace is no container's
 * or nothing is to change. */
json_object *twa_nsfix_to_json(const struct twa_ns_ident *id, const struct twa_findings *fs);

#endif
