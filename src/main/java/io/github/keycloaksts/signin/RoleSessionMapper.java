package io.github.keycloaksts.signin;

import io.github.keycloaksts.facts.AssertedClaims;
import io.github.keycloaksts.facts.Origin;
import io.github.keycloaksts.facts.SessionOrigin;

import io.github.keycloaksts.policy.Krn;
import io.github.keycloaksts.role.RoleKrn;
import io.github.keycloaksts.store.IamRoleEntity;
import io.github.keycloaksts.store.IamRoleStore;
import org.keycloak.common.util.Time;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.mappers.AbstractOIDCProtocolMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAccessTokenMapper;
import org.keycloak.protocol.oidc.mappers.TokenIntrospectionTokenMapper;
import org.keycloak.protocol.oidc.mappers.UserInfoTokenMapper;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.representations.AccessToken;

import java.util.List;
import java.util.Optional;

/**
 * Protocol mapper "IAM role session (sign-in role picker)". Adding it to a client (or to a default client scope of
 * the client) is what sets the client up for role sign-in: the role picker then runs at every login to it, and the
 * access tokens of those logins are the chosen role session instead of the user's own token. With no live role
 * chosen the token carries no permissions (deny by default), at issue, at introspection and at userinfo alike.
 * It runs after every other mapper (highest priority number), so nothing added by an earlier mapper survives.
 */
public final class RoleSessionMapper extends AbstractOIDCProtocolMapper
        implements OIDCAccessTokenMapper, TokenIntrospectionTokenMapper, UserInfoTokenMapper {

    public static final String ID = io.github.keycloaksts.signin.RoleSignInClients.MAPPER_ID;
    /** Only roles whose path starts with this are offered to the client's users. */
    static final String PATH_PREFIX = "rolePathPrefix";

    private static final List<ProviderConfigProperty> CONFIG = ProviderConfigurationBuilder.create()
            .property().name(PATH_PREFIX).label("Role path prefix")
            .helpText("Offer only IAM roles whose path starts with this (for example /console/); empty offers every"
                    + " role whose trust policy allows the user. Scope a role to one application with a trust-policy"
                    + " condition on kc:ClientId.")
            .type(ProviderConfigProperty.STRING_TYPE).add()
            .build();

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "IAM role session (sign-in role picker)";
    }

    @Override
    public String getDisplayCategory() {
        return TOKEN_MAPPER_CATEGORY;
    }

    @Override
    public String getHelpText() {
        return "Users signing in to this client pick an IAM role they may assume; the access token is that role"
                + " session (its permissions only). Also register and enable the required action 'Choose an IAM role'.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
    }

    /** After every other mapper: the token is replaced, not amended. */
    @Override
    public int getPriority() {
        return 10_000;
    }

    @Override
    public AccessToken transformAccessToken(AccessToken token, ProtocolMapperModel mappingModel, KeycloakSession session,
                                            UserSessionModel userSession, ClientSessionContext clientSessionCtx) {
        return roleSessionOrNothing(token, session, userSession, clientSessionCtx);
    }

    /**
     * Keycloak's introspection of an ordinary token rebuilds it from the session: a token without a live role gets
     * no permissions there either. (Tokens of a role session are answered by our introspection provider.)
     */
    @Override
    public AccessToken transformIntrospectionToken(AccessToken token, ProtocolMapperModel mappingModel,
                                                   KeycloakSession session, UserSessionModel userSession,
                                                   ClientSessionContext clientSessionCtx) {
        return SignInRoleSessions.withoutPermissions(token);
    }

    @Override
    public AccessToken transformUserInfoToken(AccessToken token, ProtocolMapperModel mappingModel, KeycloakSession session,
                                              UserSessionModel userSession, ClientSessionContext clientSessionCtx) {
        return SignInRoleSessions.withoutPermissions(token);
    }

    private static AccessToken roleSessionOrNothing(AccessToken token, KeycloakSession session, UserSessionModel userSession,
                                                    ClientSessionContext clientSessionCtx) {
        RealmModel realm = userSession.getRealm();
        Optional<ChosenRole> chosen = ChosenRole.fromNote(clientSessionCtx.getClientSession().getNote(ChosenRole.NOTE))
                .filter(role -> role.liveAt(Time.currentTime()));
        if (chosen.isEmpty()) {
            return SignInRoleSessions.withoutPermissions(token);
        }
        // The role as it is now: deleted, renamed away or revoked since it was chosen ends the role session.
        Optional<IamRoleEntity> role = new IamRoleStore(session)
                .findByNameWithGrants(realm.getId(), chosen.get().roleName())
                .filter(r -> r.getId().equals(chosen.get().roleId()))
                .filter(r -> !SignInRoleSessions.revokedSince(session, realm, r, chosen.get().sessionName(), chosen.get().chosenAt()));
        if (role.isEmpty()) {
            return SignInRoleSessions.withoutPermissions(token);
        }
        return SignInRoleSessions.mint(session, realm, token, role.get(),
                RoleKrn.krn(realm.getName(), role.get().getPath(), role.get().getName()),
                Krn.user(realm.getName(), userSession.getUser().getUsername()),
                chosen.get().sessionName(), userSession.getId(), chosen.get().expiresAt(), origin(realm, userSession));
    }

    /** A login's role session begins its chain: its user, the provider it came through, how it authenticated. */
    private static SessionOrigin origin(RealmModel realm, UserSessionModel userSession) {
        return new SessionOrigin(Origin.USER, realm.getId(), userSession.getUser().getId(),
                AssertedClaims.brokeredBy(userSession.getNotes()),
                SignInFacts.authentication(realm, userSession.getNotes(), (long) userSession.getStarted()));
    }

    /** The mapper configuration that sets {@code client} up for role sign-in, if any: on the client or a default scope. */
    static Optional<ProtocolMapperModel> configuredFor(ClientModel client) {
        return io.github.keycloaksts.signin.RoleSignInClients.mapperOf(client);
    }

    static String pathPrefix(ProtocolMapperModel mapper) {
        String prefix = mapper.getConfig() == null ? null : mapper.getConfig().get(PATH_PREFIX);
        return prefix == null || prefix.isBlank() ? null : prefix.trim();
    }
}
