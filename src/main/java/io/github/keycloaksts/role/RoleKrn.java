package io.github.keycloaksts.role;

import io.github.keycloaksts.policy.Krn;

/**
 * Keycloak resource name of an IAM role, after AWS's {@code arn:aws:iam::<account>:role<path><name>}: the realm
 * plays the account. Derived, never stored, so renaming a realm renames its roles' KRNs.
 */
public final class RoleKrn {

    private RoleKrn() {
    }

    public static String of(String realmName, String path, String name) {
        return krn(realmName, path, name).toString();
    }

    /**
     * Built, never parsed: Keycloak allows realm names (spaces) that {@link Krn#parse} refuses, and a role that
     * exists must not fail where an unknown one is refused (no role enumeration).
     */
    public static Krn krn(String realmName, String path, String name) {
        return new Krn("iam", realmName, "role" + path + name);
    }
}
