package io.github.keycloaksts.policy;

import java.util.List;

/**
 * One operator applied to one condition key with its policy values, as AWS evaluates it, except that a missing fact
 * never makes an Allow true unless the reference documents it (docs/policy-language.md, "Missing keys"):
 * <ul>
 *   <li>several policy values: any may match (OR); a negated operator needs a request value to match none;</li>
 *   <li>a missing key: false, except {@code ...IfExists} (true), {@code ForAllValues} (true, AWS's documented "all
 *       of nothing"), {@code Null}, and an unqualified negated operator, which is <em>false in an Allow and true in
 *       a Deny</em> (AWS: true in both). So "Allow when StringNotEquals kc:Username mallory" does not admit a caller
 *       without a username, and the guardrail "Deny when StringNotEquals kc:Acr gold" still denies one without an
 *       acr;</li>
 *   <li>a negated operator with a policy value whose variable the request lacks (e.g. {@code ${kc:PrincipalTag/x}})
 *       cannot say what it is "not": false in an Allow, true in a Deny, whatever the qualifier;</li>
 *   <li>{@code ForAnyValue}: some request value matches; {@code ForAllValues}: every request value matches;
 *       unqualified: a positive operator needs some request value to match, a negated one needs every request
 *       value to match none of the policy values.</li>
 * </ul>
 */
final class Condition {

    enum Qualifier { NONE, FOR_ANY_VALUE, FOR_ALL_VALUES }

    private final String label;
    private final Operator operator;
    private final Qualifier qualifier;
    private final boolean ifExists;
    private final String key;
    private final ValueMatcher[] values;
    /** Whether a value has policy variables: then the values are bound to each request first. */
    private final boolean templated;
    /** For {@code Null}: true means "the key must be absent". */
    private final boolean nullMeansAbsent;

    Condition(String label, Operator operator, Qualifier qualifier, boolean ifExists, String key,
              List<ValueMatcher> values, boolean nullMeansAbsent) {
        this.label = label;
        this.operator = operator;
        this.qualifier = qualifier;
        this.ifExists = ifExists;
        this.key = ConditionKeys.normalize(key);
        this.values = values.toArray(new ValueMatcher[0]);
        this.templated = values.stream().anyMatch(ValueMatcher::templated);
        this.nullMeansAbsent = nullMeansAbsent;
    }

    /** e.g. {@code StringEquals sts:ExternalId}, for explanations. */
    String label() {
        return label;
    }

    /**
     * @param inAllow whether the condition belongs to an Allow statement: decides a negated operator that lacks
     *                its fact (false in an Allow, true in a Deny), so a missing fact fails closed either way
     */
    boolean test(AccessRequest request, boolean inAllow) {
        List<String> present = request.normalizedValues(key);
        if (operator == Operator.NULL) {
            return present.isEmpty() == nullMeansAbsent;
        }
        if (present.isEmpty()) {
            return switch (qualifier) {
                case FOR_ALL_VALUES -> true;
                case FOR_ANY_VALUE -> ifExists;
                case NONE -> ifExists || (operator.negated() && !inAllow);
            };
        }
        ValueMatcher[] bound = templated ? bind(request) : values;
        if (operator.negated() && unresolved(bound)) {
            return !inAllow;
        }
        return switch (qualifier) {
            case FOR_ANY_VALUE -> present.stream().anyMatch(value -> matches(value, bound));
            case FOR_ALL_VALUES -> present.stream().allMatch(value -> matches(value, bound));
            case NONE -> operator.negated()
                    ? present.stream().allMatch(value -> matches(value, bound))
                    : present.stream().anyMatch(value -> matches(value, bound));
        };
    }

    /** Substitutes the request's facts into templated values, once per evaluation (null: a variable is missing). */
    private ValueMatcher[] bind(AccessRequest request) {
        ValueMatcher[] bound = new ValueMatcher[values.length];
        for (int i = 0; i < values.length; i++) {
            bound[i] = values[i].bind(request);
        }
        return bound;
    }

    private static boolean unresolved(ValueMatcher[] bound) {
        for (ValueMatcher value : bound) {
            if (value == null) {
                return true;
            }
        }
        return false;
    }

    /** One request value against the policy values: any matches, or for a negated operator, none does. */
    private boolean matches(String requestValue, ValueMatcher[] bound) {
        for (ValueMatcher value : bound) {
            if (value != null && value.matches(requestValue)) {
                return !operator.negated();
            }
        }
        return operator.negated();
    }
}
