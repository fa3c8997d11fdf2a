// Browser test of the keycloak-sts admin console theme: the stock Keycloak console keeps working and the IAM
// section does what it says, against a running Keycloak whose master realm uses the admin theme keycloak-sts.
//
// Environment:
//   KC_URL             base URL of the server, e.g. http://localhost:8080 (required)
//   KC_ADMIN_USER      master admin user (default admin; expected to be the temporary bootstrap admin)
//   KC_ADMIN_PASSWORD  its password (default admin)
//   KC_ADMIN_TEMPORARY false when that admin is not the temporary bootstrap admin (default true: the
//                      temporary-admin banner must be shown; with false it must not be)
//   KC_REALM           realm to work in (default master); must exist and have the realm role offline_access
//   SCREENSHOT_DIR     where the screenshots go (default the current directory)
//   CHROMIUM           browser executable (default /usr/bin/chromium)
//   HEADFUL=1          show the browser
//
// Everything else it needs (an IAM role, a user to simulate) it creates itself, and it deletes them at the end.
// Exit code 0 when every step passed, 1 otherwise (the failing step is printed, with a failure.png screenshot).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

const KC_URL = (process.env.KC_URL ?? "").replace(/\/$/, "");
const ADMIN_USER = process.env.KC_ADMIN_USER || "admin";
const ADMIN_PASSWORD = process.env.KC_ADMIN_PASSWORD || "admin";
const REALM = process.env.KC_REALM || "master";
const ADMIN_TEMPORARY = process.env.KC_ADMIN_TEMPORARY !== "false";
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR || ".";
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const TIMEOUT = 20_000;

if (!KC_URL) {
  console.error("KC_URL is required, e.g. KC_URL=http://localhost:8080");
  process.exit(2);
}
mkdirSync(SCREENSHOT_DIR, { recursive: true });

const suffix = Date.now().toString(36);
const ROLE = `ui-test-${suffix}`;
const USER = `ui-test-user-${suffix}`;
const USER_KRN = `krn:keycloak:iam::${REALM}:user/${USER}`;
const USER_PASSWORD = `pw-${suffix}-Aa1!`;
// A second role, assumed for real (AssumeRole through admin-cli) so that its Sessions tab has sessions to list.
const SESSIONS_ROLE = `ui-test-sessions-${suffix}`;
const started = Date.now();

