package io.github.keycloaksts.exchange;

import io.github.keycloaksts.metrics.StsMetrics;
import io.github.keycloaksts.oauth.StsException;
import io.github.keycloaksts.session.RoleSessionClaims;
import io.github.keycloaksts.subject.Caller;
import io.github.keycloaksts.subject.ExternalIdentity;
import io.github.keycloaksts.subject.PriorSession;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.RealmModel;

/**
 * The audit trail of one AssumeRole: a {@code TOKEN_EXCHANGE} event for every outcome, with the role, principal,
 * origin, decision and the statements that decided, the chain, and the reason of a refusal (never the external id's
 * value, only whether one was given), plus the exchange metric. The details are documented in docs/assume-role.md.
 */
final class ExchangeEvent {

    private final EventBuilder event;
    private final RealmModel realm;

    ExchangeEvent(EventBuilder event, RealmModel realm) {
        this.event = event.event(EventType.TOKEN_EXCHANGE).detail("sts", "AssumeRole");
        this.realm = realm;
    }

    void requested(AssumeRoleRequest request) {
        event.detail("role", request.role())
                .detail("external_id_present", String.valueOf(request.externalId().isPresent()));
    }

    void granted(RoleSession roleSession, String tokenId) {
        Caller caller = roleSession.caller();
        caller.localUserId(realm).ifPresent(event::user);
        event.detail("assumed_role", roleSession.roleKrn().toString())
                .detail("role_session_name", roleSession.sessionName())
                .detail("principal", caller.principal().toString())
                .detail("origin", caller.origin(realm).origin().json())
                .detail("decision", roleSession.decision().outcome().json())
                .detail("statements", String.join(",", roleSession.decision().matchedStatements()))
                .detail("duration_seconds", String.valueOf(roleSession.durationSeconds()))
                .detail("token_id", tokenId)
                .detail("session_tag_keys", String.join(",", roleSession.sessionTags().keySet()));
        roleSession.sourceIdentity().ifPresent(identity -> event.detail("source_identity", identity));
        if (caller instanceof ExternalIdentity external) {
            event.detail("identity_provider", external.alias())
                    .detail("identity_provider_subject", external.externalSubject());
        }
        caller.chain().ifPresent(chain -> event
                .detail("role_chain", String.join(" > ", chain.links()) + " > "
                        + RoleSessionClaims.sessionKrn(realm.getName(), roleSession.role().name(), roleSession.sessionName()))
                .detail("chain_depth", String.valueOf(chain.depthOfNext())));
        event.success();
        StsMetrics.exchange("granted", "ok", callerKind(caller));
    }

    void refused(StsException e) {
        event.detail("reason", e.reason()).error(e.error());
        StsMetrics.exchange(e.error(), e.kind(), "unknown");
    }

    /** For metrics: a chained session, or the origin of the principal (user, service_account, web_identity...). */
    private String callerKind(Caller caller) {
        return caller instanceof PriorSession ? "role_session" : caller.origin(realm).origin().json();
    }
}
