package io.github.keycloaksts.facts;

import java.util.Arrays;
import java.util.Optional;

/**
 * Where the principal behind a request comes from, relative to the realm whose role it asks for. The origin is
 * explicit so that no rule depends on which code path built the facts: only principals of the role's own realm
 * count as {@code "*"} (and as the realm's {@code root}) in an Allow; every origin is subject to a Deny.
 *
 * <p>Brokered and directory users are {@link #USER}s (with identity-provider or federation facts); a login's role
 * session has the origin of its user; a chained role session keeps the origin of the chain's first principal.
 */
public enum Origin {
    /** A user of the role's realm (local, brokered or from a user federation). */
    USER("user", true),
    /** A client of the role's realm, through its service account. */
    SERVICE_ACCOUNT("service_account", true),
    /** A user of another realm of this server. */
    OTHER_REALM_USER("other_realm_user", false),
    /** A client's service account of another realm of this server. */
    OTHER_REALM_SERVICE_ACCOUNT("other_realm_service_account", false),
    /** A token of an external OpenID Connect provider of the realm (AssumeRoleWithWebIdentity). */
    WEB_IDENTITY("web_identity", false),
    /** A SAML assertion of an external SAML provider of the realm (AssumeRoleWithSAML). */
    SAML("saml", false);

    private final String json;
    private final boolean ownRealm;

    Origin(String json, boolean ownRealm) {
        this.json = json;
        this.ownRealm = ownRealm;
    }

    /** The name in token claims, events and metrics. */
    public String json() {
        return json;
    }

    /** Whether the principal is one of the role realm's own: only those are {@code "*"} in an Allow. */
    public boolean ownRealm() {
        return ownRealm;
    }

    /** The same kind of principal seen from another realm than the one it belongs to. */
    public Origin seenFromOtherRealm() {
        return switch (this) {
            case USER -> OTHER_REALM_USER;
            case SERVICE_ACCOUNT -> OTHER_REALM_SERVICE_ACCOUNT;
            default -> this;
        };
    }

    public static Optional<Origin> fromJson(String json) {
        return Arrays.stream(values()).filter(origin -> origin.json.equals(json)).findFirst();
    }
}
