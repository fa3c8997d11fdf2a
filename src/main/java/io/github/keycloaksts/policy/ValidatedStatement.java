package io.github.keycloaksts.policy;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One statement as validation read it. Only a {@link #valid} statement is compiled or checked for risky grants;
 * the clauses of an invalid one are still linted, so that every finding is reported at once.
 *
 * @param id            the Sid, or {@code #<index>} when there is none (or it is invalid)
 * @param anyPrincipal  {@code "*"} given as principal, or in the list of KRNs
 * @param principals    the KRNs named, normalized, in document order
 * @param conditionJson the {@code Condition} element as compact JSON, or null when there is none
 * @param errorsAfter   the errors reported up to the end of this statement
 */
record ValidatedStatement(String path, String id, boolean valid, boolean allow, boolean anyPrincipal,
                          Set<String> principals, boolean notPrincipal, List<Wildcard> actions, boolean notAction,
                          List<ConditionClause> clauses, String conditionJson, int errorsAfter) {

    ValidatedStatement {
        principals = Collections.unmodifiableSet(new LinkedHashSet<>(principals));
        actions = List.copyOf(actions);
        clauses = List.copyOf(clauses);
    }

    /** {@code "*"} as principal of a {@code Principal} (not {@code NotPrincipal}) element. */
    boolean everyone() {
        return anyPrincipal && !notPrincipal;
    }

    /** Whether its Action/NotAction covers {@code action}. */
    boolean covers(String action) {
        boolean listed = actions.stream().anyMatch(pattern -> pattern.matches(action));
        return listed != notAction;
    }
}
