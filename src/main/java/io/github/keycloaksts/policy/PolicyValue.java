package io.github.keycloaksts.policy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * One condition value of a policy, read once as the type its operator compares (validation's output, the
 * compiler's input). Request values are read with the same rules ({@link #number}, {@link #date}) at evaluation.
 */
sealed interface PolicyValue {

    /** Text for the string and KRN operators, in {@link Template} form: literal characters marked by its escape. */
    record Text(String resolved) implements PolicyValue {
    }

    /** Text with policy variables, substituted per request. */
    record Templated(Template template) implements PolicyValue {
    }

    record Number(BigDecimal value) implements PolicyValue {
    }

    record Date(Instant value) implements PolicyValue {
    }

    /** {@code true} or {@code false} in any case, as written. */
    record Flag(String text) implements PolicyValue {
    }

    /** Decoded base64; the array is copied in and out, so the value stays immutable. */
    record Binary(byte[] bytes) implements PolicyValue {
        public Binary {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }
    }

    record AddressBlock(CidrBlock block) implements PolicyValue {
    }

    /**
     * @param positive  the non-negated operator (negation is applied by the condition)
     * @param variables whether the policy's Version gives {@code ${...}} its meaning (2012-10-17)
     * @return the value, or empty after adding an error
     */
    static Optional<PolicyValue> parse(Operator positive, String value, boolean variables, String path,
                                       Set<String> identityProviders, ValidationErrors errors) {
        if (value.indexOf(Template.ESCAPE) >= 0) {
            errors.add(path, "value contains the noncharacter U+FFFF");
            return Optional.empty();
        }
        if (variables && positive.supportsVariables() && value.contains("${")) {
            return Template.parse(value, path, identityProviders, errors).map(template -> template.hasVariables()
                    ? new Templated(template)
                    : new Text(template.resolve(AccessRequest.builder().build()).orElseThrow()));
        }
        return switch (positive) {
            case STRING_EQUALS, STRING_EQUALS_IGNORE_CASE, STRING_LIKE, ARN_EQUALS, ARN_LIKE -> {
                if ((positive == Operator.ARN_EQUALS || positive == Operator.ARN_LIKE) && value.split(":", 6).length != 6) {
                    yield refused(errors, path, "'" + value + "' is not a KRN (krn:keycloak:<service>::<realm>:<resource>)");
                }
                yield Optional.of(new Text(value));
            }
            case NUMERIC_EQUALS, NUMERIC_LESS_THAN, NUMERIC_LESS_THAN_EQUALS, NUMERIC_GREATER_THAN,
                 NUMERIC_GREATER_THAN_EQUALS -> {
                BigDecimal number = number(value);
                yield number == null ? refused(errors, path, "'" + value + "' is not a number") : Optional.of(new Number(number));
            }
            case DATE_EQUALS, DATE_LESS_THAN, DATE_LESS_THAN_EQUALS, DATE_GREATER_THAN, DATE_GREATER_THAN_EQUALS -> {
                Instant date = date(value);
                yield date == null ? refused(errors, path, "'" + value
                        + "' is not a date (ISO 8601, e.g. 2026-01-31T23:59:59Z, or epoch seconds)") : Optional.of(new Date(date));
            }
            case BOOL -> !value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")
                    ? refused(errors, path, "'" + value + "' is not true or false") : Optional.of(new Flag(value));
            case BINARY_EQUALS -> {
                byte[] bytes = base64(value);
                if (bytes == null) {
                    yield refused(errors, path, "'" + value + "' is not base64");
                }
                yield Optional.of(new Binary(bytes));
            }
            case IP_ADDRESS -> {
                CidrBlock block = CidrBlock.parse(value);
                yield block == null ? refused(errors, path, "'" + value + "' is not an IPv4 or IPv6 address or CIDR block")
                        : Optional.of(new AddressBlock(block));
            }
            default -> throw new IllegalArgumentException("not a value operator: " + positive);
        };
    }

    private static Optional<PolicyValue> refused(ValidationErrors errors, String path, String message) {
        errors.add(path, message);
        return Optional.empty();
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

    static byte[] base64(String text) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
