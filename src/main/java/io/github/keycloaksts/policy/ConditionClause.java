package io.github.keycloaksts.policy;

import java.util.List;

/**
 * One operator applied to one condition key, as validation read it ({@code "StringEquals": {"kc:Acr": [...]}}).
 *
 * @param operatorName    as written, qualifier and {@code IfExists} included, e.g. {@code ForAnyValue:StringLike}
 * @param keyName         as written
 * @param values          the policy values read for the operator; all of them only when {@link #complete}
 * @param nullMeansAbsent for {@code Null}: {@code "true"} (the key must be absent)
 * @param errorsBefore    the errors reported before this clause's values were read
 */
record ConditionClause(String path, String operatorName, Operator operator, Condition.Qualifier qualifier,
                       boolean ifExists, String keyName, ConditionKeys.Key key, List<PolicyValue> values,
                       boolean complete, boolean nullMeansAbsent, int errorsBefore) {

    ConditionClause {
        values = List.copyOf(values);
    }

    /** e.g. {@code StringEquals sts:ExternalId}, for explanations. */
    String label() {
        return operatorName + " " + keyName;
    }
}
