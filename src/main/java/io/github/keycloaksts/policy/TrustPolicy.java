package io.github.keycloaksts.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A compiled, immutable trust policy: produced once per role version by {@link PolicyCompiler}, evaluated per
 * request without re-parsing. Thread-safe.
 */
public final class TrustPolicy {

    private final List<Statement> statements;
    private final Set<String> referencedKeys;

    TrustPolicy(List<Statement> statements, Set<String> referencedKeys) {
        this.statements = List.copyOf(statements);
        this.referencedKeys = Set.copyOf(referencedKeys);
    }

    /**
     * The condition keys (normalized, see {@link ConditionKeys#normalize}) that evaluation can read, so that a
     * caller may skip computing facts nobody asks about.
     */
    public Set<String> referencedKeys() {
        return referencedKeys;
    }

    /**
     * Whether an Allow statement may admit principals it does not name ({@code "*"} or {@code NotPrincipal}, with
     * or without conditions): then any role session of the realm may be among them, whatever its role.
     */
    public boolean allowsUnnamedPrincipals() {
        return statements.stream().anyMatch(statement -> statement.allow() && statement.admitsUnnamed());
    }

    /** Whether the request is allowed, with the statements that decided and how each statement fared. */
    public Decision evaluate(AccessRequest request) {
        List<String> allows = new ArrayList<>(2);
        List<String> denies = new ArrayList<>(1);
        List<Decision.StatementResult> results = new ArrayList<>(statements.size());
        for (Statement statement : statements) {
            Decision.Verdict verdict;
            String failing = null;
            if (!statement.principalMatches(request)) {
                verdict = Decision.Verdict.OTHER_PRINCIPAL;
            } else if (!statement.actionMatches(request.action())) {
                verdict = Decision.Verdict.OTHER_ACTION;
            } else {
                Condition condition = statement.failingCondition(request);
                verdict = condition == null ? Decision.Verdict.MATCHES : Decision.Verdict.CONDITION_FALSE;
                failing = condition == null ? null : condition.label();
            }
            if (verdict == Decision.Verdict.MATCHES) {
                (statement.allow() ? allows : denies).add(statement.id());
            }
            results.add(new Decision.StatementResult(statement.id(), statement.allow(), verdict, failing, request.action()));
        }
        Decision.Outcome outcome = !denies.isEmpty() ? Decision.Outcome.EXPLICIT_DENY
                : !allows.isEmpty() ? Decision.Outcome.ALLOW : Decision.Outcome.IMPLICIT_DENY;
        return new Decision(outcome, outcome == Decision.Outcome.EXPLICIT_DENY ? denies
                : outcome == Decision.Outcome.ALLOW ? allows : List.of(), results);
    }
}
