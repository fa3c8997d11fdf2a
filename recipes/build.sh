#!/usr/bin/env bash
# Builds the resource-server recipes for ResourceServerRecipesIT (the main build runs this in pre-integration-test):
# the Node recipe's dependencies from its lockfile, and the Spring Boot recipe's jar with the Maven of that build.
#   recipes/build.sh [mvn executable] [--offline=true|false] [local Maven repository]
# By hand: `bash recipes/build.sh` (online, ~/.m2).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mvn=${1:-mvn}
offline=${2:---offline=false}
repo=${3:-$HOME/.m2/repository}
npm_args=(--no-audit --no-fund --prefer-offline)
mvn_args=(-B -q)
# An offline main build (mvn -o) stays offline here too: npm from its cache, Maven from the local repository.
if [ "$offline" = --offline=true ]; then
  npm_args+=(--offline)
  mvn_args+=(-o)
fi
(cd "$here/node-resource-server" && npm ci "${npm_args[@]}")
"$mvn" "${mvn_args[@]}" -Dmaven.repo.local="$repo" -f "$here/spring-resource-server/pom.xml" package
