/* SPDX-License-Identifier: MIT */
/* profiles_import.h - `twadvise profiles import`: TuneD profiles in. */
#ifndef TWA_CMD_PROFILES_IMPORT_H
#define TWA_CMD_PROFILES_IMPORT_H

#include "cmd/cmd.h"

/* import FILE|DIR --format tuned [-o PROFILE.yaml|DIR]: exit code. */
int twa_profiles_import(struct twa_cmd *c);

#endif
