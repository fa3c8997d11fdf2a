#!/usr/bin/env python3
"""Writes corpus.json, the hostile-input corpus HostileCorpusIT replays against the real server.

The JSON file is the corpus (committed); this script documents how it was made and regenerates it
(`python3 generate-corpus.py` in this folder; never edit corpus.json by hand).
Each case: id, kind (admin | exchange), the request, and under "expect" what must come back (HostileCase.java is the
contract, and HostileCorpusIT refuses a case that breaks it before sending anything):
  status     the exact HTTP status;
  reason     a text the server's message (admin: errorMessage, exchange: error_description) must contain,
             case-sensitive: the field or parameter and what the message says about it. Never blank, never a lone
             generic word; the expectations were read off the server's actual answers
             (HostileCorpusIT writes every answer to target/hostile-corpus-replies.json);
  error      exchange cases: the OAuth error code (RFC 6749 §5.2, RFC 8693 §2.2.2);
  field      admin cases whose answer names a field: exactly that field;
  exactBody  with "why", instead of reason and error, only for answers of Keycloak's HTTP layer (413, 415): the
             request never reaches this extension, so there is no field, no OAuth error code and no reason to
             assert, only the status and the exact (fixed) body Keycloak's error handler writes.
Placeholders in {braces} are filled by the test: {alice} (a valid token of acme's alice),
{partners} (a valid token of realm partners' eve), and generated hostile tokens such as {token:alg-none}.
"""
import json

OK_POLICY = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:root"}, "Action": "sts:AssumeRole"}]}
cases = []


def role(**fields):
    body = {"name": "hostile-role", "trustPolicy": OK_POLICY}
    body.update(fields)
    return {k: v for k, v in body.items() if v is not DROP}


DROP = object()


def expect(status, reason=None, error=None, field=None, exact_body=None, why=None):
    e = {"status": status}
    for key, value in (("reason", reason), ("error", error), ("field", field), ("exactBody", exact_body), ("why", why)):
        if value is not None:
            e[key] = value
    return e


def admin(case_id, body=None, raw=None, status=400, reason=None, method="POST", path="/roles",
          content_type="application/json", generator=None, field=None, exact_body=None, why=None):
    case = {"id": case_id, "kind": "admin", "method": method, "path": path, "contentType": content_type,
            "expect": expect(status, reason, field=field, exact_body=exact_body, why=why)}
    if body is not None:
        case["body"] = body
    if raw is not None:
        case["raw"] = raw
    if generator is not None:
        case["generator"] = generator
    cases.append(case)


def policy(case_id, document, reason):
    """A role whose trust policy is wrong: the answer names the policy field and the JSON pointer (RFC 6901) in it."""
    admin("policy/" + case_id, role(trustPolicy=document), reason=reason, field="trustPolicy")


def exchange(case_id, params, status=400, reason=None, error="invalid_request", exact_body=None, why=None):
    case = {"id": "exchange/" + case_id, "kind": "exchange", "params": params,
            "expect": expect(status, reason, None if exact_body else error, exact_body=exact_body, why=why)}
    cases.append(case)


# Keycloak's error handler answers these before any resource or grant of ours runs (RESTEasy's @Consumes check,
# the HTTP layer's body limit): a fixed {"error": "<HTTP reason>"} body, no OAuth error code, no field.
UNSUPPORTED_MEDIA_TYPE = '{"error":"The content-type header value did not match the value in @Consumes"}'
UNSUPPORTED_MEDIA_TYPE_WHY = "RESTEasy refuses the Content-Type before the admin resource runs"
ENTITY_TOO_LARGE = '{"error":"HTTP 413 Request Entity Too Large"}'
ENTITY_TOO_LARGE_WHY = "Keycloak's HTTP layer refuses a form over its size limit before the token endpoint parses it"

NAME = "name: must be 1-64 characters of letters, digits and + = , . @ _ -"
PATH = "path: must be '/' or '/segment/.../' (1-512 printable ASCII characters"
DURATION = "maxSessionDuration: must be a whole number of seconds from 900 to 43200"
CHAINED = "maxChainedSessionDuration: must be a whole number of seconds from 900 to the role's maxSessionDuration (3600)"
TAG_KEY = "tag keys must be 1-128 characters of letters, digits, spaces and _ . : / = + - @"
TAG_VALUE = "tag values must be strings of 0-256 characters of letters, digits, spaces and _ . : / = + - @"
PERMISSIONS_SHAPE = "permissions: must be an object with 'realmRoles' and 'clientRoles'"
ROLE_NAME = "must be a non-blank role name"
NOT_AN_OBJECT = "the role must be a JSON object"
PARSER_LIMIT = "the JSON document exceeds a parser limit (nesting deeper than 32 levels, or a number or string too long)"
BODY_LIMIT = "the request body is larger than 65536 bytes"
NO_ROLE = "IAM role 'no-such-role' not found"


