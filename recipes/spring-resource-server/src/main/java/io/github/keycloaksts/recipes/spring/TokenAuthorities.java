package io.github.keycloaksts.recipes.spring;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A token's authorities for this resource server: the roles it grants to this client,
 * {@code resource_access.<clientId>.roles} (for a role session exactly the role's grants, never the caller's own
 * roles), and {@code SCOPE_<scope>} for each of its scopes (for a role session the scopes its role names), as
 * Spring's default converter would give. That default reads only {@code scope}, which says nothing of Keycloak roles.
 */
final class TokenAuthorities {

    private final String clientId;

    TokenAuthorities(String clientId) {
        this.clientId = clientId;
    }

    /** Works on a JWT's claims and on an introspection answer alike: both are the token's claims. */
    Collection<GrantedAuthority> of(Map<String, Object> claims) {
        List<GrantedAuthority> authorities = new ArrayList<>();
        if (claims.get("resource_access") instanceof Map<?, ?> access
                && access.get(clientId) instanceof Map<?, ?> client
                && client.get("roles") instanceof Collection<?> roles) {
            roles.forEach(role -> authorities.add(new SimpleGrantedAuthority(String.valueOf(role))));
        }
        // A JWT has the space-separated string; Spring's introspector hands it on as a list.
        Object scope = claims.get("scope");
        Collection<?> scopes = scope instanceof String text ? Arrays.asList(text.split(" "))
                : scope instanceof Collection<?> list ? list : List.of();
        scopes.stream().map(String::valueOf).filter(s -> !s.isEmpty())
                .forEach(s -> authorities.add(new SimpleGrantedAuthority("SCOPE_" + s)));
        return authorities;
    }
}
