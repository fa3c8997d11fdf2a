package io.github.keycloaksts.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloaksts.endpoints.OpenApiDocument;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document the server serves cannot drift from what the server does. For every (path, method, status)
 * the document lists there is a concrete request below that yields exactly that status, and no request yields a
 * status the document does not list for its operation; every required parameter is enforced; every route our
 * JAX-RS classes serve is documented; the document is the one in the jar and well-formed OpenAPI 3.1; and the realm's
 * OIDC discovery document points clients to it.
 */
@KeycloakIntegrationTest(config = StsServerConfig.class)
class OpenApiConformanceIT extends AcmeFixture {

    private static final String IAM = "/admin/realms/{realm}/iam";
    private static final String TOKEN = "/realms/{realm}/protocol/openid-connect/token";
    private static final String ROLE = "oa-subject";
    private static final String ROLE_JSON = """
            {"name": "oa-subject", "path": "/oa/", "trustPolicy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
              "Principal": {"Keycloak": "krn:keycloak:iam::acme:user/alice"}, "Action": "sts:AssumeRole"}]},
             "permissions": {"realmRoles": ["reports-reader"]}}""";
    private static final String EMPTY_TRUST = "{\"Version\": \"2012-10-17\", \"Statement\": []}";
    private static final AtomicInteger UNIQUE = new AtomicInteger();

    /**
     * One documented outcome and the request that produces it. {@code check} looks further at the answer, so a case
     * that hits the status for another reason than the one named fails.
     */
    record Case(String method, String path, int status, String why, Supplier<Http.Reply> request, Consumer<Http.Reply> check) {
        String operation() {
            return method + " " + path;
        }

        String key() {
            return operation() + " " + status;
        }
    }

    @BeforeEach
    void role() {
        api().ensureRole(ROLE_JSON);
    }

