#!/usr/bin/env bash
# The demo's corporate directory: starts an LDAP server on 127.0.0.1:10389 (UnboundID's in-memory directory, from
# the test sources) and, once the demo Keycloak of ./demo/run.sh is up, connects realm acme to it as the user
# federation "corp-ldap" with a group mapper and a department attribute mapper. Users dana, sam and erin, each with
# the password <name>-pass. Ctrl-C stops the directory.
#
# It says "ready" only once Keycloak itself has bound to the directory (the admin console's "Test authentication"),
# and fails with the directory's log if that does not happen within LDAP_WAIT_SECONDS (default 300: the first run
# compiles the test sources). DEMO_MVN_ARGS is passed to Maven (for example -o without access to Maven Central).
set -euo pipefail
cd "$(dirname "$0")/.."
BASE_URL=http://localhost:8080
ADMIN_USER=${KC_BOOTSTRAP_ADMIN_USERNAME:-admin}
ADMIN_PASSWORD=${KC_BOOTSTRAP_ADMIN_PASSWORD:-admin}
LDAP_PORT=10389
LDAP_URL=ldap://127.0.0.1:$LDAP_PORT
WAIT=${LDAP_WAIT_SECONDS:-300}
LOG=target/demo/ldap.log
START=$(date +%s)
say() {
  local elapsed=$(($(date +%s) - START))
  printf '[%s +%d:%02d] %s\n' "$(date +%H:%M:%S)" $((elapsed / 60)) $((elapsed % 60)) "$*"
}

curl -sf -o /dev/null "$BASE_URL/realms/acme" || { echo "Start the demo first: ./demo/run.sh" >&2; exit 1; }
if (exec 3<>"/dev/tcp/127.0.0.1/$LDAP_PORT") 2>/dev/null; then
  echo "Something already listens on 127.0.0.1:$LDAP_PORT (another ./demo/ldap.sh?); stop it first." >&2
  exit 1
fi
mkdir -p target/demo
# master's admin tokens last 60 s: a new one for each use after a wait.
admin_token() {
  token=$(curl -sf -d grant_type=password -d client_id=admin-cli -d "username=$ADMIN_USER" -d "password=$ADMIN_PASSWORD" \
      "$BASE_URL/realms/master/protocol/openid-connect/token" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
}
api() { curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$@"; }

# The console is already in the jar that run.sh built: only the test sources (the directory) are compiled here.
say "Compiling and starting the directory (Maven, test classpath); log: $LOG"
# shellcheck disable=SC2086 # DEMO_MVN_ARGS is a list of arguments
mvn -B -Pdemo-ldap -Dskip.ui=true ${DEMO_MVN_ARGS:-} test-compile exec:java > "$LOG" 2>&1 &
directory=$!
trap 'kill $directory 2>/dev/null || true' EXIT

fail() {
  echo "The directory did not come up: $1" >&2
  echo "Look at $LOG (Maven's output and the directory's); its end:" >&2
  tail -n 25 "$LOG" >&2
  exit 1
}

# Keycloak's own bind to the directory, as the federation will do it: 204 once the directory answers a bind.
keycloak_binds() {
  admin_token
  api -o /dev/null -X POST "$BASE_URL/admin/realms/acme/testLDAPConnection" --data-binary '{"action": "testAuthentication",
    "connectionUrl": "'"$LDAP_URL"'", "bindDn": "cn=keycloak,dc=corp,dc=example", "bindCredential": "bind-secret",
    "authType": "simple", "useTruststoreSpi": "never", "startTls": "false", "connectionTimeout": "2000"}'
}

listening=
while :; do
  waited=$(($(date +%s) - START))
  kill -0 $directory 2>/dev/null || fail "Maven stopped before the directory answered"
  if [ -z "$listening" ] && (exec 3<>"/dev/tcp/127.0.0.1/$LDAP_PORT") 2>/dev/null; then
    listening=1
    say "The directory listens on $LDAP_URL; checking that Keycloak can bind to it"
  fi
  if [ -n "$listening" ] && keycloak_binds; then
    say "Keycloak binds to the directory as cn=keycloak,dc=corp,dc=example"
    break
  fi
  [ "$waited" -lt "$WAIT" ] || fail "no $( [ -n "$listening" ] && echo "successful bind by Keycloak" || echo "listener on $LDAP_URL") after $WAIT s (LDAP_WAIT_SECONDS)"
  [ $((waited % 15)) -ne 0 ] || [ "$waited" -eq 0 ] || { step=$(grep -E '^\[INFO\] --- [a-z]' "$LOG" | tail -n 1 | sed -E 's/^\[INFO\] --- ([^ ]+).*/\1/' || true)
      say "  still waiting for the directory ($waited s of $WAIT; Maven: ${step:-starting})"; }
  sleep 1
done

admin_token
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
  # directory-deployer trusts this federation, but run.sh saved it before the federation existed, so its principal
  # is bound to nothing (a principal binds when its role is saved): saving the example roles again binds it.
  api -o /dev/null -X POST --data-binary @demo/iam-roles.json "$BASE_URL/admin/realms/acme/iam/import" \
    || { echo "Saving the example IAM roles again (to bind corp-ldap in directory-deployer) failed" >&2; exit 1; }
  say "Created the federation corp-ldap and saved the example IAM roles again (directory-deployer now binds it)"
fi
say "Ready: acme federates users from $LDAP_URL as 'corp-ldap' (dana/dana-pass, sam/sam-pass, erin/erin-pass)."
echo "Walkthrough: docs/federation.md. Ctrl-C stops the directory."
wait $directory
