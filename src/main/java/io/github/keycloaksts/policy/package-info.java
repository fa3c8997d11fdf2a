/**
 * Owns the trust-policy language (docs/policy-language.md): policies parsed, validated, compiled, linted, evaluated.
 * Uses only the JDK, Jackson, keycloaksts.json (and Guava/Netty address classes for IP blocks); nothing of Keycloak.
 */
package io.github.keycloaksts.policy;
