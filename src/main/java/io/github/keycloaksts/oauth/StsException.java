package io.github.keycloaksts.oauth;

import jakarta.ws.rs.core.Response;

/**
 * A refused exchange: the RFC 6749 §5.2 error the client receives, and the reason recorded in the event for
 * administrators (which may say more than the client is told, e.g. "role not found" behind "access_denied").
 */
public final class StsException extends RuntimeException {

    private final String error;
    private final String description;
    private final Response.Status status;
    private final String kind;

    StsException(String error, String description, Response.Status status, String reason, String kind) {
        super(reason);
        this.error = error;
        this.description = description;
        this.status = status;
        this.kind = kind;
    }

    /** RFC 6749 §5.2 / RFC 8693 §2.2.2: a malformed or unacceptable request, naming the parameter. */
    public static StsException invalidRequest(String parameter, String problem) {
        String description = parameter + ": " + problem;
        return new StsException("invalid_request", description, Response.Status.BAD_REQUEST, description, parameter);
    }

    /** RFC 8693 §2.2.2: the requested audience is not acceptable. */
    public static StsException invalidTarget(String audience) {
        String description = "audience: '" + audience + "' is not an audience of the role (a client it grants roles of"
                + " or names in its audiences)";
        return new StsException("invalid_target", description, Response.Status.BAD_REQUEST, description, "audience");
    }

    /** RFC 6749 §5.2: a requested scope the role does not offer. */
    public static StsException invalidScope(String scope) {
        String description = "scope: '" + scope + "' is not a scope of the role";
        return new StsException("invalid_scope", description, Response.Status.BAD_REQUEST, description, "scope");
    }

    /**
     * The role does not exist, or exists and does not trust the caller: one answer for both, so that roles cannot
     * be enumerated (AWS answers AccessDenied in both cases too).
     *
     * @param kind for metrics: {@code role_not_found}, {@code implicit_deny} or {@code explicit_deny}
     */
    public static StsException accessDenied(String kind, String reason) {
        return new StsException("access_denied", "not authorized to assume the requested role",
                Response.Status.FORBIDDEN, reason, kind);
    }

    public String error() {
        return error;
    }

    public String description() {
        return description;
    }

    public Response.Status status() {
        return status;
    }

    public String reason() {
        return getMessage();
    }

    /** A closed-set label of the refusal, for metrics: the parameter, or the kind of denial. */
    public String kind() {
        return kind;
    }
}