# --- role names, paths, descriptions, durations -------------------------------------------------------------
for i, name in enumerate(["", " ", "a b", "x" * 65, "role/../admin", "rôle", "name\u0000", "<script>", "a;DROP TABLE",
                          "\u202e", "tab\tname", "emoji\U0001F600", "quote\"", "star*", "back\\slash"]):
    admin(f"name/{i}", role(name=name), reason=NAME, field="name")
for i, name in enumerate([None, 5, True, [], {}]):
    admin(f"name-type/{i}", role(name=name), reason="name: is required" if name is None else NAME, field="name")
for i, path in enumerate(["", "no-slash", "//", "/a//b/", "/a b/", "/a", "a/", "/" + "p" * 600 + "/", "/a\u0000/",
                          "/é/", "/a/\n/"]):
    admin(f"path/{i}", role(path=path), reason=PATH, field="path")
for i, path in enumerate([5, [], {}, True]):
    admin(f"path-type/{i}", role(path=path), reason=PATH, field="path")
admin("description/too-long", role(description="d" * 1001), reason="description: must be at most 1000 characters",
      field="description")
admin("description/control", role(description="a\u0007b"), reason="description: must not contain control characters",
      field="description")
admin("description/type", role(description=12), reason="description: must be a string", field="description")
admin("description/object", role(description={"a": 1}), reason="description: must be a string", field="description")
for i, value in enumerate([0, 899, 43201, -1, 10 ** 12, "3600", 3600.5, True, [3600], {"s": 1}]):
    admin(f"max-session-duration/{i}", role(maxSessionDuration=value), reason=DURATION, field="maxSessionDuration")
for i, value in enumerate([899, 3601, "900", 900.5, False]):
    admin(f"max-chained-duration/{i}", role(maxSessionDuration=3600, maxChainedSessionDuration=value),
          reason=CHAINED, field="maxChainedSessionDuration")

# --- tags ---------------------------------------------------------------------------------------------------
# A tag's error names the tag: field tags.<key>.
admin("tags/too-many", role(tags={f"k{i}": "v" for i in range(51)}), reason="tags: must have at most 50 tags", field="tags")
admin("tags/key-too-long", role(tags={"k" * 129: "v"}), reason=TAG_KEY, field="tags." + "k" * 129)
admin("tags/value-too-long", role(tags={"k": "v" * 257}), reason="tags.k: " + TAG_VALUE, field="tags.k")
admin("tags/empty-key", role(tags={"": "v"}), reason="tags.: " + TAG_KEY, field="tags.")
for i, key in enumerate(["a*b", "a<b", "a\u0000", "a;b", "a\"b", "a{b"]):
    admin(f"tags/bad-key/{i}", role(tags={key: "v"}), reason=f"tags.{key}: {TAG_KEY}", field="tags." + key)
for i, value in enumerate(["a*b", "a<b", "v\u0001", 5, True, None, ["v"], {"v": 1}]):
    admin(f"tags/bad-value/{i}", role(tags={"k": value}), reason="tags.k: " + TAG_VALUE, field="tags.k")
admin("tags/case-duplicate", role(tags={"Team": "a", "team": "b"}),
      reason="tags.team: duplicates another tag key that differs only in case", field="tags.team")
for i, tags in enumerate([[], "team=a", 5, True]):
    admin(f"tags/type/{i}", role(tags=tags), reason="tags: must be a JSON object of tag keys to string values", field="tags")

# --- permissions --------------------------------------------------------------------------------------------
admin("permissions/unknown-realm-role", role(permissions={"realmRoles": ["no-such-role"]}),
      reason="permissions.realmRoles: unknown realm role 'no-such-role'", field="permissions.realmRoles")
admin("permissions/unknown-client", role(permissions={"clientRoles": {"no-such-client": ["r"]}}),
      reason="permissions.clientRoles.no-such-client: unknown client 'no-such-client'",
      field="permissions.clientRoles.no-such-client")
admin("permissions/unknown-client-role", role(permissions={"clientRoles": {"billing-api": ["no-such"]}}),
      reason="permissions.clientRoles.billing-api: unknown role 'no-such' of client 'billing-api'",
      field="permissions.clientRoles.billing-api")
admin("permissions/too-many", role(permissions={"realmRoles": [f"r{i}" for i in range(501)]}),
      reason="permissions: must name at most 500 roles", field="permissions")
