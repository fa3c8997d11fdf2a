package io.github.keycloaksts.it;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One case of the hostile corpus ({@code src/test/resources/hostile/corpus.json}) and what its answer must be.
 *
 * <p>The contract of a case's {@code expect} object, enforced by {@link #weaknesses()} so that no case can pass on
 * just any 4xx:
 * <ul>
 *   <li>{@code status}: the exact HTTP status;</li>
 *   <li>{@code reason}: a text the server's message must contain (case-sensitive), naming the field or parameter or
 *   quoting a phrase only this refusal uses; never blank, never a lone generic word such as "invalid". The message is
 *   {@code errorMessage} for the admin API (Keycloak's {@code ErrorRepresentation}) and {@code error_description}
 *   for the token endpoint (RFC 6749 §5.2);</li>
 *   <li>{@code error}: for exchange cases, the OAuth error code the body must carry (RFC 6749 §5.2, RFC 8693 §2.2.2);</li>
 *   <li>{@code field}: for admin cases whose answer names one, the exact {@code field};</li>
 *   <li>{@code exactBody} and {@code why}: only for answers that Keycloak's HTTP layer gives before our code runs (413,
 *   415), whose body carries neither an OAuth error code nor a field: the whole body, and why nothing more specific
 *   can be asserted. Such a case has no reason and no error.</li>
 * </ul>
 */
final class HostileCase {

    /** Words that say nothing about which field was wrong or why: a reason must be more than one of these. */
    private static final Set<String> GENERIC = Set.of("invalid", "error", "bad", "wrong", "malformed", "failed", "denied",
            "forbidden", "not found", "unauthorized", "required", "request", "invalid_request", "access_denied", "json",
            "too large", "not allowed", "unknown");
    /** Statuses whose body comes from Keycloak's HTTP layer, not from this extension. */
    private static final Set<Integer> HTTP_LAYER_STATUSES = Set.of(413, 415);
    /** A short reason matches by accident ("name" is in "role_session_name"): name the field and say what is wrong. */
    private static final int MINIMUM_REASON_LENGTH = 8;

    private final JsonNode json;
    private final JsonNode expect;

    HostileCase(JsonNode json) {
        this.json = json;
        this.expect = json.path("expect");
    }

    String id() {
        return json.path("id").asText("<no id>");
    }

    boolean isExchange() {
        return "exchange".equals(json.path("kind").asText());
    }

    JsonNode request() {
        return json;
    }

    /** Why this case would let a weak answer pass; empty when it pins the answer down. */
    List<String> weaknesses() {
        List<String> weak = new ArrayList<>();
        String kind = json.path("kind").asText();
        if (!kind.equals("admin") && !kind.equals("exchange")) {
            weak.add("kind must be admin or exchange, not '" + kind + "'");
        }
        if (!expect.path("status").isInt() || expect.get("status").asInt() < 400 || expect.get("status").asInt() > 499) {
            weak.add("expect.status must be the exact 4xx status");
        }
        if (expect.has("exactBody")) {
            if (!HTTP_LAYER_STATUSES.contains(expect.path("status").asInt())) {
                weak.add("expect.exactBody is only for answers of Keycloak's HTTP layer (" + HTTP_LAYER_STATUSES
                        + "); every other answer has a reason");
            }
            if (expect.path("why").asText().isBlank()) {
                weak.add("expect.exactBody needs expect.why: why nothing more specific can be asserted");
            }
            if (expect.has("reason") || expect.has("error")) {
                weak.add("expect.exactBody already pins the whole body: no reason or error beside it");
            }
            return weak;
        }
        String reason = expect.path("reason").asText("");
        if (reason.isBlank()) {
            weak.add("expect.reason is missing or blank");
        } else if (reason.strip().length() < MINIMUM_REASON_LENGTH || GENERIC.contains(reason.strip().toLowerCase(Locale.ROOT))) {
            weak.add("expect.reason '" + reason + "' is too generic: name the field and quote what the message says about it");
        }
        if (isExchange() && expect.path("error").asText("").isBlank()) {
            weak.add("expect.error (the OAuth error code) is missing");
        }
        if (!isExchange() && expect.has("error")) {
            weak.add("expect.error is for exchange cases; the admin API answers with errorMessage and field");
        }
        return weak;
    }

    /** What is wrong with the answer, or null when it is the one the case expects. */
    String problemWith(Http.Reply reply) {
        int status = expect.get("status").asInt();
        if (reply.status() >= 500) {
            return "server error " + reply;
        }
        if (reply.status() != status) {
            return "expected " + status + ", got " + reply;
        }
        String contentType = reply.header("Content-Type");
        if (contentType == null || !contentType.startsWith("application/json")) {
            return "expected a JSON body, got Content-Type " + contentType + ": " + reply;
        }
        if (expect.has("exactBody")) {
            return reply.body().equals(expect.get("exactBody").asText()) ? null
                    : "expected exactly " + expect.get("exactBody").asText() + ", got " + reply;
        }
        JsonNode body;
        try {
            body = Http.JSON.readTree(reply.body());
        } catch (IOException e) {
            return "not JSON: " + reply;
        }
        if (body == null || !body.isObject()) {
            return "not a JSON object: " + reply;
        }
        String message = body.path(isExchange() ? "error_description" : "errorMessage").asText("");
        String reason = expect.get("reason").asText();
        if (!message.contains(reason)) {
            return "reason '" + reason + "' missing from the message: " + reply;
        }
        if (isExchange()) {
            String error = expect.get("error").asText();
            return error.equals(body.path("error").asText()) ? null : "expected error " + error + ", got " + reply;
        }
        String field = body.path("field").asText("");
        if (expect.has("field") ? !expect.get("field").asText().equals(field) : !field.isEmpty()) {
            return "expected field '" + expect.path("field").asText("<none>") + "', got " + reply;
        }
        return null;
    }
}
