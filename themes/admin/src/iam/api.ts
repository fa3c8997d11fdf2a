import { useAdminClient, useRealm } from "@keycloak/keycloak-admin-ui";
import { useMemo } from "react";

export type LastUsed = { at: string; clientId?: string } | null;

export type Permissions = {
  realmRoles?: string[];
  clientRoles?: Record<string, string[]>;
};

export type IamRole = {
  name: string;
  path?: string;
  krn?: string;
  description?: string;
  maxSessionDuration?: number;
  maxChainedSessionDuration?: number;
  tags?: Record<string, string>;
  trustPolicy: unknown;
  permissions?: Permissions;
  /** Read-only: principal KRN → the immutable id it was bound to when the role was saved. */
  principalIds?: Record<string, string>;
  createdAt?: string;
  updatedAt?: string;
  lastUsed?: LastUsed;
  /** Read-only, only in the answer to a save: warnings such as principals that name nothing. */
  findings?: Finding[];
};

export type Finding = { severity: "error" | "warning"; path: string; message: string };
export type Validation = { valid: boolean; findings: Finding[] };

export type SimulationRequest = {
  role: string;
  principal: string;
  action?: string;
  context?: Record<string, string | string[]>;
};

export type SimulationResult = {
  /** AWS evaluation: an explicit Deny wins, then an Allow, else the implicit deny. */
  decision: "allow" | "explicitDeny" | "implicitDeny";
  matchedStatements?: string[];
  explanation?: string[];
  principals?: string[];
  action?: string;
  context?: Record<string, string[]>;
};

/** The shape of Keycloak's ErrorRepresentation, which the IAM API answers with. */
export type ApiErrorBody = {
  errorMessage?: string;
  error?: string;
  field?: string;
  errors?: { field?: string; errorMessage?: string }[];
  findings?: Finding[];
};

export class IamApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.errorMessage ?? body.error ?? `HTTP ${status}`);
  }

  /** One line per problem the server listed (it reports every problem, not just the first). */
  get details(): string[] {
    const errors = this.body.errors ?? [];
    if (errors.length === 0) return this.body.field ? [`${this.body.field}: ${this.message}`] : [];
    return errors.map((e) => (e.field ? `${e.field}: ${e.errorMessage}` : (e.errorMessage ?? "")));
  }
}

export type RolePage = { roles: IamRole[]; total: number };

/**
 * The IAM admin API (docs/admin-api.md), called with the console's own authenticated admin client so that
 * the token refresh and the realm selection are those of the console.
 */
export function useIamApi() {
  const { adminClient } = useAdminClient();
  const { realm } = useRealm();

  return useMemo(() => {
    const base = () =>
      `${adminClient.baseUrl.replace(/\/$/, "")}/admin/realms/${encodeURIComponent(realm)}/iam`;

    async function call<T>(method: string, path: string, body?: unknown): Promise<{ data: T; headers: Headers }> {
      const token = await adminClient.getAccessToken();
      const response = await fetch(base() + path, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: "application/json",
          ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
        },
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      });
      const text = await response.text();
      let parsed: unknown = undefined;
      if (text) {
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = { errorMessage: text };
        }
      }
      if (!response.ok) {
        throw new IamApiError(response.status, (parsed as ApiErrorBody) ?? {});
      }
      return { data: parsed as T, headers: response.headers };
    }

    const role = (name: string) => `/roles/${encodeURIComponent(name)}`;

    return {
      realm,
      async listRoles(q: { search?: string; path?: string; first: number; max: number }): Promise<RolePage> {
        const params = new URLSearchParams({ first: String(q.first), max: String(q.max) });
        if (q.search) params.set("search", q.search);
        if (q.path) params.set("path", q.path);
        const { data, headers } = await call<IamRole[]>("GET", `/roles?${params}`);
        return { roles: data, total: Number(headers.get("X-Total-Count") ?? data.length) };
      },
      getRole: async (name: string) => (await call<IamRole>("GET", role(name))).data,
      createRole: async (r: IamRole) => (await call<IamRole>("POST", "/roles", r)).data,
      updateRole: async (r: IamRole) => (await call<IamRole>("PUT", role(r.name), r)).data,
      deleteRole: async (name: string) => {
        await call<void>("DELETE", role(name));
      },
      revokeSessions: async (name: string) =>
        (await call<{ role: string; sessionsRevokedAt: string }>("POST", `${role(name)}/revoke-sessions`)).data,
      /** The text is sent as typed: the server reports malformed JSON as a finding too. */
      validate: async (policyText: string) => (await call<Validation>("POST", "/policies/validate", policyText)).data,
      simulate: async (req: SimulationRequest) => (await call<SimulationResult>("POST", "/simulate", req)).data,
    };
  }, [adminClient, realm]);
}

export type IamApi = ReturnType<typeof useIamApi>;
