package io.github.keycloaksts.admin;

import io.github.keycloaksts.json.MalformedJsonException;
import io.github.keycloaksts.json.StrictJson;
import io.github.keycloaksts.policy.Finding;
import io.github.keycloaksts.role.FieldError;
import io.github.keycloaksts.role.InvalidRoleException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Turns the admin API's refusals into JSON bodies in the shape of Keycloak's own {@code ErrorRepresentation}
 * ({@code errorMessage}, {@code field}, {@code errors}), so the admin console and admin clients show them as they
 * show Keycloak's. Bad input never becomes a 500.
 */
final class AdminResponses {

    private AdminResponses() {
    }

    static Response guard(Supplier<Response> action) {
        try {
            return action.get();
        } catch (InvalidRoleException e) {
            return invalid(e.errors(), e.findings());
        } catch (InvalidParameterException e) {
            return invalid(List.of(e.error()), List.of());
        } catch (MalformedJsonException e) {
            return error(e.tooLarge() ? Response.Status.REQUEST_ENTITY_TOO_LARGE : Response.Status.BAD_REQUEST,
                    e.getMessage());
        } catch (RoleConflictException e) {
            return error(Response.Status.CONFLICT, e.getMessage());
        } catch (RoleNotFoundException e) {
            return error(Response.Status.NOT_FOUND, e.getMessage());
        } catch (GrantForbiddenException e) {
            return forbidden(e.refusals());
        } catch (RuntimeException e) {
            // Keycloak's entity-manager proxy wraps JPA's exceptions in ModelIllegalStateException: look at the causes.
            if (concurrentChange(e)) {
                return error(Response.Status.CONFLICT, "the role was changed by another request at the same time;"
                        + " read it again and retry");
            }
            throw e;
        }
    }

    /**
     * Two writes of one role at once: the row's version (optimistic locking) or a database lock decided for the
     * other. Nothing of this request was written (the transaction is rolled back); the client may retry.
     */
    private static boolean concurrentChange(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof jakarta.persistence.OptimisticLockException || t instanceof jakarta.persistence.PessimisticLockException
                    || t instanceof jakarta.persistence.LockTimeoutException || t instanceof org.hibernate.StaleStateException
                    || t instanceof org.hibernate.exception.LockAcquisitionException) {
                return true;
            }
        }
        return false;
    }

    /**
     * 403 naming the roles: {@code error}, {@code errorMessage}, {@code field} and {@code role} of the first, and
     * every one in {@code roles} (each with {@code role}, {@code field}, {@code errorMessage}, and {@code via} when
     * it is a composite part of a granted role).
     */
    private static Response forbidden(List<GrantPermission.Refusal> refusals) {
        GrantPermission.Refusal first = refusals.get(0);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", "forbidden");
        body.put("errorMessage", refusals.size() == 1 ? first.message()
                : first.message() + " (and " + (refusals.size() - 1) + " more role(s), see 'roles')");
        body.put("field", first.field());
        body.put("role", first.role());
        List<Map<String, Object>> roles = new ArrayList<>();
        for (GrantPermission.Refusal refusal : refusals) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("role", refusal.role());
            item.put("field", refusal.field());
            item.put("errorMessage", refusal.message());
            if (refusal.via() != null) {
                item.put("via", refusal.via());
            }
            roles.add(item);
        }
        body.put("roles", roles);
        return json(Response.Status.FORBIDDEN, body);
    }

    static Response json(Response.Status status, Object body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(StrictJson.write(body)).build();
    }

    /** @param findings the trust policy's findings, added as {@code findings} when there are any */
    static Response invalid(List<FieldError> errors, List<Finding> findings) {
        Map<String, Object> body = new LinkedHashMap<>();
        FieldError first = errors.get(0);
        body.put("errorMessage", errors.size() == 1 ? first.toString()
                : first + " (and " + (errors.size() - 1) + " more error(s), see 'errors')");
        body.put("field", first.field());
        body.put("errors", errors.stream().map(e -> new ErrorItem(e.field(), e.message())).toList());
        if (!findings.isEmpty()) {
            body.put("findings", findings);
        }
        return json(Response.Status.BAD_REQUEST, body);
    }

    /** One entry of {@code errors}, in the order Keycloak's ErrorRepresentation lists them. */
    private record ErrorItem(String field, String errorMessage) {
    }

    private static Response error(Response.Status status, String message) {
        return json(status, Map.of("errorMessage", message));
    }
}