let stepNo = 0;
async function step(title, fn) {
  stepNo++;
  const t0 = Date.now();
  process.stdout.write(`[${String(stepNo).padStart(2)}] ${title} ... `);
  try {
    const result = await fn();
    console.log(`ok (${Date.now() - t0} ms)`);
    return result;
  } catch (error) {
    console.log("FAILED");
    throw error;
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(`assertion failed: ${message}`);
}

// --- REST helpers (setup, cross-checks of what the UI did, cleanup) -------------------------------------------
async function adminToken() {
  const response = await fetch(`${KC_URL}/realms/master/protocol/openid-connect/token`, {
    method: "POST",
    body: new URLSearchParams({ grant_type: "password", client_id: "admin-cli", username: ADMIN_USER, password: ADMIN_PASSWORD }),
  });
  if (!response.ok) throw new Error(`admin login via REST failed: ${response.status} ${await response.text()}`);
  return (await response.json()).access_token;
}

const rest = (method, path, body) => restIn(REALM, method, path, body);
const cleanups = [];

async function restIn(realm, method, path, body) {
  const response = await fetch(`${KC_URL}/admin/realms/${encodeURIComponent(realm)}${path}`, {
    method,
    headers: { Authorization: `Bearer ${await adminToken()}`, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

// --- the STS as an application calls it (the sessions the Sessions tab lists) ----------------------------------
async function tokenForm(form) {
  const response = await fetch(`${KC_URL}/realms/${encodeURIComponent(REALM)}/protocol/openid-connect/token`, {
    method: "POST",
    body: new URLSearchParams(form),
  });
  const body = await response.json();
  if (!response.ok) throw new Error(`token endpoint: ${response.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

const userToken = () => tokenForm({ grant_type: "password", client_id: "admin-cli", username: USER, password: USER_PASSWORD });

const assumeRole = async (role, extra) =>
  tokenForm({
    grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
    client_id: "admin-cli",
    subject_token: await userToken(),
    subject_token_type: "urn:ietf:params:oauth:token-type:access_token",
    role,
    ...extra,
  });

/** 200 while the session is live, 401 once revoked (docs/sessions.md). */
async function callerIdentity(token) {
  const response = await fetch(`${KC_URL}/realms/${encodeURIComponent(REALM)}/iam/caller-identity`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  return response.status;
}

// --- the browser ----------------------------------------------------------------------------------------------
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: !process.env.HEADFUL,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
const page = await context.newPage();
page.setDefaultTimeout(TIMEOUT);
const pageErrors = [];
page.on("pageerror", (error) => pageErrors.push(error.message));
// The theme's files (scripts, styles, preloads, messages) must all be found.
const missingResources = [];
page.on("response", (r) => r.status() >= 400 && r.url().includes("/resources/") && missingResources.push(`${r.status()} ${r.url()}`));

const shot = (name) => page.screenshot({ path: join(SCREENSHOT_DIR, name), fullPage: true });
const consoleUrl = (hashPath) => `${KC_URL}/admin/master/console/#/${encodeURIComponent(REALM)}${hashPath}`;
const alertWith = (text) => page.locator(".pf-v5-c-alert-group .pf-v5-c-alert").filter({ hasText: text }).first();
const tab = (id) => page.locator(`[data-testid="iam-tab-${id}"]`);

async function setPolicy(text) {
  const editor = page.getByTestId("iam-policy-text");
  await editor.fill(text);
  // validation is debounced: wait for it to settle
  await page.getByTestId("iam-validation-status").getByText("Validating").waitFor({ state: "detached", timeout: TIMEOUT }).catch(() => {});
  await page.waitForTimeout(600);
  await page.getByTestId("iam-validation-status").locator(".pf-v5-c-label").waitFor();
}

let exitCode = 0;
try {
  await step(`setup via REST: user ${USER} in realm ${REALM}`, async () => {
    const realm = await rest("GET", "");
    assert(realm.status === 200, `realm ${REALM} exists (got ${realm.status})`);
    const role = await rest("GET", "/roles/offline_access");
    assert(role.status === 200, `realm ${REALM} has the realm role offline_access`);
    const created = await rest("POST", "/users", {
      username: USER, enabled: true, firstName: "Ui", lastName: "Test", email: `${USER}@example.com`, emailVerified: true,
      credentials: [{ type: "password", value: USER_PASSWORD, temporary: false }],
    });
    assert(created.status === 201, `user created (got ${created.status})`);
  });

  await step("log into the master admin console", async () => {
    await page.goto(consoleUrl(""));
    await page.locator("#username").fill(ADMIN_USER);
    await page.locator("#password").fill(ADMIN_PASSWORD);
    await page.locator("#kc-login").click();
    await page.locator("#nav-item-clients").waitFor();
  });

  if (ADMIN_TEMPORARY) {
    await step("the temporary-admin banner is shown", async () => {
      await page.locator(".pf-v5-c-banner").filter({ hasText: "temporary admin" }).waitFor();
    });
  } else {
    await step("no temporary-admin banner (KC_ADMIN_TEMPORARY=false)", async () => {
      await page.locator("#nav-item-clients").waitFor();
      assert((await page.locator(".pf-v5-c-banner").filter({ hasText: "temporary admin" }).count()) === 0, "no banner");
    });
  }

  await step("stock section: Clients list", async () => {
    await page.locator("#nav-item-clients").click();
    await page.waitForURL(/\/clients$/);
    await page.getByRole("heading", { name: "Clients", exact: true }).first().waitFor();
    await page.getByRole("link", { name: "admin-cli", exact: true }).or(page.getByText("admin-cli", { exact: true })).first().waitFor();
  });

  await step("stock section: Users list", async () => {
    await page.locator("#nav-item-users").click();
    await page.waitForURL(/\/users$/);
    await page.getByRole("heading", { name: "Users", exact: true }).first().waitFor();
    const search = page.getByPlaceholder("Search user");
    await search.fill(USER);
    await search.press("Enter");
    await page.getByRole("link", { name: USER, exact: true }).waitFor();
  });

  await step("stock section: Realm settings", async () => {
    await page.locator("#nav-item-realm-settings").click();
    await page.waitForURL(/\/realm-settings/);
    const realmName = page.locator("[data-testid=realmName] input").first();
    await realmName.waitFor();
    assert((await realmName.inputValue()) === REALM, "the realm settings show the realm's name");
  });

  await step("sidebar toggles (and keeps the IAM entry)", async () => {
    const toggle = page.locator("#nav-toggle");
    const sidebar = page.locator(".pf-v5-c-page__sidebar");
    const expanded = async () => (await sidebar.getAttribute("class")).includes("pf-m-expanded");
    assert(await expanded(), "the sidebar starts expanded");
    await toggle.click();
    await page.waitForFunction(() => document.querySelector(".pf-v5-c-page__sidebar").classList.contains("pf-m-collapsed"));
    await toggle.click();
    await page.waitForFunction(() => document.querySelector(".pf-v5-c-page__sidebar").classList.contains("pf-m-expanded"));
    await page.locator("#nav-item-iam-roles").waitFor();
    // the entry sits right after the stock "Realm roles" entry
    const next = await page.locator("#nav-item-roles").evaluate((a) => a.closest("li").nextElementSibling?.querySelector("a")?.id);
    assert(next === "nav-item-iam-roles", `IAM roles follows Realm roles in the nav (found ${next})`);
  });

  await step("IAM: open the roles list from the nav", async () => {
    await page.locator("#nav-item-iam-roles").click();
    await page.waitForURL(/\/iam-roles$/);
    await page.getByRole("heading", { name: "IAM roles" }).first().waitFor();
    assert(await page.locator("#nav-item-iam-roles").evaluate((a) => a.classList.contains("pf-m-current")), "the nav entry is current");
  });

  await step(`IAM: create role ${ROLE}`, async () => {
    await page.getByTestId("iam-create-role").click();
    await page.getByTestId("iam-role-name").fill(ROLE);
    await page.getByTestId("iam-role-path").fill("/ui-test/");
    await page.getByTestId("iam-create-confirm").click();
    await page.waitForURL(new RegExp(`/iam-roles/${ROLE}$`));
    await alertWith(`Role ${ROLE} created`).waitFor();
    await page.getByRole("heading", { name: ROLE }).first().waitFor();
    const krn = await page.getByTestId("iam-role-krn").locator("input").inputValue();
    assert(krn === `krn:keycloak:iam::${REALM}:role/ui-test/${ROLE}`, `KRN shown (${krn})`);
    assert((await rest("GET", `/iam/roles/${ROLE}`)).status === 200, "the role exists on the server");
  });

  await step("IAM: unsaved settings ask before switching tab", async () => {
    await page.getByTestId("iam-settings-description").fill("edited, not saved");
    await tab("trust-policy").click();
    const dialog = page.getByRole("dialog").filter({ hasText: "Unsaved changes" });
    await dialog.waitFor();
    await dialog.getByRole("button", { name: "Cancel" }).click();
    assert((await page.getByTestId("iam-settings-description").inputValue()) === "edited, not saved", "edits kept after Cancel");
    await page.getByTestId("iam-settings-description").fill("Created by console.mjs");
    await page.getByTestId("iam-settings-save").click();
    await alertWith(`Role ${ROLE} saved`).waitFor();
    assert((await rest("GET", `/iam/roles/${ROLE}`)).body.description === "Created by console.mjs", "description saved");
  });

  await step("IAM: unsaved edits ask before leaving the page", async () => {
    await page.getByTestId("iam-settings-description").fill("leaving with this");
    await page.locator("#nav-item-clients").click();
    const dialog = page.getByRole("dialog").filter({ hasText: "Unsaved changes" });
    await dialog.waitFor();
    await dialog.getByRole("button", { name: "Cancel" }).click();
    // The closing dialog hands focus back to the nav item it was opened from: wait for that before typing, or the
    // keystrokes land there (seen in CI).
    await dialog.waitFor({ state: "detached" });
    assert(page.url().endsWith(`/iam-roles/${ROLE}`), `still on the role after Cancel (${page.url()})`);
    // Reloading the browser tab: the browser's own "leave site?" dialog (beforeunload). Typing is a user gesture,
    // without which Chromium shows no such dialog.
    const description = page.getByTestId("iam-settings-description");
    await description.click();
    await description.press("End");
    await description.pressSequentially(" (typed)");
    assert((await description.inputValue()).endsWith("(typed)"), "typed into the description");
    let dialogType;
    const onDialog = async (d) => {
      dialogType = d.type();
      await d.dismiss();
    };
    page.on("dialog", onDialog);
    await page.reload({ timeout: 3000 }).catch(() => {}); // dismissed: the reload never completes
    page.off("dialog", onDialog);
    assert(dialogType === "beforeunload", `the browser asked before reloading (dialog: ${dialogType})`);
    assert((await page.getByTestId("iam-settings-description").inputValue()).endsWith("(typed)"), "edits kept after staying");
    await page.getByRole("button", { name: "Revert" }).click();
    assert((await page.getByTestId("iam-settings-description").inputValue()) === "Created by console.mjs", "reverted");
  });

  await step("IAM trust policy: a finding appears inline on its line", async () => {
    await tab("trust-policy").click();
    await setPolicy(
      [
        "{",
        '  "Version": "2012-10-17",',
        '  "Statement": [',
        "    {",
        '      "Effect": "Allow",',
        '      "Principal": "*",',
        '      "Action": "sts:AssumeRole"',
        "    }",
        "  ]",
        "}",
      ].join("\n"),
    );
    const inline = page.locator('[data-testid="iam-finding-inline"][data-severity="warning"]');
    await inline.first().waitFor();
    assert((await inline.first().getAttribute("data-line")) === "6", "the warning is on line 6, the Principal line");
    assert((await inline.first().innerText()).includes("Principal"), "the warning talks about the Principal");
    await shot("iam-role-trust-policy.png");
  });

  await step("IAM trust policy: a syntax error is shown inline and blocks Save", async () => {
    await setPolicy('{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow",,}\n  ]\n}');
    const inline = page.locator('[data-testid="iam-finding-inline"][data-severity="error"]');
    await inline.first().waitFor();
    assert((await inline.first().getAttribute("data-line")) === "4", "the syntax error is on line 4");
    const said = await inline.first().innerText();
    assert(said.includes("Line 4, column 24: expected a property name in double quotes, found ','"), `said in words (${said})`);
    assert(!/Unexpected|JsonParse|code 44|Source:/.test(await page.getByTestId("iam-findings").innerText()), "no raw parser text");
    assert((await page.getByTestId("iam-syntax-mark").getAttribute("data-column")) === "24", "the character is marked");
    assert(await page.getByTestId("iam-policy-save").isDisabled(), "Save is disabled for an invalid policy");
    // The list's link puts the caret on that very character.
    await page.getByTestId("iam-syntax-error-link").click();
    const caret = await page.getByTestId("iam-policy-text").evaluate((el) => [el.selectionStart, el.value.slice(el.selectionStart, el.selectionStart + 2)]);
    assert(caret[0] === '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow",'.length && caret[1] === ",}",
      `the caret is at line 4, column 24 (${JSON.stringify(caret)})`);
  });

  const policy = {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "TestUserWithMfa",
        Effect: "Allow",
        Principal: { Keycloak: USER_KRN },
        Action: "sts:AssumeRole",
        Condition: { Bool: { "kc:MultiFactorAuthPresent": "true" } },
      },
    ],
  };

  await step("IAM trust policy: save a valid policy", async () => {
    await setPolicy(JSON.stringify(policy, null, 2));
    await page.getByTestId("iam-validation-status").getByText("Valid, no findings").waitFor();
    assert((await page.locator('[data-testid="iam-finding-inline"]').count()) === 0, "no inline findings");
    await page.getByTestId("iam-policy-save").click();
    await alertWith(`Trust policy of ${ROLE} saved`).waitFor();
    const saved = (await rest("GET", `/iam/roles/${ROLE}`)).body.trustPolicy;
    assert(JSON.stringify(saved) === JSON.stringify(policy), `the server has the policy (${JSON.stringify(saved)})`);
  });

  // The menu's toggle opens and closes it (Escape only works while the focus is in the menu).
  const templatesMenuOpen = () => page.getByTestId("iam-template-mfa").isVisible();
  async function setTemplatesMenu(open) {
    if ((await templatesMenuOpen()) !== open) await page.getByTestId("iam-templates").click();
    await page.getByTestId("iam-template-mfa").waitFor({ state: open ? "visible" : "hidden" });
  }

  const templateState = async (id) => {
    const item = page.getByTestId(`iam-template-${id}`);
    await page.waitForFunction((tid) => {
      const el = document.querySelector(`[data-testid="iam-template-${tid}"]`);
      return el && el.getAttribute("data-state") !== "checking";
    }, id);
    return { state: await item.getAttribute("data-state"), text: await item.innerText() };
  };

  await step("IAM trust policy: templates are offered only when valid in this realm", async () => {
    const hadGoogle = (await rest("GET", "/identity-provider/instances/google")).status === 200;
    await setTemplatesMenu(true);
    if (!hadGoogle) {
      const google = await templateState("web-identity");
      assert(google.state === "needs", `the Google template is not offered without a google provider (${google.state})`);
      assert(google.text.includes("identity provider with alias google"), `it says what to configure first (${google.text})`);
      await page.getByTestId("iam-template-web-identity").click({ force: true });
      assert((await page.getByTestId("iam-policy-text").inputValue()).includes("TestUserWithMfa"), "a disabled template inserts nothing");
      // With the provider, the same template is offered (the menu checks again when it opens).
      const created = await rest("POST", "/identity-provider/instances", {
        alias: "google", providerId: "google", enabled: true, config: { clientId: "ui-test", clientSecret: "ui-test" },
      });
      assert(created.status === 201, `google provider created (${created.status})`);
      cleanups.push(() => rest("DELETE", "/identity-provider/instances/google"));
      await setTemplatesMenu(false);
      await setTemplatesMenu(true);
    }
    const google = await templateState("web-identity");
    assert(google.state === "applies", `the Google template is offered with a google provider (${google.state}: ${google.text})`);
    await page.getByTestId("iam-template-web-identity").click();
    await page.getByTestId("iam-validation-status").locator(".pf-v5-c-label").waitFor();
    await page.waitForTimeout(600);
    await page.getByTestId("iam-validation-status").getByText("Validating").waitFor({ state: "detached" }).catch(() => {});
    assert((await page.getByTestId("iam-policy-text").inputValue()).includes("identity-provider/google"), "template inserted");
    assert((await page.locator('[data-testid="iam-finding-inline"][data-severity="error"]').count()) === 0, "the inserted template has no errors");
    await page.getByRole("button", { name: "Revert" }).click();
    assert((await page.getByTestId("iam-policy-text").inputValue()).includes("TestUserWithMfa"), "reverted to the saved policy");
    // A template that names only this realm's root always applies.
    await setTemplatesMenu(true);
    assert((await templateState("no-contractors")).state === "applies", "the no-contractors template is offered");
    await setTemplatesMenu(false);
  });

  await step("IAM permissions: assign the realm role offline_access", async () => {
    await tab("permissions").click();
    await page.getByTestId("iam-assign-role").click();
    await page.getByTestId("iam-assign-realm-role").click();
    const modal = page.getByRole("dialog");
    const search = modal.getByPlaceholder(/search/i).first();
    await search.fill("offline_access");
    await search.press("Enter");
    const row = modal.getByRole("row").filter({ hasText: "offline_access" }).first();
    await row.getByRole("checkbox").check();
    await modal.getByTestId("assign").click();
    await page.getByTestId("iam-permissions-table").getByText("offline_access").waitFor();
    await page.getByTestId("iam-permissions-save").click();
    await alertWith(`Permissions of ${ROLE} saved`).waitFor();
    const saved = (await rest("GET", `/iam/roles/${ROLE}`)).body.permissions;
    assert(saved?.realmRoles?.includes("offline_access"), `the server has the permission (${JSON.stringify(saved)})`);
  });

  await step("IAM permissions: assign the client role account/view-profile", async () => {
    await page.getByTestId("iam-assign-role").click();
    await page.getByTestId("iam-assign-client-role").click();
    const modal = page.getByRole("dialog");
    await modal.getByPlaceholder("Search for a client").fill("account");
    const select = modal.getByTestId("iam-client-select");
    const accountId = await select.locator("option", { hasText: /^account$/ }).getAttribute("value");
    await select.selectOption(accountId);
    await modal.getByLabel("view-profile").check();
    await modal.getByTestId("iam-assign-client-roles").click();
    await page.getByTestId("iam-permissions-table").getByText("view-profile").waitFor();
    await page.getByTestId("iam-permissions-save").click();
    await alertWith(`Permissions of ${ROLE} saved`).nth(0).waitFor();
    await page.waitForFunction(() => !document.querySelector('[data-testid="iam-permissions-save"]:not([disabled])'));
    const saved = (await rest("GET", `/iam/roles/${ROLE}`)).body.permissions;
    assert(saved?.clientRoles?.account?.includes("view-profile"), `the server has the client role (${JSON.stringify(saved)})`);
    assert(saved?.realmRoles?.includes("offline_access"), "the realm role is still there");
    // Each row says its own kind, in the singular, and "Unassign" stays on one line.
    const kinds = await page.getByTestId("iam-permission-kind").allInnerTexts();
    assert(JSON.stringify(kinds.map((k) => k.trim()).sort()) === JSON.stringify(["Client role", "Realm role"]), `kinds (${kinds})`);
    const lines = await page.getByTestId("iam-unassign--offline_access").evaluate((el) => {
      const range = document.createRange();
      range.selectNodeContents(el);
      return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
    });
    assert(lines === 1, `Unassign is on one line (${lines})`);
  });

  async function simulate(mfa) {
    await page.getByTestId("iam-sim-principal").fill(USER_KRN);
    if ((await page.getByTestId("iam-sim-context-row").count()) === 0) await page.getByTestId("iam-sim-context-add").click();
    await page.getByTestId("iam-sim-context-key").first().fill("kc:MultiFactorAuthPresent");
    await page.getByTestId("iam-sim-context-value").first().fill(mfa);
    await page.getByTestId("iam-sim-run").click();
    const result = page.getByTestId("iam-sim-result");
    await result.waitFor();
    return result;
  }

  await step("IAM simulate: allowed with MFA", async () => {
    await tab("simulate").click();
    const result = await simulate("true");
    assert((await result.getAttribute("data-decision")) === "allow", "decision allow");
    await result.locator(".pf-v5-c-alert.pf-m-success").getByText("TestUserWithMfa").waitFor();
    await shot("iam-role-simulate.png");
  });

  await step("IAM simulate: denied without MFA", async () => {
    const result = await simulate("false");
    await page.locator('[data-testid="iam-sim-result"][data-decision="implicitDeny"]').waitFor();
    await result.locator(".pf-v5-c-alert.pf-m-danger").waitFor();
  });

  await step("IAM sessions: revoke all sessions (confirm dialog explains it)", async () => {
    await tab("sessions").click();
    assert((await page.getByTestId("iam-revoked-at").innerText()).startsWith("Never"), "never revoked yet");
    await page.getByTestId("iam-sessions-empty").waitFor();
    await page.getByTestId("iam-revoke-sessions").click();
    const dialog = page.getByRole("dialog").filter({ hasText: "Revoke all sessions" });
    await dialog.waitFor();
    assert((await dialog.innerText()).includes("validate tokens offline"), "the dialog explains what revocation cannot do");
    await dialog.getByRole("button", { name: "Revoke all sessions" }).click();
    await alertWith(`Sessions of ${ROLE} revoked`).waitFor();
    await page.getByTestId("iam-revoked-at").getByText("Sessions issued up to").waitFor();
    // The time is the role's: it is still shown after the page is loaded again.
    await page.reload();
    await tab("sessions").click();
    await page.getByTestId("iam-revoked-at").getByText("Sessions issued up to").waitFor();
    assert((await rest("GET", `/iam/roles/${ROLE}`)).body.sessionsRevokedAt, "the server has the revocation time");
  });

  const tokens = {};
  await step("IAM sessions: the role's recent sessions from the saved events (two real AssumeRoles)", async () => {
    const created = await rest("POST", "/iam/roles", {
      name: SESSIONS_ROLE, path: "/ui-test/", description: "Assumed by console.mjs",
      trustPolicy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Keycloak: USER_KRN }, Action: ["sts:AssumeRole", "sts:SetSourceIdentity"] }] },
    });
    assert(created.status === 201, `sessions role created (${created.status} ${JSON.stringify(created.body)})`);
    cleanups.push(() => rest("DELETE", `/iam/roles/${SESSIONS_ROLE}`));
    tokens.alpha = await assumeRole(SESSIONS_ROLE, { role_session_name: "ui-alpha", source_identity: "alpha@ui.test" });
    tokens.beta = await assumeRole(SESSIONS_ROLE, { role_session_name: "ui-beta" });
    assert((await callerIdentity(tokens.alpha)) === 200 && (await callerIdentity(tokens.beta)) === 200, "both sessions are live");

    await page.goto(consoleUrl(`/iam-roles/${SESSIONS_ROLE}`));
    await tab("sessions").click();
    const rows = page.getByTestId("iam-session-row");
    for (let i = 0; (await rows.count()) < 2 && i < 20; i++) {
      await page.waitForTimeout(500);
      await page.getByTestId("iam-sessions-refresh").click();
      await page.getByTestId("iam-sessions-table").or(page.getByTestId("iam-sessions-empty")).waitFor();
    }
    assert((await rows.count()) === 2, `two sessions listed (${await rows.count()})`);
    const alpha = page.locator('[data-testid="iam-session-row"][data-session-name="ui-alpha"]');
    const text = await alpha.innerText();
    for (const expected of [USER, USER_KRN, "alpha@ui.test", "admin-cli", "Active"]) {
      assert(text.includes(expected), `the alpha row shows ${expected} (${text})`);
    }
    assert((await rows.first().getAttribute("data-session-name")) === "ui-beta", "newest first");
    await shot("iam-role-sessions.png");
  });

  async function revokeRow(sessionName, action) {
    const row = page.locator(`[data-testid="iam-session-row"][data-session-name="${sessionName}"]`);
    await row.getByRole("button", { name: /kebab|actions/i }).click();
    await page.getByRole("menuitem", { name: action }).click();
    const dialog = page.getByRole("dialog");
    await dialog.waitFor();
    await dialog.getByRole("button", { name: action }).click();
    await dialog.waitFor({ state: "detached" });
    return row;
  }

  await step("IAM sessions: revoke by session name (session KRN), then the other by token id", async () => {
    const alpha = await revokeRow("ui-alpha", "Revoke session name");
    await alertWith("Sessions named ui-alpha revoked").waitFor();
    await page.locator('[data-testid="iam-session-row"][data-session-name="ui-alpha"][data-status="revoked"]').waitFor();
    assert((await alpha.innerText()).includes("Revoked"), "the row says revoked");
    assert((await callerIdentity(tokens.alpha)) === 401, "the alpha session is revoked on the server");
    assert((await callerIdentity(tokens.beta)) === 200, "the beta session is not");
    await revokeRow("ui-beta", "Revoke token");
    await alertWith("Session ui-beta revoked (this token only)").waitFor();
    await page.locator('[data-testid="iam-session-row"][data-session-name="ui-beta"][data-status="revoked"]').waitFor();
    assert((await callerIdentity(tokens.beta)) === 401, "the beta token is revoked on the server");
  });

  await step("IAM sessions: without saved events it says so, and where to turn them on", async () => {
    const config = (await rest("GET", "/events/config")).body;
    assert((await rest("PUT", "/events/config", { ...config, eventsEnabled: false })).status === 204, "events turned off");
    try {
      await page.getByTestId("iam-sessions-refresh").click();
      const notice = page.locator('[data-testid="iam-sessions-need-events"][data-reason="notSaved"]');
      await notice.waitFor();
      assert((await notice.innerText()).includes("Recent sessions need saved events"), "said plainly");
      assert((await notice.getByTestId("iam-events-settings").getAttribute("href")).endsWith("/realm-settings/user-events"), "links to the settings");
    } finally {
      await rest("PUT", "/events/config", config);
    }
    const eventsConfig = (url) => url.pathname.endsWith("/events/config");
    const refuse = (route) => route.fulfill({ status: 403, contentType: "application/json", body: JSON.stringify({ error: "HTTP 403 Forbidden" }) });
    await page.route(eventsConfig, refuse);
    await page.getByTestId("iam-sessions-refresh").click();
    await page.locator('[data-testid="iam-sessions-need-events"][data-reason="refused"]').getByText("view-events").waitFor();
    await page.unroute(eventsConfig, refuse);
  });

  await step("IAM role details: Action > Delete, then back to the list with the alert", async () => {
    await page.getByTestId("action-dropdown").click();
    await page.getByRole("menuitem", { name: "Delete" }).click();
    const dialog = page.getByRole("dialog").filter({ hasText: `Delete role ${SESSIONS_ROLE}?` });
    await dialog.getByRole("button", { name: "Delete" }).click();
    await page.waitForURL(/\/iam-roles$/);
    await alertWith(`Role ${SESSIONS_ROLE} deleted`).waitFor();
    await page.getByTestId("iam-roles-table").waitFor();
    assert((await rest("GET", `/iam/roles/${SESSIONS_ROLE}`)).status === 404, "the role is gone on the server");
  });

  await step("IAM: the list finds the role by name and by path, with Last used", async () => {
    const current = (await rest("GET", `/iam/roles/${ROLE}`)).body;
    const description = "Created by console.mjs: elevation for the test user, with MFA only";
    assert((await rest("PUT", `/iam/roles/${ROLE}`, { ...current, description })).status === 200, "long description saved");
    await page.locator("#nav-item-iam-roles").click();
    await page.waitForURL(/\/iam-roles$/);
    const byName = page.getByTestId("iam-search-name").locator("input");
    await byName.fill(ROLE);
    await byName.press("Enter");
    const row = page.getByTestId("iam-roles-table").getByRole("row").filter({ hasText: ROLE });
    await row.waitFor();
    assert((await row.getByTestId("iam-last-used").innerText()).trim() === "Never", "never used");
    await byName.fill("");
    await byName.press("Enter");
    const byPath = page.getByTestId("iam-search-path").locator("input");
    await byPath.fill("/ui-test/");
    await byPath.press("Enter");
    await row.waitFor();
    // The description takes the room there is: at 1400 px the whole sentence fits, not ~15 characters of it.
    const cell = row.getByTestId("iam-role-description");
    const fits = await cell.evaluate((el) => el.scrollWidth <= el.clientWidth + 1);
    assert(fits, `the description is not cut (${await cell.evaluate((el) => `${el.scrollWidth} > ${el.clientWidth}`)})`);
    await shot("iam-roles-list.png");
  });

  await step("IAM load errors: 404 names the role, 403 says permission, a network failure offers a retry", async () => {
    const state = page.getByTestId("iam-load-error");
    const missing = `no-such-role-${suffix}`;
    await page.goto(consoleUrl(`/iam-roles/${missing}`));
    await state.waitFor();
    assert((await state.getAttribute("data-kind")) === "notFound", `a missing role is notFound (${await state.getAttribute("data-kind")})`);
    assert((await state.innerText()).includes(`There is no IAM role named ${missing}`), "the 404 names the role");
    assert((await page.getByTestId("iam-load-retry").count()) === 0, "no retry for a 404");

    // The server's own 403s are RoleAuthorizationIT's; here the browser answers the list request, as
    // Keycloak does for an admin without view-realm, and then drops it, as a network failure does.
    const listRequest = (url) => url.pathname.endsWith(`/admin/realms/${encodeURIComponent(REALM)}/iam/roles`);
    const forbidden = (route) =>
      route.fulfill({ status: 403, contentType: "application/json", body: JSON.stringify({ error: "HTTP 403 Forbidden" }) });
    await page.route(listRequest, forbidden);
    await page.getByTestId("iam-back-to-roles").click();
    await page.waitForURL(/\/iam-roles$/);
    await page.locator('[data-testid="iam-load-error"][data-kind="forbidden"]').waitFor();
    assert((await state.innerText()).includes("lacks the permission"), "the 403 says the admin lacks the permission");
    assert((await page.getByTestId("iam-load-retry").count()) === 0, "no retry for a 403");
    await page.unroute(listRequest, forbidden);

    const dropped = (route) => route.abort("internetdisconnected");
    await page.route(listRequest, dropped);
    const byName = page.getByTestId("iam-search-name").locator("input");
    await byName.fill(ROLE);
    await byName.press("Enter");
    await page.locator('[data-testid="iam-load-error"][data-kind="network"]').waitFor();
    assert((await state.innerText()).includes("could not be reached"), "the network failure says so");
    await page.unroute(listRequest, dropped);
    await page.getByTestId("iam-load-retry").click();
    await page.getByTestId("iam-roles-table").getByRole("row").filter({ hasText: ROLE }).waitFor();
  });

  await step("IAM read-only: an admin with view-realm only sees no edit controls", async () => {
    const viewer = `ui-test-viewer-${suffix}`;
    const master = (method, path, body) => restIn("master", method, path, body);
    const created = await master("POST", "/users", {
      username: viewer, enabled: true, firstName: "View", lastName: "Only", email: `${viewer}@example.com`, emailVerified: true,
      credentials: [{ type: "password", value: viewer, temporary: false }],
    });
    assert(created.status === 201, `viewer created in master (${created.status})`);
    cleanups.push(async () => {
      const found = await master("GET", `/users?exact=true&username=${viewer}`);
      for (const u of found.body ?? []) await master("DELETE", `/users/${u.id}`);
    });
    const viewerId = (await master("GET", `/users?exact=true&username=${viewer}`)).body[0].id;
    const realmClient = (await master("GET", `/clients?clientId=${encodeURIComponent(`${REALM}-realm`)}`)).body[0]
      ?? (await master("GET", "/clients?clientId=realm-management")).body[0];
    const viewRealm = (await master("GET", `/clients/${realmClient.id}/roles/view-realm`)).body;
    assert((await master("POST", `/users/${viewerId}/role-mappings/clients/${realmClient.id}`, [viewRealm])).status === 204, "view-realm granted");

    const viewerContext = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const vp = await viewerContext.newPage();
    vp.setDefaultTimeout(TIMEOUT);
    try {
      await vp.goto(consoleUrl(`/iam-roles/${ROLE}`));
      await vp.locator("#username").fill(viewer);
      await vp.locator("#password").fill(viewer);
      await vp.locator("#kc-login").click();
      await vp.getByTestId("iam-tab-settings").waitFor();
      assert(await vp.getByTestId("iam-settings-path").isDisabled(), "path is read-only");
      assert((await vp.getByTestId("iam-settings-save").count()) === 0, "no Save button");
      await vp.getByTestId("iam-tab-trust-policy").click();
      await vp.getByTestId("iam-validation-status").getByText("Valid, no findings").waitFor();
      assert(await vp.getByTestId("iam-policy-text").evaluate((el) => el.readOnly), "the policy editor is read-only");
      assert((await vp.getByTestId("iam-templates").count()) === 0, "no templates menu");
      await vp.getByTestId("iam-tab-sessions").click();
      await vp.getByText("needs the manage-realm permission").waitFor();
      assert((await vp.getByTestId("iam-revoke-sessions").count()) === 0, "no revoke button");
      await vp.locator("#nav-item-iam-roles").click();
      await vp.getByTestId("iam-roles-table").waitFor();
      assert((await vp.getByTestId("iam-create-role").count()) === 0, "no Create role button");
    } finally {
      await viewerContext.close();
    }
  });

  await step("IAM: delete the role (confirm dialog)", async () => {
    const row = page.getByTestId("iam-roles-table").getByRole("row").filter({ hasText: ROLE });
    await row.getByRole("button", { name: /kebab|actions/i }).click();
    await page.getByRole("menuitem", { name: "Delete" }).click();
    const dialog = page.getByRole("dialog").filter({ hasText: `Delete role ${ROLE}?` });
    await dialog.getByRole("button", { name: "Delete" }).click();
    await alertWith(`Role ${ROLE} deleted`).waitFor();
    assert((await rest("GET", `/iam/roles/${ROLE}`)).status === 404, "the role is gone on the server");
  });

  await step("no uncaught errors in the page, no missing theme resources", async () => {
    assert(pageErrors.length === 0, `page errors: ${pageErrors.join(" | ")}`);
    assert(missingResources.length === 0, `missing resources: ${missingResources.join(" | ")}`);
  });
} catch (error) {
  exitCode = 1;
  console.error(`\n${error.stack ?? error}`);
  await page.screenshot({ path: join(SCREENSHOT_DIR, "failure.png"), fullPage: true }).catch(() => {});
  console.error(`screenshot of the failure: ${join(SCREENSHOT_DIR, "failure.png")}`);
} finally {
  // Best effort: leave the realms as we found them.
  for (const cleanup of cleanups) await cleanup().catch(() => {});
  await rest("DELETE", `/iam/roles/${ROLE}`).catch(() => {});
  const users = await rest("GET", `/users?exact=true&username=${USER}`).catch(() => ({ body: [] }));
  for (const u of users.body ?? []) await rest("DELETE", `/users/${u.id}`).catch(() => {});
  await browser.close();
}

console.log(`${exitCode === 0 ? "PASSED" : "FAILED"} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(exitCode);
