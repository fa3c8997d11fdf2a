package io.github.keycloaksts.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloaksts.policy.ConditionKeys;
import io.github.keycloaksts.policy.Krn;
import io.github.keycloaksts.policy.PolicyCompiler;
import io.github.keycloaksts.policy.PolicyEnvironment;
import io.github.keycloaksts.role.FieldError;
import io.github.keycloaksts.role.InvalidRoleException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A parsed {@code POST /iam/simulate} body: which policy (a stored role's, or one given inline), who asks
 * (a principal KRN), for which action, with which extra or overriding condition-key values.
 */
record SimulationRequest(Optional<String> role, Optional<JsonNode> policy, Krn principal, String action,
                         Map<String, List<String>> context) {

    private static final Set<String> FIELDS = Set.of("role", "policy", "principal", "action", "context");
    private static final int MAX_CONTEXT_KEYS = 100;

    static SimulationRequest parse(JsonNode body, PolicyEnvironment environment) {
        List<FieldError> errors = new ArrayList<>();
        if (!body.isObject()) {
            throw new InvalidRoleException(new FieldError("", "the body must be a JSON object"));
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                errors.add(new FieldError(field, "unknown field; allowed fields are " + FIELDS));
            }
        }
        JsonNode role = body.get("role");
        JsonNode policy = body.get("policy");
        if ((role == null) == (policy == null)) {
            errors.add(new FieldError("role", "give exactly one of 'role' (a role name) and 'policy' (a policy document)"));
        } else if (role != null && !role.isTextual()) {
            errors.add(new FieldError("role", "must be a role name"));
        } else if (policy != null && !policy.isObject()) {
            errors.add(new FieldError("policy", "must be a policy document (a JSON object)"));
        }
        JsonNode principalNode = body.get("principal");
        Optional<Krn> principal = principalNode == null || !principalNode.isTextual() ? Optional.empty()
                : Krn.parse(principalNode.textValue());
        if (principal.isEmpty()) {
            errors.add(new FieldError("principal", "must be a principal KRN such as krn:keycloak:iam::<realm>:user/<username>"));
        }
        JsonNode actionNode = body.get("action");
        String action = actionNode == null ? "sts:AssumeRole" : actionNode.asText("");
        if (actionNode != null && (!actionNode.isTextual() || !PolicyCompiler.ACTIONS.contains(action))) {
            errors.add(new FieldError("action", "must be one of " + PolicyCompiler.ACTIONS));
        }
        Map<String, List<String>> context = context(body.get("context"), environment, errors);
        if (!errors.isEmpty()) {
            throw new InvalidRoleException(errors);
        }
        return new SimulationRequest(Optional.ofNullable(role).map(JsonNode::textValue), Optional.ofNullable(policy),
                principal.orElseThrow(), action, context);
    }

    private static Map<String, List<String>> context(JsonNode node, PolicyEnvironment environment, List<FieldError> errors) {
        Map<String, List<String>> context = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return context;
        }
        if (!node.isObject() || node.size() > MAX_CONTEXT_KEYS) {
            errors.add(new FieldError("context", "must be an object of at most " + MAX_CONTEXT_KEYS
                    + " condition keys to a value or an array of values"));
            return context;
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String field = "context." + entry.getKey();
            if (ConditionKeys.lookup(entry.getKey(), environment.identityProviders()).isEmpty()) {
                errors.add(new FieldError(field, "unknown condition key"));
                continue;
            }
            List<String> values = new ArrayList<>();
            JsonNode value = entry.getValue();
            for (JsonNode element : value.isArray() ? value : List.of(value)) {
                if (!element.isValueNode() || element.isNull()) {
                    errors.add(new FieldError(field, "values are strings, numbers or booleans"));
                    break;
                }
                values.add(element.asText());
            }
            if (values.size() > PolicyCompiler.MAX_VALUES) {
                errors.add(new FieldError(field, "at most " + PolicyCompiler.MAX_VALUES + " values"));
            }
            context.put(entry.getKey(), values);
        }
        return context;
    }
}
