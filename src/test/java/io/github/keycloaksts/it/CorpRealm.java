package io.github.keycloaksts.it;

import org.keycloak.representations.idm.IdentityProviderRepresentation;
import org.keycloak.testframework.realm.ClientBuilder;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;
import org.keycloak.testframework.realm.UserBuilder;

import java.util.HashMap;
import java.util.Map;

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
                .users(UserBuilder.create("wendy").password(AcmeRealm.PASSWORD).enabled(true).name("Wendy", "Worker")
                                .email("wendy@corp.example").emailVerified(true).attribute("department", "finance"),
                        UserBuilder.create("sally").password(AcmeRealm.PASSWORD).enabled(true).name("Sally", "Saml")
                                .email("sally@corp.example").emailVerified(true).attribute("department", "finance"),
                        UserBuilder.create("mallory").password(AcmeRealm.PASSWORD).enabled(true).name("Mallory", "Outsider")
                                .email("mallory@elsewhere.example").emailVerified(true));
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
