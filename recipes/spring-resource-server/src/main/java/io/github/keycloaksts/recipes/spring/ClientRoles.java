package io.github.keycloaksts.recipes.spring;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The roles a token grants to one client, {@code resource_access.<clientId>.roles}, as authorities. For a role
 * session these are exactly the role's grants (never the caller's own roles); Spring's default converter reads
 * {@code scope} instead, which says nothing about Keycloak roles.
 */
final class ClientRoles {

    private final String clientId;

    ClientRoles(String clientId) {
        this.clientId = clientId;
    }

    /** Works on a JWT's claims and on an introspection answer alike: both are the token's claims as JSON. */
    Collection<GrantedAuthority> of(Map<String, Object> claims) {
        if (claims.get("resource_access") instanceof Map<?, ?> access
                && access.get(clientId) instanceof Map<?, ?> client
                && client.get("roles") instanceof Collection<?> roles) {
            return roles.stream().map(String::valueOf).<GrantedAuthority>map(SimpleGrantedAuthority::new).toList();
        }
        return List.of();
    }
}
