#!/usr/bin/env bash
# Prepares the two-node cluster test (mvn verify -Pcluster): an empty PostgreSQL database kcsts_cluster on
# 127.0.0.1:5432, and two copies of the Keycloak distribution (target/cluster/node-a, node-b) with this project's
# jar, built once for PostgreSQL in production mode (kc.sh build), as DESIGN.md describes.
set -euo pipefail
TARGET=$1          # the project's target directory
KC_VERSION=$2
DIST="$TARGET/cluster/keycloak-$KC_VERSION"

psql -h 127.0.0.1 -U postgres -d postgres -v ON_ERROR_STOP=1 -q <<'SQL'
DROP DATABASE IF EXISTS kcsts_cluster WITH (FORCE);
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'kcsts') THEN
    CREATE ROLE kcsts LOGIN PASSWORD 'kcsts';
  END IF;
END $$;
CREATE DATABASE kcsts_cluster OWNER kcsts ENCODING 'UTF8';
SQL

rm -f "$DIST"/providers/keycloak-sts-*.jar
cp "$TARGET"/keycloak-sts-*.jar "$DIST/providers/"
"$DIST/bin/kc.sh" build --db=postgres --health-enabled=true --metrics-enabled=true >"$TARGET/cluster/build.log" 2>&1
for node in node-a node-b; do
  rm -rf "${TARGET:?}/cluster/$node"
  cp -a "$DIST" "$TARGET/cluster/$node"   # -a: keep times, or kc.sh --optimized sees "updated" providers
done
echo "prepare-nodes: database kcsts_cluster, nodes in $TARGET/cluster/node-a and node-b"
