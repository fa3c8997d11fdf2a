package io.github.keycloaksts.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kind of bad input gets a 4xx with a JSON body naming the field and the reason, never a 500; and a refused
 * request changes nothing.
 */
@KeycloakIntegrationTest(config = StsServerConfig.class)
class RoleValidationIT extends AcmeFixture {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            name missing                 | {"trustPolicy": {"Statement": []}}                                                  | name
            name with a space            | {"name": "has space", "trustPolicy": {"Statement": []}}                             | name
            name too long                | {"name": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "trustPolicy": {"Statement": []}} | name
            name not a string            | {"name": 42, "trustPolicy": {"Statement": []}}                                      | name
            path without trailing slash  | {"name": "r", "path": "/a", "trustPolicy": {"Statement": []}}                       | path
            path with empty segment      | {"name": "r", "path": "//", "trustPolicy": {"Statement": []}}                       | path
            path with a space            | {"name": "r", "path": "/a b/", "trustPolicy": {"Statement": []}}                    | path
            duration below minimum       | {"name": "r", "maxSessionDuration": 899, "trustPolicy": {"Statement": []}}          | maxSessionDuration
            duration above maximum       | {"name": "r", "maxSessionDuration": 43201, "trustPolicy": {"Statement": []}}        | maxSessionDuration
            duration as a string         | {"name": "r", "maxSessionDuration": "3600", "trustPolicy": {"Statement": []}}       | maxSessionDuration
            duration with a fraction     | {"name": "r", "maxSessionDuration": 3600.5, "trustPolicy": {"Statement": []}}       | maxSessionDuration
            duration overflowing int     | {"name": "r", "maxSessionDuration": 99999999999, "trustPolicy": {"Statement": []}}  | maxSessionDuration
            trust policy missing         | {"name": "r"}                                                        | trustPolicy
            trust policy an array        | {"name": "r", "trustPolicy": []}                                     | trustPolicy
            trust policy a string        | {"name": "r", "trustPolicy": "{}"}                                   | trustPolicy
            tags an array                | {"name": "r", "trustPolicy": {"Statement": []}, "tags": ["a"]}                      | tags
            tag value a number           | {"name": "r", "trustPolicy": {"Statement": []}, "tags": {"team": 1}}                | tags.team
            tag key with bad character   | {"name": "r", "trustPolicy": {"Statement": []}, "tags": {"a*b": "x"}}               | tags.a*b
            tag keys differing in case   | {"name": "r", "trustPolicy": {"Statement": []}, "tags": {"Team": "a", "team": "b"}} | tags.team
            unknown field                | {"name": "r", "trustPolicy": {"Statement": []}, "maxSesionDuration": 900}           | maxSesionDuration
            permissions unknown field    | {"name": "r", "trustPolicy": {"Statement": []}, "permissions": {"roles": []}}       | permissions.roles
            realm roles not an array     | {"name": "r", "trustPolicy": {"Statement": []}, "permissions": {"realmRoles": "x"}} | permissions.realmRoles
            realm role blank             | {"name": "r", "trustPolicy": {"Statement": []}, "permissions": {"realmRoles": [" "]}} | permissions.realmRoles[0]
            unknown realm role           | {"name": "r", "trustPolicy": {"Statement": []}, "permissions": {"realmRoles": ["no-such"]}} | permissions.realmRoles
            unknown client               | {"name": "r", "trustPolicy": {"Statement": []}, "permissions": {"clientRoles": {"no-app": ["x"]}}} | permissions.clientRoles.no-app
            unknown client role          | {"name": "r", "trustPolicy": {"Statement": []}, "permissions": {"clientRoles": {"billing-api": ["x"]}}} | permissions.clientRoles.billing-api
            body an array                | [{"name": "r"}]                                                      | ''
            """)
    void invalidFieldIs400NamingIt(String description, String body, String field) {
        Http.Reply reply = api().post("/roles", body);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        JsonNode error = reply.json();
        assertThat(error.get("field").asText()).isEqualTo(field);
        assertThat(error.get("errorMessage").asText()).isNotBlank();
        assertThat(api().get("/roles/r").status()).isEqualTo(404);
    }

    @Test
    void unknownPermissionsAreNamedOneByOne() {
        Http.Reply reply = api().post("/roles", """
                {"name": "r", "trustPolicy": {"Statement": []}, "permissions": {"realmRoles": ["ghost-1", "reports-reader", "ghost-2"],
                 "clientRoles": {"billing-api": ["invoices:read", "ghost-3"]}}}""");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("errors")).extracting(e -> e.get("errorMessage").asText()).containsExactlyInAnyOrder(
                "unknown realm role 'ghost-1'", "unknown realm role 'ghost-2'",
                "unknown role 'ghost-3' of client 'billing-api'");
    }

    @Test
    void everyErrorOfADocumentIsReported() {
        Http.Reply reply = api().post("/roles", """
                {"name": "bad name", "path": "x", "maxSessionDuration": 1, "trustPolicy": 3}""");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("errors")).extracting(e -> e.get("field").asText())
                .containsExactlyInAnyOrder("name", "path", "maxSessionDuration", "trustPolicy");
    }

    @Test
    void tooManyTagsAreRefused() {
        StringBuilder tags = new StringBuilder();
        for (int i = 0; i < 51; i++) {
            tags.append(i == 0 ? "" : ",").append("\"k").append(i).append("\": \"v\"");
        }
        Http.Reply reply = api().post("/roles", "{\"name\": \"r\", \"trustPolicy\": {\"Statement\": []}, \"tags\": {" + tags + "}}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("field").asText()).isEqualTo("tags");
    }

    @Test
    void limitsAtTheirEdgesAreAccepted() {
        String name = "a".repeat(64);
        String path = "/" + "p".repeat(510) + "/";
        Http.Reply reply = api().post("/roles", """
                {"name": "%s", "path": "%s", "description": "%s", "maxSessionDuration": 43200,
                 "tags": {"%s": "%s"}, "trustPolicy": {"Statement": []}}""".formatted(name, path, "d".repeat(1000), "k".repeat(128), "v".repeat(256)));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        assertThat(api().delete("/roles/" + name).status()).isEqualTo(204);
    }

    @Test
    void malformedJsonIs400() {
        for (String body : List.of("{", "{\"name\": \"r\",}", "not json", "{\"name\": \"r\", \"trustPolicy\": {\"Statement\": []}} trailing", "")) {
            Http.Reply reply = api().post("/roles", body);
            assertThat(reply.status()).as(body).isEqualTo(400);
            assertThat(reply.json().get("errorMessage").asText()).as(body).isNotBlank();
        }
    }

    @Test
    void duplicateKeysAreRefusedRatherThanResolvedSilently() {
        Http.Reply reply = api().post("/roles", """
                {"name": "r", "name": "admin", "trustPolicy": {"Statement": []}}""");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.json().get("errorMessage").asText()).startsWith("malformed JSON: Duplicate field 'name'");
    }

    @Test
    void deeplyNestedJsonIsRefusedWithoutAStackOverflow() {
        // 10,000 levels in 20 KB: under the body cap, so the depth limit is what refuses it.
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        Http.Reply reply = api().post("/roles", "{\"name\": \"r\", \"trustPolicy\": {\"x\": " + deep + "}}");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.json().get("errorMessage").asText())
                .isEqualTo("the JSON document exceeds a parser limit (nesting deeper than 32 levels, or a number or string too long)");
    }

    @Test
    void hugeBodyIs413() {
        byte[] huge = ("{\"name\": \"r\", \"trustPolicy\": {\"Statement\": []}, \"description\": \"" + "x".repeat(2_000_000) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        Http.Reply reply = api().send("POST", "/roles", "application/json", huge);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(413);
        assertThat(reply.json().get("errorMessage").asText()).matches("the request body is larger than \\d+ bytes");
    }

    @Test
    void trustPolicyOverTenKibibytesIsRefused() {
        Http.Reply reply = api().post("/roles", "{\"name\": \"r\", \"trustPolicy\": {\"Sid\": \"" + "s".repeat(11_000) + "\"}}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("field").asText()).isEqualTo("trustPolicy");
    }

    @Test
    void wrongContentTypeIs415() {
        Http.Reply reply = api().send("POST", "/roles", "text/plain", "{\"name\": \"r\", \"trustPolicy\": {\"Statement\": []}}".getBytes(StandardCharsets.UTF_8));

        assertThat(reply.status()).isEqualTo(415);
    }

    @Test
    void refusedReplaceLeavesTheRoleAsItWas() {
        api().post("/roles", "{\"name\": \"stable\", \"description\": \"before\", \"trustPolicy\": {\"Statement\": []}}");

        Http.Reply reply = api().put("/roles/stable", """
                {"name": "stable", "description": "after", "trustPolicy": {"Statement": []}, "permissions": {"realmRoles": ["ghost"]}}""");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(api().get("/roles/stable").json().get("description").asText()).isEqualTo("before");
    }

    @Test
    void pathologicalSearchTermsAreHarmless() {
        List<String> terms = new ArrayList<>(List.of("%25", "%25%25%25", "_", "!", "'%20or%201=1--", "%5C"));
        for (String term : terms) {
            Http.Reply reply = api().get("/roles?search=" + term);
            assertThat(reply.status()).as(term).isEqualTo(200);
        }
        assertThat(api().get("/roles?search=" + "a".repeat(65)).status()).isEqualTo(400);
    }
}
