package io.github.keycloaksts.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Every JSON block of the docs parses, and every policy shown in the docs and the demo compiles without errors, so
 * the examples readers copy work. A block that is deliberately not whole JSON (a fragment with "...") is marked by
 * the line {@value #FRAGMENT} right before its fence; a marked block that does parse is an error too (stale mark).
 */
class DocumentedPoliciesTest {

    static final String FRAGMENT = "<!-- fragment: not whole JSON -->";
    private static final Pattern JSON_BLOCK = Pattern.compile("(?m)^([^\\n]*)\\n```json\\n(.*?)```", Pattern.DOTALL);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyDocumentedPolicyCompiles() throws Exception {
        List<Path> docs = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> files = Files.list(Path.of("docs"))) {
            files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        List<String> policies = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path doc : docs) {
            String text = Files.readString(doc);
            Matcher blocks = JSON_BLOCK.matcher(text);
            while (blocks.find()) {
                String where = doc + ":" + (text.substring(0, blocks.start(2)).split("\n", -1).length - 1);
                boolean fragment = blocks.group(1).trim().equals(FRAGMENT);
                JsonNode node;
                try {
                    node = JSON.readTree(blocks.group(2));
                } catch (Exception e) {
                    if (!fragment) {
                        problems.add(where + ": a ```json block that does not parse (mark it with " + FRAGMENT
                                + " if it is a fragment on purpose): " + e.getMessage().lines().findFirst().orElse(""));
                    }
                    continue;
                }
                if (fragment) {
                    problems.add(where + ": marked as a fragment but parses; remove the mark");
                } else if (node.has("Statement")) {
                    policies.add(where + " " + node);
                } else if (node.has("trustPolicy")) {
                    policies.add(where + " " + node.get("trustPolicy"));
                }
            }
        }
        for (JsonNode role : JSON.readTree(Files.readString(Path.of("demo/iam-roles.json"))).get("roles")) {
            policies.add("demo/iam-roles.json " + role.get("name").asText() + " " + role.get("trustPolicy"));
        }
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems));
        }
        assertThat(policies).hasSizeGreaterThanOrEqualTo(13);
        PolicyEnvironment acme = new PolicyEnvironment("acme", Set.of("corp", "corp-saml", "google"));
        for (String policy : policies) {
            String json = policy.substring(policy.indexOf(" {") + 1);
            assertThat(PolicyCompiler.compile(json, acme).errors()).as(policy).isEmpty();
        }
    }
}
