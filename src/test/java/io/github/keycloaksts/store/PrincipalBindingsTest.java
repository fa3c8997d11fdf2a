package io.github.keycloaksts.store;

import io.github.keycloaksts.json.StrictJson;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which KRNs of a trust policy are bound when a role is saved, and where each is written. */
class PrincipalBindingsTest {

    private static List<String> found(String policy) throws Exception {
        return PrincipalBindings.principalsOf(StrictJson.mapper().readTree(policy)).stream()
                .map(p -> p.pointer() + " " + p.krn()).toList();
    }

    @Test
    void principalAndNotPrincipalOfEveryStatementInDocumentOrder() throws Exception {
        assertThat(found("""
                {"Version": "2012-10-17", "Statement": [
                  {"Effect": "Allow", "Principal": {"Keycloak": ["krn:keycloak:iam::acme:user/alice", "*",
                                                                 "krn:keycloak:iam::acme:group/engineering/sre"]},
                   "Action": "sts:AssumeRole"},
                  {"Effect": "Deny", "NotPrincipal": {"Keycloak": "krn:keycloak:sts::acme:assumed-role/ops/bob"},
                   "Action": "sts:AssumeRole"},
                  {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}]}
                """)).containsExactly(
                "/Statement/0/Principal/Keycloak/0 krn:keycloak:iam::acme:user/alice",
                "/Statement/0/Principal/Keycloak/2 krn:keycloak:iam::acme:group/engineering/sre",
                "/Statement/1/NotPrincipal/Keycloak krn:keycloak:sts::acme:assumed-role/ops/bob");
    }

    @Test
    void aSingleStatementObjectIsReadToo() throws Exception {
        assertThat(found("""
                {"Statement": {"Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:root"},
                               "Action": "sts:AssumeRole"}}
                """)).containsExactly("/Statement/Principal/Keycloak krn:keycloak:iam::acme:root");
    }

    @Test
    void nothingToBindInAPolicyWithoutKeycloakPrincipals() throws Exception {
        assertThat(found("{\"Statement\": []}")).isEmpty();
        assertThat(found("{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\"}]}")).isEmpty();
    }
}
