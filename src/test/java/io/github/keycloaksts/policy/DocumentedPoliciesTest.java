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

import static org.assertj.core.api.Assertions.assertThat;

/** Every policy shown in the docs and the demo compiles without errors, so the examples readers copy work. */
class DocumentedPoliciesTest {

    private static final Pattern JSON_BLOCK = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL);

    @Test
    void everyDocumentedPolicyCompiles() throws Exception {
        List<String> policies = new ArrayList<>();
        for (String doc : List.of("docs/cookbook.md", "docs/policy-language.md", "README.md", "docs/admin-api.md",
                "docs/federation.md", "docs/sessions.md")) {
            Matcher blocks = JSON_BLOCK.matcher(Files.readString(Path.of(doc)));
            while (blocks.find()) {
                JsonNode node;
                try {
                    node = new ObjectMapper().readTree(blocks.group(1));
                } catch (Exception e) {
                    continue; // fragments with "..." are not whole documents
                }
                if (node.has("Statement")) {
                    policies.add(node.toString());
                } else if (node.has("trustPolicy")) {
                    policies.add(node.get("trustPolicy").toString());
                }
            }
        }
        for (JsonNode role : new ObjectMapper().readTree(Files.readString(Path.of("demo/iam-roles.json"))).get("roles")) {
            policies.add(role.get("trustPolicy").toString());
        }
        assertThat(policies).hasSizeGreaterThanOrEqualTo(13);
        PolicyEnvironment acme = new PolicyEnvironment("acme", Set.of("corp", "corp-saml", "google"));
        for (String policy : policies) {
            assertThat(PolicyCompiler.compile(policy, acme).errors()).as(policy).isEmpty();
        }
    }
}
