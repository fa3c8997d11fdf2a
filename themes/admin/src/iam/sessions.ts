import type { KeycloakEvent, EventsConfig } from "./client";

/*
 * The role's recent sessions, read from Keycloak's saved TOKEN_EXCHANGE events (the AssumeRole audit trail: details
 * assumed_role, role_session_name, principal, source_identity, token_id, duration_seconds). Without React, so that
 * it is unit-tested (sessions.test.ts).
 */

/** How many of the realm's latest token exchanges are read: the events API cannot filter by a detail. */
export const EVENTS_SCANNED = 300;

export type RecentSession = {
  tokenId: string;
  sessionName: string;
  /** krn:keycloak:sts::<realm>:assumed-role/<role>/<session name>: what "revoke session name" revokes. */
  sessionKrn: string;
  principal?: string;
  sourceIdentity?: string;
  userId?: string;
  clientId?: string;
  /** epoch milliseconds */
  issuedAt: number;
  expiresAt?: number;
};

export const sessionKrnOf = (realm: string, roleName: string, sessionName: string) =>
  `krn:keycloak:sts::${realm}:assumed-role/${roleName}/${sessionName}`;

/**
 * The sessions of the role `roleKrn` among `events`, newest first: successful exchanges whose `assumed_role` is the
 * role (other roles' and refused exchanges are left out; those have no token).
 */
export function recentSessions(events: KeycloakEvent[], realm: string, roleName: string, roleKrn: string): RecentSession[] {
  return events
    .filter((e) => e.type === "TOKEN_EXCHANGE" && !e.error && e.details?.assumed_role === roleKrn && e.details?.token_id)
    .map((e) => {
      const d = e.details!;
      const duration = Number(d.duration_seconds);
      const sessionName = d.role_session_name ?? "";
      return {
        tokenId: d.token_id,
        sessionName,
        sessionKrn: sessionKrnOf(realm, roleName, sessionName),
        principal: d.principal,
        sourceIdentity: d.source_identity,
        userId: e.userId,
        clientId: e.clientId,
        issuedAt: e.time,
        expiresAt: Number.isFinite(duration) && d.duration_seconds ? e.time + duration * 1000 : undefined,
      };
    })
    .sort((a, b) => b.issuedAt - a.issuedAt);
}

/** Whether the realm saves TOKEN_EXCHANGE events: events on, and the type among the saved ones (none listed: all). */
export function savesExchanges(config: EventsConfig) {
  if (!config.eventsEnabled) return false;
  const types = config.enabledEventTypes ?? [];
  return types.length === 0 || types.includes("TOKEN_EXCHANGE");
}

export type Revocations = {
  /** the role's revoke-sessions, epoch seconds (covers sessions issued up to and including that second) */
  role?: number;
  /** session KRN → epoch seconds of its revocation, as done from this page */
  names: Record<string, number>;
  /** token ids revoked from this page */
  tokens: string[];
};

export type SessionStatus = "active" | "expired" | "revoked";

/** What the page knows of a session: revoked (by role, by session name, by token), expired, or else active. */
export function statusOf(s: RecentSession, revoked: Revocations, now: number): SessionStatus {
  const issuedSecond = Math.floor(s.issuedAt / 1000);
  if (revoked.role !== undefined && issuedSecond <= revoked.role) return "revoked";
  const byName = revoked.names[s.sessionKrn];
  if (byName !== undefined && issuedSecond <= byName) return "revoked";
  if (revoked.tokens.includes(s.tokenId)) return "revoked";
  if (s.expiresAt !== undefined && s.expiresAt <= now) return "expired";
  return "active";
}
