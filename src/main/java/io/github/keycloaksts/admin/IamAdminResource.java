package io.github.keycloaksts.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloaksts.json.MalformedJsonException;
import io.github.keycloaksts.store.PrincipalBindings;
import io.github.keycloaksts.json.StrictJson;
import io.github.keycloaksts.policy.Finding;
import io.github.keycloaksts.policy.Krn;
import io.github.keycloaksts.store.IamRoleEntity;
import io.github.keycloaksts.policy.PolicyCompilation;
import io.github.keycloaksts.policy.PolicyCompiler;
import io.github.keycloaksts.policy.PolicyEnvironment;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PathParam;
import io.github.keycloaksts.session.RoleSessionRecords;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /admin/realms/{realm}/iam}: the roles collection, export/import of all roles as one document, policy
 * validation and the access simulator.
 */
public final class IamAdminResource {

    /** Admin events of this extension carry this resource type (Keycloak's {@code ResourceType} is closed). */
    public static final String RESOURCE_TYPE = "IAM_ROLE";
    static final int MAX_IMPORT_BYTES = 8 * 1024 * 1024;

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;

    IamAdminResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent;
    }

    @Path("roles")
    public RolesResource roles() {
        return new RolesResource(session, realm, auth, adminEvent);
    }

    /**
     * Every role of the realm, in the form {@code POST /import} takes back, for keeping roles in version control. Stable
     * by default: without the fields that change by themselves ({@code createdAt}, {@code updatedAt}, {@code lastUsed})
     * and in an order that does not depend on the database's collation, so two exports of an unchanged realm are
     * byte-identical and a diff in Git is a change of a role. {@code volatile=true} keeps those fields.
     */
    @GET
    @Path("export")
    @Produces(MediaType.APPLICATION_JSON)
    public Response export() { // volatile: read from the URI, where a repeated or misspelled parameter shows
        auth.realm().requireViewRealm();
        return AdminResponses.guard(() -> {
            jakarta.ws.rs.core.MultivaluedMap<String, String> query = onlyParameters("volatile");
            boolean withVolatile = booleanParameter("volatile", query.get("volatile"));
            IamRoles roles = new IamRoles(session, realm);
            List<JsonNode> all = roles.store().all(realm.getId()).stream()
                    .sorted(RoleImport.EXPORT_ORDER)
                    .map(role -> RoleRepresentation.of(session, realm, role, PrincipalVisibility.of(realm, auth)))
                    .<JsonNode>map(role -> withVolatile ? StrictJson.mapper().valueToTree(role) : role.stable())
                    .toList();
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("realm", realm.getName());
            document.put("roles", all);
            return AdminResponses.json(Response.Status.OK, document);
        });
    }

    /**
     * Creates or updates by name every role of an export document; with {@code mode=sync} also deletes the roles of
     * the realm that the document does not name, so the realm's roles become exactly the document's. With
     * {@code dryRun=true} only reports what it would do. Importing the same document twice changes nothing the second
     * time. All or nothing: the whole document is checked before anything is written, in the request's one
     * transaction.
     */
    @POST
    @Path("import")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response importRoles(InputStream body) { // dryRun, mode: read from the URI, where a repeated value shows
        auth.realm().requireManageRealm();
        return AdminResponses.guard(() -> {
            // dryrun=true or dry_run=true must not be read as a real import, nor mod=sync as a merge.
            jakarta.ws.rs.core.MultivaluedMap<String, String> query = onlyParameters("dryRun", "mode");
            boolean dryRun = booleanParameter("dryRun", query.get("dryRun"));
            boolean sync = parseMode(query.get("mode"));
            IamRoles roles = new IamRoles(session, realm);
            GrantPermission permission = new GrantPermission(realm, auth);
            List<RoleImport.Item> plan = RoleImport.plan(StrictJson.read(body, MAX_IMPORT_BYTES), roles, realm.getId(),
                    RealmPolicyEnvironment.of(session, realm), permission);
            // Deleting a role takes manage-realm only (as DELETE /roles/{name} does), checked above.
            List<IamRoleEntity> deleted = sync ? RoleImport.notNamed(plan, roles.store().all(realm.getId())) : List.of();
            Map<RoleImport.Change, List<String>> report = new LinkedHashMap<>();
            for (RoleImport.Change change : RoleImport.Change.values()) {
                report.put(change, new ArrayList<>());
            }
            List<List<PrincipalBindings.Principal>> unbound = new ArrayList<>();
            Map<Integer, IamRoleEntity> written = new LinkedHashMap<>();
            if (!dryRun) {
                // First, so that roles of the document bind to nothing that the sync removes.
                deleted.forEach(roles::delete);
            }
            for (int i = 0; i < plan.size(); i++) {
                RoleImport.Item item = plan.get(i);
                report.get(item.change()).add(item.draft().name());
                unbound.add(item.unbound());
                if (dryRun || item.change() == RoleImport.Change.UNCHANGED) {
                    continue;
                }
                written.put(i, (item.existing().isPresent() ? roles.replace(item.existing().get(), item.draft(), permission)
                        : roles.create(item.draft(), permission)).role());
            }
            // Bound again once every role of the document exists, so that roles of one document may trust each
            // other (a role created later in the document named nothing when an earlier one was saved).
            written.forEach((i, role) -> unbound.set(i, PrincipalBindings.bind(session, role).unbound()));
            if (!written.isEmpty() || (!dryRun && !deleted.isEmpty())) {
                roles.store().flush(realm.getId());
            }
            if (!dryRun) {
                deleted.forEach(role -> adminEvent.resource(RESOURCE_TYPE).operation(OperationType.DELETE)
                        .resourcePath("iam", "roles", role.getName()).detail("source", "import").success());
            }
            written.forEach((i, role) -> adminEvent.resource(RESOURCE_TYPE)
                    .operation(plan.get(i).change() == RoleImport.Change.CREATED ? OperationType.CREATE : OperationType.UPDATE)
                    .resourcePath("iam", "roles", role.getName())
                    .representation(RoleRepresentation.of(session, realm, role, PrincipalVisibility.of(realm, auth)))
                    .detail("source", "import")
                    .success());
            List<Finding> warnings = new ArrayList<>();
            for (int i = 0; i < unbound.size(); i++) {
                String pointer = "/roles/" + i + "/trustPolicy";
                PrincipalWarnings.of(session, realm, unbound.get(i), PrincipalVisibility.of(realm, auth)).forEach(f ->
                        warnings.add(new Finding(f.severity(), pointer + f.path(), f.message())));
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("dryRun", dryRun);
            result.put("mode", sync ? "sync" : "merge");
            result.put("created", report.get(RoleImport.Change.CREATED));
            result.put("updated", report.get(RoleImport.Change.UPDATED));
            result.put("unchanged", report.get(RoleImport.Change.UNCHANGED));
            result.put("deleted", deleted.stream().map(IamRoleEntity::getName).toList());
            if (!warnings.isEmpty()) {
                result.put("findings", warnings);
            }
            return AdminResponses.json(Response.Status.OK, result);
        });
    }

    /**
     * Validates a policy document and returns every finding. Always 200 for a readable body, valid or not, so
     * editors and CI pipelines can show the findings; only a body too large to read is refused (413).
     */
    @POST
    @Path("policies/validate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response validatePolicy(InputStream body) {
        auth.realm().requireViewRealm();
        return AdminResponses.guard(() -> {
            PolicyCompilation compilation;
            JsonNode document = null;
            try {
                document = StrictJson.read(body, RolesResource.MAX_ROLE_BODY_BYTES);
                compilation = PolicyCompiler.compile(document, RealmPolicyEnvironment.of(session, realm));
            } catch (MalformedJsonException e) {
                if (e.tooLarge()) {
                    throw e;
                }
                compilation = new PolicyCompilation(Optional.empty(), List.of(new Finding(Finding.Severity.ERROR, "", e.getMessage())));
            }
            List<Finding> findings = new ArrayList<>(compilation.findings());
            if (compilation.valid()) {
                findings.addAll(unboundPrincipals(document));
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("valid", compilation.valid());
            result.put("findings", findings);
            return AdminResponses.json(Response.Status.OK, result);
        });
    }

    /**
     * "Can this principal assume this role, and why (not)?", evaluated with the same compiled policy and the same
     * principal facts as the token exchange.
     */
    @POST
    @Path("simulate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response simulate(InputStream body) {
        auth.realm().requireViewRealm();
        return AdminResponses.guard(() -> {
            PolicyEnvironment environment = RealmPolicyEnvironment.of(session, realm);
            SimulationRequest request = SimulationRequest.parse(StrictJson.read(body, RolesResource.MAX_ROLE_BODY_BYTES),
                    environment);
            return AdminResponses.json(Response.Status.OK,
                    new Simulator(session, realm, auth).simulate(request, environment));
        });
    }

    /**
     * Revokes one role session by its token id ({@code jti}): its token is inactive at introspection from now on,
     * on every node. 404 when no live session of this realm has that id.
     */
    @DELETE
    @Path("sessions/{tokenId}")
    public Response revokeSession(@PathParam("tokenId") String tokenId) {
        auth.realm().requireManageRealm();
        if (!RoleSessionRecords.revoke(session, realm.getName(), tokenId)) {
            return AdminResponses.json(Response.Status.NOT_FOUND, Map.of("errorMessage", "no live role session '" + tokenId + "'"));
        }
        adminEvent.resource(IamAdminResource.RESOURCE_TYPE).operation(OperationType.ACTION)
                .resourcePath("iam", "sessions", tokenId).detail("action", "revoke-session").success();
        return Response.noContent().build();
    }

    /**
     * Revokes every session with a session KRN ({@code krn:keycloak:sts::<realm>:assumed-role/<role>/<session name>})
     * issued up to now, on every node: AWS revokes by role only; a session name usually names one person or job.
     */
    @DELETE
    @Path("sessions")
    @Produces(MediaType.APPLICATION_JSON)
    public Response revokeSessionsNamed(@QueryParam("session") String sessionKrn) {
        auth.realm().requireManageRealm();
        return AdminResponses.guard(() -> {
            java.util.List<String> given = session.getContext().getUri().getQueryParameters().get("session");
            if (given != null && given.size() > 1) {
                throw new InvalidParameterException("session", "given " + given.size() + " times; revoke one session KRN per request");
            }
            Krn krn = Optional.ofNullable(sessionKrn).flatMap(Krn::parse)
                    .filter(k -> k.kind().orElseThrow() == Krn.Kind.ASSUMED_ROLE && k.realm().equals(realm.getName()))
                    .orElseThrow(() -> new InvalidParameterException("session", "must be a session KRN of this realm, "
                            + "krn:keycloak:sts::" + realm.getName() + ":assumed-role/<role name>/<session name>"));
            String[] parts = krn.resource().split("/", 3);
            if (!io.github.keycloaksts.role.RoleLimits.SESSION_NAME.matcher(parts[2]).matches()) {
                throw new InvalidParameterException("session", "the session name must be 2-64 characters of letters,"
                        + " digits and _ + = , . @ - (as role_session_name)");
            }
            IamRoleEntity role = new IamRoles(session, realm).get(parts[1]);
            String canonical = "krn:keycloak:sts::" + realm.getName() + ":assumed-role/" + role.getName() + "/" + parts[2];
            long revokedAt = RoleSessionRecords.revokeSessionKrn(session, role.getId(), parts[2]);
            adminEvent.resource(IamAdminResource.RESOURCE_TYPE).operation(OperationType.ACTION)
                    .resourcePath("iam", "sessions").detail("action", "revoke-sessions-named").detail("session", canonical).success();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("session", canonical);
            body.put("sessionsRevokedAt", Instant.ofEpochSecond(revokedAt).toString());
            return AdminResponses.json(Response.Status.OK, body);
        });
    }

    /**
     * The principals a role with this trust policy would bind to nothing if saved now. The policy belongs to no role
     * yet, so a KRN naming an IAM role counts as bound only when that role exists.
     */
    private List<Finding> unboundPrincipals(JsonNode policy) {
        IamRoleEntity none = new IamRoleEntity();
        none.setId("");
        none.setRealmId(realm.getId());
        none.setNameKey("");
        none.setPath("/");
        return PrincipalWarnings.of(session, realm,
                PrincipalBindings.resolve(session, none, policy.toString()).unbound(), PrincipalVisibility.of(realm, auth));
    }

    /** The request's query parameters, refusing any other than these (a misspelled option must not be ignored). */
    private jakarta.ws.rs.core.MultivaluedMap<String, String> onlyParameters(String... allowed) {
        jakarta.ws.rs.core.MultivaluedMap<String, String> query = session.getContext().getUri().getQueryParameters();
        List<String> names = List.of(allowed);
        for (String name : query.keySet()) {
            if (!names.contains(name)) {
                throw new InvalidParameterException(name, names.size() == 1
                        ? "unknown query parameter; the only one is '" + allowed[0] + "'"
                        : "unknown query parameter; the only ones are " + names.stream().map(n -> "'" + n + "'")
                          .collect(java.util.stream.Collectors.joining(" and ")));
            }
        }
        return query;
    }

    /**
     * A boolean option: absent, {@code true} or {@code false}. Given twice, or empty (a script's unset variable), it
     * is refused: a real import must never happen because a dry run was meant but not understood.
     */
    private static boolean booleanParameter(String name, List<String> values) {
        String value = single(name, values);
        if (value == null || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        throw new InvalidParameterException(name, "must be 'true' or 'false'");
    }

    /** {@code mode}: absent or {@code merge} (create and update only), or {@code sync} (also delete); true for sync. */
    private static boolean parseMode(List<String> values) {
        String value = single("mode", values);
        if (value == null || value.equals("merge")) {
            return false;
        }
        if (value.equals("sync")) {
            return true;
        }
        throw new InvalidParameterException("mode", "must be 'merge' (create and update, the default) or 'sync'"
                + " (also delete the roles the document does not name)");
    }

    /** The one value of a parameter, or null when absent; refused when repeated. */
    private static String single(String name, List<String> values) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new InvalidParameterException(name, "given " + values.size() + " times; give it once");
        }
        return values.get(0);
    }
}
