package io.github.keycloaksts.policy;

import java.util.Set;

/**
 * What the compiler knows of the realm a policy belongs to, for checks that need it.
 *
 * @param realm             the role's realm name, or null when unknown (no cross-realm warnings then)
 * @param identityProviders aliases of the realm's identity providers, or null when unknown (then any
 *                          {@code <alias>:<claim>} condition key is accepted)
 */
public record PolicyEnvironment(String realm, Set<String> identityProviders) {

    public static final PolicyEnvironment UNKNOWN = new PolicyEnvironment(null, null);

    public PolicyEnvironment {
        identityProviders = identityProviders == null ? null : Set.copyOf(identityProviders);
    }
}
