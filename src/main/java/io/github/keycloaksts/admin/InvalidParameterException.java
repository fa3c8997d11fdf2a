package io.github.keycloaksts.admin;

import io.github.keycloaksts.role.FieldError;

/** A query parameter of an admin request is out of range or malformed. */
final class InvalidParameterException extends RuntimeException {

    private final FieldError error;

    InvalidParameterException(String parameter, String message) {
        super(parameter + ": " + message);
        this.error = new FieldError(parameter, message);
    }

    FieldError error() {
        return error;
    }
}
