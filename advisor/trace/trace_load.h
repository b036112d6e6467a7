/* SPDX-License-Identifier: MIT */
/* trace_load.h - load trace.bpf.c into the kernel, read its maps back.
 *
 * The OS edge of the tracer, and the only file that calls libbpf: it loads
 * libbpf.so.1 on first use (dlopen), so twadvise neither links libbpf nor
 * needs it installed unless it traces. */
#ifndef TWA_TRACE_LOAD_H
#define TWA_TRACE_LOAD_H

#include "advisor/trace/trace_dump.h"
#include "advisor/util/err.h"

struct twa_tracer;

/*
 * Load and attach the tracer for the network namespace this thread is in,
 * or every namespace when all_netns. Fails (with a one-line reason in err)
 * with -ENOSYS when libbpf.so.1 cannot be loaded, -ENOENT when the kernel
 * has no BTF, -EPERM without root (CAP_BPF and CAP_PERFMON), -EOPNOTSUPP
 * when the kernel refuses the program (BPF disabled, attach point missing).
 */
int twa_trace_start(bool all_netns, struct twa_tracer **out, struct twa_err *err);

/* Copy the maps out (the tracer keeps running). */
int twa_trace_read(struct twa_tracer *t, struct twa_trace_dump *d, struct twa_err *err);

/* Detach and free; NULL is fine. */
void twa_trace_stop(struct twa_tracer *t);

#endif
