#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""schema_check.py - validate twadvise JSON output against docs/schema/*.json.

    schema_check.py SCHEMA.json FILE.json...

Each schema names the members that are always present (null when not
gathered); a "$ref" to a sibling schema file is inlined before validating,
so it works with any python3-jsonschema from Debian 12's 4.10 on.
Exit 0 when every file is valid, 1 with every error listed otherwise.
"""
import json
import os
import sys

import jsonschema


def inline_refs(node, base):
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.endswith(".json") and "#" not in ref:
            with open(os.path.join(base, ref), encoding="utf-8") as f:
                sub = json.load(f)
            sub.pop("$id", None)
            sub.pop("$schema", None)
            return inline_refs(sub, base)
        return {k: inline_refs(v, base) for k, v in node.items()}
    if isinstance(node, list):
        return [inline_refs(v, base) for v in node]
    return node


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 64
    with open(argv[1], encoding="utf-8") as f:
        schema = inline_refs(json.load(f), os.path.dirname(os.path.abspath(argv[1])))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)
    bad = 0
    for path in argv[2:]:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        for e in sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path)):
            bad += 1
            where = "/".join(str(p) for p in e.absolute_path) or "(top)"
            print("%s: %s: %s" % (path, where, e.message), file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
