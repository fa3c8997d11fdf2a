package io.github.keycloaksts.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trust decision's invariants (issue 14), checked with jqwik on generated policies and on generated requests
 * of every caller origin ({@link PolicyCases.Origin}: own-realm user, service account, other-realm user, web
 * identity, SAML, brokered, directory, sign-in session, chained sessions).
 */
class TrustInvariantsTest {

    private static final PolicyEnvironment ACME = new PolicyEnvironment("acme", Set.of("corp"));
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    record Removal(PolicyCases.Request full, PolicyCases.Request reduced) {
    }

    @Provide
    Arbitrary<ObjectNode> policies() {
        return Arbitraries.randomValue(random -> {
            ObjectNode policy = PolicyCases.policy(random);
            JsonNode statements = policy.get("Statement");
            if (statements.isObject()) { // the properties edit the statements as an array
                policy.putArray("Statement").add(statements);
            }
            return policy;
        });
    }

    @Provide
    Arbitrary<PolicyCases.Request> requests() {
        return Arbitraries.of(PolicyCases.Origin.values()).flatMap(origin ->
                Arbitraries.randomValue(random -> PolicyCases.request(random, origin)));
    }

    @Provide
    Arbitrary<PolicyCases.Request> foreignRequests() {
        return Arbitraries.of(PolicyCases.Origin.values()).filter(origin -> origin.foreign).flatMap(origin ->
                Arbitraries.randomValue(random -> PolicyCases.request(random, origin)));
    }

    /** A request and the same request with some of its keys removed (possibly none, possibly all). */
    @Provide
    Arbitrary<Removal> removals() {
        return requests().flatMap(request -> Arbitraries.subsetOf(request.facts().keySet())
                .map(keys -> new Removal(request, request.without(keys))));
    }

    /**
     * (a) An explicit Deny that matches always wins: whatever the policy, adding a Deny statement that matches the
     * request (on its own) makes the decision EXPLICIT_DENY, naming that statement, for every origin.
     */
    @Property(tries = 1000)
    void aMatchingDenyAlwaysWins(@ForAll("policies") ObjectNode policy, @ForAll("requests") PolicyCases.Request request,
                                 @ForAll Random random) {
        ObjectNode guard = matchingDeny(request, random);
        assertThat(evaluate(single(policy, guard), request).outcome()).as("the Deny %s matches on its own", guard)
                .isEqualTo(Decision.Outcome.EXPLICIT_DENY);

        ArrayNode statements = (ArrayNode) policy.get("Statement");
        statements.insert(random.nextInt(statements.size() + 1), guard);
        Decision decision = evaluate(policy, request);

        assertThat(decision.outcome()).as("%s%n%s", policy, request).isEqualTo(Decision.Outcome.EXPLICIT_DENY);
        assertThat(decision.matchedStatements()).contains("Guard");
    }

    /** (b) A Deny for everyone, without condition, denies callers of every origin, whatever else the policy says. */
    @Property(tries = 500)
    void aDenyForEveryoneDeniesEveryOrigin(@ForAll("policies") ObjectNode policy, @ForAll("requests") PolicyCases.Request request,
                                           @ForAll Random random) {
        ObjectNode deny = NODES.objectNode().put("Sid", "Freeze").put("Effect", "Deny").put("Principal", "*")
                .put("Action", random.nextBoolean() ? "*" : "sts:*");
        ((ArrayNode) policy.get("Statement")).add(deny);

        Decision decision = evaluate(policy, request);

        assertThat(decision.outcome()).as("%s%n%s", policy, request).isEqualTo(Decision.Outcome.EXPLICIT_DENY);
        assertThat(decision.matchedStatements()).contains("Freeze");
    }

    /**
     * (c1) A missing fact never makes an Allow statement true, except through the documented exceptions: for an
     * Allow statement with no {@code ...IfExists}, {@code ForAllValues:} or {@code Null} condition, if it matches a
     * request with some keys removed, it matches the full request.
     */
    @Property(tries = 1000)
    void removingFactsNeverMakesAnAllowStatementTrue(@ForAll("policies") ObjectNode policy, @ForAll("removals") Removal removal) {
        for (JsonNode statement : policy.get("Statement")) {
            if (statement.get("Effect").asText().equals("Allow") && needsItsFacts(statement)) {
                ObjectNode alone = single(policy, statement);
                if (evaluate(alone, removal.reduced()).allowed()) {
                    assertThat(evaluate(alone, removal.full()).allowed()).as("%s%nreduced %s%nfull %s", alone,
                            removal.reduced(), removal.full()).isTrue();
                }
            }
        }
    }

