package io.github.keycloaksts.recipes.spring;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.security.oauth2.resource.OAuth2ResourceServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.DefaultOAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.security.oauth2.server.resource.introspection.SpringOpaqueTokenIntrospector;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Two ways to accept a role session, one filter chain each:
 * <ul>
 *   <li>{@code /jwt/**}: the JWT verified here with the realm's JWKS; {@code iss} and {@code aud} (this client id)
 *   checked by Spring Boot's auto-configured decoder (application.properties). Fast, no call per request, but a
 *   revoked session is accepted until it expires.</li>
 *   <li>{@code /opaque/**}: each token introspected at the realm as this confidential client. keycloak-sts answers
 *   {@code active: true} for a role session only while it is live (not revoked, its role not deleted) and only to
 *   a client in the token's {@code aud}; to any other client it is {@code active: false}, so 401 here.</li>
 * </ul>
 * Both authorize by {@code resource_access.<clientId>.roles} and {@code scope} ({@link TokenAuthorities}).
 */
@Configuration
class SecurityConfig {

    private final TokenAuthorities authorities;

    SecurityConfig(@Value("${keycloak.client-id}") String clientId) {
        this.authorities = new TokenAuthorities(clientId);
    }

    @Bean
    @Order(1)
    SecurityFilterChain opaqueTokens(HttpSecurity http, OpaqueTokenIntrospector introspector) throws Exception {
        http.securityMatcher("/opaque/**")
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(HttpMethod.GET, "/opaque/invoices").hasAuthority("invoices:read")
                        .anyRequest().authenticated())
                .oauth2ResourceServer(server -> server.opaqueToken(opaque -> opaque.introspector(introspector)));
        return stateless(http).build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain jwtTokens(HttpSecurity http) throws Exception {
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(jwt -> authorities.of(jwt.getClaims()));
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers(HttpMethod.GET, "/jwt/invoices").hasAuthority("invoices:read")
                        .requestMatchers(HttpMethod.POST, "/jwt/invoices").hasAuthority("invoices:write")
                        .requestMatchers(HttpMethod.GET, "/jwt/invoices/export").hasAuthority("SCOPE_invoices.export")
                        .anyRequest().authenticated())
                .oauth2ResourceServer(server -> server.jwt(jwt -> jwt.jwtAuthenticationConverter(converter)));
        return stateless(http).build();
    }

    /**
     * Keycloak's access tokens say {@code typ: Bearer}; its ID tokens ({@code typ: ID}) for a client of this id pass
     * the signature, issuer and audience checks too. Spring Boot adds this validator to its decoder.
     */
    @Bean
    OAuth2TokenValidator<Jwt> accessTokensOnly() {
        return new JwtClaimValidator<String>("typ", "Bearer"::equals);
    }

    /** The introspection answer's claims, with this client's roles and the token's scopes as authorities. */
    @Bean
    OpaqueTokenIntrospector introspector(OAuth2ResourceServerProperties properties) {
        OAuth2ResourceServerProperties.Opaquetoken opaque = properties.getOpaquetoken();
        OpaqueTokenIntrospector keycloak = SpringOpaqueTokenIntrospector.withIntrospectionUri(opaque.getIntrospectionUri())
                .clientId(opaque.getClientId()).clientSecret(opaque.getClientSecret()).build();
        return token -> {
            OAuth2AuthenticatedPrincipal principal = keycloak.introspect(token);
            return new DefaultOAuth2AuthenticatedPrincipal(principal.getName(), principal.getAttributes(),
                    authorities.of(principal.getAttributes()));
        };
    }

    /** Bearer tokens only: no HTTP session, and so no CSRF token to ask for. */
    private static HttpSecurity stateless(HttpSecurity http) throws Exception {
        return http.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(AbstractHttpConfigurer::disable);
    }
}
