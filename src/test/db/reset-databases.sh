#!/usr/bin/env bash
# Gives the database-portability tests an empty database on the PostgreSQL and MariaDB servers of this machine
# (127.0.0.1:5432 and 127.0.0.1:3306), with a login of their own. Run by `mvn verify -Pdb-portability`.
set -euo pipefail

PG_HOST=${KCSTS_PG_HOST:-127.0.0.1}
MARIADB_HOST=${KCSTS_MARIADB_HOST:-127.0.0.1}

psql -h "$PG_HOST" -U postgres -d postgres -v ON_ERROR_STOP=1 -q <<'SQL'
DROP DATABASE IF EXISTS kcsts_it WITH (FORCE);
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'kcsts') THEN
    CREATE ROLE kcsts LOGIN PASSWORD 'kcsts';
  END IF;
END $$;
CREATE DATABASE kcsts_it OWNER kcsts ENCODING 'UTF8';
SQL

mariadb -h "$MARIADB_HOST" -uroot <<'SQL'
DROP DATABASE IF EXISTS kcsts_it;
CREATE DATABASE kcsts_it CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'kcsts'@'%' IDENTIFIED BY 'kcsts';
CREATE USER IF NOT EXISTS 'kcsts'@'localhost' IDENTIFIED BY 'kcsts';
GRANT ALL PRIVILEGES ON kcsts_it.* TO 'kcsts'@'%';
GRANT ALL PRIVILEGES ON kcsts_it.* TO 'kcsts'@'localhost';
FLUSH PRIVILEGES;
SQL
echo "reset-databases: empty kcsts_it on PostgreSQL ($PG_HOST) and MariaDB ($MARIADB_HOST)"
