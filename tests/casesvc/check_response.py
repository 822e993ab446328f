#!/usr/bin/env python3
"""Validate the case service's ANSWERS against the Klantinteracties OpenAPI description.

usage: check_response.py [--strict] SPEC.yaml "METHOD PATH" STATUS BODY.json [BODY.json ...]
       check_response.py [--strict] SPEC.yaml --manifest FILE

A manifest has one line per answer: "METHOD PATH<TAB>STATUS<TAB>BODY.json".

Reuses tests/support/check_schema.py (the request checker: its OpenAPI 3.0 -> JSON Schema
conversion and its format checkers) with response semantics: readOnly properties are
expected, not refused. The schema is responses[STATUS].content['application/json'].schema of
the operation. STATUS "problem" checks a problem+json body instead (the Fout / ValidatieFout
shape of the VNG API design rules: type, code, title, status, detail, instance, and for a 400
invalidParams [{name, code, reason}]), which the reference description does not spell out.
Output and exit status as check_schema.py.
"""

import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import check_schema as cs  # noqa: E402

FOUT = {
    "$schema": "http://json-schema.org/draft-04/schema#",
    "type": "object",
    "required": ["type", "code", "title", "status", "detail", "instance"],
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "code": {"type": "string", "minLength": 1},
        "title": {"type": "string", "minLength": 1},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "invalidParams": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["name", "code", "reason"],
                "properties": {"name": {"type": "string", "minLength": 1},
                               "code": {"type": "string", "minLength": 1},
                               "reason": {"type": "string", "minLength": 1}},
                "additionalProperties": False,
            },
        },
    },
}


class ResponseConverter(cs.Converter):
    def is_read_only(self, schema):
        return False


def response_schema(spec, operation, status):
    parts = operation.split(None, 1)
    method, path = parts[0].lower(), parts[1].split("?", 1)[0]
    # find the template with check_schema's matcher, through a stand-in request body
    probe = {"paths": {}}
    for tmpl, item in spec["paths"].items():
        if isinstance(item, dict) and method in item:
            probe["paths"][tmpl] = {method: {"requestBody": {"content": {"application/json": {
                "schema": {"x-template": tmpl}}}}}}
    probe["servers"] = spec.get("servers")
    _, marker = cs.find_operation(probe, "%s %s" % (method.upper(), path))
    op = spec["paths"][marker["x-template"]][method]
    try:
        resp = op["responses"][str(status)]
        if isinstance(resp, dict) and "$ref" in resp:
            resp = cs.resolve_pointer(spec, resp["$ref"])
        return resp["content"]["application/json"]["schema"]
    except (KeyError, TypeError):
        raise cs.UsageError("%s %s has no application/json answer %s"
                            % (method.upper(), marker["x-template"], status))


def check_manifest(spec_path, manifest, strict):
    try:
        spec = cs.load_spec(spec_path)
        validators = {}
        ok = True
        n = 0
        with open(manifest, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                operation, status, body = line.rstrip("\n").split("\t")
                key = (operation, status)
                if key not in validators:
                    schema = FOUT if status == "problem" else ResponseConverter(
                        spec, strict=strict).build(response_schema(spec, operation, status))
                    cs.RequestValidator.check_schema(schema)
                    validators[key] = cs.RequestValidator(schema,
                                                          format_checker=cs.format_checker)
                out = []
                good = cs.check_body(validators[key], body, out)
                if not good:
                    print("%s %s:" % (operation, status))
                    print("\n".join(out))
                ok = good and ok
                n += 1
    except (OSError, ValueError, cs.UsageError) as e:
        print("check_response: %s" % e, file=sys.stderr)
        return 2
    print("%d answers checked against %d operations: %s"
          % (n, len(validators), "all valid" if ok else "NOT all valid"))
    return 0 if ok and n > 0 else 1


def main(argv):
    args = list(argv[1:])
    strict = bool(args) and args[0] == "--strict"
    if strict:
        args.pop(0)
    if len(args) == 3 and args[1] == "--manifest":
        return check_manifest(args[0], args[2], strict)
    if len(args) < 4:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    spec_path, operation, status, bodies = args[0], args[1], args[2], args[3:]
    try:
        if status == "problem":
            schema = FOUT
        else:
            spec = cs.load_spec(spec_path)
            schema = ResponseConverter(spec, strict=strict).build(
                response_schema(spec, operation, status))
        cs.RequestValidator.check_schema(schema)
        validator = cs.RequestValidator(schema, format_checker=cs.format_checker)
        ok = True
        for name in bodies:
            out = []
            ok = cs.check_body(validator, name, out) and ok
            print("\n".join(out))
    except cs.UsageError as e:
        print("check_response: %s" % e, file=sys.stderr)
        return 2
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
