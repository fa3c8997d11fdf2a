package io.github.keycloaksts.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Create, read, list, replace and delete IAM roles over HTTP, as a realm administrator would. */
@KeycloakIntegrationTest(config = StsServerConfig.class)
class RoleCrudIT extends AcmeFixture {

    static String auditor(String name) {
        return """
                {"name": "%s", "path": "/partners/", "description": "Read-only access for the audit firm",
                 "maxSessionDuration": 7200, "tags": {"team": "security", "cost-center": "42"},
                 "trustPolicy": {"Version": "2012-10-17", "Statement": [{"Sid": "AuditFirm", "Effect": "Allow",
                   "Principal": {"Keycloak": "krn:keycloak:iam::partners:root"}, "Action": "sts:AssumeRole",
                   "Condition": {"StringEquals": {"sts:ExternalId": "7f3e-audit"}}}]},
                 "permissions": {"realmRoles": ["reports-reader"], "clientRoles": {"billing-api": ["invoices:read"]}}}
                """.formatted(name);
    }

    /** Parallel replaces of one role: each is applied whole or answered 409, never a 500 (outsider review of issue 14). */
    @Test
    void concurrentReplacesOfOneRoleAreAppliedWholeOrRefusedWith409() throws Exception {
        api().ensureRole(auditor("contended"));
        String token = admin.tokenManager().getAccessTokenString();
        IamApi api = new IamApi(base(), realm.getName(), () -> token);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(12);
        List<java.util.concurrent.Future<Http.Reply>> replies = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            String description = "writer " + i;
            replies.add(pool.submit(() -> api.put("/roles/contended",
                    auditor("contended").replace("Read-only access for the audit firm", description))));
        }
        List<String> applied = new ArrayList<>();
        for (int i = 0; i < replies.size(); i++) {
            Http.Reply reply = replies.get(i).get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(reply.status()).as(reply.toString()).isIn(200, 409);
            if (reply.status() == 200) {
                applied.add("writer " + i);
            } else {
                assertThat(reply.json().get("errorMessage").asText()).contains("changed by another request at the same time");
            }
        }
        pool.shutdown();
        assertThat(applied).isNotEmpty();
        assertThat(api().get("/roles/contended").json().get("description").asText()).isIn(applied.toArray());
    }

    /** The console's Sessions tab shows the last revocation: the representation carries it, read-only. */
    @Test
    void theRepresentationSaysWhenTheRolesSessionsWereLastRevoked() {
        api().ensureRole(auditor("revoked-auditor"));
        assertThat(api().get("/roles/revoked-auditor").json().get("sessionsRevokedAt").isNull()).isTrue();

        Http.Reply revoked = api().post("/roles/revoked-auditor/revoke-sessions", "");
        assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
        JsonNode role = api().get("/roles/revoked-auditor").json();
        assertThat(role.get("sessionsRevokedAt").asText()).isEqualTo(revoked.json().get("sessionsRevokedAt").asText());

        // Read-only: a fetched representation goes back as it is, and a value sent is ignored.
        ((com.fasterxml.jackson.databind.node.ObjectNode) role).put("sessionsRevokedAt", "2001-01-01T00:00:00Z");
        Http.Reply replaced = api().put("/roles/revoked-auditor", role.toString());
        assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
        assertThat(replaced.json().get("sessionsRevokedAt").asText()).isEqualTo(revoked.json().get("sessionsRevokedAt").asText());
        assertThat(api().delete("/roles/revoked-auditor").status()).isEqualTo(204);
    }

    @Test
    void createdRoleIsReturnedWithItsDerivedFieldsAndLocation() {
        Http.Reply created = api().post("/roles", auditor("auditor"));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.header("Location")).endsWith("/admin/realms/acme/iam/roles/auditor");
        JsonNode role = created.json();
        assertThat(role.get("name").asText()).isEqualTo("auditor");
        assertThat(role.get("path").asText()).isEqualTo("/partners/");
        assertThat(role.get("krn").asText()).isEqualTo("krn:keycloak:iam::acme:role/partners/auditor");
        assertThat(role.get("maxSessionDuration").asInt()).isEqualTo(7200);
        assertThat(role.get("tags").get("team").asText()).isEqualTo("security");
        assertThat(role.get("trustPolicy").get("Statement").get(0).get("Sid").asText()).isEqualTo("AuditFirm");
        assertThat(role.get("permissions").get("realmRoles")).extracting(JsonNode::asText).containsExactly("reports-reader");
        assertThat(role.get("permissions").get("clientRoles").get("billing-api")).extracting(JsonNode::asText)
                .containsExactly("invoices:read");
        assertThat(role.get("createdAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");

        // No realm "partners" on this server: the principal is bound to nothing, which only the write's answer says.
        assertThat(role.at("/findings/0/message").asText())
                .isEqualTo("realm 'partners' does not exist on this server: this principal matches no one; save the role"
                        + " again after creating it");
        ((com.fasterxml.jackson.databind.node.ObjectNode) role).remove("findings");

        Http.Reply read = api().get("/roles/auditor");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json()).isEqualTo(role);
    }

    @Test
    void defaultsApplyWhenOptionalFieldsAreOmitted() {
        Http.Reply created = api().post("/roles", """
                {"name": "minimal", "trustPolicy": {"Statement": []}}""");

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode role = created.json();
        assertThat(role.get("path").asText()).isEqualTo("/");
        assertThat(role.get("krn").asText()).isEqualTo("krn:keycloak:iam::acme:role/minimal");
        assertThat(role.get("maxSessionDuration").asInt()).isEqualTo(3600);
        assertThat(role.get("description").asText()).isEmpty();
        assertThat(role.get("tags").size()).isZero();
        assertThat(role.get("permissions").get("realmRoles").size()).isZero();
    }

    @Test
    void unicodeTextSurvivesTheRoundTripOnEveryDatabase() {
        // Four-byte characters (emoji) need utf8mb4 on MariaDB: the columns take the database's character set.
        Http.Reply created = api().post("/roles", """
                {"name": "unicode", "description": "Zugriff für Prüfer 🔍 — 監査", "tags": {"équipe": "sécurité"},
                 "trustPolicy": {"Version": "2012-10-17", "Statement": [{"Sid": "Ünïcødé", "Effect": "Allow",
                   "Principal": {"Keycloak": "krn:keycloak:iam::acme:root"}, "Action": "sts:AssumeRole",
                   "Condition": {"ForAnyValue:StringEquals": {"kc:Groups": "/研究/🧪"}}}]}}""");

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode role = api().get("/roles/unicode").json();
        assertThat(role.get("description").asText()).isEqualTo("Zugriff für Prüfer 🔍 — 監査");
        assertThat(role.get("tags").get("équipe").asText()).isEqualTo("sécurité");
        assertThat(role.get("trustPolicy").toString()).contains("/研究/🧪").contains("Ünïcødé");
    }

    @Test
    void namesAreUniqueIgnoringCaseAndFoundIgnoringCase() {
        assertThat(api().post("/roles", auditor("Deployer")).status()).isEqualTo(201);

        Http.Reply duplicate = api().post("/roles", auditor("deployer"));
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.json().get("errorMessage").asText())
                .isEqualTo("an IAM role named 'deployer' already exists in this realm (names are compared ignoring case)");

        Http.Reply read = api().get("/roles/DEPLOYER");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().get("name").asText()).isEqualTo("Deployer");
    }

    @Test
    void replaceChangesEveryFieldAndBumpsUpdatedAt() {
        JsonNode before = api().post("/roles", auditor("replaceable")).json();
        clock.set(2); // the replace happens two seconds later by the server's clock

        Http.Reply replaced = api().put("/roles/replaceable", """
                {"name": "Replaceable", "path": "/ops/", "description": "changed", "maxSessionDuration": 900,
                 "tags": {"team": "ops"}, "trustPolicy": {"Statement": []},
                 "permissions": {"realmRoles": ["reports-writer"]}}""");

        assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
        JsonNode after = replaced.json();
        assertThat(after.get("name").asText()).isEqualTo("Replaceable");
        assertThat(after.get("krn").asText()).isEqualTo("krn:keycloak:iam::acme:role/ops/Replaceable");
        assertThat(after.get("maxSessionDuration").asInt()).isEqualTo(900);
        assertThat(after.get("tags").toString()).isEqualTo("{\"team\":\"ops\"}");
        assertThat(after.get("permissions").get("realmRoles")).extracting(JsonNode::asText).containsExactly("reports-writer");
        assertThat(after.get("permissions").get("clientRoles").size()).isZero();
        assertThat(after.get("createdAt")).isEqualTo(before.get("createdAt"));
        assertThat(Instant.parse(after.get("updatedAt").asText()))
                .isAfterOrEqualTo(Instant.parse(before.get("updatedAt").asText()).plusSeconds(2));
        assertThat(api().get("/roles/replaceable").json()).isEqualTo(after);
    }

    @Test
    void representationFromGetCanBeSentBackUnchanged() {
        JsonNode created = api().post("/roles", auditor("round-trip")).json();

        Http.Reply replaced = api().put("/roles/round-trip", created.toString());

        assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
        assertThat(replaced.json().get("trustPolicy")).isEqualTo(created.get("trustPolicy"));
    }

    @Test
    void renamingThroughPutIsRefused() {
        api().post("/roles", auditor("fixed-name"));

        Http.Reply renamed = api().put("/roles/fixed-name", auditor("other-name"));

        assertThat(renamed.status()).isEqualTo(400);
        assertThat(renamed.json().get("field").asText()).isEqualTo("name");
        assertThat(api().get("/roles/other-name").status()).isEqualTo(404);
    }

    @Test
    void deletedRoleIsGone() {
        api().post("/roles", auditor("short-lived"));

        assertThat(api().delete("/roles/short-lived").status()).isEqualTo(204);
        assertThat(api().get("/roles/short-lived").status()).isEqualTo(404);
        assertThat(api().delete("/roles/short-lived").status()).isEqualTo(404);
    }

    @Test
    void unknownRoleIs404WithAJsonBody() {
        Http.Reply missing = api().get("/roles/no-such-role");

        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("errorMessage").asText()).contains("no-such-role");
        assertThat(api().put("/roles/no-such-role", auditor("no-such-role")).status()).isEqualTo(404);
    }

    @Test
    void listIsPagedOrderedByPathThenNameAndFiltered() {
        for (String[] role : new String[][]{{"pg-b", "/z/"}, {"pg-a", "/z/"}, {"pg-c", "/a/"}, {"pg_d", "/a/b/"}, {"pgxd", "/"}}) {
            Http.Reply created = api().post("/roles", """
                    {"name": "%s", "path": "%s", "trustPolicy": {"Statement": []}}""".formatted(role[0], role[1]));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
        }

        Http.Reply all = api().get("/roles?search=PG&max=100");
        assertThat(all.status()).isEqualTo(200);
        assertThat(names(all.json())).containsExactly("pgxd", "pg-c", "pg_d", "pg-a", "pg-b");
        assertThat(all.header("X-Total-Count")).isEqualTo("5");

        assertThat(names(api().get("/roles?search=pg&first=1&max=2").json())).containsExactly("pg-c", "pg_d");
        assertThat(names(api().get("/roles?search=pg&path=/a/").json())).containsExactly("pg-c", "pg_d");
        // '_' is a literal, not a LIKE wildcard: it must not match "pgxd".
        assertThat(names(api().get("/roles?search=pg_").json())).containsExactly("pg_d");
    }

    @Test
    void badPagingParametersAre400NamingTheParameter() {
        for (String query : List.of("first=-1", "first=abc", "max=0", "max=1001", "max=1.5", "path=no-slash")) {
            Http.Reply reply = api().get("/roles?" + query);
            assertThat(reply.status()).as(query).isEqualTo(400);
            assertThat(reply.json().get("field").asText()).as(query).isEqualTo(query.substring(0, query.indexOf('=')));
        }
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(role -> names.add(role.get("name").asText()));
        return names;
    }
}
