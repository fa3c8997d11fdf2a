package io.github.keycloaksts.policy;

import java.util.Arrays;
import java.util.Optional;

/**
 * The AWS condition operators, each with the type of value it compares and, for the negated ones, the operator it
 * negates. A negated operator is true for a request value that matches none of the policy values.
 */
enum Operator {
    STRING_EQUALS("StringEquals", ConditionKeys.Type.STRING, null),
    STRING_NOT_EQUALS("StringNotEquals", ConditionKeys.Type.STRING, STRING_EQUALS),
    STRING_EQUALS_IGNORE_CASE("StringEqualsIgnoreCase", ConditionKeys.Type.STRING, null),
    STRING_NOT_EQUALS_IGNORE_CASE("StringNotEqualsIgnoreCase", ConditionKeys.Type.STRING, STRING_EQUALS_IGNORE_CASE),
    STRING_LIKE("StringLike", ConditionKeys.Type.STRING, null),
    STRING_NOT_LIKE("StringNotLike", ConditionKeys.Type.STRING, STRING_LIKE),
    NUMERIC_EQUALS("NumericEquals", ConditionKeys.Type.NUMBER, null),
    NUMERIC_NOT_EQUALS("NumericNotEquals", ConditionKeys.Type.NUMBER, NUMERIC_EQUALS),
    NUMERIC_LESS_THAN("NumericLessThan", ConditionKeys.Type.NUMBER, null),
    NUMERIC_LESS_THAN_EQUALS("NumericLessThanEquals", ConditionKeys.Type.NUMBER, null),
    NUMERIC_GREATER_THAN("NumericGreaterThan", ConditionKeys.Type.NUMBER, null),
    NUMERIC_GREATER_THAN_EQUALS("NumericGreaterThanEquals", ConditionKeys.Type.NUMBER, null),
    DATE_EQUALS("DateEquals", ConditionKeys.Type.DATE, null),
    DATE_NOT_EQUALS("DateNotEquals", ConditionKeys.Type.DATE, DATE_EQUALS),
    DATE_LESS_THAN("DateLessThan", ConditionKeys.Type.DATE, null),
    DATE_LESS_THAN_EQUALS("DateLessThanEquals", ConditionKeys.Type.DATE, null),
    DATE_GREATER_THAN("DateGreaterThan", ConditionKeys.Type.DATE, null),
    DATE_GREATER_THAN_EQUALS("DateGreaterThanEquals", ConditionKeys.Type.DATE, null),
    BOOL("Bool", ConditionKeys.Type.BOOL, null),
    BINARY_EQUALS("BinaryEquals", ConditionKeys.Type.STRING, null),
    IP_ADDRESS("IpAddress", ConditionKeys.Type.IP, null),
    NOT_IP_ADDRESS("NotIpAddress", ConditionKeys.Type.IP, IP_ADDRESS),
    ARN_EQUALS("ArnEquals", ConditionKeys.Type.KRN, null),
    ARN_LIKE("ArnLike", ConditionKeys.Type.KRN, null),
    ARN_NOT_EQUALS("ArnNotEquals", ConditionKeys.Type.KRN, ARN_EQUALS),
    ARN_NOT_LIKE("ArnNotLike", ConditionKeys.Type.KRN, ARN_LIKE),
    NULL("Null", null, null);

    final String awsName;
    /** The type of value compared; null for {@code Null}, which tests presence only. */
    final ConditionKeys.Type type;
    /** For a negated operator, the operator whose result it inverts per value. */
    final Operator negates;

    Operator(String awsName, ConditionKeys.Type type, Operator negates) {
        this.awsName = awsName;
        this.type = type;
        this.negates = negates;
    }

    boolean negated() {
        return negates != null;
    }

    /** The operator that compares a single value: itself, or the one it negates. */
    Operator positive() {
        return negated() ? negates : this;
    }

    boolean supportsVariables() {
        Operator positive = positive();
        return positive == STRING_EQUALS || positive == STRING_EQUALS_IGNORE_CASE || positive == STRING_LIKE
                || positive == ARN_EQUALS || positive == ARN_LIKE;
    }

    /** Operator names are case-sensitive in AWS: {@code stringequals} is not an operator. */
    static Optional<Operator> named(String name) {
        return Arrays.stream(values()).filter(op -> op.awsName.equals(name)).findFirst();
    }
}
