package io.github.keycloaksts.policy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Stage 4 of 4: warnings about constructs that are legal but dangerous or pointless (docs/policy-language.md,
 * "Findings"). Reads only the validated document; a warning never stops a policy from compiling.
 */
final class PolicyLinter {

    /**
     * A warning and its place among the errors: it is listed before the error at index {@code errorsBefore}, so
     * that findings read in document order whatever stage reported them.
     */
    record Warning(int errorsBefore, Finding finding) {
    }

    private final PolicyEnvironment environment;
    private final List<Warning> warnings = new ArrayList<>();

    private PolicyLinter(PolicyEnvironment environment) {
        this.environment = environment;
    }

    /** @return the warnings in document order (their anchors never decrease) */
    static List<Warning> lint(ValidatedPolicy policy, PolicyEnvironment environment) {
        return new PolicyLinter(environment).run(policy);
    }

    /** Errors and warnings in one list, in document order. */
    static List<Finding> merge(List<Finding> errors, List<Warning> warnings) {
        List<Finding> findings = new ArrayList<>(errors.size() + warnings.size());
        int next = 0;
        for (Warning warning : warnings) {
            while (next < warning.errorsBefore()) {
                findings.add(errors.get(next++));
            }
            findings.add(warning.finding());
        }
        findings.addAll(errors.subList(next, errors.size()));
        return findings;
    }

    private List<Warning> run(ValidatedPolicy policy) {
        if (policy.versionMissing()) {
            warn(policy.versionAnchor(), "/Version", "no Version: as in AWS, the policy is read as version 2008-10-17,"
                    + " where policy variables such as ${kc:Username} are plain text; add \"Version\": \"2012-10-17\"");
        }
        if (policy.noStatements()) {
            warn(policy.statementsAnchor(), "/Statement", "no statement: nobody can assume this role");
        }
        for (ValidatedStatement statement : policy.statements()) {
            for (ConditionClause clause : statement.clauses()) {
                if (clause.operator() != Operator.NULL) {
                    typeMismatch(clause);
                }
            }
            if (statement.valid() && statement.allow()) {
                riskyAllow(statement);
            }
        }
        shadowingDenies(policy.statements().stream().filter(ValidatedStatement::valid).toList(), policy.errors().size());
        return List.copyOf(warnings);
    }

    private void warn(int errorsBefore, String path, String message) {
        warnings.add(new Warning(errorsBefore, Finding.warning(path, message)));
    }

    private void typeMismatch(ConditionClause clause) {
        ConditionKeys.Type wanted = clause.operator().type;
        ConditionKeys.Key key = clause.key();
        boolean compatible = switch (wanted) {
            case STRING -> true;
            case NUMBER -> key.type() == ConditionKeys.Type.NUMBER;
            case DATE -> key.type() == ConditionKeys.Type.DATE || key.type() == ConditionKeys.Type.NUMBER;
            default -> key.type() == wanted;
        };
        if (!compatible) {
            warn(clause.errorsBefore(), clause.path(), clause.operator().awsName + " compares " + wanted.name().toLowerCase()
                    + " values but " + clause.keyName() + " holds " + key.type().name().toLowerCase() + " values: this condition is "
                    + (clause.operator().negated() ? "true whenever the key is present (and, in a Deny, when it is missing)"
                    : "never true"));
        }
        if (clause.qualifier() != Condition.Qualifier.NONE && !key.multiValued()) {
            warn(clause.errorsBefore(), clause.path(), clause.keyName() + " has a single value; " + clause.operatorName()
                    + " is meant for multi-valued keys" + (clause.qualifier() == Condition.Qualifier.FOR_ALL_VALUES
                    ? " (and ForAllValues is true when the key is missing)" : ""));
        }
    }

    private void riskyAllow(ValidatedStatement statement) {
        String path = statement.path() + "/Principal";
        if (statement.everyone() && statement.clauses().isEmpty()) {
            warn(statement.errorsAfter(), path, "Principal \"*\" with no Condition lets anyone who can "
                    + "present a token assume this role");
        }
        // Any mention of the key in the Condition counts as the guard (read from the text, as it always was).
        boolean externalId = statement.conditionJson() != null
                && statement.conditionJson().toLowerCase().contains("\"sts:externalid\"");
        for (String principal : statement.principals()) {
            Krn krn = Krn.parse(principal).orElseThrow();
            if (krn.kind().orElseThrow() == Krn.Kind.ROOT && !krn.realm().equals(environment.realm())
                    && environment.realm() != null && !externalId) {
                warn(statement.errorsAfter(), path, "trusts every principal of realm '" + krn.realm()
                        + "' without an sts:ExternalId condition (the confused-deputy guard for third parties)");
            }
        }
    }

    private void shadowingDenies(List<ValidatedStatement> statements, int errorsBefore) {
        Set<String> allowCovered = new HashSet<>();
        statements.stream().filter(ValidatedStatement::allow).forEach(s -> allowCovered.addAll(covered(s)));
        if (allowCovered.isEmpty()) {
            return;
        }
        for (ValidatedStatement deny : statements) {
            if (!deny.allow() && deny.everyone() && deny.clauses().isEmpty() && covered(deny).containsAll(allowCovered)) {
                warn(errorsBefore, deny.path(), "this Deny applies to everyone, without conditions, to every "
                        + "action the Allow statements grant: nobody can assume this role");
            }
        }
    }

    /** The known actions a statement's Action/NotAction covers. */
    private static Set<String> covered(ValidatedStatement statement) {
        Set<String> covered = new HashSet<>();
        for (String action : PolicyCompiler.ACTIONS) {
            if (statement.covers(action)) {
                covered.add(action);
            }
        }
        return covered;
    }
}
