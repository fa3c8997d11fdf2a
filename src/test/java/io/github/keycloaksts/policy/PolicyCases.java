package io.github.keycloaksts.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Generated trust policies and requests for the property and differential tests: small pools of keys, values and
 * principals that overlap, so that generated conditions are often true, often false and often about a missing key,
 * and requests from every caller origin. Plain {@link Random} so that jqwik ({@code Arbitraries.randomValue}) and a
 * seeded loop share the same generators.
 */
public final class PolicyCases {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The caller origins of issue 14, as the policy level sees them: principals, foreign flag, keys present. */
    public enum Origin {
        OWN_REALM_USER(false), SERVICE_ACCOUNT(false), OTHER_REALM_USER(true), WEB_IDENTITY(true), SAML(true),
        BROKERED_USER(false), DIRECTORY_USER(false), SIGN_IN_SESSION(false), CHAINED_SESSION(false),
        CHAINED_FOREIGN_SESSION(true);

        final boolean foreign;

        Origin(boolean foreign) {
            this.foreign = foreign;
        }
    }

    /** A request as plain data, so that the reference evaluator never reads {@link AccessRequest}'s internals. */
    public record Request(Origin origin, List<String> principals, String action, boolean foreign, Map<String, List<String>> facts) {

        public AccessRequest toAccessRequest() {
            AccessRequest.Builder builder = AccessRequest.builder().action(action).foreign(foreign);
            principals.forEach(builder::principal);
            facts.forEach(builder::value);
            return builder.build();
        }

        /** The same request without the given keys (facts removed). */
        Request without(Set<String> keys) {
            Map<String, List<String>> kept = new LinkedHashMap<>(facts);
            kept.keySet().removeAll(keys);
            return new Request(origin, principals, action, foreign, kept);
        }

        @Override
        public String toString() {
            return origin + " " + principals + " " + action + (foreign ? " foreign " : " ") + facts;
        }
    }

    enum Type { STRING, NUMBER, DATE, BOOL, IP, KRN, BINARY }

    /** Request-side spellings of keys (as the facts builders write them) with their type and multiplicity. */
    record KeySpec(String name, Type type, boolean multi) {
    }

    static final List<KeySpec> KEYS = List.of(
            new KeySpec("sts:ExternalId", Type.STRING, false),
            new KeySpec("sts:SourceIdentity", Type.STRING, false),
            new KeySpec("kc:Username", Type.STRING, false),
            new KeySpec("kc:ClientId", Type.STRING, false),
            new KeySpec("kc:Acr", Type.STRING, false),
            new KeySpec("kc:IdentityProvider", Type.STRING, false),
            new KeySpec("kc:FederationLink", Type.STRING, false),
            new KeySpec("kc:Groups", Type.STRING, true),
            new KeySpec("kc:Amr", Type.STRING, true),
            new KeySpec("kc:TagKeys", Type.STRING, true),
            new KeySpec("kc:PrincipalAttribute/department", Type.STRING, true),
            new KeySpec("kc:PrincipalAttribute/DEPartment", Type.STRING, true),
            new KeySpec("kc:RequestTag/team", Type.STRING, false),
            new KeySpec("kc:PrincipalTag/team", Type.STRING, false),
            new KeySpec("corp:sub", Type.STRING, true),
            new KeySpec("corp:groups", Type.STRING, true),
            new KeySpec("corp:Groups", Type.STRING, true),
            new KeySpec("kc:MultiFactorAuthAge", Type.NUMBER, false),
            new KeySpec("kc:EpochTime", Type.NUMBER, false),
            new KeySpec("kc:AuthTime", Type.DATE, false),
            new KeySpec("kc:CurrentTime", Type.DATE, false),
            new KeySpec("kc:MultiFactorAuthPresent", Type.BOOL, false),
            new KeySpec("kc:SourceIp", Type.IP, false),
            new KeySpec("kc:PrincipalKrn", Type.KRN, false));

