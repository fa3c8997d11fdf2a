package io.github.keycloaksts.policy;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.ArrayList;
import java.util.List;

/**
 * The answer of a trust policy, as AWS evaluates: an explicit Deny wins over any Allow; otherwise a matching Allow
 * allows; otherwise the request is implicitly denied. Immutable.
 */
public final class Decision {

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

    /** How one statement fared; rendered into a sentence only when someone asks for the explanation. */
    enum Verdict { OTHER_PRINCIPAL, OTHER_ACTION, CONDITION_FALSE, MATCHES }

    record StatementResult(String id, boolean allow, Verdict verdict, String failingCondition, String action) {
    }

    private final Outcome outcome;
    private final List<String> matchedStatements;
    private final List<StatementResult> results;

    Decision(Outcome outcome, List<String> matchedStatements, List<StatementResult> results) {
        this.outcome = outcome;
        this.matchedStatements = List.copyOf(matchedStatements);
        this.results = List.copyOf(results);
    }

    public Outcome outcome() {
        return outcome;
    }

    public boolean allowed() {
        return outcome == Outcome.ALLOW;
    }

    /**
     * The statements that decided it (Sid, or {@code #index} when a statement has none): the matching Deny
     * statements, or the matching Allow statements; empty for an implicit deny.
     */
    public List<String> matchedStatements() {
        return matchedStatements;
    }

    /**
     * One sentence per statement saying whether and why it matched, for administrators (simulator, events);
     * never returned to the caller of an exchange. Built on demand: evaluation itself formats nothing.
     */
    public List<String> explanation() {
        List<String> sentences = new ArrayList<>(results.size() + 1);
        for (StatementResult result : results) {
            String name = "Statement " + result.id() + " (" + (result.allow() ? "Allow" : "Deny") + ")";
            sentences.add(switch (result.verdict()) {
                case OTHER_PRINCIPAL -> name + ": the principal is not one it names";
                case OTHER_ACTION -> name + ": does not cover the action " + result.action();
                case CONDITION_FALSE -> name + ": principal and action match, but the condition "
                        + result.failingCondition() + " is false";
                case MATCHES -> name + ": matches";
            });
        }
        if (results.isEmpty()) {
            sentences.add("The policy has no statement: nobody may assume the role");
        }
        return sentences;
    }

    @Override
    public String toString() {
        return outcome.json() + " " + matchedStatements;
    }
}
