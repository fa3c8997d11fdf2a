package io.github.keycloaksts.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloaksts.json.MalformedJsonException;
import io.github.keycloaksts.json.StrictJson;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses, validates and compiles a trust policy (AWS IAM policy grammar with Keycloak principals; see
 * docs/policy-language.md). Reports every finding with its JSON Pointer; compiles only a policy without errors.
 * Plain Java: no Keycloak types, so the language is tested and benchmarked on its own.
 */
public final class PolicyCompiler {

    public static final int MAX_BYTES = 10 * 1024;
    public static final int MAX_STATEMENTS = 100;
    public static final int MAX_VALUES = 100;
    public static final List<String> ACTIONS = List.of(
            "sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML", "sts:TagSession",
            "sts:SetSourceIdentity");

    /** In the order the reference gives them, so that messages naming them read the same on every start. */
    private static final Set<String> DOCUMENT_KEYS = java.util.Collections.unmodifiableSet(
            new java.util.LinkedHashSet<>(List.of("Version", "Id", "Statement")));
    private static final Set<String> STATEMENT_KEYS = Set.of(
            "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Condition");
    private static final Pattern SID = Pattern.compile("[\\p{L}\\p{N}_.-]{1,128}");
    private static final String FOR_ANY = "ForAnyValue:";
    private static final String FOR_ALL = "ForAllValues:";
    private static final String IF_EXISTS = "IfExists";

    private final PolicyEnvironment environment;
    private final List<Finding> findings = new ArrayList<>();
    /** Every condition key the policy reads (conditions and policy variables), normalized. */
    private final Set<String> referencedKeys = new HashSet<>();
    private boolean variables;

    private PolicyCompiler(PolicyEnvironment environment) {
        this.environment = environment;
    }

