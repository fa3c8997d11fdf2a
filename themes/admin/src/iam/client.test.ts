import { describe, expect, it, vi } from "vitest";
import { createIamApi, IamApiError, isAborted } from "./client";

type Call = { url: string; init: RequestInit };

/** A fetch that records its calls and answers each with the next of `answers`. */
function fakeFetch(...answers: (Response | Error)[]) {
  const calls: Call[] = [];
  const fetch = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    const answer = answers.shift() ?? new Response("[]");
    if (answer instanceof Error) throw answer;
    return answer;
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, calls };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });

function api(fetch: typeof globalThis.fetch, { baseUrl = "https://kc.example/", realm = "acme", token = "t0k" } = {}) {
  return createIamApi({ baseUrl, realm, token: async () => token, fetch });
}

/** The rejection of `promise`, which must reject. */
async function failureOf(promise: Promise<unknown>): Promise<IamApiError> {
  try {
    await promise;
  } catch (error) {
    return error as IamApiError;
  }
  throw new Error("expected the call to fail");
}

describe("URLs and requests", () => {
  it("lists roles under the realm's admin URL with paging and the filters that are set", async () => {
    const { fetch, calls } = fakeFetch(json(200, [{ name: "a" }], { "X-Total-Count": "42" }));
    const page = await api(fetch).listRoles({ search: "dev", path: "", first: 20, max: 10 });
    expect(calls[0].url).toBe("https://kc.example/admin/realms/acme/iam/roles?first=20&max=10&search=dev");
    expect(calls[0].init.method).toBe("GET");
    expect(page).toEqual({ roles: [{ name: "a" }], total: 42 });
  });

  it("takes the page's length as total when the server sends no X-Total-Count", async () => {
    const { fetch } = fakeFetch(json(200, [{ name: "a" }, { name: "b" }]));
    expect((await api(fetch).listRoles({ first: 0, max: 10 })).total).toBe(2);
  });

  it("encodes the realm and the role name as path segments", async () => {
    const { fetch, calls } = fakeFetch(json(200, { name: "x" }), new Response(null, { status: 204 }));
    const client = api(fetch, { baseUrl: "https://kc.example/auth///", realm: "my realm/é" });
    await client.getRole("ops/admin?x#y");
    await client.deleteRole("a b");
    expect(calls.map((c) => [c.init.method, c.url])).toEqual([
      ["GET", "https://kc.example/auth/admin/realms/my%20realm%2F%C3%A9/iam/roles/ops%2Fadmin%3Fx%23y"],
      ["DELETE", "https://kc.example/auth/admin/realms/my%20realm%2F%C3%A9/iam/roles/a%20b"],
    ]);
  });

  it("revokes by session KRN (a query parameter) and by token id (a path segment), and reads saved events", async () => {
    const { fetch, calls } = fakeFetch(
      json(200, { session: "krn:keycloak:sts::acme:assumed-role/ops/alice", sessionsRevokedAt: "2026-01-01T00:00:00Z" }),
      new Response(null, { status: 204 }),
      json(200, { eventsEnabled: true, enabledEventTypes: [] }),
      json(200, [{ time: 1, type: "TOKEN_EXCHANGE", details: { token_id: "x" } }]),
      json(200, { id: "u1", username: "alice" }),
    );
    const client = api(fetch);
    expect((await client.revokeSessionName("krn:keycloak:sts::acme:assumed-role/ops/alice")).session).toContain("alice");
    await client.revokeToken("onrtte:a/b");
    expect(await client.getEventsConfig()).toEqual({ eventsEnabled: true, enabledEventTypes: [] });
    expect(await client.listEvents({ type: "TOKEN_EXCHANGE", first: 0, max: 100 })).toHaveLength(1);
    expect((await client.getUser("u1")).username).toBe("alice");
    expect(calls.map((c) => [c.init.method, c.url])).toEqual([
      ["DELETE", "https://kc.example/admin/realms/acme/iam/sessions?session=krn%3Akeycloak%3Asts%3A%3Aacme%3Aassumed-role%2Fops%2Falice"],
      ["DELETE", "https://kc.example/admin/realms/acme/iam/sessions/onrtte%3Aa%2Fb"],
      ["GET", "https://kc.example/admin/realms/acme/events/config"],
      ["GET", "https://kc.example/admin/realms/acme/events?type=TOKEN_EXCHANGE&first=0&max=100"],
      ["GET", "https://kc.example/admin/realms/acme/users/u1"],
    ]);
  });

  it("sends the console's token, and a JSON body with its content type only when there is a body", async () => {
    const { fetch, calls } = fakeFetch(json(200, { name: "r" }), json(200, { role: "r", sessionsRevokedAt: "now" }));
    await api(fetch).updateRole({ name: "r", trustPolicy: {} });
    await api(fetch).revokeSessions("r");
    const [put, post] = calls.map((c) => ({ ...c.init, headers: c.init.headers as Record<string, string> }));
    expect(put.method).toBe("PUT");
    expect(put.headers).toEqual({ Authorization: "Bearer t0k", Accept: "application/json", "Content-Type": "application/json" });
    expect(put.body).toBe('{"name":"r","trustPolicy":{}}');
    expect(calls[1].url).toBe("https://kc.example/admin/realms/acme/iam/roles/r/revoke-sessions");
    expect(post.headers).toEqual({ Authorization: "Bearer t0k", Accept: "application/json" });
    expect(post.body).toBeUndefined();
  });

  it("sends a policy to validate as typed, even when it is not JSON", async () => {
    const { fetch, calls } = fakeFetch(json(200, { valid: false, findings: [] }));
    await api(fetch).validate('{"Version": ');
    expect(calls[0].url).toBe("https://kc.example/admin/realms/acme/iam/policies/validate");
    expect(calls[0].init.body).toBe('{"Version": ');
  });

  it("lists clients by clientId search and a client's roles, by the client's id", async () => {
    const { fetch, calls } = fakeFetch(
      json(200, [{ id: "u-1", clientId: "account", secret: "s" }]),
      json(200, [{ name: "view-profile", description: "${role_view-profile}", composite: false }]),
    );
    expect(await api(fetch).listClients("acc")).toEqual([{ id: "u-1", clientId: "account" }]);
    expect(await api(fetch).listClientRoles("u-1")).toEqual([{ name: "view-profile", description: "${role_view-profile}" }]);
    expect(calls.map((c) => c.url)).toEqual([
      "https://kc.example/admin/realms/acme/clients?first=0&max=100&clientId=acc&search=true",
      "https://kc.example/admin/realms/acme/clients/u-1/roles",
    ]);
  });
});

