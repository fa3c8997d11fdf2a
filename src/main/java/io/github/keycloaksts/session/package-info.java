/**
 * Role sessions: their typed claims, the one minter, the one liveness rule (RoleSessionValidator) and the revocation
 * records; what a session passes on along a chain.
 * <p>
 * May use: store, facts, role, policy, compat, metrics.
 */
package io.github.keycloaksts.session;
