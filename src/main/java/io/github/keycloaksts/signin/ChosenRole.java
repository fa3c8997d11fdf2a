package io.github.keycloaksts.signin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.keycloaksts.json.StrictJson;

import java.util.Optional;

/**
 * The role a user chose at sign-in for one client, kept as a note of that client's session (so choosing a role for
 * one application changes nothing for another in the same SSO session). Times are epoch seconds.
 */
record ChosenRole(String roleId, String roleName, String roleKrn, String sessionName, long chosenAt, long expiresAt) {

    /** The client-session note; Keycloak copies authentication-session client notes into the client session. */
    static final String NOTE = "kcsts.signin.role";

    String toNote() {
        ObjectNode note = StrictJson.mapper().createObjectNode()
                .put("roleId", roleId).put("roleName", roleName).put("roleKrn", roleKrn)
                .put("sessionName", sessionName).put("chosenAt", chosenAt).put("expiresAt", expiresAt);
        return note.toString();
    }

    /** Only this class writes the note; anything else reads as "no role chosen" (deny by default). */
    static Optional<ChosenRole> fromNote(String note) {
        if (note == null) {
            return Optional.empty();
        }
        try {
            JsonNode json = StrictJson.mapper().readTree(note);
            return Optional.of(new ChosenRole(json.path("roleId").asText(), json.path("roleName").asText(),
                    json.path("roleKrn").asText(), json.path("sessionName").asText(), json.path("chosenAt").asLong(),
                    json.path("expiresAt").asLong()));
        } catch (JsonProcessingException | RuntimeException e) {
            return Optional.empty();
        }
    }

    boolean liveAt(long now) {
        return now < expiresAt;
    }
}
