package io.github.keycloaksts.policy;

import java.util.Arrays;
import java.util.Locale;

/**
 * One policy value of a condition, compiled for its operator: does a request value match it? Request values that
 * cannot be read as the operator's type simply do not match (AWS behaviour), they never raise.
 */
@FunctionalInterface
interface ValueMatcher {

    boolean matches(String requestValue);

    /**
     * The matcher for one request: itself for a value without policy variables; for a templated value, the value
     * with the request's facts substituted, or null when a variable's key is missing from the request (or has
     * several values): such a value matches nothing.
     */
    default ValueMatcher bind(AccessRequest request) {
        return this;
    }

    /** Whether {@link #bind} depends on the request. */
    default boolean templated() {
        return false;
    }

    /** @param positive the non-negated operator (negation is applied by the condition) */
    static ValueMatcher of(Operator positive, PolicyValue value) {
        if (value instanceof PolicyValue.Text text) {
            return literal(positive, text.resolved());
        }
        if (value instanceof PolicyValue.Templated templated) {
            return new TemplatedMatcher(positive, templated.template());
        }
        if (value instanceof PolicyValue.Number number) {
            return requestValue -> compare(positive, PolicyValue.number(requestValue), number.value());
        }
        if (value instanceof PolicyValue.Date date) {
            return requestValue -> compare(positive, PolicyValue.date(requestValue), date.value());
        }
        if (value instanceof PolicyValue.Flag flag) {
            return requestValue -> requestValue.equalsIgnoreCase(flag.text());
        }
        if (value instanceof PolicyValue.Binary binary) {
            byte[] bytes = binary.bytes();
            return requestValue -> Arrays.equals(bytes, PolicyValue.base64(requestValue));
        }
        if (value instanceof PolicyValue.AddressBlock block) {
            return requestValue -> block.block().contains(requestValue);
        }
        throw new IllegalArgumentException("no matcher for " + value);
    }

    /** A string or KRN value in {@link Template} form (escapes marked), compiled once. */
    static ValueMatcher literal(Operator positive, String resolved) {
        return switch (positive) {
            case STRING_EQUALS -> {
                String plain = Template.plain(resolved);
                yield requestValue -> requestValue.equals(plain);
            }
            case STRING_EQUALS_IGNORE_CASE -> {
                String lower = Template.plain(resolved).toLowerCase(Locale.ROOT);
                yield requestValue -> requestValue.toLowerCase(Locale.ROOT).equals(lower);
            }
            case STRING_LIKE -> {
                Wildcard pattern = Wildcard.ofTokens(Template.wildcardTokens(resolved));
                yield pattern::matches;
            }
            case ARN_EQUALS, ARN_LIKE -> {
                KrnPattern pattern = KrnPattern.of(resolved);
                yield requestValue -> pattern != null && pattern.matches(requestValue);
            }
            default -> throw new IllegalArgumentException("no text values for " + positive);
        };
    }

    private static boolean compare(Operator positive, Comparable<?> requestValue, Comparable<?> policyValue) {
        if (requestValue == null) {
            return false;
        }
        @SuppressWarnings({"unchecked", "rawtypes"})
        int order = ((Comparable) requestValue).compareTo(policyValue);
        return switch (positive) {
            case NUMERIC_EQUALS, DATE_EQUALS -> order == 0;
            case NUMERIC_LESS_THAN, DATE_LESS_THAN -> order < 0;
            case NUMERIC_LESS_THAN_EQUALS, DATE_LESS_THAN_EQUALS -> order <= 0;
            case NUMERIC_GREATER_THAN, DATE_GREATER_THAN -> order > 0;
            case NUMERIC_GREATER_THAN_EQUALS, DATE_GREATER_THAN_EQUALS -> order >= 0;
            default -> false;
        };
    }
}
