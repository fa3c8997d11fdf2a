/**
 * The IAM admin API (docs/admin-api.md) as plain functions: URLs, headers, and every failure turned into an
 * IamApiError that says what kind of failure it was. No React and no console context here, so that it is
 * unit-tested as it runs (client.test.ts); useIamApi (api.ts) binds it to the console's admin client.
 */

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
  /** Client ids the role's sessions carry in `aud` besides their granted roles' clients (edited through the API). */
  audiences?: string[];
  /** Client scope names the role's sessions carry in `scope` (edited through the API). */
  scopes?: string[];
  /** Read-only: principal KRN → the immutable id it was bound to when the role was saved. */
  principalIds?: Record<string, string>;
  createdAt?: string;
  updatedAt?: string;
  lastUsed?: LastUsed;
  /** Read-only: when the role's sessions were last revoked (revoke-sessions), absent or null when never. */
  sessionsRevokedAt?: string | null;
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

export type RolePage = { roles: IamRole[]; total: number };

/** Keycloak's EventRepresentation, as far as the Sessions tab reads it (`time` in epoch milliseconds). */
export type KeycloakEvent = {
  time: number;
  type: string;
  clientId?: string;
  userId?: string;
  error?: string;
  details?: Record<string, string>;
};

/** Keycloak's RealmEventsConfigRepresentation: are user events saved, and of which types (none listed: the defaults). */
export type EventsConfig = { eventsEnabled?: boolean; enabledEventTypes?: string[]; eventsExpiration?: number };

export type User = { id: string; username: string };
export type Client = { id: string; clientId: string };
export type ClientRole = { name: string; description?: string };

/**
 * The shape of Keycloak's ErrorRepresentation, which the IAM API answers with; Keycloak's own refusals (a missing
 * admin right, an unknown realm) carry only `error`, OAuth-style ones `error_description`.
 */
export type ApiErrorBody = {
  errorMessage?: string;
  error?: string;
  error_description?: string;
  field?: string;
  errors?: { field?: string; errorMessage?: string }[];
  findings?: Finding[];
};

/** What went wrong, as the console explains it: each kind has its own text and says whether a retry may help. */
export type ErrorKind = "notFound" | "forbidden" | "unauthorized" | "server" | "network" | "other";

/** Keycloak's error handler answers its own refusals with the bare status line ("HTTP 403 Forbidden"). */
const GENERIC_MESSAGE = /^(HTTP \d{3}\b.*|unknown_error)$/;

export class IamApiError extends Error {
  /**
   * @param status the HTTP status; 0 when no answer came (the server or the network failed)
   * @param body the server's error body; for a body that is not JSON, its text as `errorMessage` when short
   */
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
    cause?: unknown,
  ) {
    super(serverMessageOf(body) ?? (status === 0 ? `network error: ${(cause as Error)?.message ?? cause}` : `HTTP ${status}`), { cause });
  }

  get kind(): ErrorKind {
    if (this.status === 0) return "network";
    if (this.status === 401) return "unauthorized";
    if (this.status === 403) return "forbidden";
    if (this.status === 404) return "notFound";
    if (this.status >= 500) return "server";
    return "other";
  }

  /** The server's own explanation, when it gave one beyond the status line. */
  get serverMessage(): string | undefined {
    return serverMessageOf(this.body);
  }

  /** One line per problem the server listed (it reports every problem, not just the first). */
  get details(): string[] {
    const errors = this.body.errors ?? [];
    if (errors.length === 0) return this.body.field ? [`${this.body.field}: ${this.message}`] : [];
    return errors.map((e) => (e.field ? `${e.field}: ${e.errorMessage}` : (e.errorMessage ?? "")));
  }
}

function serverMessageOf(body: ApiErrorBody): string | undefined {
  for (const m of [body.errorMessage, body.error_description, body.error]) {
    if (typeof m === "string" && m.trim() !== "" && !GENERIC_MESSAGE.test(m.trim())) return m;
  }
  return undefined;
}

/** An aborted request rejects with this (a DOMException named AbortError, as fetch's own). */
export const isAborted = (error: unknown) => (error as { name?: string } | null)?.name === "AbortError";

const abortError = () => new DOMException("The request was aborted", "AbortError");

/** Error pages of proxies and servlet containers are HTML: their text is no message to show. */
function bodyOf(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    const plain = text.trim();
    return plain.length <= 300 && !plain.startsWith("<") ? { errorMessage: plain } : {};
  }
}

export type RequestOptions = { signal?: AbortSignal };

export type IamApiConfig = {
  /** The server's base URL, as the admin client's `baseUrl` (a trailing slash is allowed). */
  baseUrl: string;
  realm: string;
  /** The console's current access token (the admin client refreshes it). */
  token: () => Promise<string | undefined>;
  fetch?: typeof fetch;
};