describe("failures say what kind they are and carry the server's message", () => {
  it("404 is notFound, with the server's message", async () => {
    const { fetch } = fakeFetch(json(404, { errorMessage: "no role named 'x'" }));
    const error = await failureOf(api(fetch).getRole("x"));
    expect(error).toBeInstanceOf(IamApiError);
    expect([error.status, error.kind, error.message, error.serverMessage]).toEqual([404, "notFound", "no role named 'x'", "no role named 'x'"]);
  });

  it("403 is forbidden; Keycloak's bare status line is no message of the server's", async () => {
    const { fetch } = fakeFetch(json(403, { error: "HTTP 403 Forbidden" }));
    const error = await failureOf(api(fetch).listRoles({ first: 0, max: 10 }));
    expect([error.kind, error.serverMessage, error.message]).toEqual(["forbidden", undefined, "HTTP 403"]);
  });

  it("403 refusing a granted role keeps the server's message and every role it names", async () => {
    const body = {
      error: "forbidden",
      errorMessage: "you may not map the realm role admin",
      field: "permissions.realmRoles",
      errors: [
        { field: "permissions.realmRoles", errorMessage: "you may not map the realm role admin" },
        { field: "permissions.clientRoles.account", errorMessage: "you may not map manage-account" },
      ],
    };
    const { fetch } = fakeFetch(json(403, body));
    const error = await failureOf(api(fetch).updateRole({ name: "r", trustPolicy: {} }));
    expect([error.kind, error.serverMessage]).toEqual(["forbidden", "you may not map the realm role admin"]);
    expect(error.details).toEqual([
      "permissions.realmRoles: you may not map the realm role admin",
      "permissions.clientRoles.account: you may not map manage-account",
    ]);
  });

  it("401 is unauthorized, 409 and 400 are other", async () => {
    const { fetch } = fakeFetch(json(401, {}), json(409, { errorMessage: "role exists" }), json(400, { error_description: "bad" }));
    const client = api(fetch);
    expect((await failureOf(client.getRole("a"))).kind).toBe("unauthorized");
    const conflict = await failureOf(client.createRole({ name: "a", trustPolicy: {} }));
    expect([conflict.kind, conflict.message]).toEqual(["other", "role exists"]);
    expect((await failureOf(client.getRole("a"))).serverMessage).toBe("bad");
  });

  it("5xx is server; an HTML error page is not shown as a message, a short text is", async () => {
    const { fetch } = fakeFetch(
      new Response("<html><body><h1>502 Bad Gateway</h1></body></html>", { status: 502 }),
      new Response("upstream timed out", { status: 504 }),
      json(500, { error: "unknown_error" }),
    );
    const client = api(fetch);
    const html = await failureOf(client.getRole("a"));
    expect([html.status, html.kind, html.serverMessage, html.message]).toEqual([502, "server", undefined, "HTTP 502"]);
    expect((await failureOf(client.getRole("a"))).serverMessage).toBe("upstream timed out");
    expect((await failureOf(client.getRole("a"))).serverMessage).toBeUndefined();
  });

  it("no answer at all is a network failure (status 0), with fetch's error as cause", async () => {
    const cause = new TypeError("Failed to fetch");
    const { fetch } = fakeFetch(cause);
    const error = await failureOf(api(fetch).getRole("a"));
    expect(error).toBeInstanceOf(IamApiError);
    expect([error.status, error.kind, error.serverMessage]).toEqual([0, "network", undefined]);
    expect(error.cause).toBe(cause);
    expect(isAborted(error)).toBe(false);
  });

  it("a body that is cut off is a network failure too", async () => {
    const broken = new Response(
      new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode("[{"));
          controller.error(new TypeError("network error"));
        },
      }),
    );
    const { fetch } = fakeFetch(broken);
    expect((await failureOf(api(fetch).listRoles({ first: 0, max: 1 }))).kind).toBe("network");
  });
});

