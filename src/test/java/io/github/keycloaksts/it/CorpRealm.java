package io.github.keycloaksts.it;

import jakarta.ws.rs.core.Response;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.IdentityProviderMapperRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.keycloak.testframework.realm.ManagedRealm;

import org.keycloak.representations.idm.IdentityProviderRepresentation;
import org.keycloak.testframework.realm.ClientBuilder;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The corporate identity provider of the federation tests: a realm of the same server that acme knows as the
 * OpenID Connect identity provider {@code corp} (client {@code acme-broker} here), as a company's IdP would be.
 * {@code mobile-app} is another client of it, whose tokens are not for acme.
 */
public final class CorpRealm implements RealmConfig {

    public static final String BROKER_SECRET = "broker-secret";

    @Override
    public RealmBuilder configure(RealmBuilder realm) {
        return realm.name("corp")
                .clients(ClientBuilder.create("acme-broker").secret(BROKER_SECRET).publicClient(false)
                                .directAccessGrantsEnabled(true).redirectUris("*"),
                        ClientBuilder.create("mobile-app").publicClient(true).directAccessGrantsEnabled(true))
                .users(ServerFixture.person("wendy", "Wendy", "Worker", "wendy@corp.example").attribute("department", "finance"),
                        ServerFixture.person("sally", "Sally", "Saml", "sally@corp.example").attribute("department", "finance"),
                        // Her department is longer than IAM roles keep of an asserted value (AssertedClaims).
                        ServerFixture.person("olga", "Olga", "Overlong", "olga@corp.example").attribute("department", "finance-" + "x".repeat(1100)),
                        ServerFixture.person("mallory", "Mallory", "Outsider", "mallory@elsewhere.example"));
    }

    /**
     * Makes corp the OIDC identity provider {@code corp} of {@code acme}, as a company IdP would be: corp asserts the
     * department in acme-broker's ID token, and acme keeps the asserted {@code claims} for IAM roles
     * ({@code kcsts-asserted-claims}).
     */
    static void brokerAsOidc(ManagedRealm acme, ManagedRealm corp, String base, String claims) {
        ClientRepresentation broker = corp.admin().clients().findByClientId("acme-broker").get(0);
        ProtocolMapperRepresentation department = new ProtocolMapperRepresentation();
        department.setName("department");
        department.setProtocol("openid-connect");
        department.setProtocolMapper("oidc-usermodel-attribute-mapper");
        department.setConfig(Map.of("user.attribute", "department", "claim.name", "department", "id.token.claim", "true",
                "access.token.claim", "false", "userinfo.token.claim", "true", "jsonType.label", "String"));
        created(corp.admin().clients().get(broker.getId()).getProtocolMappers().createMapper(department));
        created(acme.admin().identityProviders().create(asOidcProvider(base, "corp", true)));
        IdentityProviderMapperRepresentation keep = new IdentityProviderMapperRepresentation();
        keep.setName("keep asserted claims");
        keep.setIdentityProviderAlias("corp");
        keep.setIdentityProviderMapper("kcsts-asserted-claims");
        keep.setConfig(Map.of("claims", claims, "syncMode", "INHERIT"));
        created(acme.admin().identityProviders().get("corp").addMapper(keep));
    }

    private static void created(Response response) {
        try (response) {
            assertThat(response.getStatus()).as(response.readEntity(String.class)).isEqualTo(201);
        }
    }

    /** acme's view of corp: an OIDC identity provider that checks signatures with corp's JWKS and its issuer. */
    static IdentityProviderRepresentation asOidcProvider(String base, String alias, boolean validateSignature) {
        String corp = base + "/realms/corp";
        IdentityProviderRepresentation provider = new IdentityProviderRepresentation();
        provider.setAlias(alias);
        provider.setProviderId("oidc");
        provider.setEnabled(true);
        Map<String, String> config = new HashMap<>();
        config.put("issuer", corp);
        config.put("authorizationUrl", corp + "/protocol/openid-connect/auth");
        config.put("tokenUrl", corp + "/protocol/openid-connect/token");
        config.put("userInfoUrl", corp + "/protocol/openid-connect/userinfo");
        config.put("jwksUrl", corp + "/protocol/openid-connect/certs");
        config.put("useJwksUrl", "true");
        config.put("validateSignature", String.valueOf(validateSignature));
        config.put("clientId", "acme-broker");
        config.put("clientSecret", BROKER_SECRET);
        config.put("clientAuthMethod", "client_secret_post");
        config.put("defaultScope", "openid email profile");
        config.put("syncMode", "FORCE");
        provider.setConfig(config);
        return provider;
    }
}
