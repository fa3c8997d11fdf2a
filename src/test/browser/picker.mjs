// Browser test of the sign-in role picker: a federated user signs in to an application set up for role sign-in
// through the realm's identity provider, picks a role on the picker page (search, duration), and the
// application's access token is that role session. Real Chromium, real login pages, real server.
//
// Environment (set by BrowserIT, which prepares the realm):
//   KC_URL          base URL of the server, e.g. http://localhost:8080 (required)
//   KC_REALM        realm of the application (default acme)
//   CLIENT_ID       the application, set up for role sign-in (default console); CLIENT_SECRET its secret
//   REDIRECT_URI    its redirect URI; the browser never leaves for it (the script answers it)
//   IDP             identity provider alias to sign in through (kc_idp_hint); empty for a local login
//   USERNAME, PASSWORD  the user at the identity provider
//   EXPECT_ROLES    comma-separated role names the picker must offer, exactly
//   PICK            the role to pick (found through the search box); PICK_DURATION seconds
//   EXPECT_GRANTS   JSON of the access token's expected resource_access, e.g. {"billing-api":{"roles":["invoices:read"]}}
//   SCREENSHOT_DIR  where sign-in-role-picker.png goes (default .)
//   CHROMIUM        browser executable (default /usr/bin/chromium)
// Exit code 0 when every step passed, 1 otherwise (with failure-picker.png).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

const env = (name, fallback) => process.env[name] ?? fallback;
const KC_URL = env("KC_URL", "").replace(/\/$/, "");
const REALM = env("KC_REALM", "acme");
const CLIENT_ID = env("CLIENT_ID", "console");
const CLIENT_SECRET = env("CLIENT_SECRET", "");
const REDIRECT_URI = env("REDIRECT_URI", "http://127.0.0.1:1/callback");
const IDP = env("IDP", "");
const USERNAME = env("USERNAME", "");
const PASSWORD = env("PASSWORD", "");
const EXPECT_ROLES = env("EXPECT_ROLES", "").split(",").filter(Boolean);
const PICK = env("PICK", "");
const PICK_DURATION = env("PICK_DURATION", "1800");
const EXPECT_GRANTS = JSON.parse(env("EXPECT_GRANTS", "{}"));
const SCREENSHOT_DIR = env("SCREENSHOT_DIR", ".");
const CHROMIUM = env("CHROMIUM", "/usr/bin/chromium");

if (!KC_URL || !USERNAME || !PICK) {
  console.error("KC_URL, USERNAME and PICK are required");
  process.exit(2);
}
mkdirSync(SCREENSHOT_DIR, { recursive: true });

let stepNo = 0;
async function step(title, fn) {
  stepNo++;
  process.stdout.write(`[${stepNo}] ${title} ... `);
  const result = await fn();
  console.log("ok");
  return result;
}
function assert(condition, message) {
  if (!condition) throw new Error(`assertion failed: ${message}`);
}
function claims(jwt) {
  return JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString("utf8"));
}

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
page.setDefaultTimeout(20_000);
let code;
// Nothing serves the application's redirect URI: the code is read off the browser's request for it (a redirect
// that Playwright's routing does not intercept).
const toApplication = (request) => request.url().startsWith(REDIRECT_URI);