for i, (perms, field, reason) in enumerate([
        ([], "permissions", PERMISSIONS_SHAPE),
        ("temp-role", "permissions", PERMISSIONS_SHAPE),
        (5, "permissions", PERMISSIONS_SHAPE),
        ({"realmRoles": "temp-role"}, "permissions.realmRoles", "permissions.realmRoles: must be an array of role names"),
        ({"realmRoles": [5]}, "permissions.realmRoles[0]", "permissions.realmRoles[0]: " + ROLE_NAME),
        ({"clientRoles": []}, "permissions.clientRoles", "permissions.clientRoles: must be an object of client ids to role names"),
        ({"clientRoles": {"billing-api": "invoices:read"}}, "permissions.clientRoles.billing-api",
         "permissions.clientRoles.billing-api: must be an array of role names"),
        ({"clientRoles": {"billing-api": [None]}}, "permissions.clientRoles.billing-api[0]",
         "permissions.clientRoles.billing-api[0]: " + ROLE_NAME),
        ({"extra": []}, "permissions.extra", "permissions.extra: unknown field; allowed fields are [clientRoles, realmRoles]"),
        ({"realmRoles": [""]}, "permissions.realmRoles[0]", "permissions.realmRoles[0]: " + ROLE_NAME)]):
    admin(f"permissions/shape/{i}", role(permissions=perms), reason=reason, field=field)

# --- trust policies -----------------------------------------------------------------------------------------
stmt = {"Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:root"}, "Action": "sts:AssumeRole"}


def with_stmt(**changes):
    s = dict(stmt)
    for k, v in changes.items():
        if v is DROP:
            s.pop(k, None)
        else:
            s[k] = v
    return {"Version": "2012-10-17", "Statement": [s]}


admin("policy/missing", role(trustPolicy=DROP), reason="trustPolicy: is required (a JSON object)", field="trustPolicy")
for i, doc in enumerate([[], "policy", 5, None, True]):
    admin(f"policy/type/{i}", role(trustPolicy=doc), field="trustPolicy",
          reason="trustPolicy: is required (a JSON object)" if doc is None else "trustPolicy: must be a JSON object")
VERSION = '/Version: Version must be "2012-10-17" (or the legacy "2008-10-17")'
EFFECT = '/Statement/0/Effect: Effect is required: "Allow" or "Deny"'
ONE_ACTION = "/Statement/0: a statement needs exactly one of Action and NotAction"
ONE_PRINCIPAL = "/Statement/0: a statement needs exactly one of Principal and NotPrincipal"
PRINCIPAL_SHAPE = '/Statement/0/Principal: a principal is "*" or {"Keycloak": <KRN or list of KRNs>}'
policy("version", {"Version": "2030-01-01", "Statement": [stmt]}, VERSION)
policy("version-type", {"Version": 2012, "Statement": [stmt]}, VERSION)
policy("statement-missing", {"Version": "2012-10-17"}, "/Statement: Statement is required (use [] for a role nobody may assume)")
policy("statement-type", {"Version": "2012-10-17", "Statement": "allow"}, "/Statement: Statement must be an object or an array of objects")
policy("statement-empty-object", {"Version": "2012-10-17", "Statement": [{}]}, EFFECT + " (and 2 more error(s)")
policy("too-many-statements", {"Version": "2012-10-17", "Statement": [stmt] * 101}, "/Statement: at most 100 statements")
policy("unknown-top-key", {"Version": "2012-10-17", "Statement": [stmt], "Extra": 1},
       "/Extra: unknown element 'Extra'; allowed: [")  # the list's order changes from one server start to the next
policy("effect", with_stmt(Effect="Maybe"), EFFECT)
policy("effect-missing", with_stmt(Effect=DROP), EFFECT)
policy("effect-case", with_stmt(Effect="allow"), EFFECT)
policy("action-missing", with_stmt(Action=DROP), ONE_ACTION)
policy("action-unknown", with_stmt(Action="iam:CreateUser"), "/Statement/0/Action: 'iam:CreateUser' matches no action")
policy("action-type", with_stmt(Action=5), '/Statement/0/Action: an action must be a non-empty string such as "sts:AssumeRole"')
policy("action-and-notaction", with_stmt(NotAction="sts:TagSession"), ONE_ACTION)
policy("principal-missing", with_stmt(Principal=DROP), ONE_PRINCIPAL)
policy("principal-type", with_stmt(Principal=5), PRINCIPAL_SHAPE)
policy("principal-aws", with_stmt(Principal={"AWS": "arn:aws:iam::123:root"}), PRINCIPAL_SHAPE)
for i, krn in enumerate(["krn:keycloak:iam::acme:nothing/x", "krn:keycloak:iam:::user/alice", "arn:aws:iam::1:root",
                         "krn:keycloak:iam::acme:user/", "krn:keycloak:iam::acme:group/", "krn:keycloak:iam::ac me:root",
                         "krn:keycloak:sts::acme:assumed-role/x", "krn:keycloak:iam::acme:role/", ""]):
    policy(f"principal-krn/{i}", with_stmt(Principal={"Keycloak": krn}),
           f"/Statement/0/Principal/Keycloak: '{krn}' is not a principal KRN")
