package io.github.keycloaksts.admin;

/** A role with the same name (ignoring case) already exists in the realm. */
final class RoleConflictException extends RuntimeException {

    RoleConflictException(String name) {
        super("an IAM role named '" + name + "' already exists in this realm (names are compared ignoring case)");
    }
}
