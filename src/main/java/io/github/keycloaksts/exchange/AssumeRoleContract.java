package io.github.keycloaksts.exchange;

import io.github.keycloaksts.federation.SamlAssertions;
import io.github.keycloaksts.federation.WebIdentityTokens;

import java.util.List;

/**
 * What a client must know to call AssumeRole, in one public place: the request parser enforces these values and
 * the OIDC discovery metadata advertises them, so the two cannot disagree.
 */
public final class AssumeRoleContract {

    /** RFC 8693 §2.1. */
    public static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange";
    /** The parameter whose presence makes a token exchange AssumeRole's (every other exchange is Keycloak's). */
    public static final String ROLE_PARAMETER = "role";
    public static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
    public static final String JWT_TYPE = "urn:ietf:params:oauth:token-type:jwt";
    /** The {@code subject_token_type}s AssumeRole accepts, in the order its error message names them. */
    public static final List<String> SUBJECT_TOKEN_TYPES = List.of(ACCESS_TOKEN_TYPE, JWT_TYPE,
            WebIdentityTokens.ID_TOKEN_TYPE, SamlAssertions.SAML2_TYPE);
    /** A role session is always an access token (RFC 8693 §2.2.1 {@code issued_token_type}). */
    public static final String ISSUED_TOKEN_TYPE = ACCESS_TOKEN_TYPE;

    private AssumeRoleContract() {
    }
}