    /** Compiles policy text, refusing oversize, deeply nested or malformed JSON before building any tree. */
    public static PolicyCompilation compile(String json, PolicyEnvironment environment) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_BYTES * 4) {
            return failed("the policy is larger than " + MAX_BYTES + " bytes");
        }
        try {
            return compile(StrictJson.read(new ByteArrayInputStream(bytes), MAX_BYTES * 4), environment);
        } catch (MalformedJsonException e) {
            return failed(e.getMessage());
        }
    }

    public static PolicyCompilation compile(JsonNode document, PolicyEnvironment environment) {
        return new PolicyCompiler(environment).run(document);
    }

    private static PolicyCompilation failed(String message) {
        return new PolicyCompilation(Optional.empty(), List.of(Finding.error("", message)));
    }

    private PolicyCompilation run(JsonNode document) {
        if (document == null || !document.isObject()) {
            findings.add(Finding.error("", "a policy is a JSON object with Version and Statement"));
            return result(List.of());
        }
        if (document.toString().getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            findings.add(Finding.error("", "the policy is larger than " + MAX_BYTES + " bytes of compact JSON"));
            return result(List.of());
        }
        unknownKeys(document, "", DOCUMENT_KEYS);
        version(document.get("Version"));
        JsonNode id = document.get("Id");
        if (id != null && !id.isTextual()) {
            findings.add(Finding.error("/Id", "Id must be a string"));
        }
        List<Statement> statements = new ArrayList<>();
        List<String> statementPaths = new ArrayList<>();
        JsonNode list = document.get("Statement");
        if (list == null) {
            findings.add(Finding.error("/Statement", "Statement is required (use [] for a role nobody may assume)"));
        } else if (list.isObject()) {
            statement(list, "/Statement", 0, new HashSet<>()).ifPresent(s -> {
                statements.add(s);
                statementPaths.add("/Statement");
            });
        } else if (list.isArray()) {
            if (list.size() > MAX_STATEMENTS) {
                findings.add(Finding.error("/Statement", "at most " + MAX_STATEMENTS + " statements"));
                return result(List.of());
            }
            if (list.isEmpty()) {
                findings.add(Finding.warning("/Statement", "no statement: nobody can assume this role"));
            }
            Set<String> sids = new HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                String path = "/Statement/" + i;
                int index = i;
                statement(list.get(i), path, index, sids).ifPresent(s -> {
                    statements.add(s);
                    statementPaths.add(path);
                });
            }
        } else {
            findings.add(Finding.error("/Statement", "Statement must be an object or an array of objects"));
        }
        shadowingDenies(statements, statementPaths);
        return result(statements);
    }

    private PolicyCompilation result(List<Statement> statements) {
        boolean errors = findings.stream().anyMatch(f -> f.severity() == Finding.Severity.ERROR);
        return new PolicyCompilation(errors ? Optional.empty() : Optional.of(new TrustPolicy(statements, referencedKeys)), findings);
    }

    private void version(JsonNode version) {
        if (version == null) {
            findings.add(Finding.warning("/Version", "no Version: as in AWS, the policy is read as version 2008-10-17,"
                    + " where policy variables such as ${kc:Username} are plain text; add \"Version\": \"2012-10-17\""));
            return;
        }
        if (!version.isTextual() || !(version.textValue().equals("2012-10-17") || version.textValue().equals("2008-10-17"))) {
            findings.add(Finding.error("/Version", "Version must be \"2012-10-17\" (or the legacy \"2008-10-17\")"));
            return;
        }
        variables = version.textValue().equals("2012-10-17");
    }

    private Optional<Statement> statement(JsonNode node, String path, int index, Set<String> sids) {
        if (!node.isObject()) {
            findings.add(Finding.error(path, "a statement must be a JSON object"));
            return Optional.empty();
        }
        int before = errorCount();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (key.equals("Resource") || key.equals("NotResource")) {
                findings.add(Finding.error(path + "/" + escape(key), key
                        + " is not allowed in a trust policy: the role itself is the resource"));
            } else if (!STATEMENT_KEYS.contains(key)) {
                findings.add(Finding.error(path + "/" + escape(key), "unknown statement element '" + key
                        + "'; allowed: Sid, Effect, Principal, NotPrincipal, Action, NotAction, Condition"));
            }
        }
        String id = "#" + index;
        JsonNode sid = node.get("Sid");
        if (sid != null) {
            if (!sid.isTextual() || !SID.matcher(sid.textValue()).matches()) {
                findings.add(Finding.error(path + "/Sid", "Sid must be 1-128 letters, digits, '_', '.' or '-'"));
            } else if (!sids.add(sid.textValue())) {
                findings.add(Finding.error(path + "/Sid", "Sid '" + sid.textValue() + "' is used by another statement"));
            } else {
                id = sid.textValue();
            }
        }
        JsonNode effect = node.get("Effect");
        boolean allow = effect != null && "Allow".equals(effect.asText(null));
        if (effect == null || !effect.isTextual() || !(allow || "Deny".equals(effect.textValue()))) {
            findings.add(Finding.error(path + "/Effect", "Effect is required: \"Allow\" or \"Deny\""));
        }
        boolean notPrincipal = node.has("NotPrincipal");
        if (node.has("Principal") == notPrincipal) {
            findings.add(Finding.error(path, "a statement needs exactly one of Principal and NotPrincipal"));
        }
        String principalKey = notPrincipal ? "NotPrincipal" : "Principal";
        Set<String> principals = new LinkedHashSet<>();
        boolean anyPrincipal = principals(node.get(principalKey), path + "/" + principalKey, principals);
        boolean notAction = node.has("NotAction");
        if (node.has("Action") == notAction) {
            findings.add(Finding.error(path, "a statement needs exactly one of Action and NotAction"));
        }
        String actionKey = notAction ? "NotAction" : "Action";
        List<Wildcard> actions = actions(node.get(actionKey), path + "/" + actionKey);
        List<Condition> conditions = conditions(node.get("Condition"), path + "/Condition");
        if (errorCount() > before) {
            return Optional.empty();
        }
        Statement statement = new Statement(id, allow, anyPrincipal, principals, notPrincipal, actions, notAction, conditions);
        if (allow) {
            riskyAllow(statement, principals, node.get("Condition"), path);
        }
        return Optional.of(statement);
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
            findings.add(Finding.error(path, "a principal is \"*\" or {\"Keycloak\": <KRN or list of KRNs>}"));
            return false;
        }
        List<JsonNode> values = scalarList(node.get("Keycloak"), path + "/Keycloak");
        boolean any = false;
        for (int i = 0; i < values.size(); i++) {
            String valuePath = path + "/Keycloak" + (node.get("Keycloak").isArray() ? "/" + i : "");
            JsonNode value = values.get(i);
            if (!value.isTextual()) {
                findings.add(Finding.error(valuePath, "a principal must be a KRN string"));
                continue;
            }
            String text = value.textValue();
            if (text.equals("*")) {
                any = true;
                continue;
            }
            Optional<Krn> krn = Krn.parse(text);
            if (krn.isEmpty()) {
                findings.add(Finding.error(valuePath, "'" + text + "' is not a principal KRN: expected krn:keycloak:iam::<realm>:"
                        + "root | user/<username> | group/<path> | client/<clientId> | role/<path><name> | "
                        + "identity-provider/<alias> | user-federation/<name>, or krn:keycloak:sts::<realm>:assumed-role/<role>/<session>"));
            } else if (Wildcard.hasWildcards(text)) {
                findings.add(Finding.error(valuePath, "wildcards are not allowed in principals (as in AWS); use \"*\" "
                        + "with a condition such as ArnLike on kc:PrincipalKrn"));
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
        List<JsonNode> values = scalarList(node, path);
        for (int i = 0; i < values.size(); i++) {
            String valuePath = node.isArray() ? path + "/" + i : path;
            JsonNode value = values.get(i);
            if (!value.isTextual() || value.textValue().isEmpty()) {
                findings.add(Finding.error(valuePath, "an action must be a non-empty string such as \"sts:AssumeRole\""));
                continue;
            }
            Wildcard action = Wildcard.ignoringCase(value.textValue());
            if (ACTIONS.stream().noneMatch(action::matches)) {
                findings.add(Finding.error(valuePath, "'" + value.textValue() + "' matches no action; trust policies know "
                        + String.join(", ", ACTIONS)));
                continue;
            }
            actions.add(action);
        }
        return actions;
    }

    private List<Condition> conditions(JsonNode node, String path) {
        List<Condition> conditions = new ArrayList<>();
        if (node == null) {
            return conditions;
        }
        if (!node.isObject()) {
            findings.add(Finding.error(path, "Condition must be an object of operators"));
            return conditions;
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String operatorPath = path + "/" + escape(entry.getKey());
            parseOperator(entry.getKey(), operatorPath).ifPresent(parsed -> {
                JsonNode keys = entry.getValue();
                if (!keys.isObject()) {
                    findings.add(Finding.error(operatorPath, "an operator maps condition keys to values"));
                    return;
                }
                if (keys.isEmpty()) {
                    findings.add(Finding.error(operatorPath, "an operator needs at least one condition key: "
                            + "an empty block would be a condition left out"));
                    return;
                }
                for (Map.Entry<String, JsonNode> key : keys.properties()) {
                    condition(parsed, key.getKey(), key.getValue(), operatorPath + "/" + escape(key.getKey()))
                            .ifPresent(conditions::add);
                }
            });
        }
        return conditions;
    }

    private record ParsedOperator(String name, Operator operator, Condition.Qualifier qualifier, boolean ifExists) {
    }

    private Optional<ParsedOperator> parseOperator(String name, String path) {
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
            findings.add(Finding.error(path, "unknown condition operator '" + name + "'"));
            return Optional.empty();
        }
        if (operator.get() == Operator.NULL && (ifExists || qualifier != Condition.Qualifier.NONE)) {
            findings.add(Finding.error(path, "Null takes no IfExists and no ForAnyValue/ForAllValues"));
            return Optional.empty();
        }
        return Optional.of(new ParsedOperator(name, operator.get(), qualifier, ifExists));
    }

    private Optional<Condition> condition(ParsedOperator parsed, String keyName, JsonNode valueNode, String path) {
        Optional<ConditionKeys.Key> key = ConditionKeys.lookup(keyName, environment.identityProviders());
        if (key.isEmpty()) {
            findings.add(Finding.error(path, "unknown condition key '" + keyName + "'"
                    + (keyName.contains(":") && !keyName.regionMatches(true, 0, "kc:", 0, 3)
                    && !keyName.regionMatches(true, 0, "sts:", 0, 4) ? " (no identity provider of that alias in this realm)" : "")));
            return Optional.empty();
        }
        List<JsonNode> values = scalarList(valueNode, path);
        if (values.isEmpty()) {
            return Optional.empty(); // scalarList has reported why, so the policy does not compile
        }
        String label = parsed.name() + " " + keyName;
        if (parsed.operator() == Operator.NULL) {
            referencedKeys.add(ConditionKeys.normalize(keyName));
            if (values.size() != 1 || !(values.get(0).asText().equalsIgnoreCase("true") || values.get(0).asText().equalsIgnoreCase("false"))) {
                findings.add(Finding.error(path, "Null takes one value: true (the key is absent) or false (it is present)"));
                return Optional.empty();
            }
            return Optional.of(new Condition(label, Operator.NULL, Condition.Qualifier.NONE, false, keyName, List.of(),
                    values.get(0).asText().equalsIgnoreCase("true")));
        }
        referencedKeys.add(ConditionKeys.normalize(keyName));
        typeWarnings(parsed, key.get(), keyName, path);
        List<ValueMatcher> matchers = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            String valuePath = valueNode.isArray() ? path + "/" + i : path;
            JsonNode value = values.get(i);
            if (!value.isValueNode() || value.isNull()) {
                findings.add(Finding.error(valuePath, "condition values are strings, numbers or booleans"));
                continue;
            }
            ValueMatcher.compile(parsed.operator().positive(), value.asText(), variables, valuePath,
                    environment.identityProviders(), findings, referencedKeys).ifPresent(matchers::add);
        }
        if (matchers.size() != values.size()) {
            return Optional.empty();
        }
        return Optional.of(new Condition(label, parsed.operator(), parsed.qualifier(), parsed.ifExists(), keyName,
                matchers, false));
    }

    private void typeWarnings(ParsedOperator parsed, ConditionKeys.Key key, String keyName, String path) {
        ConditionKeys.Type wanted = parsed.operator().type;
        boolean compatible = switch (wanted) {
            case STRING -> true;
            case NUMBER -> key.type() == ConditionKeys.Type.NUMBER;
            case DATE -> key.type() == ConditionKeys.Type.DATE || key.type() == ConditionKeys.Type.NUMBER;
            default -> key.type() == wanted;
        };
        if (!compatible) {
            findings.add(Finding.warning(path, parsed.operator().awsName + " compares " + wanted.name().toLowerCase()
                    + " values but " + keyName + " holds " + key.type().name().toLowerCase() + " values: this condition is "
                    + (parsed.operator().negated() ? "true whenever the key is present (and, in a Deny, when it is missing)"
                    : "never true")));
        }
        if (parsed.qualifier() != Condition.Qualifier.NONE && !key.multiValued()) {
            findings.add(Finding.warning(path, keyName + " has a single value; " + parsed.name()
                    + " is meant for multi-valued keys" + (parsed.qualifier() == Condition.Qualifier.FOR_ALL_VALUES
                    ? " (and ForAllValues is true when the key is missing)" : "")));
        }
    }

    private void riskyAllow(Statement statement, Set<String> principals, JsonNode condition, String path) {
        if (statement.anyPrincipal() && !statement.hasConditions()) {
            findings.add(Finding.warning(path + "/Principal", "Principal \"*\" with no Condition lets anyone who can "
                    + "present a token assume this role"));
        }
        boolean externalId = condition != null && condition.toString().toLowerCase().contains("\"sts:externalid\"");
        for (String principal : principals) {
            Krn krn = Krn.parse(principal).orElseThrow();
            if (krn.kind().orElseThrow() == Krn.Kind.ROOT && !krn.realm().equals(environment.realm())
                    && environment.realm() != null && !externalId) {
                findings.add(Finding.warning(path + "/Principal", "trusts every principal of realm '" + krn.realm()
                        + "' without an sts:ExternalId condition (the confused-deputy guard for third parties)"));
            }
        }
    }

    private void shadowingDenies(List<Statement> statements, List<String> paths) {
        Set<String> allowCovered = new HashSet<>();
        statements.stream().filter(Statement::allow).forEach(s -> allowCovered.addAll(covered(s)));
        if (allowCovered.isEmpty()) {
            return;
        }
        for (int i = 0; i < statements.size(); i++) {
            Statement deny = statements.get(i);
            if (!deny.allow() && deny.anyPrincipal() && !deny.hasConditions() && covered(deny).containsAll(allowCovered)) {
                findings.add(Finding.warning(paths.get(i), "this Deny applies to everyone, without conditions, to every "
                        + "action the Allow statements grant: nobody can assume this role"));
            }
        }
    }

    /** The known actions a statement's Action/NotAction covers. */
    private static Set<String> covered(Statement statement) {
        Set<String> covered = new HashSet<>();
        for (String action : ACTIONS) {
            if (statement.actionMatches(action)) {
                covered.add(action);
            }
        }
        return covered;
    }

    /**
     * A string/number/boolean, or a non-empty array of at most MAX_VALUES of them; anything else (null, an object,
     * an empty array) adds an error and gives no value.
     */
    private List<JsonNode> scalarList(JsonNode node, String path) {
        List<JsonNode> values = new ArrayList<>();
        if (node == null || node.isNull()) {
            findings.add(Finding.error(path, "a value is required"));
            return values;
        }
        if (node.isArray()) {
            if (node.isEmpty()) {
                // Issue 14: an empty list was once saved and then dropped its condition. Never leave anything out.
                findings.add(Finding.error(path, "an empty list: give at least one value (an empty list would "
                        + "leave this element out of the policy)"));
                return values;
            }
            if (node.size() > MAX_VALUES) {
                findings.add(Finding.error(path, "at most " + MAX_VALUES + " values"));
                return values;
            }
            node.forEach(values::add);
            return values;
        }
        if (node.isObject()) {
            findings.add(Finding.error(path, "expected a value or an array of values, not an object"));
            return values;
        }
        values.add(node);
        return values;
    }

    private void unknownKeys(JsonNode node, String path, Set<String> allowed) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                findings.add(Finding.error(path + "/" + escape(key), "unknown element '" + key + "'; allowed: " + allowed));
            }
        }
    }

    private int errorCount() {
        return (int) findings.stream().filter(f -> f.severity() == Finding.Severity.ERROR).count();
    }

    /** RFC 6901: '~' and '/' inside a key become '~0' and '~1'. */
    static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
