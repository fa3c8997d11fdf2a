package io.github.keycloaksts.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloaksts.json.MalformedJsonException;
import io.github.keycloaksts.json.StrictJson;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The examples readers copy work: every {@code ```json} block of the README and the docs (indented ones too) and
 * every single-quoted JSON argument of a {@code ```bash} block parses as the server reads JSON (no duplicate keys,
 * no trailing content), and every policy in them (any object with a {@code Statement}, at any depth, and any lone
 * statement) compiles without errors, as do the demo roles' trust policies. Exceptions are marked by an HTML
 * comment on the line right before the fence, and a mark that no longer fits its block is an error too:
 * <ul>
 *   <li>{@value #FRAGMENT}: the block is deliberately not whole JSON (an excerpt with "...");</li>
 *   <li>{@value #INVALID}: the block is a policy that deliberately does not compile (it shows errors);</li>
 *   <li>{@value #FINDINGS}: the block is the findings array the preceding json block's policy gets, exactly.</li>
 * </ul>
 */
class DocumentedPoliciesTest {

    static final String FRAGMENT = "<!-- fragment: not whole JSON -->";
    static final String INVALID = "<!-- invalid policy: refused on purpose -->";
    static final String FINDINGS = "<!-- findings of the policy above -->";
    /** A fence, indented or not, with the line before it (for the mark) and its language. */
    private static final Pattern BLOCK = Pattern.compile(
            "(?m)^([^\\n]*)\\n([ \\t]*)```([a-z]*)[ \\t]*\\n(.*?)^\\2```[ \\t]*$", Pattern.DOTALL);
    /** A single-quoted shell argument holding JSON, as a body or a form value: {@code -d '{...}'}, {@code 'x={...}'}. */
    private static final Pattern QUOTED_JSON = Pattern.compile("'(?:[A-Za-z_]+=)?(\\{[^']*)'");
    private static final PolicyEnvironment ACME = new PolicyEnvironment("acme", Set.of("corp", "corp-saml", "google"));

    private final List<String> problems = new ArrayList<>();
    private int policies;

    @Test
    void everyDocumentedPolicyCompiles() throws Exception {
        List<Path> docs = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> files = Files.list(Path.of("docs"))) {
            files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        for (Path doc : docs) {
            check(doc, Files.readString(doc));
        }
        for (JsonNode role : json(Files.readString(Path.of("demo/iam-roles.json"))).get("roles")) {
            policy("demo/iam-roles.json " + role.get("name").asText(), role.get("trustPolicy"));
        }
        assertThat(problems).as("documented JSON and policies").isEmpty();
        assertThat(policies).as("policies found in the docs and the demo").isGreaterThanOrEqualTo(22);
    }

    private void check(Path doc, String text) {
        Matcher blocks = BLOCK.matcher(text);
        JsonNode previousPolicy = null;
        while (blocks.find()) {
            String where = doc + ":" + (text.substring(0, blocks.start(4)).split("\n", -1).length - 1);
            String mark = blocks.group(1).trim();
            String body = dedent(blocks.group(4), blocks.group(2));
            if (blocks.group(3).equals("bash")) {
                Matcher quoted = QUOTED_JSON.matcher(body);
                while (quoted.find()) {
                    JsonNode node = parse(where + " (shell argument)", quoted.group(1));
                    if (node != null) {
                        policiesIn(where + " (shell argument)", node);
                    }
                }
                continue;
            }
            if (!blocks.group(3).equals("json")) {
                continue;
            }
            if (mark.equals(FRAGMENT)) {
                if (tryParse(body) != null) {
                    problems.add(where + ": marked as a fragment but parses; remove the mark");
                }
                previousPolicy = null;
                continue;
            }
            JsonNode node = parse(where, body);
            if (node == null) {
                previousPolicy = null;
                continue;
            }
            if (mark.equals(INVALID)) {
                if (!node.has("Statement")) {
                    problems.add(where + ": marked as an invalid policy but has no Statement");
                } else if (PolicyCompiler.compile(body, ACME).valid()) {
                    problems.add(where + ": marked as an invalid policy but compiles; remove the mark");
                }
                previousPolicy = node;
            } else if (mark.equals(FINDINGS)) {
                findings(where, previousPolicy, node);
                previousPolicy = null;
            } else {
                policiesIn(where, node);
                previousPolicy = node.has("Statement") ? node : null;
            }
        }
    }

    /** The documented findings are the ones the policy gets, in order. */
    private void findings(String where, JsonNode policy, JsonNode documented) {
        if (policy == null) {
            problems.add(where + ": findings, but the json block before is no policy");
            return;
        }
        List<Map<String, String>> actual = PolicyCompiler.compile(policy, ACME).findings().stream()
                .map(f -> Map.of("severity", f.severity().json(), "path", f.path(), "message", f.message())).toList();
        List<Map<String, String>> shown = new ArrayList<>();
        documented.forEach(f -> shown.add(Map.of("severity", f.path("severity").asText(), "path", f.path("path").asText(),
                "message", f.path("message").asText())));
        if (!actual.equals(shown)) {
            problems.add(where + ": the findings shown are not the policy's; it gets " + actual);
        }
    }

    /** Every policy in the tree, and every statement outside one; nothing inside a policy is looked at twice. */
    private void policiesIn(String where, JsonNode node) {
        if (node.isObject() && node.has("Statement")) {
            policy(where, node);
        } else if (node.isObject() && node.has("Effect")) {
            JsonNode wrapped = json("{\"Version\": \"2012-10-17\", \"Statement\": [" + node + "]}");
            policy(where + " (a statement)", wrapped);
        } else if (node.isContainerNode()) {
            node.forEach(child -> policiesIn(where, child));
        }
    }

    private void policy(String where, JsonNode policy) {
        policies++;
        List<Finding> errors = PolicyCompiler.compile(policy, ACME).errors();
        if (!errors.isEmpty()) {
            problems.add(where + ": a documented policy does not compile (mark it with " + INVALID
                    + " if that is its point): " + errors);
        }
    }

    private JsonNode parse(String where, String body) {
        try {
            return StrictJson.read(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), 1 << 20);
        } catch (MalformedJsonException e) {
            problems.add(where + ": JSON that does not parse (mark it with " + FRAGMENT
                    + " if it is a fragment on purpose): " + e.getMessage());
            return null;
        }
    }

    private static JsonNode tryParse(String body) {
        try {
            return StrictJson.read(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), 1 << 20);
        } catch (MalformedJsonException e) {
            return null;
        }
    }

    private static JsonNode json(String text) {
        return StrictJson.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), 1 << 20);
    }

    /** A block indented in a list item: its lines without the fence's indentation. */
    private static String dedent(String body, String indent) {
        return indent.isEmpty() ? body : body.lines()
                .map(line -> line.startsWith(indent) ? line.substring(indent.length()) : line)
                .reduce("", (a, b) -> a + b + "\n");
    }
}