policy("principal-and-notprincipal", with_stmt(NotPrincipal={"Keycloak": "krn:keycloak:iam::acme:user/bob"}), ONE_PRINCIPAL)
policy("sid-bad", with_stmt(Sid="no spaces allowed"), "/Statement/0/Sid: Sid must be 1-128 letters, digits, '_', '.' or '-'")
policy("sid-duplicate", {"Version": "2012-10-17", "Statement": [dict(stmt, Sid="A"), dict(stmt, Sid="A")]},
       "/Statement/1/Sid: Sid 'A' is used by another statement")
policy("statement-unknown-key", with_stmt(Resource="*"),
       "/Statement/0/Resource: Resource is not allowed in a trust policy: the role itself is the resource")
CONDITION = "/Statement/0/Condition/"
for i, (op, key, value, reason) in enumerate([
        ("StringEqualz", "kc:Username", "a", CONDITION + "StringEqualz: unknown condition operator 'StringEqualz'"),
        ("StringEquals", "kc:NoSuchKey", "a", CONDITION + "StringEquals/kc:NoSuchKey: unknown condition key 'kc:NoSuchKey'"),
        ("StringEquals", "aws:username", "a", CONDITION + "StringEquals/aws:username: unknown condition key 'aws:username'"
                                                          " (no identity provider of that alias in this realm)"),
        ("IpAddress", "kc:SourceIp", "300.1.1.1/8", CONDITION + "IpAddress/kc:SourceIp: '300.1.1.1/8' is not an IPv4 or IPv6 address or CIDR block"),
        ("IpAddress", "kc:SourceIp", "10.0.0.0/33", CONDITION + "IpAddress/kc:SourceIp: '10.0.0.0/33' is not an IPv4 or IPv6 address or CIDR block"),
        ("IpAddress", "kc:SourceIp", "not-an-ip", CONDITION + "IpAddress/kc:SourceIp: 'not-an-ip' is not an IPv4 or IPv6 address or CIDR block"),
        ("DateGreaterThan", "kc:CurrentTime", "yesterday", CONDITION + "DateGreaterThan/kc:CurrentTime: 'yesterday' is not a date"),
        ("DateLessThan", "kc:CurrentTime", "2026-13-45T99:00:00Z", CONDITION + "DateLessThan/kc:CurrentTime: '2026-13-45T99:00:00Z' is not a date"),
        ("NumericLessThan", "kc:MultiFactorAuthAge", "ten", CONDITION + "NumericLessThan/kc:MultiFactorAuthAge: 'ten' is not a number"),
        ("NumericEquals", "kc:EpochTime", "1e999999", CONDITION + "NumericEquals/kc:EpochTime: '1e999999' is not a number"),
        ("Bool", "kc:MultiFactorAuthPresent", "yes", CONDITION + "Bool/kc:MultiFactorAuthPresent: 'yes' is not true or false"),
        ("StringEquals", "kc:Username", [{"a": 1}], CONDITION + "StringEquals/kc:Username/0: condition values are strings, numbers or booleans"),
        ("StringEquals", "kc:Username", ["x"] * 101, CONDITION + "StringEquals/kc:Username: at most 100 values"),
        ("StringEquals", "unknownidp:claim", "a", CONDITION + "StringEquals/unknownidp:claim: unknown condition key 'unknownidp:claim'"),
        ("ForAnyValue:Bogus", "kc:Groups", "/a", CONDITION + "ForAnyValue:Bogus: unknown condition operator 'ForAnyValue:Bogus'"),
        ("Null", "kc:Username", "maybe", CONDITION + "Null/kc:Username: Null takes one value: true (the key is absent) or false (it is present)"),
        # The pointer escapes the key's '/' as ~1 (RFC 6901 §3).
        ("StringEquals", "kc:PrincipalAttribute/", "a", CONDITION + "StringEquals/kc:PrincipalAttribute~1: unknown condition key 'kc:PrincipalAttribute/'")]):
    policy(f"condition/{i}", with_stmt(Condition={op: {key: value}}), reason)
POLICY_SIZE = "trustPolicy: must be at most 10240 bytes of compact JSON"
policy("condition-value-over-policy-size", with_stmt(Condition={"StringLike": {"kc:Username": "a" * 11000}}), POLICY_SIZE)
policy("condition-type", with_stmt(Condition=["StringEquals"]), CONDITION[:-1] + ": Condition must be an object of operators")
policy("condition-empty-operator", with_stmt(Condition={"StringEquals": {}}),
       CONDITION + "StringEquals: an operator needs at least one condition key: an empty block would be a condition left out")
policy("condition-operator-type", with_stmt(Condition={"StringEquals": "kc:Username"}),
       CONDITION + "StringEquals: an operator maps condition keys to values")