    private static final Map<Type, List<String>> REQUEST_VALUES = Map.of(
            Type.STRING, List.of("alice", "Alice", "bob", "eve", "/eng", "/eng/sre", "/finance", "gold", "pwd", "otp",
                    "finance", "engineering", "a*b", "", "x", "corp", "ldap", "u-1", "alice-app"),
            Type.NUMBER, List.of("0", "10", "300", "3.50", "-1", "abc", "1767225600"),
            Type.DATE, List.of("2026-01-01T00:00:00Z", "2026-06-01T10:00:00Z", "1767225600", "2025-12-31", "garbage"),
            Type.BOOL, List.of("true", "false", "TRUE", "yes"),
            Type.IP, List.of("10.1.2.3", "192.0.2.1", "203.0.113.9", "2001:db8::1", "::1", "not-an-ip"),
            Type.KRN, List.of("krn:keycloak:iam::acme:user/alice", "krn:keycloak:iam::acme:user/bob",
                    "krn:keycloak:iam::partners:user/eve", "krn:keycloak:iam::acme:client/app",
                    "krn:keycloak:sts::acme:assumed-role/deployer/s1", "krn:keycloak:iam::acme:identity-provider/corp"),
            Type.BINARY, List.of("YWxpY2U=", "Ym9i", "not base64!"));

    private static final Map<Type, List<String>> POLICY_VALUES = Map.of(
            Type.STRING, List.of("alice", "bob", "/eng", "/eng*", "/finance", "gold", "pwd", "otp", "finance", "a*b",
                    "al?ce", "*", "", "x", "corp", "ldap", "u-1", "ALICE", "${kc:Username}", "${kc:Username}-app",
                    "${kc:PrincipalTag/team}", "${kc:RequestTag/TEAM}", "a${*}b", "${sts:ExternalId}*", "${$}{x}"),
            Type.NUMBER, List.of("0", "10", "300", "3.5", "-1", "1767225600"),
            Type.DATE, List.of("2026-01-01", "2026-01-01T00:00:00Z", "2026-06-01T12:00:00+02:00", "1767225600"),
            Type.BOOL, List.of("true", "false", "True"),
            Type.IP, List.of("10.0.0.0/8", "192.0.2.1", "2001:db8::/32", "0.0.0.0/0", "203.0.113.0/24"),
            Type.KRN, List.of("krn:keycloak:iam::acme:user/alice", "krn:keycloak:iam::acme:user/*",
                    "krn:keycloak:iam::*:root", "krn:keycloak:*::acme:*", "krn:keycloak:iam::acme:user/${kc:Username}",
                    "krn:keycloak:iam::acme:*/a*", "krn:keycloak:sts::acme:assumed-role/deployer/*"),
            Type.BINARY, List.of("YWxpY2U=", "Ym9i"));

    record OperatorSpec(String name, Type type, boolean negated) {
    }

    static final List<OperatorSpec> OPERATORS = List.of(
            new OperatorSpec("StringEquals", Type.STRING, false), new OperatorSpec("StringNotEquals", Type.STRING, true),
            new OperatorSpec("StringEqualsIgnoreCase", Type.STRING, false),
            new OperatorSpec("StringNotEqualsIgnoreCase", Type.STRING, true),
            new OperatorSpec("StringLike", Type.STRING, false), new OperatorSpec("StringNotLike", Type.STRING, true),
            new OperatorSpec("NumericEquals", Type.NUMBER, false), new OperatorSpec("NumericNotEquals", Type.NUMBER, true),
            new OperatorSpec("NumericLessThan", Type.NUMBER, false),
            new OperatorSpec("NumericLessThanEquals", Type.NUMBER, false),
            new OperatorSpec("NumericGreaterThan", Type.NUMBER, false),
            new OperatorSpec("NumericGreaterThanEquals", Type.NUMBER, false),
            new OperatorSpec("DateEquals", Type.DATE, false), new OperatorSpec("DateNotEquals", Type.DATE, true),
            new OperatorSpec("DateLessThan", Type.DATE, false), new OperatorSpec("DateLessThanEquals", Type.DATE, false),
            new OperatorSpec("DateGreaterThan", Type.DATE, false),
            new OperatorSpec("DateGreaterThanEquals", Type.DATE, false),
            new OperatorSpec("Bool", Type.BOOL, false), new OperatorSpec("BinaryEquals", Type.BINARY, false),
            new OperatorSpec("IpAddress", Type.IP, false), new OperatorSpec("NotIpAddress", Type.IP, true),
            new OperatorSpec("ArnEquals", Type.KRN, false), new OperatorSpec("ArnLike", Type.KRN, false),
            new OperatorSpec("ArnNotEquals", Type.KRN, true), new OperatorSpec("ArnNotLike", Type.KRN, true));

