package io.github.keycloaksts.it;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.testframework.annotations.InjectAdminClient;
import org.keycloak.testframework.annotations.InjectKeycloakUrls;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.server.KeycloakUrls;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Subject tokens signed by an algorithm or key the issuing realm cannot verify are refused with
 * {@code 400 invalid_request} before Keycloak's verifier sees them: Keycloak 26.5.6's own
 * {@code AuthenticationManager.verifyIdentityToken} throws a NullPointerException for an algorithm it has no
 * signature provider for, which would be a 500. Each token carries a real user's claims, so only the header is wrong.
 */
@KeycloakIntegrationTest(config = StsServerConfig.class)
class SubjectTokenAlgorithmIT {

    @InjectAdminClient
    Keycloak admin;

    @InjectKeycloakUrls
    KeycloakUrls urls;

    @InjectRealm(config = AcmeRealm.class)
    ManagedRealm realm;

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    @BeforeEach
    void role() {
        new IamApi(urls.getBase(), realm.getName(), () -> admin.tokenManager().getAccessTokenString()).ensureRole("""
                {"name": "anyone-of-acme", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Sid": "Any", "Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole",
                    "Condition": {"StringLike": {"kc:Username": "*"}}}]},
                 "permissions": {"realmRoles": ["temp-role"]}}""");
    }

    @Test
    void tokensWhoseAlgorithmTheRealmCannotVerifyAreInvalidRequests() throws Exception {
        String alice = Http.userToken(urls.getBase(), "acme", "alice", AcmeRealm.PASSWORD);
        String[] parts = alice.split("\\.");
        String kid = Http.JSON.readTree(Base64.getUrlDecoder().decode(parts[0])).get("kid").asText();
        String payload = parts[1];
        // The genuine token passes: only the forged headers below are refused.
        assertThat(Sts.assumeRole(urls.getBase(), "acme", "admin-cli", null, alice, "anyone-of-acme").status()).isEqualTo(200);

        Map<String, String> forged = new LinkedHashMap<>();
        forged.put("alg=none", header("{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}") + "." + payload + ".");
        forged.put("alg=none without kid", header("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + payload + ".");
        forged.put("unknown alg", header("{\"alg\":\"XS999\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}") + "." + payload + "."
                + B64.encodeToString(new byte[64]));
        // The classic confusion: HS256 keyed with the realm's public RSA key, under the RSA key's kid; the realm
        // has no HS256 key at all.
        String hsInput = header("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}") + "." + payload;
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(realm.admin().keys().getKeyMetadata().getKeys().stream()
                .filter(k -> kid.equals(k.getKid())).findFirst().orElseThrow().getPublicKey()
                .getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        forged.put("HS256 with the RSA public key", hsInput + "." + B64.encodeToString(
                mac.doFinal(hsInput.getBytes(StandardCharsets.US_ASCII))));
        // RS512 under the realm's RS256 key id, signed by a key of our own: the realm has no RS512 key.
        String rsInput = header("{\"alg\":\"RS512\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}") + "." + payload;
        Signature rs512 = Signature.getInstance("SHA512withRSA");
        rs512.initSign(KeyPairGenerator.getInstance("RSA").generateKeyPair().getPrivate());
        rs512.update(rsInput.getBytes(StandardCharsets.US_ASCII));
        forged.put("RS512 with no such key", rsInput + "." + B64.encodeToString(rs512.sign()));
        forged.put("RS256 under a kid the realm does not have", header("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"nope\"}")
                + "." + payload + "." + parts[2]);
        forged.put("garbage header", B64.encodeToString("not json".getBytes(StandardCharsets.US_ASCII)) + "." + payload
                + "." + parts[2]);
        forged.put("header without alg", header("{\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}") + "." + payload + "." + parts[2]);

        forged.forEach((what, token) -> {
            Http.Reply reply = Sts.assumeRole(urls.getBase(), "acme", "admin-cli", null, token, "anyone-of-acme");
            assertThat(reply.status()).as(what + ": " + reply).isEqualTo(400);
            assertThat(reply.json().get("error").asText()).as(what).isEqualTo("invalid_request");
            assertThat(reply.json().get("error_description").asText()).as(what).startsWith("subject_token:");
        });
    }

    @Test
    void callerIdentityRefusesThemAsUnauthenticated() throws Exception {
        String alice = Http.userToken(urls.getBase(), "acme", "alice", AcmeRealm.PASSWORD);
        String[] parts = alice.split("\\.");
        String none = header("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".";
        Http.Reply reply = Http.getJson(urls.getBase() + "/realms/acme/iam/caller-identity", none);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(401);
    }

    private static String header(String json) {
        return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
