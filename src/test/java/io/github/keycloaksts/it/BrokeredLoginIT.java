package io.github.keycloaksts.it;

import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.IdentityProviderMapperRepresentation;
import org.keycloak.representations.idm.IdentityProviderRepresentation;
import org.keycloak.representations.idm.KeysMetadataRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ManagedRealm;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Users who sign in to acme through a brokered identity provider (corp, a realm of the same server, as OIDC and as
 * SAML provider) assume roles that trust that provider and test what it asserted at that login. The logins go
 * through the real login pages with a cookie-keeping HTTP client.
 */
@KeycloakIntegrationTest(config = StsServerConfig.class)
class BrokeredLoginIT extends AcmeFixture {

    private static final String CALLBACK = "http://127.0.0.1:1/callback";

    @InjectRealm(ref = "corp", config = CorpRealm.class)
    ManagedRealm corp;

    @BeforeEach
    void brokering() {
        if (realm.admin().identityProviders().findAll().stream().anyMatch(p -> p.getAlias().equals("corp"))) {
            return;
        }
        String base = base();
        // corp asserts the department: in acme-broker's ID token (the OIDC provider corp), and as an attribute of the
        // SAML assertion (corp-saml).
        CorpRealm.brokerAsOidc(realm, corp, base, "department,email,sub");
        ClientRepresentation saml = new ClientRepresentation();
        saml.setClientId(base + "/realms/acme");
        saml.setProtocol("saml");
        saml.setEnabled(true);
        saml.setRedirectUris(List.of("*"));
        saml.setAttributes(Map.of("saml.assertion.signature", "true", "saml.server.signature", "true",
                "saml.client.signature", "false", "saml.force.post.binding", "true", "saml_name_id_format", "username",
                "saml_assertion_consumer_url_post", base + "/realms/acme/broker/corp-saml/endpoint",
                "saml_idp_initiated_sso_url_name", "acme"));
        saml.setProtocolMappers(List.of(
                protocolMapper("department", "saml", "saml-user-attribute-mapper", Map.of("user.attribute", "department",
                        "attribute.name", "department", "friendly.name", "department", "attribute.nameformat", "Basic")),
                protocolMapper("email", "saml", "saml-user-property-mapper", Map.of("user.attribute", "email",
                        "attribute.name", "email", "attribute.nameformat", "Basic"))));
        add(corp.admin().clients().create(saml));
        ClientRepresentation otherSp = new ClientRepresentation();
        otherSp.setClientId("https://other-sp.example");
        otherSp.setProtocol("saml");
        otherSp.setEnabled(true);
        otherSp.setRedirectUris(List.of("*"));
        otherSp.setAttributes(Map.of("saml.assertion.signature", "true", "saml.server.signature", "true",
                "saml.client.signature", "false", "saml.force.post.binding", "true", "saml_name_id_format", "username",
                "saml_assertion_consumer_url_post", "https://other-sp.example/acs", "saml_idp_initiated_sso_url_name", "other"));
        otherSp.setProtocolMappers(saml.getProtocolMappers());
        add(corp.admin().clients().create(otherSp));

        add(realm.admin().identityProviders().create(samlProvider(base)));
        IdentityProviderMapperRepresentation keep = new IdentityProviderMapperRepresentation();
        keep.setName("keep asserted claims");
        keep.setIdentityProviderAlias("corp-saml");
        keep.setIdentityProviderMapper("kcsts-asserted-claims");
        keep.setConfig(Map.of("claims", "department,email,sub", "syncMode", "INHERIT"));
        add(realm.admin().identityProviders().get("corp-saml").addMapper(keep));
        ClientRepresentation portal = realm.admin().clients().findByClientId("portal").get(0);
        portal.setRedirectUris(List.of(CALLBACK));
        portal.setStandardFlowEnabled(true);
        realm.admin().clients().get(portal.getId()).update(portal);

        for (String alias : List.of("corp", "corp-saml")) {
            Http.Reply created = api().post("/roles", """
                    {"name": "%s-finance", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                       {"Sid": "FinanceThroughTheProvider", "Effect": "Allow",
                        "Principal": {"Keycloak": "krn:keycloak:iam::acme:identity-provider/%s"}, "Action": "sts:AssumeRole",
                        "Condition": {"StringEquals": {"%s:department": "finance", "kc:IdentityProvider": "%s"}}}]},
                     "permissions": {"clientRoles": {"billing-api": ["invoices:read"]}}}""".formatted(alias, alias, alias, alias));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
        }
        Http.Reply cli = api().post("/roles", """
                {"name": "saml-cli", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Sid": "FinanceAssertions", "Effect": "Allow",
                    "Principal": {"Keycloak": "krn:keycloak:iam::acme:identity-provider/corp-saml"}, "Action": "sts:AssumeRoleWithSAML",
                    "Condition": {"StringEquals": {"corp-saml:department": "finance"}}}]},
                 "permissions": {"clientRoles": {"billing-api": ["invoices:write"]}}}""");
        assertThat(cli.status()).as(cli.toString()).isEqualTo(201);
    }