policy("variable-unclosed", with_stmt(Condition={"StringLike": {"kc:Username": "${kc:Username"}}),
       CONDITION + "StringLike/kc:Username: unterminated policy variable: '${' without '}'")
policy("variable-unknown", with_stmt(Condition={"StringLike": {"kc:Username": "${kc:Nope}"}}),
       CONDITION + "StringLike/kc:Username: unknown policy variable ${kc:Nope}")
policy("too-large", {"Version": "2012-10-17", "Statement": [dict(stmt, Sid="S" + str(i)) for i in range(90)],
                     "Id": "x" * 9000}, POLICY_SIZE)

# --- whole bodies -------------------------------------------------------------------------------------------
admin("body/malformed", raw='{"name": "x",', reason="malformed JSON: Unexpected end-of-input")
admin("body/trailing-garbage", raw='{"name": "hostile-role"} {}', reason="malformed JSON: Trailing token")
admin("body/duplicate-keys", raw='{"name": "a", "name": "b", "trustPolicy": {}}', reason="malformed JSON: Duplicate field 'name'")
admin("body/duplicate-keys-nested", raw='{"name": "a", "trustPolicy": {"Version": "2012-10-17", "Version": "x", "Statement": []}}',
      reason="malformed JSON: Duplicate field 'Version'")
admin("body/empty", raw="", reason="the request body is empty; a JSON document is required")
# The whole body is wrong: the error's field is "" (no field to name).
admin("body/null", raw="null", reason=NOT_AN_OBJECT)
admin("body/array", raw="[]", reason=NOT_AN_OBJECT)
admin("body/string", raw='"role"', reason=NOT_AN_OBJECT)
admin("body/nan", raw='{"name": "a", "maxSessionDuration": NaN}', reason="malformed JSON: Non-standard token 'NaN'")
admin("body/comment", raw='{"name": "a" /* c */}', reason="malformed JSON: Unexpected character ('/' (code 47))")
admin("body/single-quotes", raw="{'name': 'a'}", reason="malformed JSON: Unexpected character (''' (code 39)): was expecting double-quote")
admin("body/deep-nesting", generator="deep-nesting:10000", reason=PARSER_LIMIT)
admin("body/deep-nesting-policy", generator="deep-policy:200", reason=PARSER_LIMIT)
admin("body/huge", generator="huge:2000000", status=413, reason=BODY_LIMIT)
admin("body/huge-exponent", raw='{"name": "hostile-role", "maxSessionDuration": 1e400, "trustPolicy": {}}',
      reason=DURATION, field="maxSessionDuration")
admin("body/long-number", raw='{"name": "a", "maxSessionDuration": ' + "9" * 5000 + "}", reason=PARSER_LIMIT)
admin("body/invalid-utf8", generator="invalid-utf8", reason="malformed JSON: Invalid UTF-8 middle byte 0x28")
admin("body/unknown-field", role(isAdmin=True), reason="isAdmin: unknown field; allowed fields are [audiences, description,", field="isAdmin")
admin("body/wrong-content-type", role(), status=415, content_type="text/plain",
      exact_body=UNSUPPORTED_MEDIA_TYPE, why=UNSUPPORTED_MEDIA_TYPE_WHY)
admin("body/xml", raw="<role><name>x</name></role>", status=415, content_type="application/xml",
      exact_body=UNSUPPORTED_MEDIA_TYPE, why=UNSUPPORTED_MEDIA_TYPE_WHY)
admin("put/name-mismatch-unknown", role(), method="PUT", path="/roles/no-such-role", status=404, reason=NO_ROLE)
admin("put/bad-body", raw="[]", method="PUT", path="/roles/hostile-target", status=400, reason=NOT_AN_OBJECT)
admin("get/unknown", method="GET", path="/roles/no-such-role", status=404, reason=NO_ROLE)
admin("get/name-too-long", method="GET", path="/roles/" + "x" * 300, status=404, reason=f"IAM role '{'x' * 300}' not found")
admin("delete/unknown", method="DELETE", path="/roles/no-such-role", status=404, reason=NO_ROLE)
FIRST = "first: must be a whole number from 0 to 2147483647"
MAX = "max: must be a whole number from 1 to 1000"
for i, (query, field, reason) in enumerate([("first=-1", "first", FIRST), ("max=0", "max", MAX), ("max=100000", "max", MAX),
                                            ("first=abc", "first", FIRST), ("max=1e3", "max", MAX),
                                            ("first=99999999999999", "first", FIRST)]):
    admin(f"list/query/{i}", method="GET", path="/roles?" + query, status=400, reason=reason, field=field)
admin("revoke/unknown-role", method="POST", path="/roles/no-such-role/revoke-sessions", status=404, reason=NO_ROLE)
admin("sessions/bad-krn", method="DELETE", path="/sessions?session=krn:keycloak:iam::acme:root", status=400,
      reason="session: must be a session KRN of this realm, krn:keycloak:sts::acme:assumed-role/", field="session")
