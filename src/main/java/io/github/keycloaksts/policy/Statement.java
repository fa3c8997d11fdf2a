package io.github.keycloaksts.policy;

import java.util.List;
import java.util.Set;

/** A compiled statement: who, which actions, under which conditions, with what effect. */
final class Statement {

    private final String id;
    private final boolean allow;
    private final boolean anyPrincipal;
    private final Set<String> principals;
    private final boolean notPrincipal;
    private final List<Wildcard> actions;
    private final boolean notAction;
    private final List<Condition> conditions;

    Statement(String id, boolean allow, boolean anyPrincipal, Set<String> principals, boolean notPrincipal,
              List<Wildcard> actions, boolean notAction, List<Condition> conditions) {
        this.id = id;
        this.allow = allow;
        this.anyPrincipal = anyPrincipal;
        this.principals = Set.copyOf(principals);
        this.notPrincipal = notPrincipal;
        this.actions = List.copyOf(actions);
        this.notAction = notAction;
        this.conditions = List.copyOf(conditions);
    }

    String id() {
        return id;
    }

    boolean allow() {
        return allow;
    }

    boolean hasConditions() {
        return !conditions.isEmpty();
    }

    boolean anyPrincipal() {
        return anyPrincipal && !notPrincipal;
    }

    boolean principalMatches(Set<String> callerKrns) {
        boolean listed = anyPrincipal || callerKrns.stream().anyMatch(principals::contains);
        return listed != notPrincipal;
    }

    boolean actionMatches(String action) {
        boolean listed = actions.stream().anyMatch(pattern -> pattern.matches(action));
        return listed != notAction;
    }

    /** The first condition that is false, or null when all hold. Conditions are ANDed, as in AWS. */
    Condition failingCondition(AccessRequest request) {
        for (Condition condition : conditions) {
            if (!condition.test(request)) {
                return condition;
            }
        }
        return null;
    }
}
