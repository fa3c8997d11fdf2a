package io.github.keycloaksts.facts;


import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.github.keycloaksts.json.StrictJson;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14 item 9: what an identity provider asserted beyond the limits is never left out quietly; the claims
 * kept in the user session name it in {@code kcsts:over-limit}, which trust policies see as
 * {@code <alias>:kcsts:over-limit}.
 */
class AssertedClaimsTest {

    private static Map<String, List<String>> kept(AssertedClaims claims) {
        return AssertedClaims.of(claims.notes());
    }

    @Test
    void withinTheLimitsNothingIsMarked() {
        AssertedClaims claims = new AssertedClaims(Set.of());
        claims.addJson("department", new TextNode("finance"));
        assertThat(kept(claims)).containsExactly(Map.entry("department", List.of("finance")));
    }

    @Test
    void tooManyValuesAreMarkedNotSilentlyCut() {
        AssertedClaims claims = new AssertedClaims(Set.of());
        ArrayNode groups = StrictJson.mapper().createArrayNode();
        for (int i = 0; i <= AssertedClaims.MAX_VALUES; i++) {
            groups.add("group-" + i);
        }
        claims.addJson("groups", groups);
        claims.addJson("note", new TextNode("x".repeat(AssertedClaims.MAX_VALUE_CHARS + 1)));
        assertThat(kept(claims).get("groups")).hasSize(AssertedClaims.MAX_VALUES);
        assertThat(kept(claims).get(AssertedClaims.OVER_LIMIT)).containsExactly("groups", "note");
    }

    @Test
    void claimsBeyondTheCountAreMarked() {
        AssertedClaims claims = new AssertedClaims(Set.of());
        for (int i = 0; i <= AssertedClaims.MAX_CLAIMS; i++) {
            claims.addJson("claim" + i, new TextNode("v"));
        }
        assertThat(kept(claims)).hasSize(AssertedClaims.MAX_CLAIMS + 1);
        assertThat(kept(claims).get(AssertedClaims.OVER_LIMIT)).containsExactly(AssertedClaims.TOO_MANY_CLAIMS);
    }

    @Test
    void aProviderCannotAssertOrClearTheMarker() {
        AssertedClaims claims = new AssertedClaims(Set.of());
        claims.addJson("KCSTS:over-limit", new TextNode("nothing"));
        claims.addJson("kcsts:over-limit", new TextNode("nothing"));
        assertThat(kept(claims).get(AssertedClaims.OVER_LIMIT)).containsExactly("KCSTS:over-limit", "kcsts:over-limit");
        assertThat(kept(claims)).hasSize(1);
    }

    @Test
    void theMarkerSurvivesAFirstLogin() {
        AssertedClaims claims = new AssertedClaims(Set.of());
        ArrayNode groups = StrictJson.mapper().createArrayNode();
        for (int i = 0; i <= AssertedClaims.MAX_VALUES; i++) {
            groups.add("group-" + i);
        }
        claims.addJson("groups", groups);
        assertThat(kept(AssertedClaims.fromJson(claims.toJson()))).isEqualTo(kept(claims));
    }
}
