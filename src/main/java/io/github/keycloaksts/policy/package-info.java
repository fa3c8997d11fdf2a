/**
 * The trust-policy language (docs/policy-language.md): policies parsed, validated, compiled, linted, evaluated.
 * <p>
 * May use: json (and the JDK, Jackson, Guava/Netty address classes for IP blocks); nothing of Keycloak.
 */
package io.github.keycloaksts.policy;
