package io.github.keycloaksts.role;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when a role document breaks a rule; carries every field error found, not just the first. */
public final class InvalidRoleException extends RuntimeException {

    private final List<FieldError> errors;

    public InvalidRoleException(List<FieldError> errors) {
        super(errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("an invalid role needs at least one error");
        }
        this.errors = List.copyOf(errors);
    }

    public InvalidRoleException(FieldError error) {
        this(List.of(error));
    }

    public List<FieldError> errors() {
        return errors;
    }
}
