package io.github.keycloaksts.policy;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Stage 2 of 4: checks a policy document against the grammar of docs/policy-language.md and reads every element
 * (KRNs, actions, operators, condition keys, typed values) once. Reports every error with its JSON Pointer rather
 * than stopping at the first, so an administrator fixes a policy in one round.
 */
final class PolicyValidator {

    /** In the order the reference gives them, so that messages naming them read the same on every start. */
    private static final Set<String> DOCUMENT_KEYS = Collections.unmodifiableSet(
            new LinkedHashSet<>(List.of("Version", "Id", "Statement")));

    private final ValidationErrors errors = new ValidationErrors();
    private final PolicyEnvironment environment;

    private PolicyValidator(PolicyEnvironment environment) {
        this.environment = environment;
    }

    static ValidatedPolicy validate(JsonNode document, PolicyEnvironment environment) {
        return new PolicyValidator(environment).document(document);
    }

    private ValidatedPolicy document(JsonNode document) {
        if (document == null || !document.isObject()) {
            return ValidatedPolicy.refused(List.of(Finding.error("", "a policy is a JSON object with Version and Statement")));
        }
        if (document.toString().getBytes(StandardCharsets.UTF_8).length > PolicyCompiler.MAX_BYTES) {
            return ValidatedPolicy.refused(List.of(Finding.error("", "the policy is larger than "
                    + PolicyCompiler.MAX_BYTES + " bytes of compact JSON")));
        }
        for (Iterator<String> it = document.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!DOCUMENT_KEYS.contains(key)) {
                errors.add("/" + ElementValues.escape(key), "unknown element '" + key + "'; allowed: " + DOCUMENT_KEYS);
            }
        }
        int versionAnchor = errors.count();
        JsonNode version = document.get("Version");
        boolean variables = false;
        if (version != null) {
            if (!version.isTextual() || !(version.textValue().equals("2012-10-17") || version.textValue().equals("2008-10-17"))) {
                errors.add("/Version", "Version must be \"2012-10-17\" (or the legacy \"2008-10-17\")");
            } else {
                // As in AWS: only the current version gives ${...} its meaning.
                variables = version.textValue().equals("2012-10-17");
            }
        }
        JsonNode id = document.get("Id");
        if (id != null && !id.isTextual()) {
            errors.add("/Id", "Id must be a string");
        }
        List<ValidatedStatement> statements = new ArrayList<>();
        StatementValidator statementValidator = new StatementValidator(environment, variables, errors);
        JsonNode list = document.get("Statement");
        boolean noStatements = false;
        int statementsAnchor = errors.count();
        if (list == null) {
            errors.add("/Statement", "Statement is required (use [] for a role nobody may assume)");
        } else if (list.isObject()) {
            statementValidator.statement(list, "/Statement", 0, new HashSet<>()).ifPresent(statements::add);
        } else if (list.isArray()) {
            if (list.size() > PolicyCompiler.MAX_STATEMENTS) {
                errors.add("/Statement", "at most " + PolicyCompiler.MAX_STATEMENTS + " statements");
                return result(version == null, versionAnchor, false, statementsAnchor, List.of());
            }
            noStatements = list.isEmpty();
            Set<String> sids = new HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                statementValidator.statement(list.get(i), "/Statement/" + i, i, sids).ifPresent(statements::add);
            }
        } else {
            errors.add("/Statement", "Statement must be an object or an array of objects");
        }
        return result(version == null, versionAnchor, noStatements, statementsAnchor, statements);
    }

    private ValidatedPolicy result(boolean versionMissing, int versionAnchor, boolean noStatements, int statementsAnchor,
                                   List<ValidatedStatement> statements) {
        return new ValidatedPolicy(versionMissing, versionAnchor, noStatements, statementsAnchor, statements, errors.list());
    }
}
