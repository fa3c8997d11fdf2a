package io.github.keycloaksts.admin;

import io.github.keycloaksts.json.StrictJson;
import io.github.keycloaksts.role.FieldError;
import io.github.keycloaksts.role.InvalidRoleException;
import io.github.keycloaksts.role.RoleDraft;
import io.github.keycloaksts.role.RoleDraftParser;
import io.github.keycloaksts.role.RoleLimits;
import io.github.keycloaksts.store.IamRoleEntity;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

import java.io.InputStream;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.time.Instant;
import io.github.keycloaksts.role.RoleKrn;
import org.keycloak.common.util.Time;

/**
 * {@code /admin/realms/{realm}/iam/roles}: list, create, read, replace and delete IAM roles. Reading needs
 * {@code view-realm}, changing needs {@code manage-realm}, checked before the body is read.
 */
public final class RolesResource {

    /** A role document is a few KiB at most (trust policy ≤ 10 KiB); anything far larger is refused unread. */
    static final int MAX_ROLE_BODY_BYTES = 64 * 1024;
    private static final int DEFAULT_PAGE_SIZE = 100;
    private static final int MAX_PAGE_SIZE = 1000;

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;
    private final IamRoles roles;

    RolesResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent;
        this.roles = new IamRoles(session, realm);
    }

    /**
     * One page of roles ordered by path then name; the total number of matches is in {@code X-Total-Count}.
     *
     * @param search case-insensitive substring of the role name
     * @param path   path prefix, as AWS ListRoles {@code PathPrefix}
     */
    @GET
    @Path("")
    @Produces(MediaType.APPLICATION_JSON)
    public Response list(@QueryParam("search") String search, @QueryParam("path") String path,
                         @QueryParam("first") String first, @QueryParam("max") String max) {
        auth.realm().requireViewRealm();
        return AdminResponses.guard(() -> {
            String nameContains = blankToNull(search);
            if (nameContains != null && nameContains.length() > 64) {
                throw new InvalidParameterException("search", "must be at most 64 characters (the longest role name)");
            }
            String pathPrefix = blankToNull(path);
            if (pathPrefix != null && (!pathPrefix.startsWith("/") || pathPrefix.length() > RoleLimits.PATH_MAX)) {
                throw new InvalidParameterException("path", "must start with '/' and be at most "
                        + RoleLimits.PATH_MAX + " characters");
            }
            int firstResult = intParameter("first", first, 0, 0, Integer.MAX_VALUE);
            int maxResults = intParameter("max", max, DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
            List<RoleRepresentation> page = roles.store()
                    .search(realm.getId(), nameContains, pathPrefix, firstResult, maxResults).stream()
                    .map(role -> RoleRepresentation.of(session, realm, role, PrincipalVisibility.of(realm, auth)))
                    .toList();
            long total = roles.store().count(realm.getId(), nameContains, pathPrefix);
            return Response.ok(StrictJson.write(page), MediaType.APPLICATION_JSON_TYPE)
                    .header("X-Total-Count", total).build();
        });
    }

    @POST
    @Path("")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response create(InputStream body) {
        auth.realm().requireManageRealm();
        return AdminResponses.guard(() -> {
            RoleDraft draft = RoleDraftParser.parse(StrictJson.read(body, MAX_ROLE_BODY_BYTES),
                    RealmPolicyEnvironment.of(session, realm));
            IamRoles.Saved saved = roles.create(draft, new GrantPermission(realm, auth));
            IamRoleEntity role = saved.role();
            RoleRepresentation representation = RoleRepresentation.of(session, realm, role, PrincipalVisibility.of(realm, auth))
                    .withFindings(PrincipalWarnings.of(session, realm, saved.unbound(), PrincipalVisibility.of(realm, auth)));
            audit(OperationType.CREATE, role.getName(), representation);
            URI location = session.getContext().getUri().getAbsolutePathBuilder().path(role.getName()).build();
            return Response.created(location).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(StrictJson.write(representation)).build();
        });
    }

    /** Names are compared ignoring case, as AWS does: {@code GET /roles/AUDITOR} finds {@code auditor}. */
    @GET
    @Path("{name}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response get(@PathParam("name") String name) {
        auth.realm().requireViewRealm();
        return AdminResponses.guard(() -> AdminResponses.json(Response.Status.OK,
                RoleRepresentation.of(session, realm, roles.get(name), PrincipalVisibility.of(realm, auth))));
    }

    /** Replaces the whole role. The name in the body must be the role's (its case may change); AWS has no rename. */
    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response replace(@PathParam("name") String name, InputStream body) {
        auth.realm().requireManageRealm();
        return AdminResponses.guard(() -> {
            IamRoleEntity role = roles.get(name);
            RoleDraft draft = RoleDraftParser.parse(StrictJson.read(body, MAX_ROLE_BODY_BYTES),
                    RealmPolicyEnvironment.of(session, realm));
            if (!draft.nameKey().equals(role.getNameKey())) {
                throw new InvalidRoleException(new FieldError("name",
                        "must be '" + role.getName() + "': roles cannot be renamed; create a new role instead"));
            }
            IamRoles.Saved saved = roles.replace(role, draft, new GrantPermission(realm, auth));
            RoleRepresentation representation = RoleRepresentation.of(session, realm, saved.role(), PrincipalVisibility.of(realm, auth))
                    .withFindings(PrincipalWarnings.of(session, realm, saved.unbound(), PrincipalVisibility.of(realm, auth)));
            audit(OperationType.UPDATE, role.getName(), representation);
            return AdminResponses.json(Response.Status.OK, representation);
        });
    }

    @DELETE
    @Path("{name}")
    public Response delete(@PathParam("name") String name) {
        auth.realm().requireManageRealm();
        return AdminResponses.guard(() -> {
            IamRoleEntity role = roles.get(name);
            roles.delete(role);
            audit(OperationType.DELETE, role.getName(), null);
            return Response.noContent().build();
        });
    }

    /**
     * Revokes every session of the role issued up to now (AWS "revoke active sessions"): from now on they are
     * inactive at introspection on every node. Sessions issued later are not affected. Tokens that resource servers
     * validate offline cannot be recalled: they stay valid until they expire.
     */
    @POST
    @Path("{name}/revoke-sessions")
    @Produces(MediaType.APPLICATION_JSON)
    public Response revokeSessions(@PathParam("name") String name) {
        auth.realm().requireManageRealm();
        return AdminResponses.guard(() -> {
            IamRoleEntity role = roles.get(name);
            role.setSessionsRevokedAt(Time.currentTime());
            roles.store().flush(role);
            adminEvent.resource(IamAdminResource.RESOURCE_TYPE).operation(OperationType.ACTION)
                    .resourcePath("iam", "roles", role.getName(), "revoke-sessions").success();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("role", RoleKrn.of(realm.getName(), role.getPath(), role.getName()));
            body.put("sessionsRevokedAt", Instant.ofEpochSecond(role.getSessionsRevokedAt()).toString());
            return AdminResponses.json(Response.Status.OK, body);
        });
    }

    private void audit(OperationType operation, String roleName, RoleRepresentation representation) {
        AdminEventBuilder event = adminEvent.resource(IamAdminResource.RESOURCE_TYPE).operation(operation)
                .resourcePath("iam", "roles", roleName);
        if (representation != null) {
            event.representation(representation);
        }
        event.success();
    }

    private static int intParameter(String name, String value, int defaultValue, int min, int max) {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below with the allowed range
        }
        throw new InvalidParameterException(name, "must be a whole number from " + min + " to " + max);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
