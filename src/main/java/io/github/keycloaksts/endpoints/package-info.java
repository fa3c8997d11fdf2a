/**
 * Where role sessions meet Keycloak's endpoints: introspection, userinfo, caller identity, revocation, and the
 * boundary filters that keep role sessions away from everything else; and the served OpenAPI document.
 * <p>
 * May use: session, signin, policy, compat, json.
 */
package io.github.keycloaksts.endpoints;
