package io.github.keycloaksts.policy;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A deliberately simple trust-policy evaluator written from docs/policy-language.md alone, never from the
 * compiler's code: it walks the parsed JSON of a policy the compiler accepted, for every request, with regular
 * expressions, BigDecimal and InetAddress where the compiler has automatons and pre-parsed matchers. The
 * differential test compares the two; any disagreement is a bug in one of them (or in the reference text).
 * It assumes a valid policy: validation is the compiler's job.
 */
public final class ReferenceEvaluator {

    /** The outcome and the statements that decided it ({@code Sid} or {@code #index}). */
    public record Result(Decision.Outcome outcome, List<String> matched) {
    }

    /** Regular expressions by source: the generated cases reuse few patterns, and compiling them dominates. */
    private static final Map<String, Pattern> PATTERNS = new java.util.concurrent.ConcurrentHashMap<>();

    private ReferenceEvaluator() {
    }

    private static boolean regexMatches(String regex, int flags, String text) {
        if (PATTERNS.size() > 10_000) {
            PATTERNS.clear(); // fuzzed policies bring endless patterns
        }
        return PATTERNS.computeIfAbsent(flags + "/" + regex, k -> Pattern.compile(regex, flags)).matcher(text).matches();
    }

    public static Result evaluate(JsonNode policy, PolicyCases.Request request) {
        boolean variables = "2012-10-17".equals(policy.path("Version").asText());
        JsonNode statements = policy.get("Statement");
        List<JsonNode> list = new ArrayList<>();
        if (statements.isArray()) {
            statements.forEach(list::add);
        } else {
            list.add(statements);
        }
        List<String> allows = new ArrayList<>();
        List<String> denies = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode statement = list.get(i);
            boolean allow = statement.get("Effect").asText().equals("Allow");
            if (principalMatches(statement, allow, request) && actionMatches(statement, request.action())
                    && conditionsHold(statement.get("Condition"), allow, variables, request)) {
                String id = statement.has("Sid") ? statement.get("Sid").asText() : "#" + i;
                (allow ? allows : denies).add(id);
            }
        }
        // "if any Deny statement matches, explicitDeny; otherwise, if any Allow matches, allow; otherwise implicitDeny"
        if (!denies.isEmpty()) {
            return new Result(Decision.Outcome.EXPLICIT_DENY, denies);
        }
        return allows.isEmpty() ? new Result(Decision.Outcome.IMPLICIT_DENY, List.of())
                : new Result(Decision.Outcome.ALLOW, allows);
    }

    // --- "Who a statement is about" -------------------------------------------------------------------------

    private static boolean principalMatches(JsonNode statement, boolean allow, PolicyCases.Request request) {
        boolean not = statement.has("NotPrincipal");
        JsonNode principal = not ? statement.get("NotPrincipal") : statement.get("Principal");
        List<String> named = new ArrayList<>();
        if (principal.isTextual()) {
            named.add(principal.asText());
        } else {
            JsonNode krns = principal.get("Keycloak");
            if (krns.isArray()) {
                krns.forEach(k -> named.add(k.asText()));
            } else {
                named.add(krns.asText());
            }
        }
        boolean star = named.contains("*");
        boolean listed = named.stream().anyMatch(request.principals()::contains);
        if (allow && request.foreign()) {
            // Allow: "*" never matches a foreign caller, NotPrincipal never admits one, a listed KRN does.
            return !not && listed;
        }
        // The role's realm (Allow or Deny), or a Deny for a foreign caller: "*" is everyone.
        boolean covered = star || listed;
        return not != covered;
    }

    // --- Action: "wildcards, compared ignoring case" --------------------------------------------------------

    private static boolean actionMatches(JsonNode statement, String action) {
        boolean not = statement.has("NotAction");
        JsonNode actions = not ? statement.get("NotAction") : statement.get("Action");
        List<String> patterns = new ArrayList<>();
        if (actions.isArray()) {
            actions.forEach(a -> patterns.add(a.asText()));
        } else {
            patterns.add(actions.asText());
        }
        // "compared ignoring case"
        boolean listed = patterns.stream().anyMatch(p -> regexMatches(wildcardRegex(p.toLowerCase(Locale.ROOT), null),
                Pattern.DOTALL, action.toLowerCase(Locale.ROOT)));
        return not != listed;
    }

    // --- Conditions: "must all hold (AND); the values listed for one key are alternatives (OR)" -------------

    private static boolean conditionsHold(JsonNode block, boolean allow, boolean variables, PolicyCases.Request request) {
        if (block == null) {
            return true;
        }
        for (Map.Entry<String, JsonNode> operator : block.properties()) {
            for (Map.Entry<String, JsonNode> key : operator.getValue().properties()) {
                List<String> values = new ArrayList<>();
                if (key.getValue().isArray()) {
                    key.getValue().forEach(v -> values.add(v.asText()));
                } else {
                    values.add(key.getValue().asText());
                }
                if (!condition(operator.getKey(), key.getKey(), values, allow, variables, request)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean condition(String operatorName, String key, List<String> policyValues, boolean allow,
                                     boolean variables, PolicyCases.Request request) {
        List<String> present = requestValues(request, key);
        if (operatorName.equals("Null")) {
            // "true": the key is absent; "false": it is present
            return policyValues.get(0).equalsIgnoreCase("true") == present.isEmpty();
        }
        String name = operatorName;
        String qualifier = "";
        for (String q : List.of("ForAnyValue:", "ForAllValues:")) {
            if (name.startsWith(q)) {
                qualifier = q;
                name = name.substring(q.length());
            }
        }
        boolean ifExists = name.endsWith("IfExists");
        if (ifExists) {
            name = name.substring(0, name.length() - "IfExists".length());
        }
        boolean negated = name.contains("Not");
        String positive = name.replace("Not", "");
        // "Missing keys: deny by default" (the table)
        if (present.isEmpty()) {
            if (ifExists || qualifier.equals("ForAllValues:")) {
                return true;
            }
            if (qualifier.equals("ForAnyValue:")) {
                return false;
            }
            return negated && !allow;
        }
        boolean variablesHere = variables && List.of("StringEquals", "StringEqualsIgnoreCase", "StringLike", "ArnEquals",
                "ArnLike").contains(positive);
        List<Token[]> resolved = new ArrayList<>();
        for (String value : policyValues) {
            Token[] tokens = variablesHere ? substitute(value, request) : literalText(value, false);
            if (tokens == null && negated) {
                return !allow; // a negated operator cannot say what a value with a missing variable is "not"
            }
            if (tokens != null) {
                resolved.add(tokens); // a positive operator's value with a missing variable matches nothing
            }
        }
        // "A request value matches a negated operator when it matches none of the policy values"
        List<Boolean> perValue = new ArrayList<>();
        for (String requestValue : present) {
            boolean any = resolved.stream().anyMatch(tokens -> positiveMatch(positive, requestValue, tokens));
            perValue.add(negated != any);
        }
        return switch (qualifier) {
            case "ForAnyValue:" -> perValue.contains(true);
            case "ForAllValues:" -> !perValue.contains(false);
            // unqualified: positive needs some request value to match, negated needs every one to match none
            default -> negated ? !perValue.contains(false) : perValue.contains(true);
        };
    }

    /**
     * "Key names are compared ignoring case ... but what names an attribute or a claim keeps its case": tag keys
     * ignore case, the attribute name after kc:PrincipalAttribute/ and claim keys compare exactly.
     */
    private static List<String> requestValues(PolicyCases.Request request, String policyKey) {
        for (Map.Entry<String, List<String>> fact : request.facts().entrySet()) {
            if (sameKey(policyKey, fact.getKey())) {
                return fact.getValue();
            }
        }
        return List.of();
    }

    private static boolean sameKey(String policyKey, String requestKey) {
        String attribute = "kc:principalattribute/";
        if (policyKey.toLowerCase(Locale.ROOT).startsWith(attribute)) {
            return requestKey.toLowerCase(Locale.ROOT).startsWith(attribute)
                    && policyKey.substring(attribute.length()).equals(requestKey.substring(attribute.length()));
        }
        boolean ours = policyKey.toLowerCase(Locale.ROOT).startsWith("kc:") || policyKey.toLowerCase(Locale.ROOT).startsWith("sts:");
        return ours ? policyKey.equalsIgnoreCase(requestKey) : policyKey.equals(requestKey);
    }

    // --- Policy variables --------------------------------------------------------------------------------------

    /** One character of a resolved value; literal ones are never wildcards. */
    private record Token(int codePoint, boolean literal) {
    }

    private static Token[] literalText(String text, boolean literal) {
        return text.codePoints().mapToObj(c -> new Token(c, literal)).toArray(Token[]::new);
    }

    /** "${key}" replaced by the request's single value (literal), "${*}" "${?}" "${$}" literal; null if unresolvable. */
    private static Token[] substitute(String value, PolicyCases.Request request) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < value.length()) {
            int open = value.indexOf("${", i);
            if (open < 0) {
                out.addAll(Arrays.asList(literalText(value.substring(i), false)));
                break;
            }
            out.addAll(Arrays.asList(literalText(value.substring(i, open), false)));
            int close = value.indexOf('}', open);
            String name = value.substring(open + 2, close).trim();
            if (name.equals("*") || name.equals("?") || name.equals("$")) {
                out.add(new Token(name.charAt(0), true));
            } else {
                List<String> values = requestValues(request, name);
                if (values.size() != 1) {
                    return null;
                }
                out.addAll(Arrays.asList(literalText(values.get(0), true)));
            }
            i = close + 1;
        }
        return out.toArray(Token[]::new);
    }

    private static String plain(Token[] tokens) {
        StringBuilder text = new StringBuilder();
        for (Token t : tokens) {
            text.appendCodePoint(t.codePoint());
        }
        return text.toString();
    }

    // --- Operators (the table "Condition operators") -----------------------------------------------------------

    private static boolean positiveMatch(String operator, String requestValue, Token[] policyValue) {
        String text = plain(policyValue);
        return switch (operator) {
            case "StringEquals" -> requestValue.equals(text);
            case "StringEqualsIgnoreCase" -> requestValue.toLowerCase(Locale.ROOT).equals(text.toLowerCase(Locale.ROOT));
            case "StringLike" -> regexMatches(wildcardRegex(null, policyValue), Pattern.DOTALL, requestValue);
            case "NumericEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan",
                 "NumericGreaterThanEquals" -> compare(operator, number(requestValue), number(text));
            case "DateEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals" ->
                    compare(operator, date(requestValue), date(text));
            case "Bool" -> requestValue.equalsIgnoreCase(text);
            case "BinaryEquals" -> {
                byte[] a = base64(requestValue);
                yield a != null && Arrays.equals(a, base64(text));
            }
            case "IpAddress" -> inBlock(requestValue, text);
            case "ArnEquals", "ArnLike" -> arnMatches(requestValue, policyValue);
            default -> throw new IllegalStateException("no such operator in the reference: " + operator);
        };
    }

    /** "each of the six :-separated parts matched on its own with * / ?, case-sensitive" */
    private static boolean arnMatches(String krn, Token[] pattern) {
        String[] parts = krn.split(":", 6);
        List<List<Token>> patternParts = new ArrayList<>();
        patternParts.add(new ArrayList<>());
        for (Token t : pattern) {
            if (t.codePoint() == ':' && patternParts.size() < 6) {
                patternParts.add(new ArrayList<>());
            } else {
                patternParts.get(patternParts.size() - 1).add(t);
            }
        }
        if (parts.length != 6 || patternParts.size() != 6) {
            return false;
        }
        for (int i = 0; i < 6; i++) {
            String regex = wildcardRegex(null, patternParts.get(i).toArray(Token[]::new));
            if (!regexMatches(regex, Pattern.DOTALL, parts[i])) {
                return false;
            }
        }
        return true;
    }

    /** "*" any run, "?" one character; literal tokens (substituted text, ${*}) stand for themselves. */
    private static String wildcardRegex(String text, Token[] tokens) {
        Token[] all = tokens != null ? tokens : literalText(text, false);
        StringBuilder regex = new StringBuilder();
        for (Token t : all) {
            if (!t.literal() && t.codePoint() == '*') {
                regex.append(".*");
            } else if (!t.literal() && t.codePoint() == '?') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(new String(Character.toChars(t.codePoint()))));
            }
        }
        return regex.toString();
    }

    private static <T extends Comparable<T>> boolean compare(String operator, T request, T policy) {
        if (request == null || policy == null) {
            return false; // "a value that cannot be read as the operator's type does not match"
        }
        int order = request.compareTo(policy);
        if (operator.endsWith("LessThanEquals")) {
            return order <= 0;
        }
        if (operator.endsWith("LessThan")) {
            return order < 0;
        }
        if (operator.endsWith("GreaterThanEquals")) {
            return order >= 0;
        }
        if (operator.endsWith("GreaterThan")) {
            return order > 0;
        }
        return order == 0;
    }

    /** "decimal numbers (at most 32 characters, no exponent)" */
    private static BigDecimal number(String text) {
        if (text.length() > 32 || !text.matches("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)")) {
            return null;
        }
        return new BigDecimal(text);
    }

    /** "ISO 8601 (with offset, or a date = midnight UTC) or epoch seconds" */
    private static Instant date(String text) {
        if (text.matches("\\d+")) {
            return text.length() <= 12 ? Instant.ofEpochSecond(Long.parseLong(text)) : null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (RuntimeException e) {
            // not a date-time
        }
        try {
            return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (RuntimeException e) {
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

    /** "IPv4/IPv6 addresses and CIDR blocks; literals only, never a DNS name" */
    private static boolean inBlock(String address, String block) {
        byte[] a = ipLiteral(address);
        int slash = block.indexOf('/');
        byte[] b = ipLiteral(slash < 0 ? block : block.substring(0, slash));
        if (a == null || b == null || a.length != b.length) {
            return false;
        }
        int prefix = slash < 0 ? a.length * 8 : Integer.parseInt(block.substring(slash + 1));
        for (int bit = 0; bit < prefix; bit++) {
            int mask = 0x80 >> (bit % 8);
            if ((a[bit / 8] & mask) != (b[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    private static byte[] ipLiteral(String text) {
        boolean v4 = text.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = text.contains(":") && text.matches("[0-9A-Fa-f:]+");
        if (!v4 && !v6) {
            return null; // never let InetAddress resolve a name
        }
        try {
            return InetAddress.getByName(text).getAddress();
        } catch (Exception e) {
            return null;
        }
    }
}
