package io.github.keycloaksts.policy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * One policy value of a condition, compiled for its operator: does a request value match it? Policy values are
 * parsed and checked once, at compile time; request values that cannot be read as the operator's type simply do
 * not match (AWS behaviour), they never raise.
 */
@FunctionalInterface
interface ValueMatcher {

    boolean matches(String requestValue, AccessRequest request);

    /**
     * Whether the request has every fact this value reads: false for a value with a policy variable whose key the
     * request lacks (or has several values for). Such a value matches nothing.
     */
    default boolean resolvable(AccessRequest request) {
        return true;
    }

    /**
     * @param positive       the non-negated operator (negation is applied by the condition)
     * @param referencedKeys receives the keys that policy variables in the value read
     * @return the matcher, or empty after adding an error finding
     */
    static Optional<ValueMatcher> compile(Operator positive, String value, boolean variables, String path,
                                          Set<String> identityProviders, List<Finding> findings, Set<String> referencedKeys) {
        if (value.indexOf(Template.ESCAPE) >= 0) {
            findings.add(Finding.error(path, "value contains the noncharacter U+FFFF"));
            return Optional.empty();
        }
        if (variables && positive.supportsVariables() && value.contains("${")) {
            Optional<Template> template = Template.parse(value, path, identityProviders, findings);
            if (template.isEmpty()) {
                return Optional.empty();
            }
            if (template.get().hasVariables()) {
                referencedKeys.addAll(template.get().variables());
                return Optional.of(templated(positive, template.get()));
            }
            return Optional.of(literal(positive, template.get().resolve(AccessRequest.builder().build()).orElseThrow()));
        }
        return switch (positive) {
            case STRING_EQUALS, STRING_EQUALS_IGNORE_CASE, STRING_LIKE, ARN_EQUALS, ARN_LIKE -> {
                if ((positive == Operator.ARN_EQUALS || positive == Operator.ARN_LIKE) && value.split(":", 6).length != 6) {
                    findings.add(Finding.error(path, "'" + value + "' is not a KRN (krn:keycloak:<service>::<realm>:<resource>)"));
                    yield Optional.empty();
                }
                yield Optional.of(literal(positive, value));
            }
            case NUMERIC_EQUALS, NUMERIC_LESS_THAN, NUMERIC_LESS_THAN_EQUALS, NUMERIC_GREATER_THAN,
                 NUMERIC_GREATER_THAN_EQUALS -> {
                BigDecimal number = number(value);
                if (number == null) {
                    findings.add(Finding.error(path, "'" + value + "' is not a number"));
                    yield Optional.empty();
                }
                yield Optional.of((requestValue, request) -> compare(positive, number(requestValue), number));
            }
            case DATE_EQUALS, DATE_LESS_THAN, DATE_LESS_THAN_EQUALS, DATE_GREATER_THAN, DATE_GREATER_THAN_EQUALS -> {
                Instant date = date(value);
                if (date == null) {
                    findings.add(Finding.error(path, "'" + value + "' is not a date (ISO 8601, e.g. 2026-01-31T23:59:59Z, or epoch seconds)"));
                    yield Optional.empty();
                }
                yield Optional.of((requestValue, request) -> compare(positive, date(requestValue), date));
            }
            case BOOL -> {
                if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                    findings.add(Finding.error(path, "'" + value + "' is not true or false"));
                    yield Optional.empty();
                }
                yield Optional.of((requestValue, request) -> requestValue.equalsIgnoreCase(value));
            }
            case BINARY_EQUALS -> {
                byte[] bytes = base64(value);
                if (bytes == null) {
                    findings.add(Finding.error(path, "'" + value + "' is not base64"));
                    yield Optional.empty();
                }
                yield Optional.of((requestValue, request) -> Arrays.equals(bytes, base64(requestValue)));
            }
            case IP_ADDRESS -> {
                CidrBlock block = CidrBlock.parse(value);
                if (block == null) {
                    findings.add(Finding.error(path, "'" + value + "' is not an IPv4 or IPv6 address or CIDR block"));
                    yield Optional.empty();
                }
                yield Optional.of((requestValue, request) -> block.contains(requestValue));
            }
            default -> throw new IllegalArgumentException("not a value operator: " + positive);
        };
    }

    private static ValueMatcher literal(Operator positive, String resolved) {
        return switch (positive) {
            case STRING_EQUALS -> {
                String plain = Template.plain(resolved);
                yield (requestValue, request) -> requestValue.equals(plain);
            }
            case STRING_EQUALS_IGNORE_CASE -> {
                String lower = Template.plain(resolved).toLowerCase(Locale.ROOT);
                yield (requestValue, request) -> requestValue.toLowerCase(Locale.ROOT).equals(lower);
            }
            case STRING_LIKE -> {
                Wildcard pattern = Wildcard.ofTokens(Template.wildcardTokens(resolved));
                yield (requestValue, request) -> pattern.matches(requestValue);
            }
            case ARN_EQUALS, ARN_LIKE -> {
                KrnPattern pattern = KrnPattern.of(resolved);
                yield (requestValue, request) -> pattern != null && pattern.matches(requestValue);
            }
            default -> throw new IllegalArgumentException("no variables for " + positive);
        };
    }

    private static ValueMatcher templated(Operator positive, Template template) {
        return new ValueMatcher() {
            @Override
            public boolean matches(String requestValue, AccessRequest request) {
                return template.resolve(request)
                        .map(resolved -> literal(positive, resolved).matches(requestValue, request))
                        .orElse(false);
            }

            @Override
            public boolean resolvable(AccessRequest request) {
                return template.resolve(request).isPresent();
            }
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

    /** Decimal numbers of at most 32 characters; no exponent tricks such as 1e999999999. */
    static BigDecimal number(String text) {
        if (text == null || text.isEmpty() || text.length() > 32 || !text.matches("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)")) {
            return null;
        }
        return new BigDecimal(text);
    }

    /** ISO 8601 date-time with offset, ISO date (midnight UTC), or epoch seconds, as AWS date conditions accept. */
    static Instant date(String text) {
        if (text == null || text.isEmpty() || text.length() > 40) {
            return null;
        }
        if (text.matches("\\d{1,12}")) {
            return Instant.ofEpochSecond(Long.parseLong(text));
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            // next form
        }
        try {
            return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static byte[] base64(String text) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
