package io.github.keycloaksts.signin;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChosenRoleTest {

    private final ChosenRole chosen = new ChosenRole("id-1", "console-billing", "krn:keycloak:iam::acme:role/console/console-billing",
            "alice", 1_000, 2_800);

    @Test
    void survivesTheClientSessionNote() {
        assertThat(ChosenRole.fromNote(chosen.toNote())).contains(chosen);
    }

    @Test
    void anythingElseReadsAsNoRoleChosen() {
        assertThat(ChosenRole.fromNote(null)).isEmpty();
        assertThat(ChosenRole.fromNote("not json")).isEmpty();
        assertThat(ChosenRole.fromNote("{\"roleId\": \"id-1\", \"roleId\": \"id-2\"}")).isEmpty();
    }

    @Test
    void liveUntilItsEnd() {
        assertThat(chosen.liveAt(2_799)).isTrue();
        assertThat(chosen.liveAt(2_800)).isFalse();
    }
}
