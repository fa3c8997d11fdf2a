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
    /** Whether each of {@link PolicyCompiler#ACTIONS} matches, decided once at compile time. */
    private final boolean[] knownActions;
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
        this.knownActions = new boolean[PolicyCompiler.ACTIONS.size()];
        for (int i = 0; i < knownActions.length; i++) {
            knownActions[i] = matchesPatterns(PolicyCompiler.ACTIONS.get(i));
        }
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

    boolean principalMatches(AccessRequest request) {
        Set<String> callerKrns = request.principals();
        if (notPrincipal && allow && request.fromOtherRealm()) {
            return false; // "Allow everyone but X" must not open the role to other realms either
        }
        // "*" means anyone of the role's realm: a caller from another realm must be named (see AccessRequest).
        boolean listed = anyPrincipal && !request.fromOtherRealm();
        if (!listed) {
            for (String krn : callerKrns) {
                if (principals.contains(krn)) {
                    listed = true;
                    break;
                }
            }
        }
        return listed != notPrincipal;
    }

    boolean actionMatches(String action) {
        int known = PolicyCompiler.ACTIONS.indexOf(action);
        return known >= 0 ? knownActions[known] : matchesPatterns(action);
    }

    private boolean matchesPatterns(String action) {
        boolean listed = false;
        for (Wildcard pattern : actions) {
            if (pattern.matches(action)) {
                listed = true;
                break;
            }
        }
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
