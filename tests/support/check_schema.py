#!/usr/bin/env python3
"""Validate JSON request bodies against an OpenAPI 3.0 description.

usage: check_schema.py [--strict] SPEC.yaml "METHOD PATH" BODY.json [BODY.json ...]

OPERATION is one argument, e.g. "POST /maak-klantcontact" or
"PATCH /internetaken/{uuid}" (a concrete path such as
"PATCH /internetaken/3fa85f64-5717-4562-b3fc-2c963f66afa6" or one carrying the
server prefix "/klantinteracties/api/v1/..." is matched against the templates).

The operation's requestBody.content['application/json'].schema is converted
from OpenAPI 3.0 to JSON Schema draft 4 (the dialect OpenAPI 3.0 is closest to)
with request semantics:

  * $ref '#/components/schemas/X' -> '#/definitions/X' of the generated schema;
  * nullable: true allows null (also next to allOf, as drf-spectacular emits it);
  * readOnly properties are dropped from `required` and, if sent, reported as
    "readOnly property sent";
  * OpenAPI-only keywords (example, discriminator, xml, externalDocs,
    deprecated, writeOnly, nullable, readOnly) are dropped;
  * format uuid, uri, date-time, date and email are always checked by the
    checkers below (they do not depend on optional jsonschema extras).

--strict additionally reports properties the schema does not declare (Open
Klant / Django REST framework ignores them silently, so a misspelt optional
field would be lost without an error).

Output: "OK BODY" or one line per violation "BODY: LOCATION: MESSAGE".
Exit 0 when every body is valid, 1 when any is not, 2 on usage errors.
Only the Python standard library, PyYAML and jsonschema (4.10+) are used.
"""

import datetime
import json
import re
import sys

import jsonschema
import yaml

OPENAPI_ONLY = {"example", "discriminator", "xml", "externalDocs", "deprecated",
                "writeOnly", "nullable", "readOnly"}
# Keywords whose value is a single schema / a list of schemas / a name->schema map.
SUB_SCHEMA = {"items", "not", "additionalProperties"}
SUB_SCHEMA_LIST = {"allOf", "anyOf", "oneOf"}
SUB_SCHEMA_MAP = {"properties", "patternProperties"}
METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
COMPONENT_PREFIX = "#/components/schemas/"


class UsageError(Exception):
    pass


# --------------------------------------------------------------------------
# Loading

