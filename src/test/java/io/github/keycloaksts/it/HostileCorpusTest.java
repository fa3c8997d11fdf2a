package io.github.keycloaksts.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hostile corpus without a server: every committed case pins its answer down (what {@link HostileCorpusIT}
 * checks first, here on every unit-test run), and {@link HostileCase} refuses the weak expectations it was written
 * against.
 */
class HostileCorpusTest {

    @Test
    void everyCommittedCaseExpectsAStatusAnErrorAndASpecificReason() throws Exception {
        List<String> weak = new ArrayList<>();
        int cases = 0;
        try (InputStream in = getClass().getResourceAsStream("/hostile/corpus.json")) {
            for (JsonNode json : Http.JSON.readTree(in).get("cases")) {
                HostileCase hostile = new HostileCase(json);
                hostile.weaknesses().forEach(w -> weak.add(hostile.id() + ": " + w));
                cases++;
            }
        }
        assertThat(cases).isGreaterThanOrEqualTo(200);
        assertThat(weak).isEmpty();
    }

    @Test
    void aCaseThatWouldPassOnAny4xxIsRefused() throws Exception {
        assertThat(weaknesses("{\"id\": \"a\", \"kind\": \"admin\", \"expect\": {\"status\": 400, \"reason\": \"\"}}"))
                .containsExactly("expect.reason is missing or blank");
        assertThat(weaknesses("{\"id\": \"a\", \"kind\": \"admin\", \"expect\": {\"status\": 400}}"))
                .containsExactly("expect.reason is missing or blank");
        assertThat(weaknesses("{\"id\": \"a\", \"kind\": \"admin\", \"expect\": {\"status\": 400, \"reason\": \"invalid\"}}"))
                .singleElement().asString().contains("too generic");
        assertThat(weaknesses("{\"id\": \"a\", \"kind\": \"exchange\", \"expect\": {\"status\": 400, \"reason\": \"role_session_name: must be\"}}"))
                .containsExactly("expect.error (the OAuth error code) is missing");
        assertThat(weaknesses("{\"id\": \"a\", \"kind\": \"exchange\", \"expect\": {\"reason\": \"role_session_name: must be\", \"error\": \"invalid_request\"}}"))
                .containsExactly("expect.status must be the exact 4xx status");
    }

    @Test
    void anExactBodyIsOnlyForAnswersOfKeycloaksHttpLayerAndSaysWhy() throws Exception {
        assertThat(weaknesses("{\"id\": \"a\", \"kind\": \"exchange\", \"expect\": {\"status\": 413, \"exactBody\": \"{}\", "
                + "\"why\": \"Keycloak's HTTP layer refuses the body before the token endpoint parses it\"}}")).isEmpty();
        assertThat(weaknesses("{\"id\": \"a\", \"kind\": \"exchange\", \"expect\": {\"status\": 400, \"exactBody\": \"{}\", \"why\": \"w\"}}"))
                .singleElement().asString().contains("only for answers of Keycloak's HTTP layer");
        assertThat(weaknesses("{\"id\": \"a\", \"kind\": \"admin\", \"expect\": {\"status\": 415, \"exactBody\": \"{}\"}}"))
                .singleElement().asString().contains("needs expect.why");
    }

    private static List<String> weaknesses(String json) throws Exception {
        return new HostileCase(Http.JSON.readTree(json)).weaknesses();
    }
}
