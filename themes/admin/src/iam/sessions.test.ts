import { describe, expect, it } from "vitest";
import type { KeycloakEvent } from "./client";
import { recentSessions, Revocations, savesExchanges, statusOf } from "./sessions";

const ROLE = "krn:keycloak:iam::acme:role/ops/deployer";

const exchange = (time: number, details: Record<string, string>, extra: Partial<KeycloakEvent> = {}): KeycloakEvent => ({
  time,
  type: "TOKEN_EXCHANGE",
  clientId: "sts-cli",
  userId: "u1",
  details: { assumed_role: ROLE, role_session_name: "alice", token_id: `t${time}`, duration_seconds: "900", ...details },
  ...extra,
});

describe("the role's recent sessions come from its TOKEN_EXCHANGE events", () => {
  it("keeps the role's successful exchanges, newest first, with session KRN and expiry", () => {
    const sessions = recentSessions(
      [
        exchange(1_000, { principal: "krn:keycloak:iam::acme:user/alice", source_identity: "alice@acme.example" }),
        exchange(5_000, { role_session_name: "nightly" }),
        exchange(3_000, { assumed_role: "krn:keycloak:iam::acme:role/other" }),
        exchange(4_000, {}, { error: "access_denied" }),
        exchange(6_000, {}, { type: "LOGIN" }),
      ],
      "acme",
      "deployer",
      ROLE,
    );
    expect(sessions.map((s) => s.tokenId)).toEqual(["t5000", "t1000"]);
    expect(sessions[1]).toEqual({
      tokenId: "t1000",
      sessionName: "alice",
      sessionKrn: "krn:keycloak:sts::acme:assumed-role/deployer/alice",
      principal: "krn:keycloak:iam::acme:user/alice",
      sourceIdentity: "alice@acme.example",
      userId: "u1",
      clientId: "sts-cli",
      issuedAt: 1_000,
      expiresAt: 901_000,
    });
  });

  it("leaves the expiry open when the event has no duration", () => {
    const [s] = recentSessions([exchange(1_000, { duration_seconds: "" })], "acme", "deployer", ROLE);
    expect(s.expiresAt).toBeUndefined();
  });
});

describe("a session's status", () => {
  const [s] = recentSessions([exchange(10_500, {})], "acme", "deployer", ROLE);
  const none: Revocations = { names: {}, tokens: [] };

  it("is revoked by a role revocation of its second or later, not an earlier one", () => {
    expect(statusOf(s, { ...none, role: 10 }, 11_000)).toBe("revoked");
    expect(statusOf(s, { ...none, role: 9 }, 11_000)).toBe("active");
  });

  it("is revoked by its session name or its token id", () => {
    expect(statusOf(s, { ...none, names: { [s.sessionKrn]: 11 } }, 11_000)).toBe("revoked");
    expect(statusOf(s, { ...none, names: { "krn:keycloak:sts::acme:assumed-role/deployer/bob": 11 } }, 11_000)).toBe("active");
    expect(statusOf(s, { ...none, tokens: [s.tokenId] }, 11_000)).toBe("revoked");
  });

  it("is expired after its duration", () => {
    expect(statusOf(s, none, 10_500 + 900_000)).toBe("expired");
  });
});

describe("whether the realm saves AssumeRole events", () => {
  it("needs events on, and TOKEN_EXCHANGE among the saved types when types are listed", () => {
    expect(savesExchanges({ eventsEnabled: false })).toBe(false);
    expect(savesExchanges({ eventsEnabled: true, enabledEventTypes: [] })).toBe(true);
    expect(savesExchanges({ eventsEnabled: true, enabledEventTypes: ["LOGIN", "TOKEN_EXCHANGE"] })).toBe(true);
    expect(savesExchanges({ eventsEnabled: true, enabledEventTypes: ["LOGIN"] })).toBe(false);
  });
});
