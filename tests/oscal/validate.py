#!/usr/bin/env python3
"""Validate OSCAL 1.1.2 assessment-results JSON files.

Usage: validate.py FILE...   (exit 0: all valid; 1: some invalid; 2: usage or setup error)

Two layers:
1. compliance-trestle's pydantic models for OSCAL 1.1.2 (trestle 3.7.0, generated from
   NIST's official oscal_assessment-results_schema.json): required fields, no unknown
   fields, value types, enumerations, and the schema's regex patterns (UUIDs, tokens, ...).
2. The schema rules those models do not carry: every array has at least one item
   (minItems 1), date-times match NIST's DateTimeWithTimezoneDatatype pattern,
   oscal-version is exactly 1.1.2, observation methods are the closed list; plus the referential integrity OSCAL's constraints
   require (unique UUIDs; import-ap "#uuid", related observations and subjects resolve).

Prints "ok: FILE" or "invalid: FILE" followed by the reasons.
"""
import json
import re
import sys

try:
    import trestle.oscal
    from trestle.oscal.assessment_results import AssessmentResults
except ImportError as e:  # pragma: no cover
    print(f"error: compliance-trestle is not installed in {sys.executable}: {e}", file=sys.stderr)
    sys.exit(2)

OSCAL_VERSION = "1.1.2"
# NIST OSCAL 1.1.2 DateTimeWithTimezoneDatatype (oscal_assessment-results_schema.json).
DATE_TIME = re.compile(
    r"^(((2000|2400|2800|(19|2[0-9](0[48]|[2468][048]|[13579][26])))-02-29)"
    r"|(((19|2[0-9])[0-9]{2})-02-(0[1-9]|1[0-9]|2[0-8]))"
    r"|(((19|2[0-9])[0-9]{2})-(0[13578]|10|12)-(0[1-9]|[12][0-9]|3[01]))"
    r"|(((19|2[0-9])[0-9]{2})-(0[469]|11)-(0[1-9]|[12][0-9]|30)))"
    r"T(2[0-3]|[01][0-9]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?"
    r"(Z|(-|\+)(2[0-3]|[01][0-9]):[0-5][0-9])$"
)
# Allowed values the OSCAL 1.1.2 metaschema closes (allow-other="no") that the models leave open.
OBSERVATION_METHODS = {"EXAMINE", "INTERVIEW", "TEST", "UNKNOWN"}
DATE_TIME_FIELDS = {"last-modified", "published", "start", "end", "collected", "date-time-stamp", "expires"}


def walk(value, path, errors, uuids, refs):
    if isinstance(value, dict):
        for key, v in value.items():
            p = f"{path}/{key}"
            if key in DATE_TIME_FIELDS and isinstance(v, str) and not DATE_TIME.match(v):
                errors.append(f"{p}: {v!r} is not a date-time with a time zone")
            if key == "uuid" and isinstance(v, str):
                if v in uuids:
                    errors.append(f"{p}: duplicate uuid {v}")
                uuids.add(v)
            if key == "methods" and isinstance(v, list):
                for m in v:
                    if m not in OBSERVATION_METHODS:
                        errors.append(f"{p}: {m!r} is not one of {sorted(OBSERVATION_METHODS)}")
            if key in ("observation-uuid", "subject-uuid") and isinstance(v, str):
                refs.append((p, v))
            walk(v, p, errors, uuids, refs)
    elif isinstance(value, list):
        if not value:
            errors.append(f"{path}: empty array (the schema requires at least one item)")
        for i, v in enumerate(value):
            walk(v, f"{path}/{i}", errors, uuids, refs)


def check(doc):
    errors = []
    if not isinstance(doc, dict) or set(doc) != {"assessment-results"}:
        return ["the document must be an object with the single key 'assessment-results'"]
    ar = doc["assessment-results"]
    try:
        AssessmentResults.parse_obj(ar)
    except Exception as e:  # pydantic.ValidationError, with one line per problem
        errors.extend(f"model: {line}" for line in str(e).splitlines())
    if not isinstance(ar, dict):
        return errors
    version = ar.get("metadata", {}).get("oscal-version") if isinstance(ar.get("metadata"), dict) else None
    if version != OSCAL_VERSION:
        errors.append(f"/metadata/oscal-version: {version!r}, expected {OSCAL_VERSION!r}")
    uuids, refs = set(), []
    walk(ar, "", errors, uuids, refs)
    for p, ref in refs:
        if ref not in uuids:
            errors.append(f"{p}: {ref} refers to nothing in the document")
    href = ar.get("import-ap", {}).get("href", "") if isinstance(ar.get("import-ap"), dict) else ""
    if href.startswith("#") and href[1:] not in uuids:
        errors.append(f"/import-ap/href: {href} refers to nothing in the document")
    return errors


def main(argv):
    if not argv:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    assert trestle.oscal.OSCAL_VERSION == OSCAL_VERSION, trestle.oscal.OSCAL_VERSION
    bad = 0
    for path in argv:
        try:
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
            errors = check(doc)
        except (OSError, ValueError) as e:
            errors = [f"cannot read: {e}"]
        if errors:
            bad += 1
            print(f"invalid: {path}")
            for e in errors[:50]:
                print(f"  {e}")
        else:
            print(f"ok: {path}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