admin("sessions/unknown-token", method="DELETE", path="/sessions/not-a-token", status=404,
      reason="no live role session 'not-a-token'")

# --- import files -------------------------------------------------------------------------------------------
admin("import/not-object", raw="[]", path="/import", reason="the import document must be a JSON object with 'roles'")
admin("import/roles-not-array", body={"realm": "acme", "roles": {}}, path="/import",
      reason="roles: is required: an array of roles", field="roles")
admin("import/role-not-object", body={"realm": "acme", "roles": [5]}, path="/import",
      reason="roles[0]: " + NOT_AN_OBJECT, field="roles[0]")
admin("import/one-bad-role", body={"realm": "acme", "roles": [role(name="import-good"), role(name="bad name")]},
      path="/import", reason="roles[1]." + NAME, field="roles[1].name")
admin("import/duplicate-names", body={"realm": "acme", "roles": [role(name="dup"), role(name="DUP")]}, path="/import",
      reason="roles[1].name: repeats the name of roles[0]", field="roles[1].name")
admin("import/dry-run-bad", body={"realm": "acme", "roles": []}, path="/import?dryRun=maybe",
      reason="dryRun: must be 'true' or 'false'", field="dryRun")
admin("import/unknown-permission", body={"realm": "acme", "roles": [role(name="import-x", permissions={"realmRoles": ["nope"]})]},
      path="/import", reason="roles[0].permissions.realmRoles: unknown realm role 'nope'", field="roles[0].permissions.realmRoles")
# /import takes larger bodies than /roles; the 3 MB description string is refused by the parser's string limit.
admin("import/huge", generator="huge:3000000", path="/import", status=400, reason=PARSER_LIMIT)
admin("validate/huge", generator="huge:100000", path="/policies/validate", status=413, reason=BODY_LIMIT)
admin("simulate/no-role", body={"principal": "krn:keycloak:iam::acme:user/alice"}, path="/simulate",
      reason="role: give exactly one of 'role' (a role name) and 'policy' (a policy document)", field="role")
admin("simulate/bad-principal", body={"role": "x", "principal": "alice"}, path="/simulate",
      reason="principal: must be a principal KRN such as krn:keycloak:iam::<realm>:user/<username>", field="principal")
admin("simulate/unknown-role", body={"role": "no-such-role", "principal": "krn:keycloak:iam::acme:user/alice"},
      path="/simulate", status=404, reason=NO_ROLE)

# --- exchange parameters ------------------------------------------------------------------------------------
base = {"subject_token": "{alice}", "subject_token_type": "urn:ietf:params:oauth:token-type:access_token", "role": "hostile-target"}


def params(**changes):
    p = dict(base)
    for k, v in changes.items():
        if v is DROP:
            p.pop(k, None)
        else:
            p[k] = v
    return p


# Without role the request is not ours: Keycloak's standard exchange refuses it for admin-cli.
exchange("role-missing", params(role=DROP), reason="Standard token exchange is not enabled for the requested client")
ROLE_SHAPE = "role: must be a role name or a role KRN"
exchange("role-blank", params(role=" "), reason=ROLE_SHAPE)
exchange("role-too-long", params(role="r" * 1101), reason=ROLE_SHAPE)
# Unknown, other-realm and unparsable roles answer as an untrusting role does (no role enumeration).
NOT_AUTHORIZED = "not authorized to assume the requested role"
exchange("role-unknown", params(role="no-such-role"), status=403, error="access_denied", reason=NOT_AUTHORIZED)
exchange("role-krn-other-realm", params(role="krn:keycloak:iam::partners:role/hostile-target"), status=403,
         error="access_denied", reason=NOT_AUTHORIZED)
exchange("role-krn-malformed", params(role="krn:keycloak:iam::acme:"), status=403, error="access_denied", reason=NOT_AUTHORIZED)
# What only a trusted caller's session is checked against (the role's maximum duration, the clients it grants roles of,
# its permissions) must not tell an unknown role from one that does not trust the caller: hostile-untrusting (created
# by the test) trusts nobody, and both answer as a plain refusal.
for target in ["no-such-role", "hostile-untrusting"]:
    for label, changes in [("plain", {}), ("duration-over-role-max", {"duration_seconds": "7200"}),
                           ("audience-unknown", {"audience": "no-such-client"}),
                           ("scope-not-offered", {"scope": "openid"}),
                           ("session-policy-unknown-role", {"session_policy": '{"realmRoles": ["no-such-realm-role"]}'})]:
        exchange(f"untrusted/{target}/{label}", params(role=target, **changes), status=403, error="access_denied",
                 reason=NOT_AUTHORIZED)
