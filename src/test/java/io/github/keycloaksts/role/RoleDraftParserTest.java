package io.github.keycloaksts.role;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoleDraftParserTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    private static RoleDraft parse(JsonNode document) {
        return RoleDraftParser.parse(document, io.github.keycloaksts.policy.PolicyEnvironment.UNKNOWN);
    }

    @Test
    void parsesTheDocumentedExample() throws Exception {
        RoleDraft draft = parse(json("""
                {"name": "auditor", "path": "/partners/", "description": "Read-only access for the audit firm",
                 "maxSessionDuration": 3600, "tags": {"team": "security"},
                 "trustPolicy": {"Version": "2012-10-17", "Statement": [{"Sid": "AuditFirm", "Effect": "Allow",
                   "Principal": {"Keycloak": "krn:keycloak:iam::partners:root"}, "Action": "sts:AssumeRole"}]},
                 "permissions": {"realmRoles": ["reports-reader"], "clientRoles": {"billing-api": ["invoices:read"]}},
                 "krn": "krn:keycloak:iam::acme:role/partners/auditor"}"""));

        assertThat(draft.name()).isEqualTo("auditor");
        assertThat(draft.path()).isEqualTo("/partners/");
        assertThat(draft.maxSessionDuration()).isEqualTo(3600);
        assertThat(draft.tags()).containsExactly(java.util.Map.entry("team", "security"));
        assertThat(draft.trustPolicy()).isEqualTo("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"AuditFirm\","
                + "\"Effect\":\"Allow\",\"Principal\":{\"Keycloak\":\"krn:keycloak:iam::partners:root\"},\"Action\":\"sts:AssumeRole\"}]}");
        assertThat(draft.permissions().realmRoles()).containsExactly("reports-reader");
        assertThat(draft.permissions().clientRoles().get("billing-api")).containsExactly("invoices:read");
        assertThat(draft.nameKey()).isEqualTo("auditor");
    }

    @Test
    void appliesAwsDefaults() throws Exception {
        RoleDraft draft = parse(json("{\"name\": \"R\", \"trustPolicy\": {\"Statement\": []}}"));

        assertThat(draft.path()).isEqualTo("/");
        assertThat(draft.maxSessionDuration()).isEqualTo(3600);
        assertThat(draft.maxChainedSessionDuration()).isNull();
        assertThat(draft.description()).isEmpty();
        assertThat(draft.tags()).isEmpty();
        assertThat(draft.permissions()).isEqualTo(PermissionNames.NONE);
        assertThat(draft.nameKey()).isEqualTo("r");
    }

    @Test
    void readsAudiencesAndScopesAsSetsAndDefaultsToNone() throws Exception {
        RoleDraft draft = parse(json("""
                {"name": "R", "trustPolicy": {"Statement": []}, "audiences": ["gateway", "api"],
                 "scopes": ["invoices.read", "a:b/c"]}"""));
        assertThat(draft.audiences()).containsExactly("api", "gateway");
        assertThat(draft.scopes()).containsExactly("a:b/c", "invoices.read");
        RoleDraft none = parse(json("{\"name\": \"R\", \"trustPolicy\": {\"Statement\": []}}"));
        assertThat(none.audiences()).isEmpty();
        assertThat(none.scopes()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"gateway\"", "[1]", "[\"\"]", "[\"x\", \"x\"]"})
    void refusesAudiencesThatAreNotDistinctClientIds(String audiences) {
        assertThatThrownBy(() -> parse(json("{\"name\": \"R\", \"trustPolicy\": {\"Statement\": []}, \"audiences\": "
                + audiences + "}")))
                .isInstanceOfSatisfying(InvalidRoleException.class, e ->
                        assertThat(e.errors()).allSatisfy(error -> assertThat(error.field()).startsWith("audiences")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"two words", "quo\\\"te", "back\\\\slash", "tab\\there"})
    void refusesScopesThatAreNotScopeTokens(String scope) {
        assertThatThrownBy(() -> parse(json("{\"name\": \"R\", \"trustPolicy\": {\"Statement\": []}, \"scopes\": [\""
                + scope + "\"]}")))
                .isInstanceOfSatisfying(InvalidRoleException.class, e ->
                        assertThat(e.errors()).extracting(FieldError::field).containsExactly("scopes"));
    }

    @Test
    void refusesMoreThanTwentyAudiences() throws Exception {
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 21; i++) {
            many.append(i == 0 ? "" : ",").append("\"c").append(i).append("\"");
        }
        assertThatThrownBy(() -> parse(json("{\"name\": \"R\", \"trustPolicy\": {\"Statement\": []}, \"audiences\": "
                + many + "]}")))
                .isInstanceOfSatisfying(InvalidRoleException.class, e ->
                        assertThat(e.errors()).extracting(FieldError::message).containsExactly("must name at most 20"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "A+=,.@_-z9", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void acceptsAwsRoleNames(String name) throws Exception {
        assertThat(parse(json("{\"name\": \"" + name + "\", \"trustPolicy\": {\"Statement\": []}}")).name()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a b", "a/b", "é", "a:b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void refusesOtherNames(String name) {
        assertThatThrownBy(() -> parse(json("{\"name\": \"" + name + "\", \"trustPolicy\": {\"Statement\": []}}")))
                .isInstanceOfSatisfying(InvalidRoleException.class,
                        e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("name"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/a/", "/a/b/c/", "/division_abc/subdivision_xyz/", "/!~/"})
    void acceptsAwsPaths(String path) throws Exception {
        assertThat(parse(json("{\"name\": \"r\", \"path\": \"" + path + "\", \"trustPolicy\": {\"Statement\": []}}")).path())
                .isEqualTo(path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a", "/a", "a/", "//", "/a//b/", "/a b/"})
    void refusesOtherPaths(String path) {
        assertThatThrownBy(() -> parse(json("{\"name\": \"r\", \"path\": \"" + path + "\", \"trustPolicy\": {\"Statement\": []}}")))
                .isInstanceOfSatisfying(InvalidRoleException.class,
                        e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("path"));
    }

    @Test
    void pathLongerThan512IsRefused() {
        String path = "/" + "p".repeat(511) + "/";
        assertThatThrownBy(() -> parse(json("{\"name\": \"r\", \"path\": \"" + path + "\", \"trustPolicy\": {\"Statement\": []}}")))
                .isInstanceOf(InvalidRoleException.class);
    }

    @Test
    void descriptionCountsCharactersNotUtf16Units() throws Exception {
        String thousandEmoji = "\uD83D\uDE00".repeat(1000);
        assertThat(parse(json("{\"name\": \"r\", \"description\": \"" + thousandEmoji + "\", \"trustPolicy\": {\"Statement\": []}}"))
                .description()).hasSize(2000);
    }

    @Test
    void chainedSessionCapIsOptionalAndWithinTheRolesMaximum() throws Exception {
        assertThat(parse(json("{\"name\": \"r\", \"maxSessionDuration\": 7200, \"maxChainedSessionDuration\": 7200,"
                + " \"trustPolicy\": {\"Statement\": []}}")).maxChainedSessionDuration()).isEqualTo(7200);
        for (String bad : new String[]{"899", "7201", "\"3600\"", "1.5", "true"}) {
            assertThatThrownBy(() -> parse(json("{\"name\": \"r\", \"maxSessionDuration\": 7200, \"maxChainedSessionDuration\": "
                    + bad + ", \"trustPolicy\": {\"Statement\": []}}")))
                    .as(bad)
                    .isInstanceOfSatisfying(InvalidRoleException.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                            .containsExactly("maxChainedSessionDuration"));
        }
    }

    @Test
    void controlCharactersInDescriptionAreRefused() {
        assertThatThrownBy(() -> parse(json("{\"name\": \"r\", \"description\": \"a\\u0000b\", \"trustPolicy\": {\"Statement\": []}}")))
                .isInstanceOfSatisfying(InvalidRoleException.class,
                        e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("description"));
    }

    @Test
    void reportsEveryErrorWithItsPath() {
        assertThatThrownBy(() -> parse(json("""
                {"name": 1, "maxSessionDuration": 50000, "tags": {"ok": "v", "bad*": "v"}, "trustPolicy": [],
                 "permissions": {"realmRoles": ["a", 2], "clientRoles": {"app": "x"}, "extra": true}, "bogus": 1}""")))
                .isInstanceOfSatisfying(InvalidRoleException.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactlyInAnyOrder("name", "maxSessionDuration", "tags.bad*", "trustPolicy",
                                "permissions.realmRoles[1]", "permissions.clientRoles.app", "permissions.extra", "bogus"));
    }

    @Test
    void emptyClientRoleListsAreDropped() throws Exception {
        RoleDraft draft = parse(json("{\"name\": \"r\", \"trustPolicy\": {\"Statement\": []}, \"permissions\": {\"clientRoles\": {\"app\": []}}}"));

        assertThat(draft.permissions().clientRoles()).isEmpty();
    }

    @Test
    void moreThan500PermissionsAreRefused() {
        StringBuilder roles = new StringBuilder();
        for (int i = 0; i < 501; i++) {
            roles.append(i == 0 ? "" : ",").append("\"r").append(i).append('"');
        }
        assertThatThrownBy(() -> parse(json("{\"name\": \"r\", \"trustPolicy\": {\"Statement\": []}, \"permissions\": {\"realmRoles\": [" + roles + "]}}")))
                .isInstanceOfSatisfying(InvalidRoleException.class,
                        e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("permissions"));
    }

    @Test
    void nonObjectDocumentIsRefused() {
        assertThatThrownBy(() -> parse(json("[]"))).isInstanceOf(InvalidRoleException.class);
        assertThatThrownBy(() -> parse(null)).isInstanceOf(InvalidRoleException.class);
    }

    @Test
    void krnFollowsTheAwsArnShape() {
        assertThat(RoleKrn.of("acme", "/partners/", "auditor")).isEqualTo("krn:keycloak:iam::acme:role/partners/auditor");
        assertThat(RoleKrn.of("acme", "/", "admin")).isEqualTo("krn:keycloak:iam::acme:role/admin");
    }
}
