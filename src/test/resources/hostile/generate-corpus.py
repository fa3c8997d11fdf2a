#!/usr/bin/env python3
"""Writes corpus.json, the hostile-input corpus HostileCorpusIT replays against the real server.

The JSON file is the corpus (committed); this script only documents how it was made and regenerates it.
Each case: id, kind (admin | exchange), the request, and what must come back (status, and a text the reason
must contain). Placeholders in {braces} are filled by the test: {alice} (a valid token of acme's alice),
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


def admin(case_id, body=None, raw=None, status=400, reason="", method="POST", path="/roles", content_type="application/json", generator=None):
    case = {"id": case_id, "kind": "admin", "method": method, "path": path, "contentType": content_type,
            "status": status, "reason": reason}
    if body is not None:
        case["body"] = body
    if raw is not None:
        case["raw"] = raw
    if generator is not None:
        case["generator"] = generator
    cases.append(case)


def policy(case_id, document, reason):
    admin("policy/" + case_id, role(trustPolicy=document), reason=reason)


def exchange(case_id, params, status=400, reason="", error=None):
    case = {"id": "exchange/" + case_id, "kind": "exchange", "params": params, "status": status, "reason": reason}
    if error:
        case["error"] = error
    cases.append(case)


# --- role names, paths, descriptions, durations -------------------------------------------------------------
for i, name in enumerate(["", " ", "a b", "x" * 65, "role/../admin", "rôle", "name\u0000", "<script>", "a;DROP TABLE",
                          "\u202e", "tab\tname", "emoji\U0001F600", "quote\"", "star*", "back\\slash"]):
    admin(f"name/{i}", role(name=name), reason="name")
for i, name in enumerate([None, 5, True, [], {}]):
    admin(f"name-type/{i}", role(name=name), reason="name")
for i, path in enumerate(["", "no-slash", "//", "/a//b/", "/a b/", "/a", "a/", "/" + "p" * 600 + "/", "/a\u0000/",
                          "/é/", "/a/\n/"]):
    admin(f"path/{i}", role(path=path), reason="path")
for i, path in enumerate([5, [], {}, True]):
    admin(f"path-type/{i}", role(path=path), reason="path")
admin("description/too-long", role(description="d" * 1001), reason="description")
admin("description/control", role(description="a\u0007b"), reason="description")
admin("description/type", role(description=12), reason="description")
admin("description/object", role(description={"a": 1}), reason="description")
for i, value in enumerate([0, 899, 43201, -1, 10 ** 12, "3600", 3600.5, True, [3600], {"s": 1}]):
    admin(f"max-session-duration/{i}", role(maxSessionDuration=value), reason="maxSessionDuration")
for i, value in enumerate([899, 3601, "900", 900.5, False]):
    admin(f"max-chained-duration/{i}", role(maxSessionDuration=3600, maxChainedSessionDuration=value),
          reason="maxChainedSessionDuration")

# --- tags ---------------------------------------------------------------------------------------------------
admin("tags/too-many", role(tags={f"k{i}": "v" for i in range(51)}), reason="tags")
admin("tags/key-too-long", role(tags={"k" * 129: "v"}), reason="tags")
admin("tags/value-too-long", role(tags={"k": "v" * 257}), reason="tags")
admin("tags/empty-key", role(tags={"": "v"}), reason="tags")
for i, key in enumerate(["a*b", "a<b", "a\u0000", "a;b", "a\"b", "a{b"]):
    admin(f"tags/bad-key/{i}", role(tags={key: "v"}), reason="tags")
for i, value in enumerate(["a*b", "a<b", "v\u0001", 5, True, None, ["v"], {"v": 1}]):
    admin(f"tags/bad-value/{i}", role(tags={"k": value}), reason="tags")
admin("tags/case-duplicate", role(tags={"Team": "a", "team": "b"}), reason="tags")
for i, tags in enumerate([[], "team=a", 5, True]):
    admin(f"tags/type/{i}", role(tags=tags), reason="tags")

# --- permissions --------------------------------------------------------------------------------------------
admin("permissions/unknown-realm-role", role(permissions={"realmRoles": ["no-such-role"]}), reason="permissions")
admin("permissions/unknown-client", role(permissions={"clientRoles": {"no-such-client": ["r"]}}), reason="permissions")
admin("permissions/unknown-client-role", role(permissions={"clientRoles": {"billing-api": ["no-such"]}}), reason="permissions")
admin("permissions/too-many", role(permissions={"realmRoles": [f"r{i}" for i in range(501)]}), reason="permissions")
for i, perms in enumerate([[], "temp-role", 5, {"realmRoles": "temp-role"}, {"realmRoles": [5]},
                           {"clientRoles": []}, {"clientRoles": {"billing-api": "invoices:read"}},
                           {"clientRoles": {"billing-api": [None]}}, {"extra": []}, {"realmRoles": [""]}]):
    admin(f"permissions/shape/{i}", role(permissions=perms), reason="permissions")

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


admin("policy/missing", role(trustPolicy=DROP), reason="trustPolicy")
for i, doc in enumerate([[], "policy", 5, None, True]):
    admin(f"policy/type/{i}", role(trustPolicy=doc), reason="trustPolicy")
policy("version", {"Version": "2030-01-01", "Statement": [stmt]}, "Version")
policy("version-type", {"Version": 2012, "Statement": [stmt]}, "Version")
policy("statement-missing", {"Version": "2012-10-17"}, "Statement")
policy("statement-type", {"Version": "2012-10-17", "Statement": "allow"}, "Statement")
policy("statement-empty-object", {"Version": "2012-10-17", "Statement": [{}]}, "Statement")
policy("too-many-statements", {"Version": "2012-10-17", "Statement": [stmt] * 101}, "Statement")
policy("unknown-top-key", {"Version": "2012-10-17", "Statement": [stmt], "Extra": 1}, "Extra")
policy("effect", with_stmt(Effect="Maybe"), "Effect")
policy("effect-missing", with_stmt(Effect=DROP), "Effect")
policy("effect-case", with_stmt(Effect="allow"), "Effect")
policy("action-missing", with_stmt(Action=DROP), "Action")
policy("action-unknown", with_stmt(Action="iam:CreateUser"), "Action")
policy("action-type", with_stmt(Action=5), "Action")
policy("action-and-notaction", with_stmt(NotAction="sts:TagSession"), "Action")
policy("principal-missing", with_stmt(Principal=DROP), "Principal")
policy("principal-type", with_stmt(Principal=5), "Principal")
policy("principal-aws", with_stmt(Principal={"AWS": "arn:aws:iam::123:root"}), "Principal")
for i, krn in enumerate(["krn:keycloak:iam::acme:nothing/x", "krn:keycloak:iam:::user/alice", "arn:aws:iam::1:root",
                         "krn:keycloak:iam::acme:user/", "krn:keycloak:iam::acme:group/", "krn:keycloak:iam::ac me:root",
                         "krn:keycloak:sts::acme:assumed-role/x", "krn:keycloak:iam::acme:role/", ""]):
    policy(f"principal-krn/{i}", with_stmt(Principal={"Keycloak": krn}), "Principal")
policy("principal-and-notprincipal", with_stmt(NotPrincipal={"Keycloak": "krn:keycloak:iam::acme:user/bob"}), "Principal")
policy("sid-bad", with_stmt(Sid="no spaces allowed"), "Sid")
policy("sid-duplicate", {"Version": "2012-10-17", "Statement": [dict(stmt, Sid="A"), dict(stmt, Sid="A")]}, "Sid")
policy("statement-unknown-key", with_stmt(Resource="*"), "Resource")
for i, (op, key, value) in enumerate([
        ("StringEqualz", "kc:Username", "a"), ("StringEquals", "kc:NoSuchKey", "a"), ("StringEquals", "aws:username", "a"),
        ("IpAddress", "kc:SourceIp", "300.1.1.1/8"), ("IpAddress", "kc:SourceIp", "10.0.0.0/33"), ("IpAddress", "kc:SourceIp", "not-an-ip"),
        ("DateGreaterThan", "kc:CurrentTime", "yesterday"), ("DateLessThan", "kc:CurrentTime", "2026-13-45T99:00:00Z"),
        ("NumericLessThan", "kc:MultiFactorAuthAge", "ten"), ("NumericEquals", "kc:EpochTime", "1e999999"),
        ("Bool", "kc:MultiFactorAuthPresent", "yes"),
        ("StringEquals", "kc:Username", [{"a": 1}]), ("StringEquals", "kc:Username", ["x"] * 101),
        ("StringEquals", "unknownidp:claim", "a"), ("ForAnyValue:Bogus", "kc:Groups", "/a"), ("Null", "kc:Username", "maybe"),
        ("StringEquals", "kc:PrincipalAttribute/", "a")]):
    policy(f"condition/{i}", with_stmt(Condition={op: {key: value}}), "Condition")
policy("condition-value-over-policy-size", with_stmt(Condition={"StringLike": {"kc:Username": "a" * 11000}}), "trustPolicy")
policy("condition-type", with_stmt(Condition=["StringEquals"]), "Condition")
policy("condition-empty-operator", with_stmt(Condition={"StringEquals": {}}), "Condition")
policy("condition-operator-type", with_stmt(Condition={"StringEquals": "kc:Username"}), "Condition")
policy("variable-unclosed", with_stmt(Condition={"StringLike": {"kc:Username": "${kc:Username"}}), "Condition")
policy("variable-unknown", with_stmt(Condition={"StringLike": {"kc:Username": "${kc:Nope}"}}), "Condition")
policy("too-large", {"Version": "2012-10-17", "Statement": [dict(stmt, Sid="S" + str(i)) for i in range(90)],
                     "Id": "x" * 9000}, "trustPolicy")

# --- whole bodies -------------------------------------------------------------------------------------------
admin("body/malformed", raw='{"name": "x",', reason="JSON")
admin("body/trailing-garbage", raw='{"name": "hostile-role"} {}', reason="JSON")
admin("body/duplicate-keys", raw='{"name": "a", "name": "b", "trustPolicy": {}}', reason="duplicate")
admin("body/duplicate-keys-nested", raw='{"name": "a", "trustPolicy": {"Version": "2012-10-17", "Version": "x", "Statement": []}}', reason="duplicate")
admin("body/empty", raw="", reason="")
admin("body/null", raw="null", reason="")
admin("body/array", raw="[]", reason="")
admin("body/string", raw='"role"', reason="")
admin("body/nan", raw='{"name": "a", "maxSessionDuration": NaN}', reason="")
admin("body/comment", raw='{"name": "a" /* c */}', reason="")
admin("body/single-quotes", raw="{'name': 'a'}", reason="")
admin("body/deep-nesting", generator="deep-nesting:10000", reason="")
admin("body/deep-nesting-policy", generator="deep-policy:200", reason="")
admin("body/huge", generator="huge:2000000", status=413, reason="")
admin("body/huge-exponent", raw='{"name": "hostile-role", "maxSessionDuration": 1e400, "trustPolicy": {}}', reason="maxSessionDuration")
admin("body/long-number", raw='{"name": "a", "maxSessionDuration": ' + "9" * 5000 + "}", reason="")
admin("body/invalid-utf8", generator="invalid-utf8", reason="")
admin("body/unknown-field", role(isAdmin=True), reason="isAdmin")
admin("body/wrong-content-type", role(), status=415, content_type="text/plain", reason="")
admin("body/xml", raw="<role><name>x</name></role>", status=415, content_type="application/xml", reason="")
admin("put/name-mismatch-unknown", role(), method="PUT", path="/roles/no-such-role", status=404, reason="")
admin("put/bad-body", raw="[]", method="PUT", path="/roles/hostile-target", status=400, reason="")
admin("get/unknown", method="GET", path="/roles/no-such-role", status=404, reason="")
admin("get/name-too-long", method="GET", path="/roles/" + "x" * 300, status=404, reason="")
admin("delete/unknown", method="DELETE", path="/roles/no-such-role", status=404, reason="")
for i, query in enumerate(["first=-1", "max=0", "max=100000", "first=abc", "max=1e3", "first=99999999999999"]):
    admin(f"list/query/{i}", method="GET", path="/roles?" + query, status=400, reason="")
admin("revoke/unknown-role", method="POST", path="/roles/no-such-role/revoke-sessions", status=404, reason="")
admin("sessions/bad-krn", method="DELETE", path="/sessions?session=krn:keycloak:iam::acme:root", status=400, reason="session")
admin("sessions/unknown-token", method="DELETE", path="/sessions/not-a-token", status=404, reason="")

# --- import files -------------------------------------------------------------------------------------------
admin("import/not-object", raw="[]", path="/import", reason="")
admin("import/roles-not-array", body={"realm": "acme", "roles": {}}, path="/import", reason="roles")
admin("import/role-not-object", body={"realm": "acme", "roles": [5]}, path="/import", reason="roles")
admin("import/one-bad-role", body={"realm": "acme", "roles": [role(name="import-good"), role(name="bad name")]},
      path="/import", reason="roles")
admin("import/duplicate-names", body={"realm": "acme", "roles": [role(name="dup"), role(name="DUP")]}, path="/import", reason="")
admin("import/dry-run-bad", body={"realm": "acme", "roles": []}, path="/import?dryRun=maybe", reason="dryRun")
admin("import/unknown-permission", body={"realm": "acme", "roles": [role(name="import-x", permissions={"realmRoles": ["nope"]})]},
      path="/import", reason="")
admin("import/huge", generator="huge:3000000", path="/import", status=400, reason="limit")
admin("validate/huge", generator="huge:100000", path="/policies/validate", status=413, reason="")
admin("simulate/no-role", body={"principal": "krn:keycloak:iam::acme:user/alice"}, path="/simulate", reason="role")
admin("simulate/bad-principal", body={"role": "x", "principal": "alice"}, path="/simulate", reason="principal")
admin("simulate/unknown-role", body={"role": "no-such-role", "principal": "krn:keycloak:iam::acme:user/alice"},
      path="/simulate", status=404, reason="")

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


exchange("role-missing", params(role=DROP), reason="")  # without role it is not ours: Keycloak refuses it
exchange("role-blank", params(role=" "), reason="role")
exchange("role-too-long", params(role="r" * 1101), reason="role")
exchange("role-unknown", params(role="no-such-role"), status=403, error="access_denied")
exchange("role-krn-other-realm", params(role="krn:keycloak:iam::partners:role/hostile-target"), status=403, error="access_denied")
exchange("role-krn-malformed", params(role="krn:keycloak:iam::acme:"), status=403, error="access_denied")
# (Keycloak strips control characters from token-endpoint parameters before any grant sees them.)
for i, name in enumerate(["a", "x" * 65, "has space", "ünï", "semi;colon"]):
    exchange(f"session-name/{i}", params(role_session_name=name), reason="role_session_name")
# (An empty value is an omitted parameter, RFC 6749 §3.1.)
for i, d in enumerate(["899", "43201", "abc", "1e3", "-900", "9" * 20, "3600.0"]):
    exchange(f"duration/{i}", params(duration_seconds=d), reason="duration_seconds")
exchange("duration-over-role-max", params(duration_seconds="7200"), reason="duration_seconds")
for i, e in enumerate(["a", "x" * 1225, "has space", "quote\"", "ünï"]):
    exchange(f"external-id/{i}", params(external_id=e), reason="external_id")
exchange("audience-unknown", params(audience="no-such-client"), reason="audience", error="invalid_target")
exchange("requested-token-type", params(requested_token_type="urn:ietf:params:oauth:token-type:refresh_token"),
         reason="requested_token_type")
for i, sp in enumerate(["not json", "[]", '{"realmRoles": "x"}', '{"a": 1}', "{" * 5000, '{"realmRoles": ["' + "x" * 2100 + '"]}']):
    exchange(f"session-policy/{i}", params(session_policy=sp), reason="session_policy")
for i, st in enumerate(["not json", "[]", json.dumps({f"k{j}": "v" for j in range(51)}), '{"k": 5}', '{"bad*": "v"}',
                        json.dumps({"k" * 129: "v"}), json.dumps({"k": "v" * 257}), '{"a": "1", "A": "2"}']):
    exchange(f"session-tags/{i}", params(session_tags=st), reason="session_tags")
exchange("transitive-not-in-tags", params(session_tags='{"a": "b"}', transitive_tag_keys="c"), reason="transitive_tag_keys")
for i, si in enumerate(["kc:admin", "a", "x" * 65, "has space"]):
    exchange(f"source-identity/{i}", params(source_identity=si), reason="source_identity")
exchange("subject-token-type-unknown", params(subject_token_type="urn:x"), reason="subject_token_type")
exchange("subject-token-type-missing", params(subject_token_type=DROP), reason="subject_token_type")
exchange("subject-token-missing", params(subject_token=DROP), reason="subject_token")
exchange("session-policy-over-keycloak-limit", params(session_policy='{"realmRoles": ["' + "r" * 4100 + '"]}'), reason="session_policy")
exchange("session-tags-over-keycloak-limit", params(session_tags='{"k": "' + "v" * 4100 + '"}'), reason="session_tags")
exchange("subject-issuer-bad", params(subject_issuer="a b"), reason="subject_issuer")
exchange("subject-issuer-unknown", params(subject_issuer="no-such-idp"), reason="subject_issuer")
exchange("repeated-role", dict(params(), role=["hostile-target", "other"]), reason="")  # Keycloak refuses repeats first
exchange("repeated-duration", dict(params(), duration_seconds=["900", "1000"]), reason="")

# --- subject tokens -----------------------------------------------------------------------------------------
for name in ["garbage", "empty-segments", "truncated", "alg-none", "alg-none-unsigned-dot", "hs256-public-key",
             "tampered-payload", "tampered-signature", "wrong-issuer", "unknown-realm-issuer", "foreign-key",
             "kid-path-traversal", "jku-header", "x5u-header", "expired", "not-yet-valid", "iss-number",
             "exp-string", "huge", "whitespace", "json-not-jwt", "base64-garbage", "id-token-type-own-realm",
             "saml-garbage", "saml-xxe"]:
    exchange(f"subject/{name}", status=413 if name == "huge" else 400, params=params(subject_token="{token:" + name + "}",
                                       subject_token_type="urn:ietf:params:oauth:token-type:saml2" if name.startswith("saml")
                                       else "urn:ietf:params:oauth:token-type:id_token" if name == "id-token-type-own-realm"
                                       else "urn:ietf:params:oauth:token-type:access_token"),
             reason="" if name == "huge" else "subject_token")  # 1 MB: Keycloak's HTTP layer answers 413
# A token of another realm is exchanged only by a confidential client in its audience (admin-cli is public).
exchange("subject/other-realm-untrusted", params(subject_token="{partners}"), status=400, reason="subject_token", error="invalid_request")

with open("corpus.json", "w") as out:
    json.dump({"cases": cases}, out, indent=1, ensure_ascii=True)
    out.write("\n")
print(len(cases), "cases")
