#!/bin/sh
# SPDX-License-Identifier: MIT
# lint.sh - the checks behind `make lint`: layering, OS edges, cycles,
# function length, shellcheck and a clang -Werror build with extra warnings.
#
#   tests/lint/lint.sh [STEP...]     run the steps (all of them by default)
#
# Steps: layers edges cycles funclen spdx shellcheck clang. Each prints what it
# found; the script runs every step asked for, then prints one line per
# step and exits 1 if any failed. `make lint-<step>` runs a single one.
# OBJDIR (default build) holds the objects `cycles` reads with nm: build
# them first (`make lint-cycles` does). FUNC_MAX (80) is the function-length
# limit. The clang step runs $MAKE (make) into build/lint-clang.
# The step_* functions are called indirectly, as "step_$s".
# shellcheck disable=SC2317
set -u
cd "$(dirname "$0")/../.." || exit 1

OBJDIR=${OBJDIR:-build}
FUNC_MAX=${FUNC_MAX:-80}
MAKE=${MAKE:-make}
CLANG=${CLANG:-clang}
py=tests/lint/structure.py

# Clang warnings on top of the Makefile's WARNINGS, for advisor/ and cmd/
# (clang 14, Debian 12). Left out, with today's counts there:
#   -Wcast-align (20: casts of netlink and record buffers), -Wswitch-enum (9),
#   -Wbad-function-cast (3), -Wimplicit-int-float-conversion (2),
#   -Wfloat-equal (2), -Wcovered-switch-default (1); -Wpadded and
#   -Wdeclaration-after-statement are style, not bugs. -Weverything is not
#   used: each clang release adds to it, and CI should not break on upgrade.
CLANG_WARNINGS="-Wshadow -Wcast-qual -Wpointer-arith -Wconditional-uninitialized
	-Wcomma -Wunreachable-code-aggressive -Wimplicit-fallthrough
	-Wmissing-variable-declarations -Wdocumentation -Wshorten-64-to-32
	-Wsign-conversion -Wundef -Wformat-nonliteral -Wnull-dereference
	-Wassign-enum -Wextra-semi-stmt -Wnewline-eof -Wloop-analysis
	-Wdouble-promotion -Wreserved-identifier -Wused-but-marked-unused
	-Wmissing-noreturn -Wunused-macros -Wdate-time -Wstring-conversion"

# Every shell script in the repository: *.sh and files with a sh/bash shebang.
shell_scripts() {
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		git ls-files
	else
		find . -path ./build -prune -o -path ./.git -prune -o -type f -print | sed 's|^\./||'
	fi | while IFS= read -r f; do
		[ -f "$f" ] || continue
		case $f in
		build/*) ;;
		*.sh) echo "$f" ;;
		*) head -n 1 "$f" 2>/dev/null | grep -qE '^#!.*(/|env )(ba|da)?sh([[:space:]]|$)' && echo "$f" ;;
		esac
	done
}

step_layers() { python3 "$py" layers; }
step_edges() { python3 "$py" edges; }
step_cycles() {
	rc=0
	python3 "$py" include-cycles || rc=1
	python3 "$py" call-cycles "$OBJDIR" || rc=1
	return "$rc"
}
step_funclen() { python3 "$py" funclen "$FUNC_MAX"; }
step_spdx() { tests/lint/spdx.sh; }
step_shellcheck() {
	# shellcheck disable=SC2046 # one argument per file; no names with spaces
	shellcheck -x --source-path=SCRIPTDIR $(shell_scripts) &&
		echo "shellcheck: $(shell_scripts | wc -l) scripts clean"
}
step_clang() {
	# shellcheck disable=SC2086 # CLANG_WARNINGS is a list of words
	"$MAKE" --no-print-directory BUILD=build/lint-clang CC="$CLANG" DEVELOPER=1 \
		CFLAGS="-O2 -g $(printf '%s ' $CLANG_WARNINGS)" all &&
		echo "clang: advisor/ and cmd/ build with -Werror and the extra warnings"
}

[ $# -gt 0 ] || set -- layers edges cycles funclen spdx shellcheck clang
for s in "$@"; do
	case $s in
	layers | edges | cycles | funclen | spdx | shellcheck | clang) ;;
	*) echo "lint.sh: unknown step '$s' (layers edges cycles funclen spdx shellcheck clang)" >&2; exit 64 ;;
	esac
done
summary=
failed=0
for s in "$@"; do
	echo "== lint: $s"
	if "step_$s"; then
		summary="$summary
  ok    $s"
	else
		summary="$summary
  FAIL  $s"
		failed=1
	fi
done
[ $# -gt 1 ] && echo "== lint summary:$summary"
exit $failed
