package io.github.keycloaksts.policy;

import java.util.List;

/**
 * One operator applied to one condition key with its policy values, as AWS evaluates it:
 * <ul>
 *   <li>several policy values: any may match (OR); a negated operator needs a request value to match none;</li>
 *   <li>a missing key: false, except negated operators (true), {@code ...IfExists} (true), {@code ForAllValues}
 *       (true, the documented surprise: "all of nothing") and {@code Null};</li>
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
    private final List<ValueMatcher> values;
    /** For {@code Null}: true means "the key must be absent". */
    private final boolean nullMeansAbsent;

    Condition(String label, Operator operator, Qualifier qualifier, boolean ifExists, String key,
              List<ValueMatcher> values, boolean nullMeansAbsent) {
        this.label = label;
        this.operator = operator;
        this.qualifier = qualifier;
        this.ifExists = ifExists;
        this.key = ConditionKeys.normalize(key);
        this.values = List.copyOf(values);
        this.nullMeansAbsent = nullMeansAbsent;
    }

    /** e.g. {@code StringEquals sts:ExternalId}, for explanations. */
    String label() {
        return label;
    }

    boolean test(AccessRequest request) {
        List<String> present = request.normalizedValues(key);
        if (operator == Operator.NULL) {
            return present.isEmpty() == nullMeansAbsent;
        }
        if (present.isEmpty()) {
            return ifExists || qualifier == Qualifier.FOR_ALL_VALUES
                    || (qualifier == Qualifier.NONE && operator.negated());
        }
        return switch (qualifier) {
            case FOR_ANY_VALUE -> present.stream().anyMatch(value -> matches(value, request));
            case FOR_ALL_VALUES -> present.stream().allMatch(value -> matches(value, request));
            case NONE -> operator.negated()
                    ? present.stream().allMatch(value -> matches(value, request))
                    : present.stream().anyMatch(value -> matches(value, request));
        };
    }

    /** One request value against the policy values: any matches, or for a negated operator, none does. */
    private boolean matches(String requestValue, AccessRequest request) {
        for (ValueMatcher value : values) {
            if (value.matches(requestValue, request)) {
                return !operator.negated();
            }
        }
        return operator.negated();
    }
}
