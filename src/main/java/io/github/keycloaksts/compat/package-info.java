/**
 * Every Keycloak-internal call whose shape differs between Keycloak minors; a port to another minor starts here.
 * <p>
 * May use: nothing of ours (Keycloak only).
 */
package io.github.keycloaksts.compat;
