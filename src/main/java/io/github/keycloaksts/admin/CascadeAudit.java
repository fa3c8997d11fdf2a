package io.github.keycloaksts.admin;

import org.keycloak.common.ClientConnection;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.events.EventStoreProvider;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.AuthDetails;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.common.util.Time;
import org.keycloak.util.JsonSerialization;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Records an admin event for a change that Keycloak's own code caused in our data (a role we granted was
 * deleted), where no {@code AdminEventBuilder} is at hand. The event is attributed to the administrator whose
 * request caused it when the request carries an admin bearer token, and is sent to the realm's event store and
 * listeners exactly as {@code AdminEventBuilder} would.
 */
final class CascadeAudit {

    private static final Logger LOG = Logger.getLogger(CascadeAudit.class);

    private CascadeAudit() {
    }

    static void send(KeycloakSession session, RealmModel realm, OperationType operation, String resourcePath,
                     Object representation, Map<String, String> details) {
        AdminEvent event = new AdminEvent();
        event.setId(UUID.randomUUID().toString());
        event.setTime(Time.currentTimeMillis());
        event.setRealmId(realm.getId());
        event.setRealmName(realm.getName());
        event.setOperationType(operation);
        event.setResourceTypeAsString(IamAdminResource.RESOURCE_TYPE);
        event.setResourcePath(resourcePath);
        event.setAuthDetails(authDetails(session, realm));
        event.setDetails(details);
        try {
            event.setRepresentation(JsonSerialization.writeValueAsString(representation));
        } catch (IOException e) {
            LOG.warnf("Could not serialize the representation of %s", resourcePath);
        }
        boolean includeRepresentation = realm.isAdminEventsDetailsEnabled();
        if (realm.isAdminEventsEnabled()) {
            EventStoreProvider store = session.getProvider(EventStoreProvider.class);
            if (store != null) {
                store.onEvent(event, includeRepresentation);
            }
        }
        listeners(session, realm).forEach(factoryId -> {
            try {
                session.getProvider(EventListenerProvider.class, factoryId).onEvent(new AdminEvent(event), includeRepresentation);
            } catch (RuntimeException e) {
                LOG.warnf(e, "Event listener %s failed on an IAM role admin event", factoryId);
            }
        });
    }

    /**
     * Creates the realm's event listeners now, for events to be sent from a prepare step of the transaction:
     * some listeners (Keycloak's jboss-logging) enlist in the transaction when created, which Keycloak refuses once
     * it is committing.
     */
    static void prepareListeners(KeycloakSession session, RealmModel realm) {
        listeners(session, realm).forEach(factoryId -> session.getProvider(EventListenerProvider.class, factoryId));
    }

    private static java.util.stream.Stream<String> listeners(KeycloakSession session, RealmModel realm) {
        Set<String> realmListeners = new HashSet<>(realm.getEventsListenersStream().toList());
        return session.getKeycloakSessionFactory().getProviderFactoriesStream(EventListenerProvider.class)
                .filter(factory -> realmListeners.contains(factory.getId())
                        || ((EventListenerProviderFactory) factory).isGlobal())
                .map(factory -> factory.getId());
    }

    private static AuthDetails authDetails(KeycloakSession session, RealmModel realm) {
        AuthDetails auth = new AuthDetails();
        auth.setRealmId(realm.getId());
        auth.setRealmName(realm.getName());
        ClientConnection connection = session.getContext().getConnection();
        if (connection != null) {
            auth.setIpAddress(connection.getRemoteAddr());
        }
        if (session.getContext().getBearerToken() instanceof AccessToken token && token.getIssuer() != null) {
            String issuerRealm = token.getIssuer().substring(token.getIssuer().lastIndexOf('/') + 1);
            RealmModel authRealm = session.realms().getRealmByName(issuerRealm);
            if (authRealm != null) {
                auth.setRealmId(authRealm.getId());
                auth.setRealmName(authRealm.getName());
                auth.setUserId(token.getSubject());
                ClientModel client = authRealm.getClientByClientId(token.getIssuedFor());
                if (client != null) {
                    auth.setClientId(client.getId());
                }
            }
        }
        return auth;
    }
}
