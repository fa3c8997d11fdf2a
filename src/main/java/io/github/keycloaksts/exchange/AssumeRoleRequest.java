package io.github.keycloaksts.exchange;

import io.github.keycloaksts.federation.SamlAssertions;
import io.github.keycloaksts.federation.WebIdentityTokens;
import io.github.keycloaksts.oauth.StsException;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloaksts.json.MalformedJsonException;
import io.github.keycloaksts.json.StrictJson;
import io.github.keycloaksts.role.FieldError;
import io.github.keycloaksts.role.PermissionNames;
import io.github.keycloaksts.role.RoleDraftParser;
import jakarta.ws.rs.core.MultivaluedMap;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * The parameters of an AssumeRole token exchange (RFC 8693 §2.1 plus the AWS AssumeRole parameters), parsed and
 * checked once at the edge. Every malformed value is an {@code invalid_request} naming the parameter.
 *
 * @param role            role name, or the role's KRN
 * @param subjectIssuer   RFC 8693 {@code subject_issuer}: the alias of the identity provider of a web-identity token
 * @param roleSessionName as requested, or empty to derive one from the principal
 * @param durationSeconds as requested, or empty for the default (3600 capped by the role's maximum)
 * @param audiences       requested audiences (client ids), possibly empty
 * @param scopes          requested scopes (the {@code scope} parameter's scope-tokens, each once), possibly empty
 * @param sessionPolicy   permissions to keep of the role's (the session gets the intersection), or empty for all
 * @param sessionTags     session tags (AWS rules), possibly empty; they need {@code sts:TagSession}
 * @param sourceIdentity  who is really behind the session; needs {@code sts:SetSourceIdentity}
 */
record AssumeRoleRequest(String role, String subjectToken, String subjectTokenType, Optional<String> subjectIssuer,
                         Optional<String> roleSessionName,
                         OptionalInt durationSeconds, Optional<String> externalId, List<String> audiences,
                         List<String> scopes, Optional<PermissionNames> sessionPolicy, int sessionPolicyBytes,
                         SortedMap<String, String> sessionTags, SortedSet<String> transitiveTagKeys,
                         Optional<String> sourceIdentity) {

    static final String ACCESS_TOKEN_TYPE = AssumeRoleContract.ACCESS_TOKEN_TYPE;
    /** Every parameter AssumeRole reads. */
    static final List<String> PARAMETERS = List.of("role", "subject_token", "subject_token_type", "subject_issuer",
            "role_session_name", "duration_seconds", "external_id", "audience", "scope", "requested_token_type", "session_policy",
            "session_tags", "transitive_tag_keys", "source_identity");
    /** RFC 8693 parameters AssumeRole refuses rather than ignores. */
    static final List<String> UNSUPPORTED = List.of("actor_token", "actor_token_type", "resource");
    static final String JWT_TYPE = AssumeRoleContract.JWT_TYPE;
    /** AWS RoleSessionName: 2–64 of {@code [\w+=,.@-]}. */
    static final Pattern SESSION_NAME = io.github.keycloaksts.role.RoleLimits.SESSION_NAME;
    /** AWS ExternalId: 2–1224 of {@code [\w+=,.@:/-]}. */
    static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]{2,1224}");
    /** AWS SourceIdentity: 2–64 of {@code [\w+=,.@-]} (so it can never start with a {@code kc:} prefix). */
    /** Keycloak identity-provider aliases (RFC 8693 leaves subject_issuer's form to the server). */
    static final Pattern SUBJECT_ISSUER = Pattern.compile("[\\w.-]{1,255}");
    static final Pattern SOURCE_IDENTITY = Pattern.compile("[\\w+=,.@-]{2,64}");
    /** AWS packs session policies into 2048 characters; ours is plain JSON with the same budget. */
    static final int SESSION_POLICY_MAX_BYTES = 2048;
    /** Far above any real token or signed assertion; bounds parsing work on hostile input. */
    static final int MAX_SUBJECT_TOKEN_CHARS = 64 * 1024;
    static final int SESSION_TAGS_MAX_BYTES = 32 * 1024;
    static final int MIN_DURATION = 900;
    static final int MAX_DURATION = 43_200;

    static AssumeRoleRequest parse(MultivaluedMap<String, String> form) {
        String role = single(form, AssumeRoleContract.ROLE_PARAMETER)
                .orElseThrow(() -> StsException.invalidRequest(AssumeRoleContract.ROLE_PARAMETER, "is required"));
        if (role.isBlank() || role.length() > 1100) {
            throw StsException.invalidRequest("role", "must be a role name or a role KRN");
        }
        String subjectToken = single(form, "subject_token")
                .orElseThrow(() -> StsException.invalidRequest("subject_token", "is required"));
        String subjectTokenType = single(form, "subject_token_type")
                .orElseThrow(() -> StsException.invalidRequest("subject_token_type", "is required"));
        if (!AssumeRoleContract.SUBJECT_TOKEN_TYPES.contains(subjectTokenType)) {
            throw StsException.invalidRequest("subject_token_type", "must be " + ACCESS_TOKEN_TYPE + ", " + JWT_TYPE
                    + ", " + WebIdentityTokens.ID_TOKEN_TYPE + " or " + SamlAssertions.SAML2_TYPE);
        }
        if (subjectToken.length() > MAX_SUBJECT_TOKEN_CHARS) {
            throw StsException.invalidRequest("subject_token", "longer than " + MAX_SUBJECT_TOKEN_CHARS + " characters");
        }
        Optional<String> subjectIssuer = single(form, "subject_issuer");
        if (subjectIssuer.isPresent() && !SUBJECT_ISSUER.matcher(subjectIssuer.get()).matches()) {
            throw StsException.invalidRequest("subject_issuer", "must be the alias of an identity provider of this realm");
        }
        // RFC 8693 delegation (actor_token) and resource indicators are not supported: refused, never ignored (the
        // session would otherwise look as if it carried an actor or was bound to a resource it is not).
        for (String unsupported : UNSUPPORTED) {
            if (form.containsKey(unsupported)) {
                throw StsException.invalidRequest(unsupported, "not supported by AssumeRole (a role session has no"
                        + " actor and is bound to the role's clients; use audience)");
            }
        }
        single(form, "requested_token_type").filter(type -> !type.equals(ACCESS_TOKEN_TYPE)).ifPresent(type -> {
            throw StsException.invalidRequest("requested_token_type", "a role session is an access token: "
                    + ACCESS_TOKEN_TYPE);
        });
        Optional<String> sessionName = single(form, "role_session_name");
        if (sessionName.isPresent() && !SESSION_NAME.matcher(sessionName.get()).matches()) {
            throw StsException.invalidRequest("role_session_name", "must be 2-64 characters of letters, digits and _ + = , . @ -");
        }
        OptionalInt duration = OptionalInt.empty();
        Optional<String> durationText = single(form, "duration_seconds");
        if (durationText.isPresent()) {
            if (!durationText.get().matches("\\d{1,6}") || Integer.parseInt(durationText.get()) < MIN_DURATION
                    || Integer.parseInt(durationText.get()) > MAX_DURATION) {
                throw StsException.invalidRequest("duration_seconds", "must be a whole number of seconds from "
                        + MIN_DURATION + " to " + MAX_DURATION + " (and at most the role's maximum session duration)");
            }
            duration = OptionalInt.of(Integer.parseInt(durationText.get()));
        }
        Optional<String> externalId = single(form, "external_id");
        if (externalId.isPresent() && !EXTERNAL_ID.matcher(externalId.get()).matches()) {
            throw StsException.invalidRequest("external_id", "must be 2-1224 characters of letters, digits and _ + = , . @ : / -");
        }
        List<String> audiences = form.getOrDefault("audience", List.of()).stream().filter(a -> !a.isBlank()).toList();
        if (audiences.size() > 20) {
            throw StsException.invalidRequest("audience", "at most 20 audiences");
        }
        // RFC 6749 section 3.3 / RFC 8693 section 2.1: space-delimited scope-tokens; the role says which it offers.
        List<String> scopes = new java.util.ArrayList<>();
        for (String scope : single(form, "scope").map(String::trim).filter(text -> !text.isEmpty())
                .map(text -> text.split(" +")).orElse(new String[0])) {
            if (!io.github.keycloaksts.role.RoleLimits.SCOPE_TOKEN.matcher(scope).matches()) {
                throw StsException.invalidRequest("scope", "'" + scope + "' is not a scope-token (RFC 6749 section 3.3)");
            }
            if (!scopes.contains(scope)) {
                scopes.add(scope);
            }
        }
        if (scopes.size() > 20) {
            throw StsException.invalidRequest("scope", "at most 20 scopes");
        }
        Optional<String> sessionPolicyText = single(form, "session_policy");
        Optional<PermissionNames> sessionPolicy = sessionPolicyText.map(text ->
                json("session_policy", text, SESSION_POLICY_MAX_BYTES, RoleDraftParser::permissions));
        SortedMap<String, String> tags = single(form, "session_tags")
                .map(text -> json("session_tags", text, SESSION_TAGS_MAX_BYTES, RoleDraftParser::tags))
                .orElseGet(TreeMap::new);
        SortedSet<String> transitive = new TreeSet<>();
        single(form, "transitive_tag_keys").ifPresent(text -> {
            for (String key : text.trim().split("\\s+")) {
                if (!tags.containsKey(key)) {
                    throw StsException.invalidRequest("transitive_tag_keys", "'" + key + "' is not a key of session_tags");
                }
                transitive.add(key);
            }
        });
        Optional<String> sourceIdentity = single(form, "source_identity");
        if (sourceIdentity.isPresent() && !SOURCE_IDENTITY.matcher(sourceIdentity.get()).matches()) {
            throw StsException.invalidRequest("source_identity", "must be 2-64 characters of letters, digits and _ + = , . @ -");
        }
        return new AssumeRoleRequest(role, subjectToken, subjectTokenType, subjectIssuer, sessionName, duration, externalId, audiences,
                List.copyOf(scopes), sessionPolicy, sessionPolicyText.map(t -> t.getBytes(StandardCharsets.UTF_8).length).orElse(0), tags, transitive,
                sourceIdentity);
    }

    /** A JSON-valued parameter, size-capped and parsed by the strict reader, then checked by {@code rules}. */
    private static <T> T json(String parameter, String text, int maxBytes, JsonRules<T> rules) {
        JsonNode node;
        try {
            node = StrictJson.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), maxBytes);
        } catch (MalformedJsonException e) {
            throw StsException.invalidRequest(parameter, e.getMessage());
        }
        List<FieldError> errors = new ArrayList<>();
        T value = rules.parse(node, parameter, errors);
        if (!errors.isEmpty()) {
            FieldError first = errors.get(0);
            throw StsException.invalidRequest(first.field(), first.message());
        }
        return value;
    }

    @FunctionalInterface
    private interface JsonRules<T> {
        T parse(JsonNode node, String name, List<FieldError> errors);
    }

    private static Optional<String> single(MultivaluedMap<String, String> form, String name) {
        List<String> values = form.get(name);
        if (values == null || values.isEmpty() || values.get(0) == null || values.get(0).isEmpty()) {
            return Optional.empty();
        }
        if (values.size() > 1) {
            throw StsException.invalidRequest(name, "must not be repeated");
        }
        return Optional.of(values.get(0));
    }
}
