package io.github.keycloaksts.policy;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Validates one statement: its elements, Sid, Effect, principals and actions; conditions go to {@link ConditionValidator}. */
final class StatementValidator {

    private static final Set<String> STATEMENT_KEYS = Set.of(
            "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Condition");
    private static final Pattern SID = Pattern.compile("[\\p{L}\\p{N}_.-]{1,128}");

    private final ValidationErrors errors;
    private final ConditionValidator conditions;

    StatementValidator(PolicyEnvironment environment, boolean variables, ValidationErrors errors) {
        this.errors = errors;
        this.conditions = new ConditionValidator(environment, variables, errors);
    }

    /**
     * @param sids the Sids of the statements before, to which this one's is added
     * @return the statement, or empty when it is not a JSON object
     */
    Optional<ValidatedStatement> statement(JsonNode node, String path, int index, Set<String> sids) {
        if (!node.isObject()) {
            errors.add(path, "a statement must be a JSON object");
            return Optional.empty();
        }
        int before = errors.count();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (key.equals("Resource") || key.equals("NotResource")) {
                errors.add(path + "/" + ElementValues.escape(key), key
                        + " is not allowed in a trust policy: the role itself is the resource");
            } else if (!STATEMENT_KEYS.contains(key)) {
                errors.add(path + "/" + ElementValues.escape(key), "unknown statement element '" + key
                        + "'; allowed: Sid, Effect, Principal, NotPrincipal, Action, NotAction, Condition");
            }
        }
        String id = "#" + index;
        JsonNode sid = node.get("Sid");
        if (sid != null) {
            if (!sid.isTextual() || !SID.matcher(sid.textValue()).matches()) {
                errors.add(path + "/Sid", "Sid must be 1-128 letters, digits, '_', '.' or '-'");
            } else if (!sids.add(sid.textValue())) {
                errors.add(path + "/Sid", "Sid '" + sid.textValue() + "' is used by another statement");
            } else {
                id = sid.textValue();
            }
        }
        JsonNode effect = node.get("Effect");
        boolean allow = effect != null && "Allow".equals(effect.asText(null));
        if (effect == null || !effect.isTextual() || !(allow || "Deny".equals(effect.textValue()))) {
            errors.add(path + "/Effect", "Effect is required: \"Allow\" or \"Deny\"");
        }
        boolean notPrincipal = node.has("NotPrincipal");
        if (node.has("Principal") == notPrincipal) {
            errors.add(path, "a statement needs exactly one of Principal and NotPrincipal");
        }
        String principalKey = notPrincipal ? "NotPrincipal" : "Principal";
        Set<String> principals = new LinkedHashSet<>();
        boolean anyPrincipal = principals(node.get(principalKey), path + "/" + principalKey, principals);
        boolean notAction = node.has("NotAction");
        if (node.has("Action") == notAction) {
            errors.add(path, "a statement needs exactly one of Action and NotAction");
        }
        String actionKey = notAction ? "NotAction" : "Action";
        List<Wildcard> actions = actions(node.get(actionKey), path + "/" + actionKey);
        JsonNode condition = node.get("Condition");
        List<ConditionClause> clauses = conditions.clauses(condition, path + "/Condition");
        return Optional.of(new ValidatedStatement(path, id, errors.count() == before, allow, anyPrincipal, principals,
                notPrincipal, actions, notAction, clauses, condition == null ? null : condition.toString(), errors.count()));
    }

    /** @return true for "*" (anyone); fills {@code principals} with the KRNs named */
    private boolean principals(JsonNode node, String path, Set<String> principals) {
        if (node == null) {
            return false;
        }
        if (node.isTextual() && node.textValue().equals("*")) {
            return true;
        }
        if (!node.isObject() || node.size() != 1 || !node.has("Keycloak")) {
            errors.add(path, "a principal is \"*\" or {\"Keycloak\": <KRN or list of KRNs>}");
            return false;
        }
        List<JsonNode> values = ElementValues.of(node.get("Keycloak"), path + "/Keycloak", errors);
        boolean any = false;
        for (int i = 0; i < values.size(); i++) {
            String valuePath = path + "/Keycloak" + (node.get("Keycloak").isArray() ? "/" + i : "");
            JsonNode value = values.get(i);
            if (!value.isTextual()) {
                errors.add(valuePath, "a principal must be a KRN string");
                continue;
            }
            String text = value.textValue();
            if (text.equals("*")) {
                any = true;
                continue;
            }
            Optional<Krn> krn = Krn.parse(text);
            if (krn.isEmpty()) {
                errors.add(valuePath, "'" + text + "' is not a principal KRN: expected krn:keycloak:iam::<realm>:"
                        + "root | user/<username> | group/<path> | client/<clientId> | role/<path><name> | "
                        + "identity-provider/<alias> | user-federation/<name>, or krn:keycloak:sts::<realm>:assumed-role/<role>/<session>");
            } else if (Wildcard.hasWildcards(text)) {
                errors.add(valuePath, "wildcards are not allowed in principals (as in AWS); use \"*\" "
                        + "with a condition such as ArnLike on kc:PrincipalKrn");
            } else {
                principals.add(krn.get().toString());
            }
        }
        return any;
    }

    private List<Wildcard> actions(JsonNode node, String path) {
        List<Wildcard> actions = new ArrayList<>();
        if (node == null) {
            return actions;
        }
        List<JsonNode> values = ElementValues.of(node, path, errors);
        for (int i = 0; i < values.size(); i++) {
            String valuePath = node.isArray() ? path + "/" + i : path;
            JsonNode value = values.get(i);
            if (!value.isTextual() || value.textValue().isEmpty()) {
                errors.add(valuePath, "an action must be a non-empty string such as \"sts:AssumeRole\"");
                continue;
            }
            Wildcard action = Wildcard.ignoringCase(value.textValue());
            if (PolicyCompiler.ACTIONS.stream().noneMatch(action::matches)) {
                errors.add(valuePath, "'" + value.textValue() + "' matches no action; trust policies know "
                        + String.join(", ", PolicyCompiler.ACTIONS));
                continue;
            }
            actions.add(action);
        }
        return actions;
    }
}
