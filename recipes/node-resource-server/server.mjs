// A resource server that accepts keycloak-sts role sessions: verifies the bearer JWT with the realm's JWKS and
// authorizes each route by what the role session carries. node:http and jose only.
//
//   KC_ISSUER=http://localhost:8080/realms/acme CLIENT_ID=billing-api PORT=3000 node server.mjs
//
// KC_ISSUER is the realm's issuer (the `iss` of its tokens), CLIENT_ID this resource server's client id in that
// realm (it must be in the token's `aud`), PORT the port on 127.0.0.1 (0: any free one; the line printed on start
// says which).
import http from 'node:http';
import { createRemoteJWKSet, jwtVerify, errors } from 'jose';

const issuer = required('KC_ISSUER');
const clientId = required('CLIENT_ID');
const port = Number(process.env.PORT ?? 3000);

// jose fetches the realm's keys once, caches them and refetches when a token names an unknown `kid` (key rotation).
const jwks = createRemoteJWKSet(new URL(`${issuer}/protocol/openid-connect/certs`));

// Each route says what it needs; `check` returns a refusal or null.
const routes = {
  // Any valid token for this resource server: who is calling, and with what.
  'GET /whoami': () => null,
  // Only a role session (a token from AssumeRole carries `assumed_role`) that was granted invoices:read.
  'GET /invoices': (claims) => requireRoleSession(claims) ?? requireRole(claims, 'invoices:read'),
  'POST /invoices': (claims) => requireRoleSession(claims) ?? requireRole(claims, 'invoices:write'),
  // By scope: a role session carries a space-separated `scope`, the scopes its role names (or those asked for).
  'GET /invoices/export': (claims) => requireRoleSession(claims) ?? requireScope(claims, 'invoices.export'),
};

const server = http.createServer(async (req, res) => {
  const path = new URL(req.url, 'http://localhost').pathname;
  const check = routes[`${req.method} ${path}`];
  if (!check) {
    return send(res, 404, { error: 'not_found' });
  }
  let claims;
  try {
    claims = await verify(req.headers.authorization);
  } catch (e) {
    // RFC 6750 §3.1: a missing or bad token is 401 with a Bearer challenge; the reason stays in our log.
    console.error(`401 ${req.method} ${path}: ${e.message}`);
    res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
    return send(res, 401, { error: 'invalid_token' });
  }
  const refusal = check(claims);
  if (refusal) {
    res.setHeader('WWW-Authenticate', `Bearer error="insufficient_scope"`);
    return send(res, 403, { error: 'insufficient_scope', error_description: refusal });
  }
  send(res, 200, {
    route: `${req.method} ${path}`,
    sub: claims.sub,
    assumed_role: claims.assumed_role ?? null,
    role_session_name: claims.role_session_name ?? null,
    principal: claims.principal ?? null,
    roles: clientRoles(claims),
    scope: scopes(claims),
  });
});

async function verify(authorization) {
  const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(authorization ?? '');
  if (!match) {
    throw new Error('no bearer token');
  }
  // Signature with the realm's keys, `exp`/`nbf`, `iss` exactly the realm, and our client id among `aud`.
  const { payload } = await jwtVerify(match[1], jwks, { issuer, audience: clientId });
  // Keycloak's access tokens say `typ: Bearer`; an ID token of a client with this id would pass the checks above.
  if (payload.typ !== 'Bearer') {
    throw new errors.JWTClaimValidationFailed('not an access token', payload, 'typ', 'check_failed');
  }
  return payload;
}

// The permissions of a role session are its `resource_access.<client>.roles` (and `realm_access.roles`): exactly
// the role's grants, never the caller's own roles. A resource server reads only its own client's entry.
function clientRoles(claims) {
  const roles = claims.resource_access?.[clientId]?.roles;
  return Array.isArray(roles) ? roles : [];
}

function scopes(claims) {
  return typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [];
}

function requireRoleSession(claims) {
  return typeof claims.assumed_role === 'string' ? null : 'a role session (assumed_role) is required';
}

function requireRole(claims, role) {
  return clientRoles(claims).includes(role) ? null : `role ${role} of ${clientId} is required`;
}

function requireScope(claims, scope) {
  return scopes(claims).includes(scope) ? null : `scope ${scope} is required`;
}

function send(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is not set`);
    process.exit(2);
  }
  return value.replace(/\/$/, '');
}

server.listen(port, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port} as ${clientId} of ${issuer}`);
});
