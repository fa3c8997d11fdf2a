package io.github.keycloaksts.role;

import java.util.Objects;

/**
 * One reason a request was refused: the JSON path of the offending field (for example {@code tags.team} or
 * {@code roles[2].name}) and a sentence a person can act on.
 */
public record FieldError(String field, String message) {

    public FieldError {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }

    /** The same error, reported under an enclosing field (used by import to say which role of a document failed). */
    public FieldError under(String prefix) {
        return new FieldError(field.isEmpty() ? prefix : prefix + "." + field, message);
    }

    @Override
    public String toString() {
        return field + ": " + message;
    }
}
