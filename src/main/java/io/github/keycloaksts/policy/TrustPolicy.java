package io.github.keycloaksts.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * A compiled, immutable trust policy: produced once per role version by {@link PolicyCompiler}, evaluated per
 * request without re-parsing. Thread-safe.
 */
public final class TrustPolicy {

    private final List<Statement> statements;

    TrustPolicy(List<Statement> statements) {
        this.statements = List.copyOf(statements);
    }

    /** Whether the request is allowed, with the statements that decided and a sentence per statement. */
    public Decision evaluate(AccessRequest request) {
        List<String> allows = new ArrayList<>();
        List<String> denies = new ArrayList<>();
        List<String> explanation = new ArrayList<>(statements.size());
        for (Statement statement : statements) {
            String name = "Statement " + statement.id() + " (" + (statement.allow() ? "Allow" : "Deny") + ")";
            if (!statement.principalMatches(request.principals())) {
                explanation.add(name + ": the principal is not one it names");
                continue;
            }
            if (!statement.actionMatches(request.action())) {
                explanation.add(name + ": does not cover the action " + request.action());
                continue;
            }
            Condition failing = statement.failingCondition(request);
            if (failing != null) {
                explanation.add(name + ": principal and action match, but the condition " + failing.label()
                        + " is false");
                continue;
            }
            explanation.add(name + ": matches");
            (statement.allow() ? allows : denies).add(statement.id());
        }
        if (!denies.isEmpty()) {
            return new Decision(Decision.Outcome.EXPLICIT_DENY, denies, explanation);
        }
        if (!allows.isEmpty()) {
            return new Decision(Decision.Outcome.ALLOW, allows, explanation);
        }
        if (statements.isEmpty()) {
            explanation.add("The policy has no statement: nobody may assume the role");
        }
        return new Decision(Decision.Outcome.IMPLICIT_DENY, List.of(), explanation);
    }

    int size() {
        return statements.size();
    }
}