try {
  const authorize = `${KC_URL}/realms/${REALM}/protocol/openid-connect/auth?client_id=${encodeURIComponent(CLIENT_ID)}`
    + `&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(REDIRECT_URI)}`
    + (IDP ? `&kc_idp_hint=${encodeURIComponent(IDP)}` : "");

  await step(`sign in as ${USERNAME}${IDP ? ` through identity provider ${IDP}` : ""}`, async () => {
    await page.goto(authorize);
    await page.locator("#username").fill(USERNAME);
    await page.locator("#password").fill(PASSWORD);
    await Promise.all([page.waitForLoadState("load"), page.locator("#kc-login").click()]);
    // First login through the provider: Keycloak may ask for what the provider did not say.
    if (await page.locator("input[name=firstName]").count() > 0) {
      for (const [field, value] of [["email", `${USERNAME}@corp.example`], ["firstName", USERNAME], ["lastName", "Federated"]]) {
        const input = page.locator(`input[name=${field}]`);
        if (await input.count() > 0 && !(await input.inputValue())) await input.fill(value);
      }
      await Promise.all([page.waitForLoadState("load"), page.locator("input[type=submit], button[type=submit]").first().click()]);
    }
  });

  await step("the picker offers exactly the roles the trust policies allow", async () => {
    await page.locator("#kcsts-choose-role").waitFor();
    const offered = (await page.locator(".kcsts-role-name").allTextContents()).map((s) => s.trim()).sort();
    assert(JSON.stringify(offered) === JSON.stringify([...EXPECT_ROLES].sort()),
      `offered ${JSON.stringify(offered)}, expected ${JSON.stringify(EXPECT_ROLES)}`);
    await page.screenshot({ path: join(SCREENSHOT_DIR, "sign-in-role-picker.png"), fullPage: true });
  });

  await step(`search narrows the list to ${PICK}`, async () => {
    // Select another role first (as a user might), then search: the search must not leave it selected unseen.
    const other = EXPECT_ROLES.find((name) => name !== PICK);
    if (other) {
      await page.locator(".kcsts-role", { has: page.locator(".kcsts-role-name", { hasText: new RegExp(`^${other}$`) }) })
        .locator("input[type=radio]").check();
    }
    await page.locator("#kcsts-role-search").fill(PICK);
    const visible = [];
    for (const role of await page.locator(".kcsts-role").all()) {
      if (await role.isVisible()) visible.push((await role.locator(".kcsts-role-name").textContent()).trim());
    }
    assert(visible.includes(PICK), `${PICK} not visible after search: ${visible}`);
    assert(visible.length < EXPECT_ROLES.length || EXPECT_ROLES.length === 1, `search did not narrow: ${visible}`);
    // What is submitted is what is shown: the selected role is always one the search left visible.
    const checked = page.locator(".kcsts-role", { has: page.locator("input[type=radio]:checked") });
    assert(await checked.count() === 1 && await checked.isVisible(), "the selected role is visible after the search");
    await page.locator("#kcsts-role-search").fill("no role is called like this");
    assert(await page.locator("#kcsts-no-match").isVisible(), "no-match message shown");
    assert(await page.locator("#kcsts-continue").isDisabled(), "nothing to submit when no role is shown");
    await page.locator("#kcsts-role-search").fill(PICK);
    assert(await page.locator("#kcsts-continue").isEnabled(), "submit enabled again");
    const chosen = (await checked.locator(".kcsts-role-name").textContent()).trim();
    assert(visible.length > 1 || chosen === PICK, `the only role shown (${PICK}) is the one selected, not ${chosen}`);
  });

  await step(`pick ${PICK} for ${PICK_DURATION} s and continue`, async () => {
    await page.locator(".kcsts-role", { has: page.locator(".kcsts-role-name", { hasText: new RegExp(`^${PICK}$`) }) })
      .locator("input[type=radio]").check();
    await page.locator("#kcsts-duration").selectOption(PICK_DURATION);
    const [request] = await Promise.all([page.waitForRequest(toApplication), page.locator("#kcsts-continue").click()]);
    code = new URL(request.url()).searchParams.get("code");
    assert(code, "the application received an authorization code");
  });

  await step("the application's access token is the chosen role session", async () => {
    const response = await fetch(`${KC_URL}/realms/${REALM}/protocol/openid-connect/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI,
        client_id: CLIENT_ID, client_secret: CLIENT_SECRET }),
    });
    const tokens = await response.json();
    assert(response.status === 200, `token response ${response.status}: ${JSON.stringify(tokens)}`);
    const token = claims(tokens.access_token);
    assert(token.assumed_role?.endsWith(`/${PICK}`), `assumed_role ${token.assumed_role}`);
    assert(token.realm_access === undefined || JSON.stringify(EXPECT_GRANTS).includes("realm"), "no realm roles of the user");
    assert(JSON.stringify(token.resource_access ?? {}) === JSON.stringify(EXPECT_GRANTS),
      `resource_access ${JSON.stringify(token.resource_access)}, expected ${JSON.stringify(EXPECT_GRANTS)}`);
    assert(token.exp - token.iat <= Number(PICK_DURATION), `lifetime ${token.exp - token.iat} within the chosen duration`);
    console.log(`\n    assumed_role=${token.assumed_role} principal=${token.principal} resource_access=${JSON.stringify(token.resource_access)}`);
  });
  await browser.close();
  process.exit(0);
} catch (error) {
  console.log("FAILED");
  console.error(error.stack || String(error));
  await page.screenshot({ path: join(SCREENSHOT_DIR, "failure-picker.png"), fullPage: true }).catch(() => {});
  console.error(`page at failure: ${page.url()}`);
  await browser.close();
  process.exit(1);
}