export function createIamApi({ baseUrl, realm, token, fetch: fetchImpl = (input, init) => fetch(input, init) }: IamApiConfig) {
  const realmUrl = `${baseUrl.replace(/\/+$/, "")}/admin/realms/${encodeURIComponent(realm)}`;

  /** `path` is relative to the realm's admin URL; `body` is sent as JSON, a string as it is. */
  async function call<T>(method: string, path: string, body: unknown, { signal }: RequestOptions = {}) {
    const bearer = await token();
    // The token may take a refresh: the caller may have given up meanwhile.
    if (signal?.aborted) throw abortError();
    let response: Response;
    let text: string;
    try {
      response = await fetchImpl(realmUrl + path, {
        method,
        signal,
        headers: {
          Authorization: `Bearer ${bearer}`,
          Accept: "application/json",
          ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
        },
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      });
      text = await response.text();
    } catch (error) {
      if (signal?.aborted || isAborted(error)) throw abortError();
      // fetch rejects only when no answer came: refused connection, DNS, CORS, a dropped network.
      throw new IamApiError(0, {}, error);
    }
    const parsed = bodyOf(text);
    if (!response.ok) throw new IamApiError(response.status, (parsed as ApiErrorBody) ?? {});
    return { data: parsed as T, headers: response.headers };
  }

  const role = (name: string) => `/iam/roles/${encodeURIComponent(name)}`;

  return {
    realm,
    async listRoles(q: { search?: string; path?: string; first: number; max: number }, options?: RequestOptions): Promise<RolePage> {
      const params = new URLSearchParams({ first: String(q.first), max: String(q.max) });
      if (q.search) params.set("search", q.search);
      if (q.path) params.set("path", q.path);
      const { data, headers } = await call<IamRole[]>("GET", `/iam/roles?${params}`, undefined, options);
      return { roles: data, total: Number(headers.get("X-Total-Count") ?? data.length) };
    },
    getRole: async (name: string, options?: RequestOptions) => (await call<IamRole>("GET", role(name), undefined, options)).data,
    createRole: async (r: IamRole, options?: RequestOptions) => (await call<IamRole>("POST", "/iam/roles", r, options)).data,
    updateRole: async (r: IamRole, options?: RequestOptions) => (await call<IamRole>("PUT", role(r.name), r, options)).data,
    deleteRole: async (name: string, options?: RequestOptions) => {
      await call<void>("DELETE", role(name), undefined, options);
    },
    revokeSessions: async (name: string, options?: RequestOptions) =>
      (await call<{ role: string; sessionsRevokedAt: string }>("POST", `${role(name)}/revoke-sessions`, undefined, options)).data,
    /** Revokes every session with that session KRN issued up to now (docs/admin-api.md). */
    revokeSessionName: async (sessionKrn: string, options?: RequestOptions) =>
      (await call<{ session: string; sessionsRevokedAt: string }>(
        "DELETE", `/iam/sessions?${new URLSearchParams({ session: sessionKrn })}`, undefined, options)).data,
    /** Revokes one session by its token id (the `token_id` detail of its TOKEN_EXCHANGE event). */
    revokeToken: async (tokenId: string, options?: RequestOptions) => {
      await call<void>("DELETE", `/iam/sessions/${encodeURIComponent(tokenId)}`, undefined, options);
    },
    /** Keycloak's own: whether the realm saves user events (needs view-events). */
    getEventsConfig: async (options?: RequestOptions) => (await call<EventsConfig>("GET", "/events/config", undefined, options)).data,
    /** Keycloak's own saved user events of one type, newest first (needs view-events). */
    async listEvents(q: { type: string; first: number; max: number }, options?: RequestOptions): Promise<KeycloakEvent[]> {
      const params = new URLSearchParams({ type: q.type, first: String(q.first), max: String(q.max) });
      return (await call<KeycloakEvent[]>("GET", `/events?${params}`, undefined, options)).data ?? [];
    },
    /** Keycloak's own user lookup, to show who a session's user id is (needs view-users). */
    getUser: async (id: string, options?: RequestOptions) =>
      (await call<User>("GET", `/users/${encodeURIComponent(id)}`, undefined, options)).data,
    /** The text is sent as typed: the server reports malformed JSON as a finding too. */
    validate: async (policyText: string, options?: RequestOptions) =>
      (await call<Validation>("POST", "/iam/policies/validate", policyText, options)).data,
    simulate: async (req: SimulationRequest, options?: RequestOptions) =>
      (await call<SimulationResult>("POST", "/iam/simulate", req, options)).data,
    /**
     * Keycloak's own client endpoints, for the client-role picker: the console's admin client cannot abort a
     * request (its only signal is a global timeout), so they go through this client too.
     */
    async listClients(search: string, options?: RequestOptions): Promise<Client[]> {
      const params = new URLSearchParams({ first: "0", max: "100" });
      if (search) {
        params.set("clientId", search);
        params.set("search", "true");
      }
      const { data } = await call<{ id: string; clientId: string }[]>("GET", `/clients?${params}`, undefined, options);
      return data.map((c) => ({ id: c.id, clientId: c.clientId }));
    },
    async listClientRoles(clientUuid: string, options?: RequestOptions): Promise<ClientRole[]> {
      const { data } = await call<ClientRole[]>("GET", `/clients/${encodeURIComponent(clientUuid)}/roles`, undefined, options);
      return data.map((r) => ({ name: r.name, description: r.description }));
    },
  };
}

export type IamApi = ReturnType<typeof createIamApi>;