# (Keycloak strips control characters from token-endpoint parameters before any grant sees them.)
for i, name in enumerate(["a", "x" * 65, "has space", "ünï", "semi;colon"]):
    exchange(f"session-name/{i}", params(role_session_name=name),
             reason="role_session_name: must be 2-64 characters of letters, digits and _ + = , . @ -")
# (An empty value is an omitted parameter, RFC 6749 §3.1.)
for i, d in enumerate(["899", "43201", "abc", "1e3", "-900", "9" * 20, "3600.0"]):
    exchange(f"duration/{i}", params(duration_seconds=d), reason="duration_seconds: must be a whole number of seconds from 900 to 43200")
exchange("duration-over-role-max", params(duration_seconds="7200"), reason="duration_seconds: exceeds the role's maximum session duration (3600 s)")
for i, e in enumerate(["a", "x" * 1225, "has space", "quote\"", "ünï"]):
    exchange(f"external-id/{i}", params(external_id=e), reason="external_id: must be 2-1224 characters of letters, digits and _ + = , . @ : / -")
exchange("audience-unknown", params(audience="no-such-client"), error="invalid_target",
         reason="audience: 'no-such-client' is not an audience of the role (a client it grants roles of or names in its audiences)")
# The role names no scopes: any scope is one it does not offer (RFC 6749 §5.2 invalid_scope), never silently dropped.
exchange("scope-not-offered", params(scope="openid"), error="invalid_scope", reason="scope: 'openid' is not a scope of the role")
exchange("scope-not-a-token", params(scope='a"b'), reason="scope: 'a\"b' is not a scope-token (RFC 6749 section 3.3)")
exchange("requested-token-type", params(requested_token_type="urn:ietf:params:oauth:token-type:refresh_token"),
         reason="requested_token_type: a role session is an access token")
for i, sp in enumerate(["not json", "[]", '{"realmRoles": "x"}', '{"a": 1}', "{" * 5000, '{"realmRoles": ["' + "x" * 2100 + '"]}']):
    exchange(f"session-policy/{i}", params(session_policy=sp), reason=[
        "session_policy: malformed JSON: Unrecognized token 'not'",
        "session_policy: must be an object with 'realmRoles' and 'clientRoles'",
        "session_policy.realmRoles: must be an array of role names",
        "session_policy.a: unknown field; allowed fields are [clientRoles, realmRoles]",
        "session_policy: longer than the token endpoint accepts",
        "session_policy: the request body is larger than 2048 bytes"][i])
for i, (st, reason) in enumerate([
        ("not json", "session_tags: malformed JSON: Unrecognized token 'not'"),
        ("[]", "session_tags: must be a JSON object of tag keys to string values"),
        (json.dumps({f"k{j}": "v" for j in range(51)}), "session_tags: must have at most 50 tags"),
        ('{"k": 5}', "session_tags.k: " + TAG_VALUE),
        ('{"bad*": "v"}', "session_tags.bad*: " + TAG_KEY),
        (json.dumps({"k" * 129: "v"}), f"session_tags.{'k' * 129}: {TAG_KEY}"),
        (json.dumps({"k": "v" * 257}), "session_tags.k: " + TAG_VALUE),
        ('{"a": "1", "A": "2"}', "session_tags.A: duplicates another tag key that differs only in case")]):
    exchange(f"session-tags/{i}", params(session_tags=st), reason=reason)
exchange("transitive-not-in-tags", params(session_tags='{"a": "b"}', transitive_tag_keys="c"),
         reason="transitive_tag_keys: 'c' is not a key of session_tags")
for i, si in enumerate(["kc:admin", "a", "x" * 65, "has space"]):
    exchange(f"source-identity/{i}", params(source_identity=si),
             reason="source_identity: must be 2-64 characters of letters, digits and _ + = , . @ -")
exchange("subject-token-type-unknown", params(subject_token_type="urn:x"),
         reason="subject_token_type: must be urn:ietf:params:oauth:token-type:access_token, urn:ietf:params:oauth:token-type:jwt,")
exchange("subject-token-type-missing", params(subject_token_type=DROP), reason="subject_token_type: is required")
exchange("subject-token-missing", params(subject_token=DROP), reason="subject_token: is required")
OVER_KEYCLOAK_LIMIT = ": longer than the token endpoint accepts (Keycloak's limit for request parameters)"
exchange("session-policy-over-keycloak-limit", params(session_policy='{"realmRoles": ["' + "r" * 4100 + '"]}'),
         reason="session_policy" + OVER_KEYCLOAK_LIMIT)
exchange("session-tags-over-keycloak-limit", params(session_tags='{"k": "' + "v" * 4100 + '"}'),
         reason="session_tags" + OVER_KEYCLOAK_LIMIT)