    @Test
    void theServedDocumentIsTheShippedOneAndValidOpenApi31() {
        Http.Reply served = Http.send("GET", base() + "/realms/acme/iam/openapi.json", null, null, null);

        assertThat(served.status()).as(served.toString()).isEqualTo(200);
        assertThat(served.header("Content-Type")).startsWith("application/json");
        assertThat(served.header("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(served.json()).isEqualTo(OpenApiDocumentTest.shipped());
        assertThat(served.json().get("openapi").asText()).matches("3\\.1\\.\\d+");
        assertThat(OpenApiStructure.problems(served.json())).isEmpty();
    }

    @Test
    void everyJaxRsRouteOfOursIsDocumented() {
        JaxRsRoutes.Routes found = JaxRsRoutes.find();

        assertThat(found.unreachableClasses()).as("classes with JAX-RS methods that no known root reaches").isEmpty();
        assertThat(OpenApiDocumentTest.operations(document())).containsAll(found.routes());
    }

    /**
     * The table: every documented status has a case, every case's status is documented, every case yields its
     * status. All problems are reported together.
     */
    @Test
    void everyDocumentedStatusIsProducedAndEveryProducedStatusIsDocumented() {
        JsonNode served = document();
        Map<String, Set<Integer>> documented = documentedStatuses(served);
        List<Case> cases = cases();
        List<String> problems = new ArrayList<>();
        Set<String> covered = new TreeSet<>();
        for (Case c : cases) {
            if (!documented.containsKey(c.operation())) {
                problems.add(c.operation() + ": a case for an operation the document does not describe");
                continue;
            }
            if (!documented.get(c.operation()).contains(c.status())) {
                problems.add(c.key() + " (" + c.why() + "): the document does not list this status");
            }
            Http.Reply reply = c.request().get();
            if (reply.status() != c.status()) {
                problems.add(c.key() + " (" + c.why() + "): the server answered " + reply);
                continue;
            }
            try {
                c.check().accept(reply);
                requiredFieldsPresent(served, c, reply);
                covered.add(c.key());
            } catch (AssertionError e) {
                problems.add(c.key() + " (" + c.why() + "): " + e.getMessage());
            }
        }
        documented.forEach((operation, statuses) -> statuses.forEach(status -> {
            String key = operation + " " + status;
            if (cases.stream().noneMatch(c -> c.key().equals(key))) {
                problems.add(key + ": documented, but no case produces it");
            }
        }));
        documented.keySet().forEach(operation -> {
            if (cases.stream().noneMatch(c -> c.operation().equals(operation) && c.status() < 300 && covered.contains(c.key()))) {
                problems.add(operation + ": no successful answer to its documented use");
            }
        });
        assertThat(problems).as("conformance of the served document").isEmpty();
    }

    /** Each parameter (and request body) the document marks required is refused when missing, as documented. */
    @Test
    void requiredParametersAreEnforced() {
        Map<String, Supplier<Http.Reply>> omitted = new TreeMap<>();
        Map<String, Consumer<Http.Reply>> expected = new TreeMap<>();
        // DELETE /sessions without ?session=
        omitted.put("DELETE " + IAM + "/sessions query session", () -> api().delete("/sessions"));
        expected.put("DELETE " + IAM + "/sessions query session", r -> field(r, 400, "session"));
        // AssumeRole's form: ours are refused naming the parameter; without grant_type or role the request is not
        // ours, and Keycloak refuses it (documented on the operation).
        for (String parameter : List.of("grant_type", "subject_token", "subject_token_type", "role")) {
            String key = "POST " + TOKEN + " form " + parameter;
            omitted.put(key, () -> exchangeWithout(parameter));
            expected.put(key, switch (parameter) {
                case "grant_type" -> r -> oauth(r, 400, "invalid_request", "Missing form parameter: grant_type");
                // Not ours without role: Keycloak's standard exchange, not enabled for admin-cli, refuses it.
                case "role" -> r -> oauth(r, 400, "invalid_request", "Standard token exchange is not enabled for the requested client");
                default -> r -> oauth(r, 400, "invalid_request", parameter + ": is required");
            });
        }
        // Request bodies: a missing body is malformed JSON (400), except for validation, which reports it as findings.
        for (String write : List.of("POST " + IAM + "/roles", "PUT " + IAM + "/roles/{name}", "POST " + IAM + "/import",
                "POST " + IAM + "/simulate")) {
            String[] parts = write.split(" ");
            String path = parts[1].substring(IAM.length()).replace("{name}", ROLE);
            omitted.put(write + " body", () -> api().send(parts[0], path, "application/json", new byte[0]));
            expected.put(write + " body", r -> assertThat(r.status()).as(r.toString()).isEqualTo(400));
        }
        omitted.put("POST " + IAM + "/policies/validate body", () -> api().send("POST", "/policies/validate", "application/json", new byte[0]));
        expected.put("POST " + IAM + "/policies/validate body", r -> {
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.json().get("valid").asBoolean()).isFalse();
        });

        assertThat(omitted.keySet()).as("a case for each required parameter and body of the document")
                .isEqualTo(requiredParameters(document()));
        List<String> problems = new ArrayList<>();
        omitted.forEach((key, request) -> {
            Http.Reply reply = request.get();
            try {
                expected.get(key).accept(reply);
            } catch (AssertionError e) {
                problems.add(key + " omitted: " + e.getMessage());
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void oidcDiscoveryPointsClientsToTheSts() {
        Http.Reply reply = Http.send("GET", base() + "/realms/acme/.well-known/openid-configuration", null, null, null);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        JsonNode metadata = reply.json();
        assertThat(metadata.get("grant_types_supported")).extracting(JsonNode::asText).contains(Sts.TOKEN_EXCHANGE);
        JsonNode sts = metadata.get("keycloak_sts");
        assertThat(sts).as(reply.body()).isNotNull();
        assertThat(sts.get("openapi_uri").asText()).isEqualTo(base() + "/realms/acme/iam/openapi.json");
        assertThat(sts.get("caller_identity_endpoint").asText()).isEqualTo(base() + "/realms/acme/iam/caller-identity");
        assertThat(sts.get("token_endpoint").asText()).isEqualTo(metadata.get("token_endpoint").asText())
                .isEqualTo(Sts.tokenUrl(base(), "acme"));
        assertThat(sts.get("grant_type").asText()).isEqualTo(Sts.TOKEN_EXCHANGE);
        assertThat(sts.get("role_parameter").asText()).isEqualTo("role");
        assertThat(sts.get("issued_token_type").asText()).isEqualTo(Sts.ACCESS_TOKEN);
        assertThat(sts.get("subject_token_types_supported")).extracting(JsonNode::asText).containsExactly(
                Sts.ACCESS_TOKEN, "urn:ietf:params:oauth:token-type:jwt", "urn:ietf:params:oauth:token-type:id_token",
                "urn:ietf:params:oauth:token-type:saml2");
        // Keycloak's own metadata is still all there.
        assertThat(metadata.get("issuer").asText()).isEqualTo(base() + "/realms/acme");
        assertThat(metadata.has("jwks_uri")).isTrue();
        assertThat(metadata.has("introspection_endpoint")).isTrue();

        // What discovery advertises answers, and answers as the document says.
        assertThat(Http.send("GET", sts.get("openapi_uri").asText(), null, null, null).json()).isEqualTo(document());
        assertThat(Http.send("GET", sts.get("caller_identity_endpoint").asText(), alice(), null, null).status()).isEqualTo(200);
        // The documented schema of discovery's object names exactly the fields served.
        Set<String> documentedFields = new TreeSet<>();
        document().at("/components/schemas/StsDiscovery/properties").fieldNames().forEachRemaining(documentedFields::add);
        Set<String> servedFields = new TreeSet<>();
        sts.fieldNames().forEachRemaining(servedFields::add);
        assertThat(servedFields).isEqualTo(documentedFields);
    }

    // ---- the table ----

    private List<Case> cases() {
        IamApi anonymous = new IamApi(base(), "acme", () -> null);
        IamApi viewer = iamAs("acme", "viewer");
        IamApi nobody = iamAs("acme", "nobody");
        String role = "/roles/" + ROLE;
        byte[] over64KiB = ("{\"name\": \"big\", \"trustPolicy\": " + EMPTY_TRUST + ", \"description\": \""
                + "x".repeat(70_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] textPlain = "{}".getBytes(StandardCharsets.UTF_8);
        String policy = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"sts:AssumeRole\"}]}";
        String simulation = "{\"role\": \"" + ROLE + "\", \"principal\": \"krn:keycloak:iam::acme:user/alice\"}";
        String importDocument = "{\"roles\": [{\"name\": \"oa-imported\", \"trustPolicy\": " + EMPTY_TRUST + "}]}";
        List<Case> cases = new ArrayList<>();

        // roles: paged search and create
        cases.add(c("GET", IAM + "/roles", 200, "a page", () -> api().get("/roles?path=/oa/&max=5"), r -> {
            assertThat(r.json().isArray()).isTrue();
            assertThat(r.header("X-Total-Count")).isNotNull();
        }));
        cases.add(c("GET", IAM + "/roles", 400, "max out of range", () -> api().get("/roles?max=0"), r -> field(r, 400, "max")));
        cases.add(c("GET", IAM + "/roles", 401, "no token", () -> anonymous.get("/roles"), any()));
        cases.add(c("GET", IAM + "/roles", 403, "no view-realm", () -> nobody.get("/roles"), any()));
        cases.add(c("POST", IAM + "/roles", 201, "created", () -> api().post("/roles", newRole(unique("oa-new"))),
                r -> assertThat(r.header("Location")).contains("/iam/roles/oa-new-")));
        cases.add(c("POST", IAM + "/roles", 400, "invalid name", () -> api().post("/roles", newRole("bad name")), r -> field(r, 400, "name")));
        cases.add(c("POST", IAM + "/roles", 401, "no token", () -> anonymous.post("/roles", newRole("oa-x")), any()));
        cases.add(c("POST", IAM + "/roles", 403, "no manage-realm", () -> viewer.post("/roles", newRole("oa-x")), any()));
        cases.add(c("POST", IAM + "/roles", 409, "name exists ignoring case", () -> api().post("/roles", newRole("OA-SUBJECT")), any()));
        cases.add(c("POST", IAM + "/roles", 413, "over 64 KiB", () -> api().send("POST", "/roles", "application/json", over64KiB), tooLarge()));
        cases.add(c("POST", IAM + "/roles", 415, "not JSON", () -> api().send("POST", "/roles", "text/plain", textPlain), any()));

        // one role
        cases.add(c("GET", IAM + "/roles/{name}", 200, "found ignoring case", () -> api().get("/roles/OA-SUBJECT"),
                r -> assertThat(r.json().get("krn").asText()).isEqualTo("krn:keycloak:iam::acme:role/oa/oa-subject")));
        cases.add(c("GET", IAM + "/roles/{name}", 401, "no token", () -> anonymous.get(role), any()));
        cases.add(c("GET", IAM + "/roles/{name}", 403, "no view-realm", () -> nobody.get(role), any()));
        cases.add(c("GET", IAM + "/roles/{name}", 404, "unknown", () -> api().get("/roles/oa-none"), any()));
        cases.add(c("PUT", IAM + "/roles/{name}", 200, "replaced", () -> api().put(role, ROLE_JSON), any()));
        cases.add(c("PUT", IAM + "/roles/{name}", 400, "rename", () -> api().put(role, newRole("oa-renamed")), r -> field(r, 400, "name")));
        cases.add(c("PUT", IAM + "/roles/{name}", 401, "no token", () -> anonymous.put(role, ROLE_JSON), any()));
        cases.add(c("PUT", IAM + "/roles/{name}", 403, "no manage-realm", () -> viewer.put(role, ROLE_JSON), any()));
        cases.add(c("PUT", IAM + "/roles/{name}", 404, "unknown", () -> api().put("/roles/oa-none", newRole("oa-none")), any()));
        cases.add(c("PUT", IAM + "/roles/{name}", 409, "concurrent replaces of one role", this::concurrentReplace,
                r -> assertThat(r.json().get("errorMessage").asText()).contains("changed by another request at the same time")));
        cases.add(c("PUT", IAM + "/roles/{name}", 413, "over 64 KiB", () -> api().send("PUT", role, "application/json", over64KiB), tooLarge()));
        cases.add(c("PUT", IAM + "/roles/{name}", 415, "not JSON", () -> api().send("PUT", role, "text/plain", textPlain), any()));
        cases.add(c("DELETE", IAM + "/roles/{name}", 204, "deleted", () -> {
            String name = unique("oa-doomed");
            api().post("/roles", newRole(name));
            return api().delete("/roles/" + name);
        }, any()));
        cases.add(c("DELETE", IAM + "/roles/{name}", 401, "no token", () -> anonymous.delete(role), any()));
        cases.add(c("DELETE", IAM + "/roles/{name}", 403, "no manage-realm", () -> viewer.delete(role), any()));
        cases.add(c("DELETE", IAM + "/roles/{name}", 404, "unknown", () -> api().delete("/roles/oa-none"), any()));

        // revoking a role's sessions (on a role of its own: oa-subject's sessions are used below)
        cases.add(c("POST", IAM + "/roles/{name}/revoke-sessions", 200, "revoked", () -> {
            api().ensureRole(newRole("oa-revoked"));
            return api().send("POST", "/roles/oa-revoked/revoke-sessions", null, null);
        }, r -> assertThat(r.json().get("role").asText()).isEqualTo("krn:keycloak:iam::acme:role/oa-revoked")));
        cases.add(c("POST", IAM + "/roles/{name}/revoke-sessions", 401, "no token", () -> anonymous.send("POST", role + "/revoke-sessions", null, null), any()));
        cases.add(c("POST", IAM + "/roles/{name}/revoke-sessions", 403, "no manage-realm", () -> viewer.send("POST", role + "/revoke-sessions", null, null), any()));
        cases.add(c("POST", IAM + "/roles/{name}/revoke-sessions", 404, "unknown", () -> api().send("POST", "/roles/oa-none/revoke-sessions", null, null), any()));

        // export and import
        cases.add(c("GET", IAM + "/export", 200, "the document", () -> api().get("/export"),
                r -> assertThat(r.json().get("realm").asText()).isEqualTo("acme")));
        cases.add(c("GET", IAM + "/export", 400, "unknown parameter", () -> api().get("/export?volatil=true"), r -> field(r, 400, "volatil")));
        cases.add(c("GET", IAM + "/export", 401, "no token", () -> anonymous.get("/export"), any()));
        cases.add(c("GET", IAM + "/export", 403, "no view-realm", () -> nobody.get("/export"), any()));
        cases.add(c("POST", IAM + "/import", 200, "dry run", () -> api().post("/import?mode=merge&dryRun=true", importDocument),
                r -> assertThat(r.json().get("dryRun").asBoolean()).isTrue()));
        cases.add(c("POST", IAM + "/import", 400, "mode of another case", () -> api().post("/import?mode=Sync&dryRun=true", importDocument), r -> field(r, 400, "mode")));
        cases.add(c("POST", IAM + "/import", 401, "no token", () -> anonymous.post("/import?dryRun=true", importDocument), any()));
        cases.add(c("POST", IAM + "/import", 403, "no manage-realm", () -> viewer.post("/import?dryRun=true", importDocument), any()));
        cases.add(c("POST", IAM + "/import", 413, "over 8 MiB", () -> http11Post("/import?dryRun=true",
                ("{\"roles\": [], \"realm\": \"" + "x".repeat(8 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8)), tooLarge()));
        cases.add(c("POST", IAM + "/import", 415, "not JSON", () -> api().send("POST", "/import?dryRun=true", "text/plain", textPlain), any()));

        // policy tools
        cases.add(c("POST", IAM + "/policies/validate", 200, "findings", () -> api().post("/policies/validate", policy),
                r -> assertThat(r.json().get("valid").asBoolean()).isTrue()));
        cases.add(c("POST", IAM + "/policies/validate", 401, "no token", () -> anonymous.post("/policies/validate", policy), any()));
        cases.add(c("POST", IAM + "/policies/validate", 403, "no view-realm", () -> nobody.post("/policies/validate", policy), any()));
        cases.add(c("POST", IAM + "/policies/validate", 413, "over 64 KiB", () -> api().send("POST", "/policies/validate", "application/json", over64KiB), tooLarge()));
        cases.add(c("POST", IAM + "/policies/validate", 415, "not JSON", () -> api().send("POST", "/policies/validate", "text/plain", textPlain), any()));
        cases.add(c("POST", IAM + "/simulate", 200, "allowed", () -> api().post("/simulate", simulation),
                r -> assertThat(r.json().get("decision").asText()).isEqualTo("allow")));
        cases.add(c("POST", IAM + "/simulate", 400, "no principal", () -> api().post("/simulate", "{\"role\": \"" + ROLE + "\"}"), r -> field(r, 400, "principal")));
        cases.add(c("POST", IAM + "/simulate", 401, "no token", () -> anonymous.post("/simulate", simulation), any()));
        cases.add(c("POST", IAM + "/simulate", 403, "no view-realm", () -> nobody.post("/simulate", simulation), any()));
        cases.add(c("POST", IAM + "/simulate", 404, "unknown role", () -> api().post("/simulate", simulation.replace(ROLE, "oa-none")), any()));
        cases.add(c("POST", IAM + "/simulate", 413, "over 64 KiB", () -> api().send("POST", "/simulate", "application/json", over64KiB), tooLarge()));
        cases.add(c("POST", IAM + "/simulate", 415, "not JSON", () -> api().send("POST", "/simulate", "text/plain", textPlain), any()));

        // revoking sessions by token id and by session KRN
        cases.add(c("DELETE", IAM + "/sessions/{tokenId}", 204, "a live session", () -> api().delete("/sessions/" + jti(assumed("oa-by-id"))), any()));
        cases.add(c("DELETE", IAM + "/sessions/{tokenId}", 401, "no token", () -> anonymous.delete("/sessions/onrtte:x"), any()));
        cases.add(c("DELETE", IAM + "/sessions/{tokenId}", 403, "no manage-realm", () -> viewer.delete("/sessions/onrtte:x"), any()));
        cases.add(c("DELETE", IAM + "/sessions/{tokenId}", 404, "no such session", () -> api().delete("/sessions/onrtte:no-such-session"), any()));
        String named = "/sessions?session=" + Http.encode("krn:keycloak:sts::acme:assumed-role/" + ROLE + "/oa-named");
        cases.add(c("DELETE", IAM + "/sessions", 200, "revoked by name", () -> api().delete(named),
                r -> assertThat(r.json().get("session").asText()).isEqualTo("krn:keycloak:sts::acme:assumed-role/oa-subject/oa-named")));
        cases.add(c("DELETE", IAM + "/sessions", 400, "not a session KRN", () -> api().delete("/sessions?session=" + Http.encode("krn:keycloak:iam::acme:user/alice")), r -> field(r, 400, "session")));
        cases.add(c("DELETE", IAM + "/sessions", 401, "no token", () -> anonymous.delete(named), any()));
        cases.add(c("DELETE", IAM + "/sessions", 403, "no manage-realm", () -> viewer.delete(named), any()));
        cases.add(c("DELETE", IAM + "/sessions", 404, "unknown role", () -> api().delete("/sessions?session=" + Http.encode("krn:keycloak:sts::acme:assumed-role/oa-none/x1")), any()));

        // the public realm resource
        cases.add(c("GET", "/realms/{realm}/iam/caller-identity", 200, "alice", () -> Http.send("GET", base() + "/realms/acme/iam/caller-identity", alice(), null, null),
                r -> assertThat(r.json().get("principal").asText()).isEqualTo("krn:keycloak:iam::acme:user/alice")));
        cases.add(c("GET", "/realms/{realm}/iam/caller-identity", 401, "no token", () -> Http.send("GET", base() + "/realms/acme/iam/caller-identity", null, null, null),
                r -> oauth(r, 401, "invalid_token", "a bearer token is required")));
        cases.add(c("GET", "/realms/{realm}/iam/openapi.json", 200, "no authentication", () -> Http.send("GET", base() + "/realms/acme/iam/openapi.json", null, null, null), any()));
        cases.add(c("GET", "/realms/{realm}/.well-known/openid-configuration", 200, "discovery", () -> Http.send("GET", base() + "/realms/acme/.well-known/openid-configuration", null, null, null),
                r -> assertThat(r.json().has("keycloak_sts")).isTrue()));

        // AssumeRole
        cases.add(c("POST", TOKEN, 200, "assumed", () -> exchange("role", ROLE), r -> {
            assertThat(r.json().get("issued_token_type").asText()).isEqualTo(Sts.ACCESS_TOKEN);
            assertThat(r.header("Cache-Control")).contains("no-store");
        }));
        cases.add(c("POST", TOKEN, 400, "duration out of range", () -> exchange("role", ROLE, "duration_seconds", "60"),
                r -> assertThat(r.json().get("error_description").asText()).startsWith("duration_seconds: ")));
        cases.add(c("POST", TOKEN, 401, "wrong client secret", () -> Sts.assumeRole(base(), "acme", "ci-pipeline", "wrong-secret", alice(), ROLE),
                // Keycloak 26.7.3's own answer; RFC 6749 section 5.2 names this invalid_client.
                r -> oauth(r, 401, "unauthorized_client", "Invalid client or Invalid client credentials")));
        cases.add(c("POST", TOKEN, 403, "unknown role", () -> exchange("role", "oa-none"),
                r -> oauth(r, 403, "access_denied", "not authorized to assume the requested role")));
        cases.add(c("POST", TOKEN, 413, "over 512 KiB", () -> exchange("role", ROLE, "session_policy", "x".repeat(600 * 1024)),
                r -> assertThat(r.json().get("error").asText()).isEqualTo("invalid_request")));
        return cases;
    }

    private static Case c(String method, String path, int status, String why, Supplier<Http.Reply> request, Consumer<Http.Reply> check) {
        return new Case(method, path, status, why, request, check);
    }

    private static Consumer<Http.Reply> any() {
        return reply -> {
        };
    }

    private static Consumer<Http.Reply> tooLarge() {
        return r -> assertThat(r.json().get("errorMessage").asText()).matches("the request body is larger than \\d+ bytes");
    }

    private static void field(Http.Reply reply, int status, String field) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.json().get("field").asText()).as(reply.toString()).isEqualTo(field);
    }

    private static void oauth(Http.Reply reply, int status, String error, String description) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.json().get("error").asText()).as(reply.toString()).isEqualTo(error);
        assertThat(reply.json().get("error_description").asText()).as(reply.toString()).isEqualTo(description);
    }

    private static String unique(String prefix) {
        return prefix + "-" + System.nanoTime() % 1_000_000 + UNIQUE.incrementAndGet();
    }

    private static String newRole(String name) {
        return "{\"name\": \"" + name + "\", \"trustPolicy\": " + EMPTY_TRUST + "}";
    }

    /**
     * A POST over HTTP/1.1: the shared client asks for an h2c upgrade, and the server answers a multi-MiB upgrade
     * request with GOAWAY before any status.
     */
    private Http.Reply http11Post(String path, byte[] body) {
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(base() + "/admin/realms/acme/iam" + path))
                .header("Authorization", "Bearer " + admin.tokenManager().getAccessTokenString())
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            java.net.http.HttpResponse<String> response = client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
            return new Http.Reply(response.statusCode(), response.body(), response);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** AssumeRole of oa-subject by alice through the public client admin-cli, with further parameters. */
    private Http.Reply exchange(String... parameters) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", Sts.TOKEN_EXCHANGE);
        form.put("client_id", "admin-cli");
        form.put("subject_token", alice());
        form.put("subject_token_type", Sts.ACCESS_TOKEN);
        for (int i = 0; i < parameters.length; i += 2) {
            form.put(parameters[i], parameters[i + 1]);
        }
        return Http.form(Sts.tokenUrl(base(), "acme"), form);
    }

    private Http.Reply exchangeWithout(String parameter) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", Sts.TOKEN_EXCHANGE);
        form.put("client_id", "admin-cli");
        form.put("subject_token", alice());
        form.put("subject_token_type", Sts.ACCESS_TOKEN);
        form.put("role", ROLE);
        form.remove(parameter);
        return Http.form(Sts.tokenUrl(base(), "acme"), form);
    }

    /** A live session of oa-subject with this session name. */
    private String assumed(String sessionName) {
        Http.Reply reply = exchange("role", ROLE, "role_session_name", sessionName);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json().get("access_token").asText();
    }

    private static String jti(String jwt) {
        try {
            return Http.JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1])).get("jti").asText();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * A 409 of PUT needs two writes of one role at the same moment: rounds of parallel replaces until one is
     * refused (each is applied whole or refused, RoleCrudIT). Returns the first 409, or the last answer when none
     * came, which then fails the case.
     */
    private Http.Reply concurrentReplace() {
        String name = unique("oa-race");
        api().post("/roles", newRole(name));
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            Http.Reply last = null;
            for (int round = 0; round < 20; round++) {
                List<Future<Http.Reply>> replies = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    String body = "{\"name\": \"" + name + "\", \"description\": \"r" + round + "-" + i + "\", \"trustPolicy\": " + EMPTY_TRUST + "}";
                    replies.add(pool.submit(() -> api().put("/roles/" + name, body)));
                }
                for (Future<Http.Reply> reply : replies) {
                    last = reply.get(60, TimeUnit.SECONDS);
                    if (last.status() == 409) {
                        return last;
                    }
                }
            }
            return last;
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The answer has every field the documented response schema requires (top level, and of each element of an
     * array), so a renamed or dropped field fails too, not only a changed status.
     */
    private static void requiredFieldsPresent(JsonNode document, Case c, Http.Reply reply) {
        String path = "/paths/" + c.path().replace("~", "~0").replace("/", "~1") + "/" + c.method().toLowerCase()
                + "/responses/" + c.status();
        JsonNode response = resolve(document, document.at(path));
        JsonNode schema = resolve(document, response.path("content").path("application/json").path("schema"));
        if (schema.isMissingNode()) {
            return;
        }
        JsonNode body = reply.json();
        if (schema.path("type").asText().equals("array")) {
            JsonNode items = resolve(document, schema.path("items"));
            assertThat(body.isArray()).as(reply.toString()).isTrue();
            body.forEach(element -> schema(items, element, reply));
        } else {
            schema(schema, body, reply);
        }
    }

