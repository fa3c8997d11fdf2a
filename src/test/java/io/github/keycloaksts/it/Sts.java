package io.github.keycloaksts.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.keycloak.TokenVerifier;
import org.keycloak.common.crypto.CryptoIntegration;
import org.keycloak.jose.jwk.JSONWebKeySet;
import org.keycloak.jose.jwk.JWK;
import org.keycloak.jose.jwk.JWKParser;
import org.keycloak.representations.AccessToken;
import org.keycloak.util.JsonSerialization;

import java.security.PublicKey;
import java.util.HashMap;
import java.util.Map;

/** Calls the token endpoint as applications do, and checks tokens as a resource server would. */
public final class Sts {

    public static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    public static final String ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";

    private Sts() {
    }

    public static String tokenUrl(String base, String realm) {
        return base + "/realms/" + realm + "/protocol/openid-connect/token";
    }

    /** An AssumeRole exchange by a client; {@code extra} holds key/value pairs of further parameters. */
    public static Http.Reply assumeRole(String base, String realm, String clientId, String secret, String subjectToken,
                                        String role, String... extra) {
        Map<String, String> form = new HashMap<>();
        form.put("grant_type", TOKEN_EXCHANGE);
        form.put("client_id", clientId);
        if (secret != null) {
            form.put("client_secret", secret);
        }
        form.put("subject_token", subjectToken);
        form.put("subject_token_type", ACCESS_TOKEN);
        if (role != null) {
            form.put("role", role);
        }
        for (int i = 0; i < extra.length; i += 2) {
            form.put(extra[i], extra[i + 1]);
        }
        return Http.form(tokenUrl(base, realm), form);
    }

    public static String clientCredentials(String base, String realm, String clientId, String secret) {
        Http.Reply reply = Http.form(tokenUrl(base, realm),
                Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret));
        if (reply.status() != 200) {
            throw new AssertionError("client_credentials failed: " + reply);
        }
        return reply.json().get("access_token").asText();
    }

    /** Verifies a token's signature with the realm's published JWKS and returns its claims. */
    public static AccessToken verify(String base, String realm, String token) throws Exception {
        CryptoIntegration.init(Sts.class.getClassLoader());
        TokenVerifier<AccessToken> verifier = TokenVerifier.create(token, AccessToken.class);
        String kid = verifier.getHeader().getKeyId();
        JSONWebKeySet keys = JsonSerialization.readValue(
                Http.send("GET", base + "/realms/" + realm + "/protocol/openid-connect/certs", null, null, null).body(),
                JSONWebKeySet.class);
        for (JWK jwk : keys.getKeys()) {
            if (jwk.getKeyId().equals(kid)) {
                PublicKey key = JWKParser.create(jwk).toPublicKey();
                return verifier.publicKey(key).withChecks(TokenVerifier.IS_ACTIVE).verify().getToken();
            }
        }
        throw new AssertionError("no key " + kid + " in the realm's JWKS");
    }

    public static JsonNode claims(AccessToken token) {
        return Http.JSON.valueToTree(token);
    }
}
