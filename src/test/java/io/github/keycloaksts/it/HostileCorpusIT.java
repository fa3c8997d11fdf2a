package io.github.keycloaksts.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.KeysMetadataRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ManagedRealm;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays the hostile-input corpus ({@code src/test/resources/hostile/corpus.json}, at least 200 cases over the admin
 * API, the exchange parameters and subject tokens) against the real server: every case must get the exact 4xx it
 * expects, the OAuth error code (exchange) or the field (admin) and a reason naming what was wrong, as
 * {@link HostileCase} defines; no 5xx, no hang (each request has a deadline), and nothing half-written (the realm's
 * roles are the same before and after). A case that would pass on any 4xx is refused before anything is sent.
 */
@KeycloakIntegrationTest(config = StsServerConfig.class)
class HostileCorpusIT extends AcmeFixture {

    @InjectRealm(ref = "partners", config = AssumeRoleIT.PartnersRealm.class)
    ManagedRealm partners;

    @Test
    void everyHostileCaseGetsAClearRefusalAndChangesNothing() throws Exception {
        api().ensureRole("""
                {"name": "hostile-target", "maxSessionDuration": 3600, "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:group/engineering"},
                    "Action": ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"]}]},
                 "permissions": {"realmRoles": ["temp-role"]}}""");
        api().ensureRole("""
                {"name": "hostile-untrusting", "maxSessionDuration": 3600, "trustPolicy": {"Version": "2012-10-17", "Statement": []},
                 "permissions": {"realmRoles": ["temp-role"]}}""");
        List<HostileCase> corpus = new ArrayList<>();
        try (InputStream in = getClass().getResourceAsStream("/hostile/corpus.json")) {
            Http.JSON.readTree(in).get("cases").forEach(json -> corpus.add(new HostileCase(json)));
        }
        // A case that would pass on any 4xx proves nothing: refuse the corpus before sending anything.
        List<String> weak = new ArrayList<>();
        corpus.forEach(hostile -> hostile.weaknesses().forEach(w -> weak.add(hostile.id() + ": " + w)));
        assertThat(weak).as(weak.size() + " weak expectations in corpus.json (fix generate-corpus.py)").isEmpty();
        assertThat(corpus.size()).isGreaterThanOrEqualTo(200);

        Map<String, String> placeholders = placeholders();
        String exportBefore = api().get("/export").body();
        List<String> failures = new ArrayList<>();
        ArrayNode replies = Http.JSON.createArrayNode();
        for (HostileCase hostile : corpus) {
            Http.Reply reply = hostile.isExchange() ? exchange(hostile.request(), placeholders) : admin(hostile.request());
            replies.addObject().put("id", hostile.id()).put("status", reply.status())
                    .put("contentType", reply.header("Content-Type")).put("body", reply.body());
            String problem = hostile.problemWith(reply);
            if (problem != null) {
                failures.add(hostile.id() + ": " + problem);
            }
        }
        // Every answer, for whoever updates the expectations: they are to be read off what the server says.
        Files.createDirectories(Path.of("target"));
        Http.JSON.writerWithDefaultPrettyPrinter().writeValue(Path.of("target", "hostile-corpus-replies.json").toFile(), replies);

        assertThat(failures).as(failures.size() + " of " + corpus.size() + " cases (every answer: target/hostile-corpus-replies.json)")
                .isEmpty();
        assertThat(api().get("/export").body()).as("nothing half-written").isEqualTo(exportBefore);
    }

    private Http.Reply admin(JsonNode hostile) throws Exception {
        byte[] body = null;
        if (hostile.has("body")) {
            body = Http.JSON.writeValueAsBytes(hostile.get("body"));
        } else if (hostile.has("raw")) {
            body = hostile.get("raw").asText().getBytes(StandardCharsets.UTF_8);
        } else if (hostile.has("generator")) {
            body = generate(hostile.get("generator").asText());
        }
        String method = hostile.get("method").asText();
        return api().send(method, hostile.get("path").asText(), body == null ? null : hostile.get("contentType").asText(),
                body == null && (method.equals("POST") || method.equals("PUT")) ? new byte[0] : body);
    }