    private static void schema(JsonNode schema, JsonNode body, Http.Reply reply) {
        for (JsonNode field : schema.path("required")) {
            assertThat(body.has(field.asText())).as("required field '" + field.asText() + "' in " + reply).isTrue();
        }
    }

    private static JsonNode resolve(JsonNode document, JsonNode node) {
        return node.has("$ref") ? document.at(node.get("$ref").asText().substring(1)) : node;
    }

    // ---- reading the document ----

    private JsonNode document() {
        return Http.send("GET", base() + "/realms/acme/iam/" + OpenApiDocument.PATH, null, null, null).json();
    }

    /** {@code "METHOD /path"} → the statuses its responses list. */
    private static Map<String, Set<Integer>> documentedStatuses(JsonNode document) {
        Map<String, Set<Integer>> statuses = new TreeMap<>();
        document.get("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            if (OpenApiStructure.METHODS.contains(operation.getKey())) {
                Set<Integer> codes = new TreeSet<>();
                operation.getValue().get("responses").fieldNames().forEachRemaining(code -> codes.add(Integer.parseInt(code)));
                statuses.put(operation.getKey().toUpperCase() + " " + path.getKey(), codes);
            }
        }));
        return statuses;
    }

    /**
     * {@code "METHOD /path query|header name"} for each required non-path parameter, {@code "... form name"} for
     * each required field of a form body, {@code "... body"} for each required JSON body.
     */
    private static Set<String> requiredParameters(JsonNode document) {
        Set<String> required = new TreeSet<>();
        document.get("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            if (!OpenApiStructure.METHODS.contains(operation.getKey())) {
                return;
            }
            String where = operation.getKey().toUpperCase() + " " + path.getKey();
            List<JsonNode> parameters = new ArrayList<>();
            path.getValue().path("parameters").forEach(parameters::add);
            operation.getValue().path("parameters").forEach(parameters::add);
            for (JsonNode p : parameters) {
                JsonNode parameter = p.has("$ref") ? document.at(p.get("$ref").asText().substring(1)) : p;
                if (parameter.path("required").asBoolean(false) && !parameter.get("in").asText().equals("path")) {
                    required.add(where + " " + parameter.get("in").asText() + " " + parameter.get("name").asText());
                }
            }
            JsonNode body = operation.getValue().path("requestBody");
            if (body.path("required").asBoolean(false)) {
                JsonNode form = body.path("content").path("application/x-www-form-urlencoded").path("schema");
                if (form.isMissingNode()) {
                    required.add(where + " body");
                } else {
                    JsonNode schema = form.has("$ref") ? document.at(form.get("$ref").asText().substring(1)) : form;
                    schema.path("required").forEach(name -> required.add(where + " form " + name.asText()));
                }
            }
        }));
        return required;
    }
}
