/**
 * Where clients find the STS: its metadata in the realm's OpenID Connect discovery document.
 * <p>
 * May use: exchange, endpoints.
 */
package io.github.keycloaksts.discovery;
