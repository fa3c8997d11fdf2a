package io.github.keycloaksts.discovery;

import io.github.keycloaksts.endpoints.IamRealmUrls;
import io.github.keycloaksts.endpoints.OpenApiDocument;
import io.github.keycloaksts.exchange.AssumeRoleContract;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.representations.OIDCConfigurationRepresentation;
import org.keycloak.urls.UrlType;
import org.keycloak.wellknown.WellKnownProvider;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keycloak's OpenID provider metadata of the realm, plus one object {@value #CLAIM} that tells a client how to reach
 * the STS. RFC 8414 §2 lets a server add metadata of its own; one namespaced object keeps ours from ever colliding
 * with a future standard name. Keycloak already lists the token-exchange grant in {@code grant_types_supported}.
 */
final class StsDiscoveryProvider implements WellKnownProvider {

    static final String CLAIM = "keycloak_sts";

    private final KeycloakSession session;
    private final WellKnownProvider keycloaks;

    StsDiscoveryProvider(KeycloakSession session, WellKnownProvider keycloaks) {
        this.session = session;
        this.keycloaks = keycloaks;
    }

    @Override
    public Object getConfig() {
        Object config = keycloaks.getConfig();
        // An operator's override file that sets keycloak_sts itself wins, as it wins for Keycloak's own fields.
        if (config instanceof OIDCConfigurationRepresentation metadata && !metadata.getOtherClaims().containsKey(CLAIM)) {
            metadata.setOtherClaims(CLAIM, sts(metadata.getTokenEndpoint()));
        }
        return config;
    }

    /** The URLs as clients see the server (its frontend URL), as Keycloak builds its own endpoints. */
    private Map<String, Object> sts(String tokenEndpoint) {
        String base = session.getContext().getUri(UrlType.FRONTEND).getBaseUri().toString();
        String realm = session.getContext().getRealm().getName();
        Map<String, Object> sts = new LinkedHashMap<>();
        sts.put("openapi_uri", OpenApiDocument.url(base, realm));
        sts.put("caller_identity_endpoint", IamRealmUrls.callerIdentity(base, realm));
        sts.put("token_endpoint", tokenEndpoint);
        sts.put("grant_type", AssumeRoleContract.GRANT_TYPE);
        sts.put("role_parameter", AssumeRoleContract.ROLE_PARAMETER);
        sts.put("subject_token_types_supported", AssumeRoleContract.SUBJECT_TOKEN_TYPES);
        sts.put("issued_token_type", AssumeRoleContract.ISSUED_TOKEN_TYPE);
        return sts;
    }

    /** Keycloak's provider belongs to the session, which closes it. */
    @Override
    public void close() {
    }
}
