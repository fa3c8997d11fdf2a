package io.github.keycloaksts.signin;

import io.github.keycloaksts.facts.CallerFacts;
import io.github.keycloaksts.role.RoleLimits;
import jakarta.ws.rs.core.MultivaluedMap;
import org.keycloak.authentication.InitiatedActionSupport;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.common.util.Time;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.sessions.AuthenticationSessionModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Required action "Choose an IAM role": AWS's SAML role-selection page, for any login to a client set up for role
 * sign-in ({@link RoleSessionMapper}). Evaluated at every login (no per-user flag): a login that continues an SSO
 * session whose role for this client is still live keeps it; otherwise the user picks among the roles their trust
 * policies allow for this login (one is taken without asking, none ends on a clear page). Applications trigger
 * "switch role" with {@code kc_action=kcsts-choose-role}. The choice is re-checked on submit: the form is never
 * trusted.
 */
final class RolePicker implements RequiredActionProvider {

    static final String ID = "kcsts-choose-role";
    static final String TEMPLATE = "kcsts-choose-role.ftl";
    /** Offered durations (seconds); the role's own maximum is always offered too. */
    private static final int[] DURATIONS = {900, 1800, 3600, 7200, 14400, 28800, 43200};
    private static final int DEFAULT_DURATION = 3600;

    @Override
    public InitiatedActionSupport initiatedActionSupport() {
        return InitiatedActionSupport.SUPPORTED;
    }

