package io.github.keycloaksts.role;

import io.github.keycloaksts.policy.Finding;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when a role document breaks a rule; carries every field error found, not just the first. */
public final class InvalidRoleException extends RuntimeException {

    private final List<FieldError> errors;
    private final List<Finding> findings;

    /**
     * @param findings everything the policy compiler reported on the trust policy (errors and warnings), empty
     *                 when the trust policy was not the problem
     */
    public InvalidRoleException(List<FieldError> errors, List<Finding> findings) {
        super(errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("an invalid role needs at least one error");
        }
        this.errors = List.copyOf(errors);
        this.findings = List.copyOf(findings);
    }

    public InvalidRoleException(List<FieldError> errors) {
        this(errors, List.of());
    }

    public InvalidRoleException(FieldError error) {
        this(List.of(error));
    }

    public List<FieldError> errors() {
        return errors;
    }

    public List<Finding> findings() {
        return findings;
    }
}
