#!/usr/bin/env bash
# The demo's corporate directory: starts an LDAP server on 127.0.0.1:10389 (UnboundID's in-memory directory, from
# the test sources) and, once the demo Keycloak of ./demo/run.sh is up, connects realm acme to it as the user
# federation "corp-ldap" with a group mapper and a department attribute mapper. Users dana, sam and erin, each with
# the password <name>-pass. Ctrl-C stops the directory.
set -euo pipefail
cd "$(dirname "$0")/.."
BASE_URL=http://localhost:8080
ADMIN_USER=${KC_BOOTSTRAP_ADMIN_USERNAME:-admin}
ADMIN_PASSWORD=${KC_BOOTSTRAP_ADMIN_PASSWORD:-admin}

curl -sf -o /dev/null "$BASE_URL/realms/acme" || { echo "Start the demo first: ./demo/run.sh" >&2; exit 1; }
mvn -B -q -Pdemo-ldap test-compile exec:java &
directory=$!
trap 'kill $directory 2>/dev/null' EXIT
for _ in $(seq 1 120); do
  (exec 3<>/dev/tcp/127.0.0.1/10389) 2>/dev/null && break
  sleep 1
done

token=$(curl -sf -d grant_type=password -d client_id=admin-cli -d "username=$ADMIN_USER" -d "password=$ADMIN_PASSWORD" \
    "$BASE_URL/realms/master/protocol/openid-connect/token" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
api() { curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$@"; }

if ! api "$BASE_URL/admin/realms/acme/components?type=org.keycloak.storage.UserStorageProvider&name=corp-ldap" | grep -q '"id"'; then
  api -X POST "$BASE_URL/admin/realms/acme/components" --data-binary '{"name": "corp-ldap", "providerId": "ldap",
    "providerType": "org.keycloak.storage.UserStorageProvider", "config": {"enabled": ["true"], "priority": ["0"],
    "vendor": ["other"], "connectionUrl": ["ldap://127.0.0.1:10389"], "usersDn": ["ou=People,dc=corp,dc=example"],
    "bindDn": ["cn=keycloak,dc=corp,dc=example"], "bindCredential": ["bind-secret"], "authType": ["simple"],
    "usernameLDAPAttribute": ["uid"], "rdnLDAPAttribute": ["uid"], "uuidLDAPAttribute": ["entryUUID"],
    "userObjectClasses": ["inetOrgPerson, organizationalPerson"], "searchScope": ["1"], "pagination": ["false"],
    "editMode": ["READ_ONLY"], "importEnabled": ["true"], "syncRegistrations": ["false"], "cachePolicy": ["NO_CACHE"]}}'
  ldap=$(api "$BASE_URL/admin/realms/acme/components?type=org.keycloak.storage.UserStorageProvider&name=corp-ldap" \
      | sed -E 's/.*"id":"([^"]+)".*/\1/')
  api -X POST "$BASE_URL/admin/realms/acme/components" --data-binary '{"name": "corp-groups", "providerId": "group-ldap-mapper",
    "providerType": "org.keycloak.storage.ldap.mappers.LDAPStorageMapper", "parentId": "'"$ldap"'", "config": {
    "groups.dn": ["ou=Groups,dc=corp,dc=example"], "group.name.ldap.attribute": ["cn"], "group.object.classes": ["groupOfNames"],
    "membership.ldap.attribute": ["member"], "membership.attribute.type": ["DN"], "membership.user.ldap.attribute": ["uid"],
    "user.roles.retrieve.strategy": ["LOAD_GROUPS_BY_MEMBER_ATTRIBUTE"], "preserve.group.inheritance": ["false"],
    "ignore.missing.groups": ["false"], "drop.non.existing.groups.during.sync": ["false"], "groups.path": ["/"], "mode": ["READ_ONLY"]}}'
  api -X POST "$BASE_URL/admin/realms/acme/components" --data-binary '{"name": "department", "providerId": "user-attribute-ldap-mapper",
    "providerType": "org.keycloak.storage.ldap.mappers.LDAPStorageMapper", "parentId": "'"$ldap"'", "config": {
    "user.model.attribute": ["department"], "ldap.attribute": ["departmentNumber"], "read.only": ["true"],
    "always.read.value.from.ldap": ["true"], "is.mandatory.in.ldap": ["false"], "is.binary.attribute": ["false"]}}'
fi
echo "acme now federates users from ldap://127.0.0.1:10389 as 'corp-ldap' (dana/dana-pass, sam/sam-pass, erin/erin-pass)."
echo "Walkthrough: docs/federation.md. Ctrl-C stops the directory."
wait $directory
