package io.github.keycloaksts.policy;

import java.util.List;

/**
 * Stage 2's output: the document as validation understood it, for the compiler and the linter. Anchors
 * ({@code ...Anchor}, {@code errorsBefore}, {@code errorsAfter}) count the errors reported before that point, so a
 * warning about it is listed where a reader of the document meets it (see {@link PolicyLinter}). Immutable.
 *
 * @param versionMissing  no {@code Version}: variables are plain text (AWS reads such a policy as 2008-10-17)
 * @param noStatements    {@code "Statement": []}
 * @param statements      every statement that is a JSON object, valid or not, in document order
 * @param errors          every error, in document order; the policy compiles only when there is none
 */
record ValidatedPolicy(boolean versionMissing, int versionAnchor, boolean noStatements, int statementsAnchor,
                       List<ValidatedStatement> statements, List<Finding> errors) {

    ValidatedPolicy {
        statements = List.copyOf(statements);
        errors = List.copyOf(errors);
    }

    /** A document refused as a whole (not an object, too large): one error, nothing else to say. */
    static ValidatedPolicy refused(List<Finding> errors) {
        return new ValidatedPolicy(false, 0, false, 0, List.of(), errors);
    }

    boolean valid() {
        return errors.isEmpty();
    }
}
