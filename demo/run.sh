#!/usr/bin/env bash
# One command from a fresh checkout to a running Keycloak 26.7.5 (any supported version: KC_VERSION=26.4.7 demo/run.sh) with keycloak-sts and a demo realm:
# builds the provider jar, unpacks the Keycloak distribution from Maven Central next to it, starts Keycloak in
# development mode on the embedded H2 database at http://localhost:8080, imports the "acme" realm and, once the
# server is up, the example IAM roles through the IAM admin API. Ctrl-C stops it; data stays in target/demo.
set -euo pipefail
cd "$(dirname "$0")/.."

KC_VERSION=${KC_VERSION:-26.7.5}
KC_HOME=target/demo/keycloak-$KC_VERSION
BASE_URL=http://localhost:8080
ADMIN_USER=${KC_BOOTSTRAP_ADMIN_USERNAME:-admin}
ADMIN_PASSWORD=${KC_BOOTSTRAP_ADMIN_PASSWORD:-admin}

command -v curl >/dev/null || { echo "demo/run.sh needs curl to load the example IAM roles" >&2; exit 1; }
if curl -s -o /dev/null "$BASE_URL"; then
  echo "Something already listens on $BASE_URL; stop it first." >&2
  exit 1
fi

echo "Building keycloak-sts and unpacking Keycloak $KC_VERSION..."
mvn -B -q -Pdemo -DskipTests -Dkc.version="$KC_VERSION" package
rm -f "$KC_HOME"/providers/keycloak-sts-*.jar
cp target/keycloak-sts-*.jar "$KC_HOME/providers/"
mkdir -p "$KC_HOME/data/import"
cp demo/acme-realm.json demo/partners-realm.json demo/corp-realm.json "$KC_HOME/data/import/"

# acme trusts corp as a SAML identity provider too. Its signing certificate is corp's realm key, which exists only
# once the server has created the imported realm, so this provider is added through the admin API.
saml_provider() {
  local token=$1 cert status
  cert=$(curl -sf "$BASE_URL/realms/corp/protocol/saml/descriptor" | tr -d '\n' \
      | sed -E 's/.*<ds:X509Certificate>([^<]+)<\/ds:X509Certificate>.*/\1/')
  [ -n "$cert" ] || return 1
  status=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      "$BASE_URL/admin/realms/acme/identity-provider/instances" --data-binary @- <<JSON
{"alias": "corp-saml", "displayName": "Corp (SAML)", "providerId": "saml", "enabled": true, "trustEmail": true,
 "config": {"singleSignOnServiceUrl": "$BASE_URL/realms/corp/protocol/saml", "idpEntityId": "$BASE_URL/realms/corp",
            "entityId": "$BASE_URL/realms/acme", "nameIDPolicyFormat": "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
            "principalType": "SUBJECT", "postBindingResponse": "true", "postBindingAuthnRequest": "false",
            "validateSignature": "true", "wantAssertionsSigned": "true", "signingCertificate": "$cert", "syncMode": "FORCE"}}
JSON
)
  case $status in
    201) curl -sf -o /dev/null -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
           "$BASE_URL/admin/realms/acme/identity-provider/instances/corp-saml/mappers" --data-binary \
           '{"name": "keep asserted claims", "identityProviderAlias": "corp-saml", "identityProviderMapper": "kcsts-asserted-claims", "config": {"claims": "department,email", "syncMode": "INHERIT"}}' ;;
    409) return 0 ;;
    *) return 1 ;;
  esac
}

# The admin console with its IAM section is one setting (master's admin theme); the sign-in role picker is a
# required action that Keycloak lists but does not register by itself (the "console" client carries the mapper).
role_sign_in() {
  local token=$1 auth=(-H "Authorization: Bearer $1" -H 'Content-Type: application/json')
  curl -sf -o /dev/null -X PUT "${auth[@]}" "$BASE_URL/admin/realms/master" -d '{"adminTheme": "keycloak-sts"}' || return 1
  curl -s -o /dev/null -X POST "${auth[@]}" "$BASE_URL/admin/realms/acme/authentication/register-required-action" \
      -d '{"providerId": "kcsts-choose-role", "name": "Choose an IAM role"}'
  curl -sf -o /dev/null -X PUT "${auth[@]}" "$BASE_URL/admin/realms/acme/authentication/required-actions/kcsts-choose-role" \
      -d '{"alias": "kcsts-choose-role", "name": "Choose an IAM role", "providerId": "kcsts-choose-role", "enabled": true, "defaultAction": false, "priority": 1000, "config": {}}'
}

load_roles() {
  for _ in $(seq 1 180); do
    curl -sf -o /dev/null "$BASE_URL/realms/acme" && break
    sleep 1
  done
  token=$(curl -sf -d grant_type=password -d client_id=admin-cli -d "username=$ADMIN_USER" \
      -d "password=$ADMIN_PASSWORD" "$BASE_URL/realms/master/protocol/openid-connect/token" \
      | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
  saml_provider "$token" || { echo "Creating acme's SAML identity provider corp-saml failed" >&2; return 1; }
  role_sign_in "$token" || { echo "Setting up role sign-in and the admin console theme failed" >&2; return 1; }
  report=$(curl -sf -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      --data-binary @demo/iam-roles.json "$BASE_URL/admin/realms/acme/iam/import") \
      || { echo "Loading the example IAM roles failed" >&2; return 1; }
  cat <<BANNER

==============================================================================
 keycloak-sts demo is up: $BASE_URL
 Admin console:  $BASE_URL/admin   (user: $ADMIN_USER  password: $ADMIN_PASSWORD)
 Demo realms:    acme   users alice/alice, bob/bob, iam-admin/iam-admin (realm admin)
                 partners  user eve/eve (another realm, for cross-realm AssumeRole)
                 corp   wendy/wendy, sally/sally: the company IdP (OIDC "corp" and SAML "corp-saml" in acme)
 IAM roles:      $report
 IAM console:    $BASE_URL/admin/master/console/#/acme/iam-roles
 Role sign-in:   $BASE_URL/realms/acme/protocol/openid-connect/auth?client_id=console&response_type=code&scope=openid&redirect_uri=http://localhost:3000/cb
                 (alice/alice picks a console role; docs/sign-in.md)
 Walkthrough:    README.md, "Assume a role"
==============================================================================

BANNER
}
load_roles &

export KC_BOOTSTRAP_ADMIN_USERNAME=$ADMIN_USER KC_BOOTSTRAP_ADMIN_PASSWORD=$ADMIN_PASSWORD
exec "$KC_HOME/bin/kc.sh" start-dev --http-port=8080 --import-realm