    /**
     * What a command-line tool gets from the SAML IdP (IdP-initiated login at corp): the signed assertion out of the
     * SAMLResponse, base64url-encoded as RFC 8693 wants it.
     */
    private String samlAssertion(String username) throws Exception {
        return samlAssertion(username, "acme");
    }

    /** @param idpInitiatedName which of corp's SAML clients the assertion is for (its audience) */
    private String samlAssertion(String username, String idpInitiatedName) throws Exception {
        Browser browser = new Browser(CALLBACK).open(base() + "/realms/corp/protocol/saml/clients/" + idpInitiatedName);
        browser.submit(Map.of("username", username, "password", AcmeRealm.PASSWORD));
        byte[] response = java.util.Base64.getMimeDecoder().decode(browser.field("SAMLResponse"));
        javax.xml.parsers.DocumentBuilderFactory factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        org.w3c.dom.Document document = factory.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(response));
        org.w3c.dom.Element assertion = (org.w3c.dom.Element) document
                .getElementsByTagNameNS("urn:oasis:names:tc:SAML:2.0:assertion", "Assertion").item(0);
        java.io.StringWriter xml = new java.io.StringWriter();
        javax.xml.transform.TransformerFactory.newInstance().newTransformer()
                .transform(new javax.xml.transform.dom.DOMSource(assertion), new javax.xml.transform.stream.StreamResult(xml));
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(xml.toString().getBytes(StandardCharsets.UTF_8));
    }

    private Http.Reply assumeWithSaml(String assertion, String role) {
        return Http.form(Sts.tokenUrl(base(), "acme"), Map.of("grant_type", Sts.TOKEN_EXCHANGE, "client_id", "admin-cli",
                "subject_token", assertion, "subject_token_type", "urn:ietf:params:oauth:token-type:saml2", "role", role));
    }

    private IdentityProviderRepresentation samlProvider(String base) {
        KeysMetadataRepresentation.KeyMetadataRepresentation key = corp.admin().keys().getKeyMetadata().getKeys().stream()
                .filter(k -> "RS256".equals(k.getAlgorithm()) && k.getCertificate() != null).findFirst().orElseThrow();
        IdentityProviderRepresentation provider = new IdentityProviderRepresentation();
        provider.setAlias("corp-saml");
        provider.setProviderId("saml");
        provider.setEnabled(true);
        Map<String, String> config = new HashMap<>();
        config.put("singleSignOnServiceUrl", base + "/realms/corp/protocol/saml");
        config.put("idpEntityId", base + "/realms/corp");
        config.put("entityId", base + "/realms/acme");
        config.put("nameIDPolicyFormat", "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified");
        config.put("principalType", "SUBJECT");
        config.put("postBindingResponse", "true");
        config.put("postBindingAuthnRequest", "false");
        config.put("validateSignature", "true");
        config.put("wantAssertionsSigned", "true");
        config.put("signingCertificate", key.getCertificate());
        config.put("syncMode", "FORCE");
        provider.setConfig(config);
        return provider;
    }

    private static ProtocolMapperRepresentation protocolMapper(String name, String protocol, String mapper, Map<String, String> config) {
        ProtocolMapperRepresentation representation = new ProtocolMapperRepresentation();
        representation.setName(name);
        representation.setProtocol(protocol);
        representation.setProtocolMapper(mapper);
        representation.setConfig(config);
        return representation;
    }

    private static void add(Response response) {
        try (response) {
            assertThat(response.getStatus()).as(response.readEntity(String.class)).isEqualTo(201);
        }
    }

    /** Signs in to acme's portal through the identity provider, as a person at a browser would; returns acme's access token. */
    private String brokeredLogin(String alias, String username, String lastName) {
        Browser browser = new Browser(CALLBACK).open(base() + "/realms/acme/protocol/openid-connect/auth?client_id=portal"
                + "&response_type=code&scope=openid&kc_idp_hint=" + alias
                + "&redirect_uri=" + URLEncoder.encode(CALLBACK, StandardCharsets.UTF_8));
        browser.autoSubmit().submit(Map.of("username", username, "password", AcmeRealm.PASSWORD)).autoSubmit();
        if (browser.showsForm("firstName")) { // acme's first-broker-login asks for what the provider did not say
            browser.submit(Map.of("email", username + "@corp.example", "firstName", username, "lastName", lastName));
        }
        Http.Reply tokens = Http.form(Sts.tokenUrl(base(), "acme"), Map.of("grant_type", "authorization_code",
                "code", browser.code(), "redirect_uri", CALLBACK, "client_id", "portal", "client_secret", "portal-secret"));
        assertThat(tokens.status()).as(tokens.toString()).isEqualTo(200);
        return tokens.json().get("access_token").asText();
    }

    private int assume(String token, String role) {
        Http.Reply reply = Sts.assumeRole(base(), "acme", "portal", "portal-secret", token, role);
        return reply.status();
    }

    @Test
    void anOidcBrokeredSessionIsTrustedForWhatTheProviderAsserted() {
        String wendy = brokeredLogin("corp", "wendy", "Worker");

        assertThat(assume(wendy, "corp-finance")).isEqualTo(200);
        // Came through corp, not through corp-saml.
        assertThat(assume(wendy, "corp-saml-finance")).isEqualTo(403);

        // The same acme user, linked to corp, signing in with a local password: not a corp session.
        String wendyId = realm.admin().users().search("wendy").get(0).getId();
        assertThat(realm.admin().users().get(wendyId).getFederatedIdentity()).extracting(f -> f.getIdentityProvider())
                .containsExactly("corp");
        CredentialRepresentation password = new CredentialRepresentation();
        password.setType(CredentialRepresentation.PASSWORD);
        password.setValue(AcmeRealm.PASSWORD);
        password.setTemporary(false);
        realm.admin().users().get(wendyId).resetPassword(password);
        String local = Http.form(Sts.tokenUrl(base(), "acme"), Map.of("grant_type", "password", "client_id", "portal",
                "client_secret", "portal-secret", "username", "wendy", "password", AcmeRealm.PASSWORD)).json().get("access_token").asText();
        assertThat(assume(local, "corp-finance")).isEqualTo(403);
    }

    /** Issue 14 item 9: a claim cut for a limit is named in {@code <alias>:kcsts:over-limit}, never dropped quietly. */
    @Test
    void whatAProviderAssertedBeyondTheLimitsIsVisibleToTrustPolicies() {
        api().ensureRole("""
                {"name": "corp-complete-claims", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:identity-provider/corp"},
                    "Action": "sts:AssumeRole", "Condition": {"Null": {"corp:kcsts:over-limit": "true"}}}]},
                 "permissions": {"clientRoles": {"billing-api": ["invoices:read"]}}}""");
        api().ensureRole("""
                {"name": "corp-claims-cut", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:identity-provider/corp"},
                    "Action": "sts:AssumeRole", "Condition": {"ForAnyValue:StringEquals": {"corp:kcsts:over-limit": "department"}}}]},
                 "permissions": {"clientRoles": {"billing-api": ["invoices:read"]}}}""");
        String olga = brokeredLogin("corp", "olga", "Overlong");
        assertThat(assume(olga, "corp-complete-claims")).as("olga's department was cut").isEqualTo(403);
        assertThat(assume(olga, "corp-claims-cut")).isEqualTo(200);
        String wendy = brokeredLogin("corp", "wendy", "Worker");
        assertThat(assume(wendy, "corp-complete-claims")).as("nothing of wendy's was cut").isEqualTo(200);
    }

    @Test
    void aSamlBrokeredSessionIsTrustedForItsAttributes() {
        String sally = brokeredLogin("corp-saml", "sally", "Saml");

        assertThat(assume(sally, "corp-saml-finance")).isEqualTo(200);
        assertThat(assume(sally, "corp-finance")).isEqualTo(403);
    }

    @Test
    void aCommandLineToolTradesASignedSamlAssertionOnce() throws Exception {
        String assertion = samlAssertion("sally");

        Http.Reply reply = assumeWithSaml(assertion, "saml-cli");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        org.keycloak.representations.AccessToken session = Sts.verify(base(), "acme", reply.json().get("access_token").asText());
        assertThat(session.getSubject()).isEqualTo("krn:keycloak:iam::acme:identity-provider/corp-saml/sally");
        assertThat(session.getOtherClaims()).containsEntry("principal", "krn:keycloak:iam::acme:identity-provider/corp-saml");
        assertThat(session.getResourceAccess("billing-api").getRoles()).containsExactly("invoices:write");

        // The same assertion again: a replay.
        Http.Reply replay = assumeWithSaml(assertion, "saml-cli");
        assertThat(replay.status()).isEqualTo(400);
        assertThat(replay.json().get("error_description").asText()).isEqualTo("subject_token: this SAML assertion was already used");

        // An attribute changed after signing.
        String xml = new String(java.util.Base64.getUrlDecoder().decode(samlAssertion("sally")), StandardCharsets.UTF_8);
        String tampered = java.util.Base64.getUrlEncoder().encodeToString(xml.replace(">finance<", ">treasury<").getBytes(StandardCharsets.UTF_8));
        assertThat(xml).contains(">finance<");
        Http.Reply forged = assumeWithSaml(tampered, "saml-cli");
        assertThat(forged.status()).isEqualTo(400);
        assertThat(forged.json().get("error_description").asText()).startsWith("subject_token: not a valid SAML assertion of identity provider 'corp-saml'");

        // A role that trusts the provider for sts:AssumeRole only, and a role of another provider, refuse it.
        assertThat(assumeWithSaml(samlAssertion("sally"), "corp-saml-finance").status()).isEqualTo(403);
        assertThat(assumeWithSaml(samlAssertion("sally"), "corp-finance").status()).isEqualTo(403);
        // The whole SAMLResponse, as a CLI copies it from the IdP's form (and as AWS takes it), works too.
        Browser idpLogin = new Browser(CALLBACK).open(base() + "/realms/corp/protocol/saml/clients/acme");
        idpLogin.submit(Map.of("username", "sally", "password", AcmeRealm.PASSWORD));
        assertThat(assumeWithSaml(idpLogin.field("SAMLResponse"), "saml-cli").status()).isEqualTo(200);
        // Not XML, or not an assertion.
        for (String junk : new String[]{"bm90IHhtbA", java.util.Base64.getUrlEncoder().encodeToString("<a/>".getBytes(StandardCharsets.UTF_8))}) {
            Http.Reply bad = assumeWithSaml(junk, "saml-cli");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.json().get("error_description").asText()).startsWith("subject_token: not a");
        }
    }

    @Test
    void samlAssertionsForAnotherAudienceOrExpiredAreRefused() throws Exception {
        String invalid = "subject_token: not a valid SAML assertion of identity provider 'corp-saml'";
        // Signed by corp, but for another service provider.
        Http.Reply otherAudience = assumeWithSaml(samlAssertion("sally", "other"), "saml-cli");
        assertThat(otherAudience.status()).isEqualTo(400);
        assertThat(otherAudience.json().get("error_description").asText()).startsWith(invalid);

        // An assertion that lives one second, used after three.
        ClientRepresentation sp = corp.admin().clients().findByClientId(base() + "/realms/acme").get(0);
        sp.getAttributes().put("saml.assertion.lifespan", "1");
        corp.admin().clients().get(sp.getId()).update(sp);
        String shortLived;
        try {
            shortLived = samlAssertion("sally");
        } finally {
            // An update keeps attributes it does not mention, so the lifespan is set back explicitly.
            sp.getAttributes().put("saml.assertion.lifespan", "300");
            corp.admin().clients().get(sp.getId()).update(sp);
        }
        clock.set(3); // three seconds later by the server's clock (SAML validity checks follow Keycloak's time offset)
        Http.Reply expired = assumeWithSaml(shortLived, "saml-cli");
        assertThat(expired.status()).isEqualTo(400);
        assertThat(expired.json().get("error_description").asText()).startsWith(invalid);
    }

    @Test
    void aBrokeredUserWithoutTheAssertedFactIsRefused() {
        // mallory's provider asserts no department.
        assertThat(assume(brokeredLogin("corp", "mallory", "Outsider"), "corp-finance")).isEqualTo(403);
    }
}