    /**
     * (c2) Removing facts never turns a non-ALLOW decision into ALLOW, for every policy whose Allow statements
     * need their facts (no {@code ...IfExists}, {@code ForAllValues:}, {@code Null}) and whose Deny statements hold
     * without them (each condition a negated operator, {@code ...IfExists}, {@code ForAllValues:} or
     * {@code Null: true}, with no policy variable in a positive operator). The policy is the generated one with
     * the other statements left out. Precisely: a policy can be opened by removing facts only through an Allow's
     * documented exception or through a Deny that needs a fact to apply ("Deny when StringEquals ...") — write
     * guardrails as "Deny unless".
     */
    @Property(tries = 1000)
    void removingFactsNeverTurnsADenialIntoAnAllow(@ForAll("policies") ObjectNode policy, @ForAll("removals") Removal removal) {
        ArrayNode kept = NODES.arrayNode();
        for (JsonNode statement : policy.get("Statement")) {
            boolean allow = statement.get("Effect").asText().equals("Allow");
            if (allow ? needsItsFacts(statement) : holdsWithoutFacts(statement, policy)) {
                kept.add(statement);
            }
        }
        policy.set("Statement", kept);

        if (evaluate(policy, removal.reduced()).allowed()) {
            assertThat(evaluate(policy, removal.full()).allowed()).as("%s%nreduced %s%nfull %s", policy,
                    removal.reduced(), removal.full()).isTrue();
        }
    }

    /**
     * (d1) Deny by default: the decision is ALLOW only when some Allow statement matches on its own, and then it
     * names exactly such statements; a policy of Deny statements only is never ALLOW.
     */
    @Property(tries = 1000)
    void noMatchingAllowIsNeverAllow(@ForAll("policies") ObjectNode policy, @ForAll("requests") PolicyCases.Request request) {
        List<String> matchingAllows = new ArrayList<>();
        JsonNode statements = policy.get("Statement");
        for (int i = 0; i < statements.size(); i++) {
            JsonNode statement = statements.get(i);
            if (statement.get("Effect").asText().equals("Allow") && evaluate(single(policy, statement), request).allowed()) {
                matchingAllows.add(statement.has("Sid") ? statement.get("Sid").asText() : "#" + i);
            }
        }
        Decision decision = evaluate(policy, request);
        if (matchingAllows.isEmpty()) {
            assertThat(decision.allowed()).as("%s%n%s", policy, request).isFalse();
        }
        if (decision.allowed()) {
            assertThat(decision.matchedStatements()).containsExactlyElementsOf(matchingAllows);
        }

        statements.forEach(statement -> ((ObjectNode) statement).put("Effect", "Deny"));
        assertThat(evaluate(policy, request).allowed()).isFalse();
    }

    /**
     * (d2) A caller that is not of the role's realm (other realm, web identity, SAML, a chained session of
     * another realm) is never admitted by {@code "*"} or {@code NotPrincipal}: with every Allow's principal made one
     * of those, no policy allows it.
     */
    @Property(tries = 500)
    void anAllowForEveryoneNeverAdmitsAForeignCaller(@ForAll("policies") ObjectNode policy,
                                                     @ForAll("foreignRequests") PolicyCases.Request request, @ForAll Random random) {
        for (JsonNode statement : policy.get("Statement")) {
            ObjectNode s = (ObjectNode) statement;
            if (s.get("Effect").asText().equals("Allow")) {
                s.remove(List.of("Principal", "NotPrincipal"));
                if (random.nextBoolean()) {
                    s.put("Principal", "*");
                } else {
                    s.putObject("NotPrincipal").put("Keycloak", "krn:keycloak:iam::acme:user/mallory");
                }
            }
        }
        assertThat(evaluate(policy, request).allowed()).as("%s%n%s", policy, request).isFalse();
    }

    // --- helpers ---------------------------------------------------------------------------------------------------

