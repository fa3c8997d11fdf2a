package io.github.keycloaksts.exchange;

import io.github.keycloaksts.oauth.StsException;

import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The AssumeRole parameters as AWS STS defines them, each refusal naming its parameter. */
class AssumeRoleRequestTest {

    private static MultivaluedMap<String, String> form(String... pairs) {
        MultivaluedMap<String, String> form = new MultivaluedHashMap<>();
        form.add("role", "auditor");
        form.add("subject_token", "token");
        form.add("subject_token_type", AssumeRoleRequest.ACCESS_TOKEN_TYPE);
        for (int i = 0; i < pairs.length; i += 2) {
            form.put(pairs[i], pairs[i + 1] == null ? null : List.of(pairs[i + 1]));
        }
        return form;
    }

    @Test
    void parsesEveryParameter() {
        MultivaluedMap<String, String> form = form("role_session_name", "alice@acme.example", "duration_seconds", "43200",
                "external_id", "arn:partner/7f3e-audit", "requested_token_type", AssumeRoleRequest.ACCESS_TOKEN_TYPE);
        form.put("audience", List.of("billing-api", "reports-api"));

        AssumeRoleRequest request = AssumeRoleRequest.parse(form);

        assertThat(request.role()).isEqualTo("auditor");
        assertThat(request.roleSessionName()).contains("alice@acme.example");
        assertThat(request.durationSeconds()).hasValue(43200);
        assertThat(request.externalId()).contains("arn:partner/7f3e-audit");
        assertThat(request.audiences()).containsExactly("billing-api", "reports-api");
    }

    @Test
    void optionalParametersMayBeAbsent() {
        AssumeRoleRequest request = AssumeRoleRequest.parse(form());

        assertThat(request.roleSessionName()).isEmpty();
        assertThat(request.durationSeconds()).isEmpty();
        assertThat(request.externalId()).isEmpty();
        assertThat(request.audiences()).isEmpty();
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(nullValues = "NULL", textBlock = """
            role,                  NULL
            subject_token,         NULL
            subject_token_type,    NULL
            subject_token_type,    urn:ietf:params:oauth:token-type:refresh_token
            requested_token_type,  urn:ietf:params:oauth:token-type:id_token
            role_session_name,     a
            role_session_name,     has space
            role_session_name,     aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
            duration_seconds,      899
            duration_seconds,      43201
            duration_seconds,      3600.0
            duration_seconds,      -900
            duration_seconds,      99999999999999999999
            external_id,           x
            external_id,           has space
            """)
    void malformedValuesNameTheParameter(String parameter, String value) {
        assertThatThrownBy(() -> AssumeRoleRequest.parse(form(parameter, value)))
                .isInstanceOfSatisfying(StsException.class, e -> {
                    assertThat(e.error()).isEqualTo("invalid_request");
                    assertThat(e.description()).startsWith(parameter + ":");
                });
    }

    @Test
    void sessionPolicyTagsAndSourceIdentity() {
        AssumeRoleRequest request = AssumeRoleRequest.parse(form(
                "session_policy", "{\"realmRoles\": [\"a\"], \"clientRoles\": {\"app\": [\"b\"]}}",
                "session_tags", "{\"project\": \"apollo\", \"team\": \"sre\"}",
                "transitive_tag_keys", " team  project ",
                "source_identity", "alice@corp"));

        assertThat(request.sessionPolicy().orElseThrow().realmRoles()).containsExactly("a");
        assertThat(request.sessionPolicy().orElseThrow().clientRoles().get("app")).containsExactly("b");
        assertThat(request.sessionPolicyBytes()).isEqualTo(52);
        assertThat(request.sessionTags()).containsEntry("project", "apollo").hasSize(2);
        assertThat(request.transitiveTagKeys()).containsExactly("project", "team");
        assertThat(request.sourceIdentity()).contains("alice@corp");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            session_policy              | session_policy      | [1]
            session_policy.realmRoles   | session_policy      | {"realmRoles": "a"}
            session_policy              | session_policy      | {"realmRoles": ["a"], "realmRoles": ["b"]}
            session_tags                | session_tags        | {"a": 1}
            session_tags.a*b            | session_tags        | {"a*b": "v"}
            session_tags                | session_tags        | not json
            source_identity             | source_identity     | kc:root
            source_identity             | source_identity     | x
            """)
    void malformedSessionParametersNameTheirField(String field, String parameter, String value) {
        assertThatThrownBy(() -> AssumeRoleRequest.parse(form(parameter, value)))
                .isInstanceOfSatisfying(StsException.class, e -> assertThat(e.description()).startsWith(field));
    }

    @Test
    void transitiveKeysMustBeSessionTags() {
        assertThatThrownBy(() -> AssumeRoleRequest.parse(form("session_tags", "{\"a\": \"b\"}", "transitive_tag_keys", "a c")))
                .isInstanceOfSatisfying(StsException.class,
                        e -> assertThat(e.description()).isEqualTo("transitive_tag_keys: 'c' is not a key of session_tags"));
    }

    @Test
    void externalIdLongerThanAwsAllowsIsRefused() {
        assertThatThrownBy(() -> AssumeRoleRequest.parse(form("external_id", "x".repeat(1225))))
                .isInstanceOf(StsException.class);
        assertThat(AssumeRoleRequest.parse(form("external_id", "x".repeat(1224))).externalId()).isPresent();
    }

    @Test
    void repeatedParametersAreRefused() {
        MultivaluedMap<String, String> form = form();
        form.put("role", List.of("a", "b"));

        assertThatThrownBy(() -> AssumeRoleRequest.parse(form)).isInstanceOfSatisfying(StsException.class,
                e -> assertThat(e.description()).isEqualTo("role: must not be repeated"));
    }

    @Test
    void unknownAndUntrustedRolesShareOneAnswer() {
        StsException unknown = StsException.accessDenied("role_not_found", "role 'x' not found");
        StsException untrusted = StsException.accessDenied("implicit_deny", "implicitDeny by the trust policy of krn:...");

        assertThat(unknown.error()).isEqualTo(untrusted.error());
        assertThat(unknown.description()).isEqualTo(untrusted.description());
        assertThat(unknown.status()).isEqualTo(untrusted.status());
        assertThat(unknown.reason()).isNotEqualTo(untrusted.reason());
    }
}