    @Override
    public void evaluateTriggers(RequiredActionContext context) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        if (RoleSessionMapper.configuredFor(authSession.getClient()).isEmpty()
                || ID.equals(authSession.getClientNote(Constants.KC_ACTION))) {
            return;
        }
        // Chosen in this login already (Keycloak evaluates triggers again after each action), or live in the SSO
        // session this login continues: nothing to ask.
        Optional<ChosenRole> chosen = ChosenRole.fromNote(authSession.getClientNote(ChosenRole.NOTE))
                .or(() -> existingClientSession(context).flatMap(client -> ChosenRole.fromNote(client.getNote(ChosenRole.NOTE))));
        if (chosen.filter(role -> role.liveAt(Time.currentTime())).isEmpty()) {
            authSession.addRequiredAction(ID);
        }
    }

    @Override
    public void requiredActionChallenge(RequiredActionContext context) {
        Optional<ProtocolMapperModel> mapper = RoleSessionMapper.configuredFor(context.getAuthenticationSession().getClient());
        if (mapper.isEmpty()) {
            // "Switch role" asked by a client that is not set up for role sign-in: nothing to choose.
            context.success();
            return;
        }
        List<AssumableRoles.Candidate> roles = assumable(context, mapper.get());
        if (roles.isEmpty()) {
            event(context).detail("reason", "no IAM role allows this user for this application").error(Errors.ACCESS_DENIED);
            context.challenge(form(context, List.of()).setError("kcstsNoRoleAvailable").createForm(TEMPLATE));
            return;
        }
        if (roles.size() == 1) {
            choose(context, roles.get(0), defaultDuration(roles.get(0)));
            return;
        }
        context.challenge(form(context, roles).createForm(TEMPLATE));
    }

    @Override
    public void processAction(RequiredActionContext context) {
        Optional<ProtocolMapperModel> mapper = RoleSessionMapper.configuredFor(context.getAuthenticationSession().getClient());
        if (mapper.isEmpty()) {
            context.success();
            return;
        }
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        List<AssumableRoles.Candidate> roles = assumable(context, mapper.get());
        String roleId = form.getFirst("role");
        Optional<AssumableRoles.Candidate> picked = roles.stream().filter(c -> c.role().getId().equals(roleId)).findFirst();
        if (picked.isEmpty()) {
            // Unknown, or no longer allowed: the same answer, so the form cannot be used to probe role ids.
            event(context).detail("reason", "the chosen role is not available").error(Errors.ACCESS_DENIED);
            context.challenge(form(context, roles).setError("kcstsChooseAvailableRole").createForm(TEMPLATE));
            return;
        }
        int max = picked.get().role().getMaxSessionDuration();
        Integer duration = parseDuration(form.getFirst("duration"));
        if (duration == null || duration < RoleLimits.MIN_SESSION_DURATION || duration > max) {
            context.challenge(form(context, roles).setError("kcstsInvalidDuration", String.valueOf(RoleLimits.MIN_SESSION_DURATION),
                    String.valueOf(max)).createForm(TEMPLATE));
            return;
        }
        choose(context, picked.get(), duration);
    }

    /**
     * Records the choice in the client's session notes (through the authentication session, whose client notes
     * Keycloak copies there) and in the login event: the LOGIN event carries the assumed role like AssumeRole's.
     */
    private static void choose(RequiredActionContext context, AssumableRoles.Candidate candidate, int duration) {
        long now = Time.currentTime();
        String sessionName = sessionName(context.getUser());
        ChosenRole chosen = new ChosenRole(candidate.role().getId(), candidate.role().getName(), candidate.krn(),
                sessionName, now, now + duration);
        context.getAuthenticationSession().setClientNote(ChosenRole.NOTE, chosen.toNote());
        context.getEvent().detail("assumed_role", candidate.krn())
                .detail("role_session_name", sessionName)
                .detail("duration_seconds", String.valueOf(duration))
                .detail("decision", candidate.decision().outcome().json())
                .detail("statements", String.join(",", candidate.decision().matchedStatements()))
                .detail("sts", "SignIn");
        context.success();
    }

    private static List<AssumableRoles.Candidate> assumable(RequiredActionContext context, ProtocolMapperModel mapper) {
        KeycloakSession session = context.getSession();
        RealmModel realm = context.getRealm();
        CallerFacts facts = SignInFacts.of(session, realm, context.getUser(), context.getAuthenticationSession(),
                existingUserSession(context).orElse(null), sessionName(context.getUser()));
        return AssumableRoles.of(session, realm, RoleSessionMapper.pathPrefix(mapper), facts);
    }

    private static LoginFormsProvider form(RequiredActionContext context, List<AssumableRoles.Candidate> roles) {
        List<Map<String, Object>> choices = new ArrayList<>();
        for (AssumableRoles.Candidate candidate : roles) {
            Map<String, Object> choice = new LinkedHashMap<>();
            choice.put("id", candidate.role().getId());
            choice.put("name", candidate.role().getName());
            choice.put("path", candidate.role().getPath());
            choice.put("description", candidate.role().getDescription() == null ? "" : candidate.role().getDescription());
            choice.put("maxDuration", candidate.role().getMaxSessionDuration());
            choice.put("defaultDuration", defaultDuration(candidate));
            choice.put("krn", candidate.krn());
            choices.add(choice);
        }
        int longest = roles.stream().mapToInt(c -> c.role().getMaxSessionDuration()).max().orElse(DEFAULT_DURATION);
        TreeSet<Integer> durations = new TreeSet<>();
        for (int duration : DURATIONS) {
            if (duration <= longest) {
                durations.add(duration);
            }
        }
        roles.forEach(c -> durations.add(c.role().getMaxSessionDuration()));
        return context.form()
                .setAttribute("kcstsRoles", choices)
                .setAttribute("kcstsDurations", List.copyOf(durations))
                .setAttribute("kcstsDefaultDuration", Math.min(DEFAULT_DURATION, longest))
                .setAttribute("kcstsClient", clientName(context.getAuthenticationSession().getClient()));
    }

    private static String clientName(ClientModel client) {
        return client.getName() != null && !client.getName().isBlank() && !client.getName().contains("${")
                ? client.getName() : client.getClientId();
    }

    private static int defaultDuration(AssumableRoles.Candidate candidate) {
        return Math.min(DEFAULT_DURATION, candidate.role().getMaxSessionDuration());
    }

    private static Integer parseDuration(String value) {
        if (value == null || !value.matches("\\d{1,6}")) {
            return null;
        }
        return Integer.valueOf(value);
    }

    private static String sessionName(UserModel user) {
        return SignInRoleSessions.sessionNameFor(user.getUsername());
    }

    /** A refused choice is a failed login: {@code LOGIN_ERROR}, whatever step of the flow Keycloak is in. */
    private static EventBuilder event(RequiredActionContext context) {
        return context.getEvent().clone().event(EventType.LOGIN).detail("sts", "SignIn");
    }

    /** The SSO session this login continues, if any (for browser logins its id is the root authentication session's). */
    private static Optional<UserSessionModel> existingUserSession(RequiredActionContext context) {
        UserSessionModel userSession = context.getSession().sessions().getUserSession(context.getRealm(),
                context.getAuthenticationSession().getParentSession().getId());
        return Optional.ofNullable(userSession).filter(s -> s.getUser().getId().equals(context.getUser().getId()));
    }

    private static Optional<AuthenticatedClientSessionModel> existingClientSession(RequiredActionContext context) {
        return existingUserSession(context).map(s -> s.getAuthenticatedClientSessionByClient(
                context.getAuthenticationSession().getClient().getId()));
    }

    @Override
    public void close() {
    }
}