    private static Decision evaluate(JsonNode policy, PolicyCases.Request request) {
        PolicyCompilation compilation = PolicyCompiler.compile(policy.toString(), ACME);
        assertThat(compilation.errors()).as(policy.toString()).isEmpty();
        return compilation.policy().orElseThrow().evaluate(request.toAccessRequest());
    }

    private static ObjectNode single(ObjectNode policy, JsonNode statement) {
        ObjectNode alone = NODES.objectNode().put("Version", policy.get("Version").asText());
        alone.putArray("Statement").add(statement.deepCopy());
        return alone;
    }

    private static Iterable<Map.Entry<String, JsonNode>> operators(JsonNode statement) {
        JsonNode condition = statement.get("Condition");
        return condition == null ? List.of() : condition.properties();
    }

    /** No condition that the reference documents as true on a missing key. */
    private static boolean needsItsFacts(JsonNode statement) {
        for (Map.Entry<String, JsonNode> operator : operators(statement)) {
            String name = operator.getKey();
            if (name.endsWith("IfExists") || name.startsWith("ForAllValues:") || name.equals("Null")) {
                return false;
            }
        }
        return true;
    }

    /** Every condition stays true (or becomes true) when facts are removed, so the Deny only spreads. */
    private static boolean holdsWithoutFacts(JsonNode statement, JsonNode policy) {
        boolean variables = policy.get("Version").asText().equals("2012-10-17");
        for (Map.Entry<String, JsonNode> operator : operators(statement)) {
            String name = operator.getKey();
            if (name.equals("Null")) {
                for (JsonNode value : operator.getValue()) {
                    if (!value.asText().equals("true")) {
                        return false;
                    }
                }
                continue;
            }
            boolean negated = name.contains("Not");
            boolean tolerant = !name.startsWith("ForAnyValue:")
                    && (negated || name.endsWith("IfExists") || name.startsWith("ForAllValues:"));
            if (!tolerant || (!negated && variables && operator.getValue().toString().contains("${"))) {
                return false;
            }
        }
        return true;
    }

    /** A Deny that matches the request on its own: a principal and action that cover it, conditions it meets. */
    private static ObjectNode matchingDeny(PolicyCases.Request request, Random random) {
        ObjectNode deny = NODES.objectNode().put("Sid", "Guard").put("Effect", "Deny");
        switch (random.nextInt(3)) {
            case 0 -> deny.put("Principal", "*");
            case 1 -> deny.putObject("Principal").put("Keycloak", request.principals().get(random.nextInt(request.principals().size())));
            default -> deny.putObject("NotPrincipal").put("Keycloak", "krn:keycloak:iam::nowhere:user/nobody");
        }
        switch (random.nextInt(4)) {
            case 0 -> deny.put("Action", request.action());
            case 1 -> deny.put("Action", "sts:*");
            case 2 -> deny.put("Action", "*");
            default -> deny.putArray("NotAction").add(PolicyCompiler.ACTIONS.stream()
                    .filter(action -> !action.equals(request.action())).findFirst().orElseThrow());
        }
        int conditions = random.nextInt(4);
        if (conditions > 0) {
            ObjectNode block = deny.putObject("Condition");
            for (int i = 0; i < conditions; i++) {
                String key = PolicyCases.KEYS.get(random.nextInt(PolicyCases.KEYS.size())).name();
                List<String> values = request.facts().get(key);
                String operator;
                String value;
                if (values != null) {
                    String[] ops = {"StringEquals", "ForAnyValue:StringEquals", "StringLike", "Null"};
                    operator = ops[random.nextInt(ops.length)];
                    value = operator.equals("Null") ? "false" : operator.equals("StringLike") ? "*" : values.get(0);
                } else {
                    String[] ops = {"StringNotEquals", "StringEqualsIfExists", "ForAllValues:StringEquals", "Null",
                            "NotIpAddress", "ArnNotLike"};
                    operator = ops[random.nextInt(ops.length)];
                    value = switch (operator) {
                        case "Null" -> "true";
                        case "NotIpAddress" -> "10.0.0.0/8";
                        case "ArnNotLike" -> "krn:keycloak:iam::acme:user/*";
                        default -> "x";
                    };
                }
                ObjectNode keys = block.has(operator) ? (ObjectNode) block.get(operator) : block.putObject(operator);
                keys.put(key, value);
            }
        }
        return deny;
    }
}
