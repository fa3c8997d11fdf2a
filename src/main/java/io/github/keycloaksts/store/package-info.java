/**
 * IAM roles at rest (JPA, Liquibase), in memory behind a cluster-wide stamp (RoleSnapshots), and the store's
 * invariants against Keycloak (KeycloakChangeListener): principals bound to ids, grants resolved to Keycloak roles,
 * last use.
 * <p>
 * May use: role, policy, json, metrics, compat (its factory, loaded by every deployment, runs the version check
 * at start-up).
 */
package io.github.keycloaksts.store;
