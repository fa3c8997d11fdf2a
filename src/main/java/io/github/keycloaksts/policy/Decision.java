package io.github.keycloaksts.policy;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.List;

/**
 * The answer of a trust policy, as AWS evaluates: an explicit Deny wins over any Allow; otherwise a matching Allow
 * allows; otherwise the request is implicitly denied.
 *
 * @param matchedStatements the statements that decided it (Sid, or index when a statement has none): the matching
 *                          Deny statements, or the matching Allow statements; empty for an implicit deny
 * @param explanation       one sentence per statement saying whether and why it matched; meant for
 *                          administrators (simulate, events), never returned to the caller of an exchange
 */
public record Decision(Outcome outcome, List<String> matchedStatements, List<String> explanation) {

    public enum Outcome {
        ALLOW("allow"), EXPLICIT_DENY("explicitDeny"), IMPLICIT_DENY("implicitDeny");

        private final String json;

        Outcome(String json) {
            this.json = json;
        }

        @JsonValue
        public String json() {
            return json;
        }
    }

    public boolean allowed() {
        return outcome == Outcome.ALLOW;
    }
}
