package io.github.keycloaksts.policy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Stage 3 of 4: turns a valid policy into its evaluable form: statements with conditions whose values are
 * matchers, built once per role version (templated values with their literal parts precompiled). Adds no finding:
 * everything that can be wrong was found by validation.
 */
final class StatementCompiler {

    private final Set<String> referencedKeys = new HashSet<>();

    private StatementCompiler() {
    }

    /** @throws IllegalArgumentException for a policy with errors, which has no evaluable form */
    static TrustPolicy compile(ValidatedPolicy policy) {
        if (!policy.valid()) {
            throw new IllegalArgumentException("a policy with errors does not compile: " + policy.errors());
        }
        StatementCompiler compiler = new StatementCompiler();
        List<Statement> statements = policy.statements().stream().map(compiler::statement).toList();
        return new TrustPolicy(statements, compiler.referencedKeys);
    }

    private Statement statement(ValidatedStatement statement) {
        List<Condition> conditions = new ArrayList<>(statement.clauses().size());
        for (ConditionClause clause : statement.clauses()) {
            conditions.add(condition(clause));
        }
        return new Statement(statement.id(), statement.allow(), statement.anyPrincipal(), statement.principals(),
                statement.notPrincipal(), statement.actions(), statement.notAction(), conditions);
    }

    private Condition condition(ConditionClause clause) {
        referencedKeys.add(ConditionKeys.normalize(clause.keyName()));
        if (clause.operator() == Operator.NULL) {
            return new Condition(clause.label(), Operator.NULL, Condition.Qualifier.NONE, false, clause.keyName(),
                    List.of(), clause.nullMeansAbsent());
        }
        List<ValueMatcher> matchers = new ArrayList<>(clause.values().size());
        for (PolicyValue value : clause.values()) {
            if (value instanceof PolicyValue.Templated templated) {
                referencedKeys.addAll(templated.template().variables());
            }
            matchers.add(ValueMatcher.of(clause.operator().positive(), value));
        }
        return new Condition(clause.label(), clause.operator(), clause.qualifier(), clause.ifExists(), clause.keyName(),
                matchers, false);
    }
}