    private static byte[] generate(String generator) {
        String[] parts = generator.split(":");
        switch (parts[0]) {
            case "deep-nesting": {
                int depth = Integer.parseInt(parts[1]);
                return ("{\"name\": \"deep\", \"tags\": " + "[".repeat(depth) + "]".repeat(depth) + "}").getBytes(StandardCharsets.UTF_8);
            }
            case "deep-policy": {
                int depth = Integer.parseInt(parts[1]);
                return ("{\"name\": \"deep\", \"trustPolicy\": {\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
                        + " \"Principal\": \"*\", \"Action\": \"sts:AssumeRole\", \"Condition\": " + "{\"a\": ".repeat(depth)
                        + "1" + "}".repeat(depth) + "}]}}").getBytes(StandardCharsets.UTF_8);
            }
            case "huge": {
                int size = Integer.parseInt(parts[1]);
                return ("{\"name\": \"huge\", \"description\": \"" + "x".repeat(size) + "\"}").getBytes(StandardCharsets.UTF_8);
            }
            case "invalid-utf8": {
                byte[] prefix = "{\"name\": \"".getBytes(StandardCharsets.UTF_8);
                byte[] bytes = new byte[prefix.length + 4];
                System.arraycopy(prefix, 0, bytes, 0, prefix.length);
                bytes[prefix.length] = (byte) 0xC3;
                bytes[prefix.length + 1] = (byte) 0x28;
                bytes[prefix.length + 2] = '"';
                bytes[prefix.length + 3] = '}';
                return bytes;
            }
            default:
                throw new IllegalArgumentException(generator);
        }
    }

    private Http.Reply exchange(JsonNode hostile, Map<String, String> placeholders) {
        List<String> pairs = new ArrayList<>();
        pairs.add("grant_type=" + Http.encode(Sts.TOKEN_EXCHANGE));
        pairs.add("client_id=admin-cli");
        for (Iterator<Map.Entry<String, JsonNode>> it = hostile.get("params").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> param = it.next();
            List<JsonNode> values = new ArrayList<>();
            if (param.getValue().isArray()) {
                param.getValue().forEach(values::add);
            } else {
                values.add(param.getValue());
            }
            for (JsonNode value : values) {
                pairs.add(Http.encode(param.getKey()) + "=" + Http.encode(fill(value.asText(), placeholders)));
            }
        }
        return Http.send("POST", Sts.tokenUrl(base(), "acme"), null, "application/x-www-form-urlencoded",
                String.join("&", pairs).getBytes(StandardCharsets.UTF_8));
    }

    private static String fill(String value, Map<String, String> placeholders) {
        return value.startsWith("{") && placeholders.containsKey(value) ? placeholders.get(value) : value;
    }

