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

    /** Whether it may admit principals it does not name: {@code "*"}, or a {@code NotPrincipal}. */
    boolean admitsUnnamed() {
        return anyPrincipal || notPrincipal;
    }

    /**
     * Whether the statement is about this caller. A Deny applies to every caller it covers whatever its origin, as
     * in AWS ({@code "*"} is everyone). An Allow admits a {@link AccessRequest#foreign() foreign} caller (another
     * realm, web identity, SAML) only when it names one of its KRNs: {@code "*"} and {@code NotPrincipal} admit
     * only principals of the role's realm, so trusting another realm or an identity provider is always explicit.
     */
    boolean principalMatches(AccessRequest request) {
        boolean foreignToAllow = allow && request.foreign();
        if (notPrincipal && foreignToAllow) {
            return false; // "Allow everyone but X" must not open the role to other realms either
        }
        boolean listed = anyPrincipal && !foreignToAllow;
        if (!listed) {
            for (String krn : request.principals()) {
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
            if (!condition.test(request, allow)) {
                return condition;
            }
        }
        return null;
    }
}
