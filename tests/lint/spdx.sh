#!/bin/sh
# SPDX-License-Identifier: MIT
# spdx.sh - every C, shell and Python file of the tree names its license on
# its first line (after a shebang): prints the files that do not.
cd "$(dirname "$0")/../.." || exit 1
rc=0
for f in $(git ls-files '*.c' '*.h' '*.sh' '*.py' .ci/run); do
	head -n 3 "$f" | grep -q 'SPDX-License-Identifier: MIT' && continue
	echo "spdx: $f: no 'SPDX-License-Identifier: MIT' in its first lines"
	rc=1
done
[ $rc = 0 ] && echo "spdx: every source file names its license"
exit $rc
