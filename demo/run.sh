#!/usr/bin/env bash
# One command from a fresh checkout to a running Keycloak 26.7.3 (another patch: KC_VERSION=26.7.5 demo/run.sh) with keycloak-sts and a demo realm:
# builds the provider jar, unpacks the Keycloak distribution from Maven Central next to it, starts Keycloak in
# development mode on the embedded H2 database at http://localhost:8080, imports the "acme" realm and, once the
# server is up, the example IAM roles through the IAM admin API. Ctrl-C stops it; data stays in target/demo.
#
# A second run reuses what the first built: the Maven build is skipped while nothing in src/, themes/ or pom.xml
# changed since the last build (DEMO_REBUILD=1 forces it), and Keycloak skips its augmentation ("build") step
# while the provider jar is unchanged. Progress goes to the terminal with timestamps; the full logs are
# target/demo/build.log (Maven) and target/demo/keycloak.log (Keycloak; DEMO_VERBOSE=1 shows it all as it comes).
# DEMO_MVN_ARGS is passed to Maven (for example -o on a machine without access to Maven Central).
set -euo pipefail
cd "$(dirname "$0")/.."

KC_VERSION=${KC_VERSION:-26.7.3}
KC_HOME=target/demo/keycloak-$KC_VERSION
BASE_URL=http://localhost:8080
ADMIN_USER=${KC_BOOTSTRAP_ADMIN_USERNAME:-admin}
ADMIN_PASSWORD=${KC_BOOTSTRAP_ADMIN_PASSWORD:-admin}
BUILD_LOG=target/demo/build.log
KC_LOG=target/demo/keycloak.log
BUILD_STAMP=target/demo/build.sha256
START=$(date +%s)

# "[21:40:12 +1:05] message": the wall clock and the time since the script started.
say() {
  local now elapsed
  now=$(date +%s); elapsed=$((now - START))
  printf '[%s +%d:%02d] %s\n' "$(date +%H:%M:%S)" $((elapsed / 60)) $((elapsed % 60)) "$*"
}

command -v curl >/dev/null || { echo "demo/run.sh needs curl to load the example IAM roles" >&2; exit 1; }
if curl -s -o /dev/null "$BASE_URL"; then
  echo "Something already listens on $BASE_URL; stop it first." >&2
  exit 1
fi
mkdir -p target/demo

# What the jar is built from: every file of the given folders (without npm's and Vite's output) and pom.xml, with
# its content. A checkout that touches files without changing them does not cause a rebuild.
digest_of() {
  { find "$@" -path themes/admin/node_modules -prune -o -path themes/admin/dist -prune -o -type f -print0
    printf 'pom.xml\0'; } | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1
}

# Maven's output, shortened to what it is doing; everything goes to the build log.
build_progress() {
  local line downloading=
  while IFS= read -r line; do
    printf '%s\n' "$line" >> "$BUILD_LOG"
    case $line in
      *Downloading\ from*) [ -n "$downloading" ] || say "  downloading from Maven Central (first run only)"; downloading=1 ;;
      *"(admin-theme-npm-ci)"*)
        [ ${#ui[@]} -gt 0 ] || say "  admin console: installing its npm packages (npm ci)"; downloading= ;;
      *"(admin-theme-build)"*) [ ${#ui[@]} -gt 0 ] || say "  admin console: compiling it (vite build)" ;;
      *maven-compiler-plugin*:compile\ *) say "  compiling the extension (Java)"; downloading= ;;
      *maven-jar-plugin*) say "  packaging the jar"; downloading= ;;
      *"(unpack-keycloak)"*) say "  unpacking Keycloak $KC_VERSION (skipped when already unpacked)"; downloading= ;;
      *"BUILD SUCCESS"*) say "  build done" ;;
      "[ERROR]"*) printf '%s\n' "$line" >&2 ;;
    esac
  done
}

# The Keycloak version is part of what is built (the demo profile unpacks that distribution).
digest="$KC_VERSION $(digest_of src themes)"
# The console (npm ci and vite, the larger part of a build) is rebuilt only when themes/ or pom.xml changed.
ui_digest=$(digest_of themes)
if [ "${DEMO_REBUILD:-0}" != 1 ] && [ -f "$BUILD_STAMP" ] && [ "$(head -n 1 "$BUILD_STAMP")" = "$digest" ] \
    && ls target/keycloak-sts-*.jar >/dev/null 2>&1 && [ -x "$KC_HOME/bin/kc.sh" ]; then
  say "Nothing in src/, themes/ or pom.xml changed since the last build: reusing target/keycloak-sts-*.jar"
else
  ui=()
  if [ "${DEMO_REBUILD:-0}" != 1 ] && [ -f "$BUILD_STAMP" ] && [ "$(sed -n 2p "$BUILD_STAMP")" = "$ui_digest" ] \
      && [ -d target/classes/theme/keycloak-sts/admin/resources ]; then
    ui=(-Dskip.ui=true)
    say "Building keycloak-sts (the admin console is unchanged: reusing the built one); log: $BUILD_LOG"
  else
    say "Building keycloak-sts (jar and admin console) and unpacking Keycloak $KC_VERSION; log: $BUILD_LOG"
  fi
  : > "$BUILD_LOG"
  # shellcheck disable=SC2086 # DEMO_MVN_ARGS is a list of arguments
  if ! mvn -B -Pdemo -DskipTests -Dkc.version="$KC_VERSION" "${ui[@]}" ${DEMO_MVN_ARGS:-} package 2>&1 | build_progress; then
    echo "The build failed; the end of $BUILD_LOG:" >&2
    tail -n 40 "$BUILD_LOG" >&2
    exit 1
  fi
  printf '%s\n%s\n' "$digest" "$ui_digest" > "$BUILD_STAMP"
