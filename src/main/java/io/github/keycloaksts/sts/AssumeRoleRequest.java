package io.github.keycloaksts.sts;

import jakarta.ws.rs.core.MultivaluedMap;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * The parameters of an AssumeRole token exchange (RFC 8693 §2.1 plus the AWS AssumeRole parameters), parsed and
 * checked once at the edge. Every malformed value is an {@code invalid_request} naming the parameter.
 *
 * @param role            role name, or the role's KRN
 * @param roleSessionName as requested, or empty to derive one from the principal
 * @param durationSeconds as requested, or empty for the default (3600 capped by the role's maximum)
 * @param audiences       requested audiences (client ids), possibly empty
 */
record AssumeRoleRequest(String role, String subjectToken, Optional<String> roleSessionName,
                         OptionalInt durationSeconds, Optional<String> externalId, List<String> audiences) {

    static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
    static final String JWT_TYPE = "urn:ietf:params:oauth:token-type:jwt";
    /** AWS RoleSessionName: 2–64 of {@code [\w+=,.@-]}. */
    static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
    /** AWS ExternalId: 2–1224 of {@code [\w+=,.@:/-]}. */
    static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]{2,1224}");
    static final int MIN_DURATION = 900;
    static final int MAX_DURATION = 43_200;

    static AssumeRoleRequest parse(MultivaluedMap<String, String> form) {
        String role = single(form, "role").orElseThrow(() -> StsException.invalidRequest("role", "is required"));
        if (role.isBlank() || role.length() > 1100) {
            throw StsException.invalidRequest("role", "must be a role name or a role KRN");
        }
        String subjectToken = single(form, "subject_token")
                .orElseThrow(() -> StsException.invalidRequest("subject_token", "is required"));
        String subjectTokenType = single(form, "subject_token_type")
                .orElseThrow(() -> StsException.invalidRequest("subject_token_type", "is required"));
        if (!subjectTokenType.equals(ACCESS_TOKEN_TYPE) && !subjectTokenType.equals(JWT_TYPE)) {
            throw StsException.invalidRequest("subject_token_type", "must be " + ACCESS_TOKEN_TYPE + " or " + JWT_TYPE);
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
        return new AssumeRoleRequest(role, subjectToken, sessionName, duration, externalId, audiences);
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
