package io.github.keycloaksts.admin;

/** No role of that name in the realm. Admin-only, so naming it enumerates nothing the caller cannot list. */
final class RoleNotFoundException extends RuntimeException {

    RoleNotFoundException(String name) {
        super("IAM role '" + name + "' not found");
    }
}