fi

# Keycloak re-augments (its "build" step, a minute or more) when a provider jar's time stamp changed: copy the jar
# only when its content differs from the one installed.
jar=$(ls target/keycloak-sts-*.jar)
installed=$KC_HOME/providers/$(basename "$jar")
if cmp -s "$jar" "$installed"; then
  say "Provider jar unchanged: Keycloak starts without re-augmenting"
else
  rm -f "$KC_HOME"/providers/keycloak-sts-*.jar
  cp "$jar" "$KC_HOME/providers/"
  say "Provider jar installed: Keycloak re-augments before it starts"
fi
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
  # No time limit: on a busy machine augmenting and starting take minutes, and if Keycloak stops, the script ends
  # and takes this job with it (trap below).
  until curl -sf -o /dev/null "$BASE_URL/realms/acme"; do sleep 2; done
  say "Realm acme answers: adding the SAML identity provider, role sign-in, the console theme and the IAM roles"
  token=$(curl -sf -d grant_type=password -d client_id=admin-cli -d "username=$ADMIN_USER" \
      -d "password=$ADMIN_PASSWORD" "$BASE_URL/realms/master/protocol/openid-connect/token" \
      | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
  saml_provider "$token" || { echo "Creating acme's SAML identity provider corp-saml failed" >&2; return 1; }
  role_sign_in "$token" || { echo "Setting up role sign-in and the admin console theme failed" >&2; return 1; }
  report=$(curl -sf -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      --data-binary @demo/iam-roles.json "$BASE_URL/admin/realms/acme/iam/import") \
      || { echo "Loading the example IAM roles failed" >&2; return 1; }
  say "Ready"
  cat <<BANNER

==============================================================================
 keycloak-sts demo is up: $BASE_URL   (ready $(($(date +%s) - START)) s after ./demo/run.sh started)
 Admin console:  $BASE_URL/admin   (user: $ADMIN_USER  password: $ADMIN_PASSWORD)
 Demo realms:    acme   users alice/alice, bob/bob, iam-admin/iam-admin (realm admin)
                 partners  user eve/eve (another realm, for cross-realm AssumeRole)
                 corp   wendy/wendy, sally/sally: the company IdP (OIDC "corp" and SAML "corp-saml" in acme)
 IAM roles:      $report
 IAM console:    $BASE_URL/admin/master/console/#/acme/iam-roles
 Role sign-in:   $BASE_URL/realms/acme/protocol/openid-connect/auth?client_id=console&response_type=code&scope=openid&redirect_uri=http://localhost:3000/cb
                 (alice/alice picks a console role; docs/sign-in.md)
 Walkthrough:    README.md, "Assume a role"
 Logs:           $KC_LOG (Keycloak), $BUILD_LOG (the last build)
==============================================================================

BANNER
}
# Keycloak's log, shortened to the steps of its start; everything goes to the log file.
keycloak_progress() {
  local line ms
  while IFS= read -r line; do
    printf '%s\n' "$line" >> "$KC_LOG"
    if [ "${DEMO_VERBOSE:-0}" = 1 ]; then printf '%s\n' "$line"; continue; fi
    case $line in
      *"Updating the configuration and installing your custom providers"*)
        say "Keycloak: augmenting (its build step, for the new provider jar)" ;;
      *"Quarkus augmentation completed in "*)
        ms=${line##* completed in }; say "Keycloak: augmentation done in $(( ${ms%ms} / 1000 )) s" ;;
      *"Running the server in development mode"*) say "Keycloak: starting (development mode)" ;;
      *"Initializing database schema"*) say "Keycloak: creating its database schema (first start only)" ;;
      *KC-SERVICES0050*) say "Keycloak: creating the master realm and its admin user" ;;
      *KC-SERVICES0030*) say "Keycloak: importing the realms acme, partners and corp (data/import; skipped if present)" ;;
      *KC-SERVICES0032*) say "Keycloak: realms imported" ;;
      *" started in "*) say "Keycloak: started in ${line##* started in }" ;;
      *" ERROR ["*) printf '%s\n' "$line" >&2 ;;
    esac
  done
}

load_roles &
loader=$!
trap 'kill $loader 2>/dev/null || true' EXIT

export KC_BOOTSTRAP_ADMIN_USERNAME=$ADMIN_USER KC_BOOTSTRAP_ADMIN_PASSWORD=$ADMIN_PASSWORD
say "Starting Keycloak $KC_VERSION (start-dev, H2 in $KC_HOME/data); log: $KC_LOG"
: > "$KC_LOG"
"$KC_HOME/bin/kc.sh" start-dev --http-port=8080 --import-realm 2>&1 | keycloak_progress