describe("abort", () => {
  it("passes the caller's signal to fetch", async () => {
    const { fetch, calls } = fakeFetch(json(200, { name: "a" }));
    const controller = new AbortController();
    await api(fetch).getRole("a", { signal: controller.signal });
    expect(calls[0].init.signal).toBe(controller.signal);
  });

  it("an aborted request rejects with an AbortError, not as a failure to show", async () => {
    const controller = new AbortController();
    const fetch = vi.fn(
      (_url: RequestInfo | URL, init?: RequestInit) =>
        new Promise<Response>((_resolve, reject) =>
          init!.signal!.addEventListener("abort", () => reject(new TypeError("fetch failed: aborted"))),
        ),
    ) as unknown as typeof globalThis.fetch;
    const pending = api(fetch).validate("{}", { signal: controller.signal });
    await Promise.resolve();
    controller.abort();
    const error = await failureOf(pending);
    expect(error).not.toBeInstanceOf(IamApiError);
    expect(isAborted(error)).toBe(true);
  });

  it("does not send the request when the caller gave up while the token was refreshed", async () => {
    const { fetch, calls } = fakeFetch(json(200, {}));
    const controller = new AbortController();
    let release!: (token: string) => void;
    const client = createIamApi({ baseUrl: "https://kc.example", realm: "acme", fetch, token: () => new Promise((r) => (release = r)) });
    const pending = client.getRole("a", { signal: controller.signal });
    controller.abort();
    release("t0k");
    expect(isAborted(await failureOf(pending))).toBe(true);
    expect(calls).toHaveLength(0);
  });
});
