package io.github.keycloaksts.policy;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Validates a statement's {@code Condition}: operator names (with {@code ForAnyValue:}/{@code ForAllValues:} and
 * {@code IfExists}), condition keys against the realm, and each value read as its operator's type.
 */
final class ConditionValidator {

    private static final String FOR_ANY = "ForAnyValue:";
    private static final String FOR_ALL = "ForAllValues:";
    private static final String IF_EXISTS = "IfExists";

    private record OperatorName(String name, Operator operator, Condition.Qualifier qualifier, boolean ifExists) {
    }

    private final PolicyEnvironment environment;
    private final boolean variables;
    private final ValidationErrors errors;

    ConditionValidator(PolicyEnvironment environment, boolean variables, ValidationErrors errors) {
        this.environment = environment;
        this.variables = variables;
        this.errors = errors;
    }

    /** @return a clause per operator and key that names a known key with at least one value */
    List<ConditionClause> clauses(JsonNode node, String path) {
        List<ConditionClause> clauses = new ArrayList<>();
        if (node == null) {
            return clauses;
        }
        if (!node.isObject()) {
            errors.add(path, "Condition must be an object of operators");
            return clauses;
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String operatorPath = path + "/" + ElementValues.escape(entry.getKey());
            operator(entry.getKey(), operatorPath).ifPresent(operator -> {
                JsonNode keys = entry.getValue();
                if (!keys.isObject()) {
                    errors.add(operatorPath, "an operator maps condition keys to values");
                    return;
                }
                if (keys.isEmpty()) {
                    errors.add(operatorPath, "an operator needs at least one condition key: "
                            + "an empty block would be a condition left out");
                    return;
                }
                for (Map.Entry<String, JsonNode> key : keys.properties()) {
                    clause(operator, key.getKey(), key.getValue(), operatorPath + "/" + ElementValues.escape(key.getKey()))
                            .ifPresent(clauses::add);
                }
            });
        }
        return clauses;
    }

    private Optional<OperatorName> operator(String name, String path) {
        String rest = name;
        Condition.Qualifier qualifier = Condition.Qualifier.NONE;
        if (rest.startsWith(FOR_ANY)) {
            qualifier = Condition.Qualifier.FOR_ANY_VALUE;
            rest = rest.substring(FOR_ANY.length());
        } else if (rest.startsWith(FOR_ALL)) {
            qualifier = Condition.Qualifier.FOR_ALL_VALUES;
            rest = rest.substring(FOR_ALL.length());
        }
        boolean ifExists = rest.endsWith(IF_EXISTS) && !rest.equals(IF_EXISTS);
        if (ifExists) {
            rest = rest.substring(0, rest.length() - IF_EXISTS.length());
        }
        Optional<Operator> operator = Operator.named(rest);
        if (operator.isEmpty()) {
            errors.add(path, "unknown condition operator '" + name + "'");
            return Optional.empty();
        }
        if (operator.get() == Operator.NULL && (ifExists || qualifier != Condition.Qualifier.NONE)) {
            errors.add(path, "Null takes no IfExists and no ForAnyValue/ForAllValues");
            return Optional.empty();
        }
        return Optional.of(new OperatorName(name, operator.get(), qualifier, ifExists));
    }

    private Optional<ConditionClause> clause(OperatorName operator, String keyName, JsonNode valueNode, String path) {
        Optional<ConditionKeys.Key> key = ConditionKeys.lookup(keyName, environment.identityProviders());
        if (key.isEmpty()) {
            errors.add(path, "unknown condition key '" + keyName + "'"
                    + (keyName.contains(":") && !keyName.regionMatches(true, 0, "kc:", 0, 3)
                    && !keyName.regionMatches(true, 0, "sts:", 0, 4) ? " (no identity provider of that alias in this realm)" : ""));
            return Optional.empty();
        }
        List<JsonNode> values = ElementValues.of(valueNode, path, errors);
        if (values.isEmpty()) {
            return Optional.empty(); // ElementValues has reported why, so the policy does not compile
        }
        int errorsBefore = errors.count();
        if (operator.operator() == Operator.NULL) {
            boolean flag = values.size() == 1 && (values.get(0).asText().equalsIgnoreCase("true")
                    || values.get(0).asText().equalsIgnoreCase("false"));
            if (!flag) {
                errors.add(path, "Null takes one value: true (the key is absent) or false (it is present)");
            }
            return Optional.of(new ConditionClause(path, operator.name(), Operator.NULL, Condition.Qualifier.NONE, false,
                    keyName, key.get(), List.of(), flag, flag && values.get(0).asText().equalsIgnoreCase("true"), errorsBefore));
        }
        List<PolicyValue> parsed = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            String valuePath = valueNode.isArray() ? path + "/" + i : path;
            JsonNode value = values.get(i);
            if (!value.isValueNode() || value.isNull()) {
                errors.add(valuePath, "condition values are strings, numbers or booleans");
                continue;
            }
            PolicyValue.parse(operator.operator().positive(), value.asText(), variables, valuePath,
                    environment.identityProviders(), errors).ifPresent(parsed::add);
        }
        return Optional.of(new ConditionClause(path, operator.name(), operator.operator(), operator.qualifier(),
                operator.ifExists(), keyName, key.get(), parsed, parsed.size() == values.size(), false, errorsBefore));
    }
}
