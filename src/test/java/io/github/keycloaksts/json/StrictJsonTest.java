package io.github.keycloaksts.json;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StrictJsonTest {

    private static MalformedJsonException refusal(String body, int maxBytes) {
        try {
            StrictJson.read(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), maxBytes);
        } catch (MalformedJsonException e) {
            return e;
        }
        throw new AssertionError("accepted: " + body);
    }

    @Test
    void readsAnObject() {
        assertThat(StrictJson.read(new ByteArrayInputStream("{\"a\": [1, 2]}".getBytes(StandardCharsets.UTF_8)), 100)
                .get("a").size()).isEqualTo(2);
    }

    /** A lone surrogate would be stored as '?', a wildcard in StringLike (outsider review of issue 14). */
    @Test
    void refusesLoneSurrogatesNamingWhereTheyAreButKeepsPairs() {
        assertThat(refusal("{\"c\": {\"sts:ExternalId\": [\"secret\\udfff\"]}}", 1000).getMessage())
                .isEqualTo("malformed JSON: /c/sts:ExternalId/0 holds a lone UTF-16 surrogate (\\udfff), which is not Unicode text");
        assertThat(refusal("{\"a\\ud800\": 1}", 1000).getMessage()).contains("Broken surrogate pair in field name"); // Jackson's own check
        assertThat(StrictJson.read(new ByteArrayInputStream("{\"e\": \"\\ud83d\\ude00\"}".getBytes(StandardCharsets.UTF_8)), 100)
                .get("e").textValue()).isEqualTo("\uD83D\uDE00");
    }

    @Test
    void refusesDuplicateKeysAtAnyDepth() {
        assertThat(refusal("{\"a\": {\"b\": 1, \"b\": 2}}", 100).getMessage()).contains("Duplicate field 'b'");
    }

    @Test
    void refusesNestingBeyondTheLimitButNotAtIt() {
        String atLimit = "[".repeat(StrictJson.MAX_DEPTH) + "]".repeat(StrictJson.MAX_DEPTH);
        assertThat(StrictJson.read(new ByteArrayInputStream(atLimit.getBytes(StandardCharsets.UTF_8)), 1000)).isNotNull();

        String over = "[".repeat(StrictJson.MAX_DEPTH + 1) + "]".repeat(StrictJson.MAX_DEPTH + 1);
        assertThat(refusal(over, 1000).getMessage()).contains("nesting");
    }

    @Test
    void refusesOversizedBodiesWithoutReadingThemWhole() {
        MalformedJsonException e = refusal("{\"a\": \"" + "x".repeat(200) + "\"}", 100);
        assertThat(e.tooLarge()).isTrue();
    }

    @Test
    void refusesTrailingTokensEmptyBodiesAndGarbage() {
        assertThat(refusal("{} {}", 100).tooLarge()).isFalse();
        assertThat(refusal("", 100).getMessage()).contains("empty");
        assertThat(refusal("   ", 100).getMessage()).contains("empty");
        assertThat(refusal("{'a': 1}", 100).getMessage()).startsWith("malformed JSON");
    }

    @Test
    void refusesAbsurdlyLongNumbers() {
        assertThat(refusal("{\"a\": " + "9".repeat(1000) + "}", 2000).getMessage()).contains("limit");
    }

    @Test
    void errorMessagesDoNotEchoLongInput() {
        String secretLooking = "x".repeat(500);
        assertThat(refusal("{\"a\": " + secretLooking + "}", 2000).getMessage()).doesNotContain(secretLooking);
    }

    @Test
    void nullStreamIsAnEmptyBody() {
        assertThatThrownBy(() -> StrictJson.read(null, 10)).isInstanceOf(MalformedJsonException.class);
    }
}
