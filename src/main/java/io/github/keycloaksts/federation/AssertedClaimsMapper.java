package io.github.keycloaksts.federation;

import io.github.keycloaksts.facts.AssertedClaims;

import com.fasterxml.jackson.databind.JsonNode;
import org.keycloak.Config;
import org.keycloak.broker.oidc.OIDCIdentityProvider;
import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.broker.provider.IdentityProviderMapper;
import org.keycloak.broker.saml.SAMLEndpoint;
import org.keycloak.dom.saml.v2.assertion.AssertionType;
import org.keycloak.dom.saml.v2.assertion.AttributeStatementType;
import org.keycloak.dom.saml.v2.assertion.AttributeType;
import org.keycloak.models.IdentityProviderMapperModel;
import org.keycloak.models.IdentityProviderSyncMode;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.representations.JsonWebToken;

import java.util.List;

/**
 * Identity-provider mapper "Keep asserted claims for IAM roles": at every brokered login, copies what the provider
 * asserted (the claims of an OIDC ID token and userinfo, the attributes of a SAML assertion) into notes of the
 * new user session, so that AssumeRole can test them as {@code <alias>:<claim>} for exactly that session. Nothing
 * is written to the user: a claim describes one login, not the account (a later login through another provider
 * must not carry it). Notes are bounded ({@link AssertedClaims}).
 */
public final class AssertedClaimsMapper implements IdentityProviderMapper {

    public static final String ID = "kcsts-asserted-claims";
    public static final String CLAIMS = "claims";
    private static final String CONTEXT_KEY = "kcsts.asserted";
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(AssertedClaimsMapper.class);

    private static final List<ProviderConfigProperty> CONFIG = ProviderConfigurationBuilder.create()
            .property().name(CLAIMS).label("Claims or attributes")
            .helpText("Names of the ID-token/userinfo claims or SAML attributes (name or friendly name) to keep, "
                    + "separated by commas; empty keeps every one with text, number or boolean values (at most "
                    + AssertedClaims.MAX_CLAIMS + ").")
            .type(ProviderConfigProperty.STRING_TYPE).add()
            .build();

    @Override
    public String[] getCompatibleProviders() {
        return new String[]{ANY_PROVIDER};
    }

    @Override
    public String getDisplayCategory() {
        return "IAM roles";
    }

    @Override
    public String getDisplayType() {
        return "Keep asserted claims for IAM roles";
    }

    @Override
    public String getHelpText() {
        return "Makes what this provider asserted at login available to IAM trust policies as <alias>:<claim>.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
    }

    @Override
    public boolean supportsSyncMode(IdentityProviderSyncMode syncMode) {
        return true;
    }

    @Override
    public void preprocessFederatedIdentity(KeycloakSession session, RealmModel realm, IdentityProviderMapperModel mapperModel,
                                            BrokeredIdentityContext context) {
        if (context.getAuthenticationSession() == null) {
            return;
        }
        AssertedClaims claims = new AssertedClaims(AssertedClaims.wanted(mapperModel.getConfig().get(CLAIMS)));
        if (context.getContextData().get(OIDCIdentityProvider.VALIDATED_ID_TOKEN) instanceof JsonWebToken idToken) {
            claims.addToken(idToken);
        }
        if (context.getContextData().get(OIDCIdentityProvider.USER_INFO) instanceof JsonNode userInfo) {
            userInfo.fields().forEachRemaining(field -> claims.addJson(field.getKey(), field.getValue()));
        }
        if (context.getContextData().get(SAMLEndpoint.SAML_ASSERTION) instanceof AssertionType assertion) {
            for (AttributeStatementType statement : assertion.getAttributeStatements()) {
                for (AttributeStatementType.ASTChoiceType choice : statement.getAttributes()) {
                    AttributeType attribute = choice.getAttribute();
                    if (attribute != null) {
                        claims.addAttribute(attribute.getName(), attribute.getFriendlyName(), attribute.getAttributeValue());
                    }
                }
            }
        }
        // A first login resets the authentication flow, which clears the notes written now; Keycloak carries the
        // context data across it (SerializedBrokeredIdentityContext), so the claims travel there too and are
        // written again when the flow has created or linked the user (importNewUser, updateBrokeredUser).
        if (!claims.overLimit().isEmpty()) {
            // Recorded in the claims themselves (kcsts:over-limit) for trust policies; this tells the operator.
            LOG.warnf("Identity provider '%s' asserted more than IAM roles keep for user '%s' (claims cut or left out: %s);"
                            + " trust policies see them as %s:%s", context.getIdpConfig().getAlias(), context.getUsername(),
                    String.join(", ", claims.overLimit()), context.getIdpConfig().getAlias(), AssertedClaims.OVER_LIMIT);
        }
        context.getContextData().put(CONTEXT_KEY, claims.toJson());
        claims.writeTo(context.getAuthenticationSession());
    }

    @Override
    public void importNewUser(KeycloakSession session, RealmModel realm, UserModel user, IdentityProviderMapperModel mapperModel,
                              BrokeredIdentityContext context) {
        restore(context);
    }

    @Override
    public void updateBrokeredUserLegacy(KeycloakSession session, RealmModel realm, UserModel user,
                                         IdentityProviderMapperModel mapperModel, BrokeredIdentityContext context) {
        restore(context);
    }

    @Override
    public void updateBrokeredUser(KeycloakSession session, RealmModel realm, UserModel user, IdentityProviderMapperModel mapperModel,
                                   BrokeredIdentityContext context) {
        restore(context);
    }

    private static void restore(BrokeredIdentityContext context) {
        if (context.getAuthenticationSession() != null && context.getContextData().get(CONTEXT_KEY) instanceof String json) {
            AssertedClaims.fromJson(json).writeTo(context.getAuthenticationSession());
        }
    }

    @Override
    public IdentityProviderMapper create(KeycloakSession session) {
        return this;
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return ID;
    }
}