# Keycloak drops a form parameter over 4000 characters before any grant sees it: every parameter of ours that the
# client sent must still be refused by name, never read as omitted (a dropped role would make the request a standard
# exchange, a dropped external_id or session_policy would loosen the session).
for name in ["role", "role_session_name", "duration_seconds", "external_id", "source_identity", "transitive_tag_keys",
             "subject_issuer"]:
    exchange(f"{name.replace('_', '-')}-over-keycloak-limit", params(**{name: "x" * 4100}), reason=name + OVER_KEYCLOAK_LIMIT)
exchange("subject-issuer-bad", params(subject_issuer="a b"), reason="subject_issuer: must be the alias of an identity provider of this realm")
exchange("subject-issuer-unknown", params(subject_issuer="no-such-idp"),
         reason="subject_issuer: no enabled OpenID Connect identity provider 'no-such-idp' in this realm")
# Keycloak's token endpoint refuses a repeated parameter (other than audience and resource) before any grant runs,
# with a fixed message that does not say which parameter was repeated.
exchange("repeated-role", dict(params(), role=["hostile-target", "other"]), reason="duplicated parameter")
exchange("repeated-duration", dict(params(), duration_seconds=["900", "1000"]), reason="duplicated parameter")
# What AssumeRole does not support is refused by name, never ignored (no silent downgrade): RFC 8693 delegation
# (actor_token) and resource indicators (RFC 8707); only access tokens are issued.
UNSUPPORTED = ": not supported by AssumeRole (a role session has no actor and is bound to the role's clients; use audience)"
exchange("actor-token", params(actor_token="{alice}", actor_token_type="urn:ietf:params:oauth:token-type:access_token"),
         reason="actor_token" + UNSUPPORTED)
exchange("actor-token-type", params(actor_token_type="urn:ietf:params:oauth:token-type:access_token"),
         reason="actor_token_type" + UNSUPPORTED)
exchange("resource", params(resource="http://localhost:8080/billing"), reason="resource" + UNSUPPORTED)
for i, t in enumerate(["urn:ietf:params:oauth:token-type:id_token", "urn:ietf:params:oauth:token-type:saml2", "urn:x"]):
    exchange(f"requested-token-type/{i}", params(requested_token_type=t), reason="requested_token_type: a role session is an access token")

# --- subject tokens -----------------------------------------------------------------------------------------
NOT_OURS = "subject_token: not a token this server issued"
NOT_VALID = "subject_token: invalid, expired or revoked"
NOT_SAML = "subject_token: not a base64url-encoded SAML 2.0 assertion"
for name, reason in [("garbage", NOT_OURS), ("empty-segments", NOT_OURS), ("truncated", NOT_OURS), ("alg-none", NOT_VALID),
                     ("alg-none-unsigned-dot", NOT_VALID), ("hs256-public-key", NOT_VALID), ("tampered-payload", NOT_VALID),
                     ("tampered-signature", NOT_VALID), ("wrong-issuer", NOT_OURS), ("unknown-realm-issuer", NOT_OURS),
                     ("foreign-key", NOT_VALID), ("kid-path-traversal", NOT_VALID), ("jku-header", NOT_VALID),
                     ("x5u-header", NOT_VALID), ("expired", NOT_VALID), ("not-yet-valid", NOT_VALID), ("iss-number", NOT_OURS),
                     ("exp-string", NOT_OURS), ("whitespace", NOT_OURS), ("json-not-jwt", NOT_OURS),
                     ("base64-garbage", NOT_OURS),
                     ("id-token-type-own-realm", "subject_token: an ID token must come from an identity provider of this realm"),
                     ("saml-garbage", NOT_SAML), ("saml-xxe", NOT_SAML),
                     # Over 20 000 characters: Keycloak's token endpoint refuses it itself, naming it.
                     ("over-keycloak-limit", "The size of OIDC parameter 'subject_token' is longer than allowed")]:
    exchange(f"subject/{name}", params(subject_token="{token:" + name + "}",
                                       subject_token_type="urn:ietf:params:oauth:token-type:saml2" if name.startswith("saml")
                                       else "urn:ietf:params:oauth:token-type:id_token" if name == "id-token-type-own-realm"
                                       else "urn:ietf:params:oauth:token-type:access_token"), reason=reason)
# 1 MB: Keycloak's HTTP layer answers 413 before the token endpoint parses the form.
# 1 MB: refused before Keycloak parses the form (RoleSessionTokenEndpointFilter reads at most 512 KiB to look for role sessions).
exchange("subject/huge", params(subject_token="{token:huge}"), status=413, reason="the request body is larger than 524288 bytes")
# A token of another realm is exchanged only by a confidential client in its audience (admin-cli is public).
exchange("subject/other-realm-untrusted", params(subject_token="{partners}"),
         reason="subject_token: a public client may only exchange tokens of this realm issued to itself")

with open("corpus.json", "w") as out:
    json.dump({"cases": cases}, out, indent=1, ensure_ascii=True)
    out.write("\n")
print(len(cases), "cases")