class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps timestamps as strings (JSON has no dates)."""


_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_spec(path):
    try:
        with open(path, encoding="utf-8") as f:
            spec = yaml.load(f, Loader=_Loader)
    except (OSError, yaml.YAMLError) as e:
        raise UsageError("cannot read spec %s: %s" % (path, e))
    if not isinstance(spec, dict) or not isinstance(spec.get("paths"), dict):
        raise UsageError("%s: not an OpenAPI document (no paths)" % path)
    if not str(spec.get("openapi", "")).startswith("3.0"):
        print("warning: %s is openapi %r, converter targets 3.0"
              % (path, spec.get("openapi")), file=sys.stderr)
    return spec


def find_operation(spec, operation):
    parts = operation.split(None, 1)
    if len(parts) != 2:
        raise UsageError('OPERATION must be "METHOD PATH", got %r' % operation)
    method, path = parts[0].lower(), parts[1].strip()
    if method not in METHODS:
        raise UsageError("unknown HTTP method %r" % parts[0])
    path = path.split("?", 1)[0]
    candidates = [path]
    for server in spec.get("servers") or []:
        prefix = str(server.get("url", "")).rstrip("/")
        if prefix.startswith("/") and path.startswith(prefix + "/"):
            candidates.append(path[len(prefix):])
    paths = spec["paths"]
    template = None
    for cand in candidates:
        for variant in (cand, cand.rstrip("/") or "/", cand.rstrip("/") + "/"):
            if variant in paths:
                template = variant
                break
        if template:
            break
    if template is None:
        for cand in candidates:
            for tmpl in paths:
                rx = "^" + re.sub(r"\\\{[^}]*\\\}", "[^/]+", re.escape(tmpl.rstrip("/"))) + "/?$"
                if "{" in tmpl and re.match(rx, cand):
                    template = tmpl
                    break
            if template:
                break
    if template is None:
        raise UsageError("unknown path %r" % path)
    op = paths[template].get(method)
    if not isinstance(op, dict):
        raise UsageError("%s %s is not an operation in the spec" % (method.upper(), template))
    body = op.get("requestBody")
    if isinstance(body, dict) and "$ref" in body:
        body = resolve_pointer(spec, body["$ref"])
    try:
        schema = body["content"]["application/json"]["schema"]
    except (KeyError, TypeError):
        raise UsageError("%s %s has no application/json request body"
                         % (method.upper(), template))
    return "%s %s" % (method.upper(), template), schema


def resolve_pointer(doc, ref):
    if not ref.startswith("#/"):
        raise UsageError("only local $ref supported, got %r" % ref)
    node = doc
    for token in ref[2:].split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        try:
            node = node[token]
        except (KeyError, TypeError):
            raise UsageError("dangling $ref %r" % ref)
    return node


# --------------------------------------------------------------------------
# OpenAPI 3.0 schema -> JSON Schema draft 4 (request direction)

def _def_ref(name):
    return "#/definitions/" + name.replace("~", "~0").replace("/", "~1")


class Converter:
    def __init__(self, spec, strict=False):
        self.spec = spec
        self.strict = strict
        self.components = ((spec.get("components") or {}).get("schemas")) or {}
        self.definitions = {}

    def _target(self, schema):
        """The component schema a bare $ref points at (for readOnly checks)."""
        ref = schema.get("$ref") if isinstance(schema, dict) else None
        if isinstance(ref, str):
            return resolve_pointer(self.spec, ref)
        return schema

    def is_read_only(self, schema):
        if not isinstance(schema, dict):
            return False
        if schema.get("readOnly") is True:
            return True
        target = self._target(schema)
        return target is not schema and isinstance(target, dict) and target.get("readOnly") is True

    def ref(self, ref):
        if not ref.startswith(COMPONENT_PREFIX):
            raise UsageError("unsupported $ref %r (only %s...)" % (ref, COMPONENT_PREFIX))
        name = ref[len(COMPONENT_PREFIX):].replace("~1", "/").replace("~0", "~")
        if name not in self.components:
            raise UsageError("dangling $ref %r" % ref)
        if name not in self.definitions:
            self.definitions[name] = None  # placeholder: breaks reference cycles
            self.definitions[name] = self.convert(self.components[name])
        return {"$ref": _def_ref(name)}

    def convert(self, schema):
        if not isinstance(schema, dict):
            return schema
        out = {}
        ref_part = None
        for key, value in schema.items():
            if key in OPENAPI_ONLY or key.startswith("x-"):
                continue
            if key == "$ref":
                ref_part = self.ref(value)
            elif key in SUB_SCHEMA and isinstance(value, dict):
                out[key] = self.convert(value)
            elif key in SUB_SCHEMA_LIST:
                out[key] = [self.convert(s) for s in value]
            elif key in SUB_SCHEMA_MAP:
                out[key] = {}
                for name, sub in value.items():
                    if key == "properties" and self.is_read_only(sub):
                        out[key][name] = {"readOnlySent": True}
                    else:
                        out[key][name] = self.convert(sub)
            else:
                out[key] = value
        props = schema.get("properties") or {}
        if "required" in out:
            req = [n for n in out["required"] if not self.is_read_only(props.get(n))]
            if req:
                out["required"] = req
            else:
                del out["required"]  # draft 4 forbids an empty list
        if (self.strict and "properties" in out and "additionalProperties" not in schema
                and not any(k in schema for k in SUB_SCHEMA_LIST)):
            out["additionalProperties"] = {"unknownProperty": True}
        # $ref siblings are ignored by draft 4/7: combine explicitly.
        if ref_part is not None:
            out = dict(ref_part) if not out else {"allOf": [ref_part] + ([out] if out else [])}
        if schema.get("nullable") is True:
            out = self._nullable(out)
        return out

    @staticmethod
    def _nullable(out):
        t = out.get("type")
        simple = set(out) <= {"type", "format", "maxLength", "minLength", "pattern",
                              "minimum", "maximum", "exclusiveMinimum",
                              "exclusiveMaximum", "multipleOf", "enum", "title",
                              "description", "default", "items", "properties",
                              "required", "additionalProperties", "minItems",
                              "maxItems", "uniqueItems", "minProperties",
                              "maxProperties", "patternProperties"}
        if isinstance(t, str) and simple:
            out = dict(out, type=[t, "null"])
            if "enum" in out and None not in out["enum"]:
                out["enum"] = list(out["enum"]) + [None]
            return out
        return {"anyOf": [{"type": "null"}, out]}

    def build(self, schema):
        root = self.convert(schema)
        doc = {"$schema": "http://json-schema.org/draft-04/schema#"}
        doc.update(root if "$ref" not in root else {"allOf": [root]})
        doc["definitions"] = self.definitions
        return doc


# --------------------------------------------------------------------------
# Formats (own checkers: jsonschema's depend on optional packages)

UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
DATETIME_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|([+-])(\d{2}):(\d{2}))$")
URI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")

format_checker = jsonschema.FormatChecker(formats=())


@format_checker.checks("uuid")
def _uuid(value):
    return not isinstance(value, str) or bool(UUID_RE.match(value))


@format_checker.checks("date")
def _date(value):
    if not isinstance(value, str):
        return True
    m = DATE_RE.match(value)
    if not m:
        return False
    try:
        datetime.date(*map(int, m.groups()))
    except ValueError:
        return False
    return True


@format_checker.checks("date-time")
def _date_time(value):
    """RFC 3339 date-time: seconds and a UTC offset are mandatory."""
    if not isinstance(value, str):
        return True
    m = DATETIME_RE.match(value)
    if not m:
        return False
    y, mo, d, h, mi, s = map(int, m.groups()[:6])
    try:
        datetime.datetime(y, mo, d, h, mi, min(s, 59))  # allow leap second 60
    except ValueError:
        return False
    if s > 60:
        return False
    if m.group(9):
        if int(m.group(10)) > 23 or int(m.group(11)) > 59:
            return False
    return True


@format_checker.checks("uri")
def _uri(value):
    """Absolute URI (RFC 3986 scheme ':' ...), no spaces or bad escapes."""
    if not isinstance(value, str):
        return True
    if not URI_RE.match(value):
        return False
    return not re.search(r"%(?![0-9A-Fa-f]{2})", value)


@format_checker.checks("email")
def _email(value):
    return not isinstance(value, str) or (len(value) <= 254 and bool(EMAIL_RE.match(value)))


# --------------------------------------------------------------------------
# Validation

def _read_only_sent(validator, value, instance, schema):
    if value:
        yield jsonschema.ValidationError("readOnly property sent")


def _unknown_property(validator, value, instance, schema):
    if value:
        yield jsonschema.ValidationError("property not declared in the schema (--strict)")


RequestValidator = jsonschema.validators.extend(
    jsonschema.Draft4Validator,
    {"readOnlySent": _read_only_sent, "unknownProperty": _unknown_property},
)


def pointer(path):
    parts = [str(p).replace("~", "~0").replace("/", "~1") for p in path]
    return "/" + "/".join(parts) if parts else "/"


def flatten(error):
    """Yield the most specific errors: for nullable wrappers report why the
    non-null branch failed instead of 'is not valid under any of ...'."""
    if error.validator in ("anyOf", "oneOf") and error.context:
        branches = error.validator_value
        non_null = [i for i, b in enumerate(branches) if b != {"type": "null"}]
        if len(non_null) == 1 and len(branches) == 2:
            subs = [e for e in error.context if e.schema_path and e.schema_path[0] == non_null[0]]
            if subs:
                for sub in subs:
                    yield from flatten(sub)
                return
    if error.validator == "allOf" and error.context:
        for sub in error.context:
            yield from flatten(sub)
        return
    yield error


def check_body(validator, name, out):
    try:
        with open(name, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise UsageError("cannot read body %s: %s" % (name, e))
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        out.append("%s: /: invalid JSON: %s" % (name, e))
        return False
    seen = set()
    lines = []
    for top in validator.iter_errors(body):
        for err in flatten(top):
            line = "%s: %s: %s" % (name, pointer(err.absolute_path), err.message)
            if line not in seen:
                seen.add(line)
                lines.append((list(map(str, err.absolute_path)), line))
    if not lines:
        out.append("OK %s" % name)
        return True
    out.extend(line for _, line in sorted(lines, key=lambda t: t[0]))
    return False


def main(argv):
    args = list(argv[1:])
    strict = False
    if args and args[0] == "--strict":
        strict = True
        args.pop(0)
    if len(args) < 3 or args[0] in ("-h", "--help"):
        print('usage: check_schema.py [--strict] SPEC.yaml "METHOD PATH" BODY.json [BODY.json ...]',
              file=sys.stderr)
        return 2
    spec_path, operation, bodies = args[0], args[1], args[2:]
    try:
        spec = load_spec(spec_path)
        _, oa_schema = find_operation(spec, operation)
        schema = Converter(spec, strict=strict).build(oa_schema)
        RequestValidator.check_schema(schema)
        validator = RequestValidator(schema, format_checker=format_checker)
        ok = True
        for name in bodies:
            out = []
            ok = check_body(validator, name, out) and ok
            print("\n".join(out))
    except UsageError as e:
        print("check_schema: %s" % e, file=sys.stderr)
        return 2
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