    /** Valid tokens, and every forged or broken token the corpus names as {token:<name>}. */
    private Map<String, String> placeholders() throws Exception {
        Map<String, String> tokens = new HashMap<>();
        String alice = userToken("alice");
        tokens.put("{alice}", alice);
        tokens.put("{partners}", Http.userToken(base(), "partners", "eve", AcmeRealm.PASSWORD));
        String[] parts = alice.split("\\.");
        ObjectNode header = (ObjectNode) Http.JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
        ObjectNode payload = (ObjectNode) Http.JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        PrivateKey foreign = KeyPairGenerator.getInstance("RSA").generateKeyPair().getPrivate();

        tokens.put("{token:garbage}", "not-a-token");
        tokens.put("{token:empty-segments}", "..");
        tokens.put("{token:truncated}", alice.substring(0, alice.length() / 2));
        tokens.put("{token:alg-none}", jwt(header.deepCopy().put("alg", "none"), payload) + ".");
        tokens.put("{token:alg-none-unsigned-dot}", jwt(header.deepCopy().put("alg", "none"), payload) + "." + parts[2]);
        tokens.put("{token:hs256-public-key}", hmacWithPublicKey(header, payload));
        tokens.put("{token:tampered-payload}", jwt(header, payload.deepCopy().put("sub", "someone-else")) + "." + parts[2]);
        tokens.put("{token:tampered-signature}", alice.substring(0, alice.length() - 6) + "AAAAAA");
        tokens.put("{token:wrong-issuer}", rs256(header, payload.deepCopy().put("iss", "https://evil.example/realms/acme"), foreign));
        tokens.put("{token:unknown-realm-issuer}", jwt(header, payload.deepCopy().put("iss", base() + "/realms/nope")) + "." + parts[2]);
        tokens.put("{token:foreign-key}", rs256(header, payload, foreign));
        tokens.put("{token:kid-path-traversal}", jwt(header.deepCopy().put("kid", "../../../../etc/passwd"), payload) + "." + parts[2]);
        tokens.put("{token:jku-header}", rs256(header.deepCopy().put("jku", "http://127.0.0.1:1/jwks.json"), payload, foreign));
        tokens.put("{token:x5u-header}", rs256(header.deepCopy().put("x5u", "http://127.0.0.1:1/cert.pem"), payload, foreign));
        tokens.put("{token:expired}", expiredAliceToken());
        tokens.put("{token:not-yet-valid}", rs256(header, payload.deepCopy().put("nbf", payload.get("exp").asLong() + 3600), foreign));
        tokens.put("{token:iss-number}", jwt(header, payload.deepCopy().put("iss", 5)) + "." + parts[2]);
        tokens.put("{token:exp-string}", jwt(header, payload.deepCopy().put("exp", "tomorrow")) + "." + parts[2]);
        tokens.put("{token:huge}", "a".repeat(1_000_000));
        // Over the 20 000 characters Keycloak's token endpoint accepts for subject_token, under its HTTP body limit.
        tokens.put("{token:over-keycloak-limit}", "a".repeat(25_000));
        tokens.put("{token:whitespace}", "   ");
        tokens.put("{token:json-not-jwt}", "{\"sub\": \"alice\"}");
        tokens.put("{token:base64-garbage}", "eyJ.eyJ.eyJ");
        tokens.put("{token:id-token-type-own-realm}", alice);
        tokens.put("{token:saml-garbage}", Base64.getUrlEncoder().encodeToString("<notxml".getBytes(StandardCharsets.UTF_8)));
        tokens.put("{token:saml-xxe}", Base64.getUrlEncoder().encodeToString(("<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x SYSTEM "
                + "\"file:///etc/passwd\">]><saml:Assertion xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"_1\">&x;"
                + "</saml:Assertion>").getBytes(StandardCharsets.UTF_8)));
        return tokens;
    }

    /**
     * An access token of alice issued while acme's access-token lifespan was one second, used after it expired: the
     * server's clock is 3 s ahead from here to the end of the test (the corpus's other tokens live minutes).
     */
    private String expiredAliceToken() {
        RealmRepresentation settings = realm.admin().toRepresentation();
        Integer lifespan = settings.getAccessTokenLifespan();
        settings.setAccessTokenLifespan(1);
        realm.admin().update(settings);
        try {
            return userToken("alice");
        } finally {
            settings.setAccessTokenLifespan(lifespan);
            realm.admin().update(settings);
            clock.set(3);
        }
    }

    private static String jwt(JsonNode header, JsonNode payload) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(Http.JSON.writeValueAsBytes(header)) + "." + b64.encodeToString(Http.JSON.writeValueAsBytes(payload));
    }

    private static String rs256(JsonNode header, JsonNode payload, PrivateKey key) throws Exception {
        String input = jwt(header, payload);
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(key);
        signature.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
    }

    /** The classic key-confusion attack: HS256 with the realm's RSA public key as the HMAC secret. */
    private String hmacWithPublicKey(ObjectNode header, JsonNode payload) throws Exception {
        KeysMetadataRepresentation.KeyMetadataRepresentation key = realm.admin().keys().getKeyMetadata().getKeys().stream()
                .filter(k -> header.get("kid").asText().equals(k.getKid())).findFirst().orElseThrow();
        String input = jwt(header.deepCopy().put("alg", "HS256"), payload);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getPublicKey().getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
        return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    }
}