    private static final List<String> POLICY_PRINCIPALS = List.of(
            "krn:keycloak:iam::acme:root", "krn:keycloak:iam::acme:user/alice", "krn:keycloak:iam::acme:user/bob",
            "krn:keycloak:iam::acme:group/eng", "krn:keycloak:iam::acme:client/app", "krn:keycloak:iam::partners:root",
            "krn:keycloak:iam::partners:user/eve", "krn:keycloak:iam::acme:identity-provider/corp",
            "krn:keycloak:iam::acme:user-federation/ldap", "krn:keycloak:iam::acme:role/deployer",
            "krn:keycloak:sts::acme:assumed-role/deployer/s1", "*");

    private static final List<String> POLICY_ACTIONS = List.of("sts:AssumeRole", "sts:*", "sts:Assume*", "STS:assumerole",
            "sts:TagSession", "sts:AssumeRoleWith*", "*", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity",
            "sts:SetSourceIdentity", "sts:?agSession");

    private PolicyCases() {
    }

    private static <T> T pick(Random random, List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    /** A policy that compiles (the generators only use valid pieces; callers still check). */
    public static ObjectNode policy(Random random) {
        ObjectNode policy = NODES.objectNode();
        policy.put("Version", random.nextInt(20) == 0 ? "2008-10-17" : "2012-10-17");
        ArrayNode statements = policy.putArray("Statement");
        int count = random.nextInt(5);
        for (int i = 0; i < count; i++) {
            ObjectNode statement = statement(random, random.nextBoolean() ? "Allow" : "Deny");
            if (random.nextInt(4) == 0) {
                statement.put("Sid", "S" + i); // decisions name it by Sid, the others by #index
            }
            statements.add(statement);
        }
        if (count == 1 && random.nextBoolean()) {
            policy.set("Statement", statements.get(0)); // a single statement object, not an array
        }
        return policy;
    }

    static ObjectNode statement(Random random, String effect) {
        ObjectNode statement = NODES.objectNode();
        statement.put("Effect", effect);
        String principalKey = random.nextInt(6) == 0 ? "NotPrincipal" : "Principal";
        if (random.nextInt(3) == 0) {
            statement.put(principalKey, "*");
        } else if (random.nextInt(4) == 0) {
            statement.putObject(principalKey).put("Keycloak", pick(random, POLICY_PRINCIPALS)); // one KRN, no array
        } else {
            ArrayNode krns = statement.putObject(principalKey).putArray("Keycloak");
            distinct(random, POLICY_PRINCIPALS, 1 + random.nextInt(3)).forEach(krns::add);
        }
        String actionKey = random.nextInt(8) == 0 ? "NotAction" : "Action";
        if (random.nextInt(3) == 0) {
            statement.put(actionKey, pick(random, POLICY_ACTIONS));
        } else {
            ArrayNode actions = statement.putArray(actionKey);
            distinct(random, POLICY_ACTIONS, 1 + random.nextInt(2)).forEach(actions::add);
        }
        int conditions = random.nextInt(4);
        if (conditions > 0) {
            ObjectNode block = statement.putObject("Condition");
            for (int i = 0; i < conditions; i++) {
                addCondition(random, block);
            }
        }
        return statement;
    }

    private static void addCondition(Random random, ObjectNode block) {
        KeySpec key = pick(random, KEYS);
        String keyName = policySpelling(random, key.name());
        if (random.nextInt(12) == 0) {
            object(block, "Null").put(keyName, random.nextBoolean() ? "true" : "false");
            return;
        }
        // Mostly an operator of the key's type, sometimes any operator (a type mismatch the compiler only warns about).
        List<OperatorSpec> fitting = OPERATORS.stream().filter(op -> op.type() == key.type()
                || (op.type() == Type.BINARY && key.type() == Type.STRING)).toList();
        OperatorSpec operator = random.nextInt(8) == 0 || fitting.isEmpty() ? pick(random, OPERATORS) : pick(random, fitting);
        int qualifier = random.nextInt(10);
        String name = (qualifier < 2 ? "ForAnyValue:" : qualifier < 4 ? "ForAllValues:" : "") + operator.name()
                + (random.nextInt(4) == 0 ? "IfExists" : "");
        ObjectNode keys = object(block, name);
        List<String> chosen = distinct(random, POLICY_VALUES.get(operator.type()), 1 + random.nextInt(2));
        if (chosen.size() == 1 && random.nextBoolean()) {
            keys.set(keyName, scalar(chosen.get(0), operator.type())); // one value, no array
        } else {
            ArrayNode values = keys.putArray(keyName);
            chosen.forEach(value -> values.add(scalar(value, operator.type())));
        }
    }

    /** Numbers and booleans may be written as JSON numbers and booleans: they are read as their text. */
    private static JsonNode scalar(String value, Type type) {
        if (type == Type.NUMBER && value.matches("-?\\d+") ) {
            return NODES.numberNode(Long.parseLong(value));
        }
        if (type == Type.BOOL && (value.equals("true") || value.equals("false"))) {
            return NODES.booleanNode(Boolean.parseBoolean(value));
        }
        return NODES.textNode(value);
    }

    private static ObjectNode object(ObjectNode parent, String name) {
        return parent.has(name) ? (ObjectNode) parent.get(name) : parent.putObject(name);
    }

    /** Key names compare ignoring case, names after a prefix too for tags, exactly for attributes and claims. */
    private static String policySpelling(Random random, String name) {
        int slash = name.indexOf('/');
        switch (random.nextInt(4)) {
            case 0:
                if (name.startsWith("corp:")) {
                    return name;
                }
                String prefix = slash < 0 ? name : name.substring(0, slash + 1);
                String rest = slash < 0 ? "" : name.substring(slash + 1);
                boolean tag = name.startsWith("kc:RequestTag/") || name.startsWith("kc:PrincipalTag/");
                return prefix.toUpperCase(Locale.ROOT) + (tag ? rest.toUpperCase(Locale.ROOT) : rest);
            case 1:
                return name.startsWith("corp:") ? name : (slash < 0 ? name.toLowerCase(Locale.ROOT)
                        : name.substring(0, slash + 1).toLowerCase(Locale.ROOT) + name.substring(slash + 1));
            default:
                return name;
        }
    }

    private static List<String> distinct(Random random, List<String> pool, int n) {
        Set<String> chosen = new LinkedHashSet<>();
        while (chosen.size() < Math.min(n, pool.size())) {
            chosen.add(pick(random, pool));
        }
        return new ArrayList<>(chosen);
    }

    public static Request request(Random random) {
        return request(random, pick(random, List.of(Origin.values())));
    }

    /** A request of the given origin: its principals and foreign flag, and each of its keys present or not. */
    static Request request(Random random, Origin origin) {
        List<String> principals = new ArrayList<>();
        String user = random.nextBoolean() ? "alice" : "bob";
        String action = random.nextInt(4) == 0 ? pick(random, PolicyCompiler.ACTIONS) : "sts:AssumeRole";
        Set<String> keys = new LinkedHashSet<>(List.of("sts:ExternalId", "sts:SourceIdentity", "kc:ClientId",
                "kc:SourceIp", "kc:CurrentTime", "kc:EpochTime", "kc:RequestTag/team", "kc:TagKeys"));
        switch (origin) {
            case OWN_REALM_USER, BROKERED_USER, DIRECTORY_USER -> {
                principals.add("krn:keycloak:iam::acme:user/" + user);
                principals.add("krn:keycloak:iam::acme:root");
                if (random.nextBoolean()) {
                    principals.add("krn:keycloak:iam::acme:group/eng");
                }
                keys.addAll(List.of("kc:Username", "kc:Groups", "kc:PrincipalKrn", "kc:PrincipalAttribute/department",
                        "kc:PrincipalAttribute/DEPartment", "kc:Acr", "kc:Amr", "kc:AuthTime",
                        "kc:MultiFactorAuthPresent", "kc:MultiFactorAuthAge"));
                if (origin == Origin.BROKERED_USER) {
                    principals.add("krn:keycloak:iam::acme:identity-provider/corp");
                    keys.addAll(List.of("kc:IdentityProvider", "corp:sub", "corp:groups", "corp:Groups"));
                } else if (origin == Origin.DIRECTORY_USER) {
                    principals.add("krn:keycloak:iam::acme:user-federation/ldap");
                    keys.add("kc:FederationLink");
                }
            }
            case SERVICE_ACCOUNT -> {
                principals.add("krn:keycloak:iam::acme:client/app");
                principals.add("krn:keycloak:iam::acme:root");
                keys.addAll(List.of("kc:Username", "kc:PrincipalKrn", "kc:Groups"));
            }
            case OTHER_REALM_USER -> {
                principals.add("krn:keycloak:iam::partners:user/eve");
                principals.add("krn:keycloak:iam::partners:root");
                keys.addAll(List.of("kc:Username", "kc:Groups", "kc:PrincipalKrn", "kc:Acr", "kc:Amr",
                        "kc:MultiFactorAuthPresent"));
            }
            case WEB_IDENTITY, SAML -> {
                principals.add("krn:keycloak:iam::acme:identity-provider/corp");
                action = origin == Origin.SAML ? "sts:AssumeRoleWithSAML" : "sts:AssumeRoleWithWebIdentity";
                keys.addAll(List.of("corp:sub", "corp:groups", "corp:Groups", "kc:PrincipalKrn"));
            }
            case SIGN_IN_SESSION, CHAINED_SESSION, CHAINED_FOREIGN_SESSION -> {
                String realm = origin == Origin.CHAINED_FOREIGN_SESSION ? "partners" : "acme";
                principals.add("krn:keycloak:iam::" + realm + ":role/deployer");
                principals.add("krn:keycloak:sts::" + realm + ":assumed-role/deployer/s1");
                principals.add("krn:keycloak:iam::" + realm + ":root");
                keys.addAll(List.of("kc:PrincipalTag/team", "kc:PrincipalKrn", "kc:Username"));
                if (origin != Origin.SIGN_IN_SESSION) {
                    principals.add("krn:keycloak:iam::acme:identity-provider/corp"); // the origin's facts are kept
                    keys.addAll(List.of("kc:IdentityProvider", "corp:sub", "kc:Acr", "kc:Amr"));
                }
            }
        }
        Map<String, List<String>> facts = new LinkedHashMap<>();
        for (KeySpec key : KEYS) {
            if (keys.contains(key.name()) && random.nextInt(10) < 7) {
                List<String> pool = REQUEST_VALUES.get(key.type());
                int n = key.multi() ? 1 + random.nextInt(3) : 1;
                facts.put(key.name(), distinct(random, pool, n));
            }
        }
        if (random.nextInt(3) == 0) { // facts that match principals and variables more often
            facts.put("kc:Username", List.of(user));
            facts.put("kc:PrincipalKrn", List.of(principals.get(0)));
        }
        return new Request(origin, List.copyOf(principals), action, origin.foreign, facts);
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
