package io.github.keycloaksts.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Last used" survives a graceful shutdown: the uses a node keeps in memory are written when it stops, while the
 * database is still open. Keycloak's test framework cannot restart its server within a test, so this test runs its
 * own distribution ({@code kc.sh start-dev}, its H2 database under {@code data/} kept across the restart) with the
 * flush interval at an hour, so that only the write at shutdown can put {@code lastUsed} in the database.
 */
class LastUsedShutdownIT {

    private static final String SHUTDOWN_FAILURE = "Could not write the last uses of IAM roles at shutdown";
    private static OwnNode node;

    @BeforeAll
    static void install() throws Exception {
        node = new OwnNode("shutdown-node");
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.stop();
        }
    }

    private static void start(String log) throws Exception {
        node.start(log, "--spi-oauth2-token-exchange--keycloak-sts-assume-role--last-used-flush-seconds=3600");
    }

    @Test
    void theLastUseBeforeAGracefulStopIsThereAfterTheRestart() throws Exception {
        start("first.log");
        Http.Reply realm = Http.send("POST", node.base() + "/admin/realms", node.adminToken(), "application/json", """
                {"realm": "acme", "enabled": true,
                 "users": [{"username": "alice", "enabled": true, "email": "alice@acme.test", "emailVerified": true,
                            "firstName": "Alice", "lastName": "Engineer",
                            "credentials": [{"type": "password", "value": "alice", "temporary": false}]}]}"""
                .getBytes(StandardCharsets.UTF_8));
        assertThat(realm.status()).as(realm.toString()).isEqualTo(201);
        IamApi iam = new IamApi(node.base(), "acme", node::adminToken);
        Http.Reply role = iam.post("/roles", """
                {"name": "used-before-stop", "trustPolicy": {"Version": "2012-10-17", "Statement": [
                   {"Effect": "Allow", "Principal": {"Keycloak": "krn:keycloak:iam::acme:user/alice"}, "Action": "sts:AssumeRole"}]}}""");
        assertThat(role.status()).as(role.toString()).isEqualTo(201);
        String alice = Http.userToken(node.base(), "acme", "alice", "alice");
        long before = System.currentTimeMillis();
        Http.Reply assumed = Sts.assumeRole(node.base(), "acme", "admin-cli", null, alice, "used-before-stop");
        assertThat(assumed.status()).as(assumed.toString()).isEqualTo(200);
        // The flush interval is an hour: nothing is written while the node runs.
        assertThat(iam.get("/roles/used-before-stop").json().get("lastUsed").isNull()).isTrue();

        node.stop();
        String firstLog = Files.readString(node.dir().resolve("first.log"));
        assertThat(firstLog).as("the node stopped gracefully").contains("stopped in");
        assertThat(firstLog).doesNotContain(SHUTDOWN_FAILURE);

        start("second.log");
        JsonNode lastUsed = iam.get("/roles/used-before-stop").json().get("lastUsed");
        assertThat(lastUsed.isNull()).as("lastUsed after the restart").isFalse();
        assertThat(lastUsed.get("clientId").asText()).isEqualTo("admin-cli");
        assertThat(java.time.Instant.parse(lastUsed.get("at").asText()).toEpochMilli())
                .isBetween(before - 1000, System.currentTimeMillis());
    }
}
