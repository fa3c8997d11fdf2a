package io.github.keycloaksts.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * The errors validation reports, in the order a reader meets them in the document. Their count so far is the anchor
 * that places a lint warning among them ({@link PolicyLinter.Warning}).
 */
final class ValidationErrors {

    private final List<Finding> errors = new ArrayList<>();

    void add(String path, String message) {
        errors.add(Finding.error(path, message));
    }

    int count() {
        return errors.size();
    }

    List<Finding> list() {
        return List.copyOf(errors);
    }
}
