import { ConfirmDialogModal, useAccess, useConfirmDialog, ViewHeader } from "@keycloak/keycloak-admin-ui";
import { ClipboardCopy, DropdownItem, PageSection, Spinner, Tab, TabTitleText, Tabs } from "@patternfly/react-core";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useBlocker, useNavigate, useParams } from "react-router-dom";
import { IamRole, Permissions, useIamApi } from "./api";
import { LoadError } from "./errors";
import { useLoad, useMutation } from "./hooks";
import { PermissionsTab } from "./PermissionsTab";
import { SessionsTab } from "./SessionsTab";
import { SettingsDraft, SettingsTab, settingsOf } from "./SettingsTab";
import { SimulateTab } from "./SimulateTab";
import { TrustPolicyTab } from "./TrustPolicyTab";
import { toIamRoles } from "./routes";

export type TabKey = "settings" | "trust-policy" | "permissions" | "simulate" | "sessions";

const policyTextOf = (role: IamRole) => JSON.stringify(role.trustPolicy ?? {}, null, 2);
const permissionsOf = (role: IamRole): Required<Permissions> => ({
  realmRoles: [...(role.permissions?.realmRoles ?? [])].sort(),
  clientRoles: Object.fromEntries(
    Object.entries(role.permissions?.clientRoles ?? {}).map(([c, rs]) => [c, [...rs].sort()]),
  ),
});
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** What PUT accepts: the fetched representation minus what only the server writes (it would be ignored). */
function writable(role: IamRole): IamRole {
  const { lastUsed: _lastUsed, sessionsRevokedAt: _revokedAt, ...rest } = role;
  return rest;
}

const RoleDetailsPage = () => {
  const { t } = useTranslation();
  const { name } = useParams<{ name: string }>();
  const api = useIamApi();
  const { hasAccess } = useAccess();
  const canManage = hasAccess("manage-realm");
  const navigate = useNavigate();
  // Set once the role is deleted: going back to the list then discards whatever was being edited, unasked.
  const deleted = useRef(false);

  const [role, setRole] = useState<IamRole>();
  const [tab, setTab] = useState<TabKey>("settings");
  const [pendingTab, setPendingTab] = useState<TabKey>();

  const [settings, setSettings] = useState<SettingsDraft>();
  const [policyText, setPolicyText] = useState("");
  const [permissions, setPermissions] = useState<Required<Permissions>>({ realmRoles: [], clientRoles: {} });

  const reset = useCallback((r: IamRole) => {
    setRole(r);
    setSettings(settingsOf(r));
    setPolicyText(policyTextOf(r));
    setPermissions(permissionsOf(r));
  }, []);

  const load = useLoad((signal) => api.getRole(name!, { signal }), reset, [api, name]);

  const dirty = useMemo(() => {
    if (!role || !settings) return {} as Record<TabKey, boolean>;
    return {
      settings: !same(settings, settingsOf(role)),
      "trust-policy": policyText !== policyTextOf(role),
      permissions: !same(permissions, permissionsOf(role)),
      simulate: false,
      sessions: false,
    } as Record<TabKey, boolean>;
  }, [role, settings, policyText, permissions]);
  const anyDirty = Object.values(dirty).some(Boolean);

  // Leaving the page (another console route) with unsaved edits asks first ...
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      !deleted.current && anyDirty && currentLocation.pathname !== nextLocation.pathname,
  );
  // ... and so does closing or reloading the browser tab.
  useEffect(() => {
    if (!anyDirty) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = "";
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [anyDirty]);

  const discard = (key: TabKey) => {
    if (!role) return;
    if (key === "settings") setSettings(settingsOf(role));
    if (key === "trust-policy") setPolicyText(policyTextOf(role));
    if (key === "permissions") setPermissions(permissionsOf(role));
  };

  const selectTab = (key: TabKey) => {
    if (key === tab) return;
    if (dirty[tab]) setPendingTab(key);
    else setTab(key);
  };

  // The tabs save through useMutation (alerts, pending state) and hand the answer back with `reset`. Only the saved
  // part changes: the other tabs cannot hold edits (leaving a tab asks to discard them).
  const save = (changes: Partial<IamRole>) => api.updateRole({ ...writable(role!), ...changes });

  // Action ▸ Delete, as on the stock console's role pages: confirm, delete, back to the list with the alert
  // (the alerts live in the IAM layout route, so the list shows it).
  const remove = useMutation(() => api.deleteRole(role!.name), {
    errorKey: "iamDeleteError",
    successKey: "iamRoleDeleted",
    successParams: () => ({ name: role!.name }),
    onSuccess: () => {
      deleted.current = true;
      navigate(toIamRoles(api.realm));
    },
  });
  const [toggleDeleteDialog, DeleteConfirm] = useConfirmDialog({
    titleKey: t("iamDeleteRoleTitle", { name: role?.name }),
    messageKey: t("iamDeleteRoleMessage", { name: role?.name }),
    continueButtonLabel: "delete",
    continueButtonVariant: "danger" as any,
    onConfirm: () => remove.run(),
  });

  if (load.error) {
    return (
      <PageSection variant="light">
        <LoadError
          error={load.error}
          onRetry={load.reload}
          notFoundTitle={t("iamRoleNotFound", { name })}
          actions={
            <Link to={toIamRoles(api.realm)} className="pf-v5-c-button pf-m-link" data-testid="iam-back-to-roles">
              {t("iamBackToRoles")}
            </Link>
          }
        />
      </PageSection>
    );
  }
  // A new role name (another role's link) loads again: the previous role is not shown meanwhile.
  if (load.loading || !role || !settings) {
    return (
      <PageSection variant="light" className="pf-v5-u-text-align-center">
        <Spinner />
      </PageSection>
    );
  }

  return (
    <>
      <ConfirmDialogModal
        open={pendingTab !== undefined}
        toggleDialog={() => setPendingTab(undefined)}
        titleKey="iamUnsavedTitle"
        messageKey="iamUnsavedTabMessage"
        continueButtonLabel="iamDiscardChanges"
        continueButtonVariant={"danger" as any}
        onConfirm={() => {
          discard(tab);
          setTab(pendingTab!);
          setPendingTab(undefined);
        }}
      />
      <ConfirmDialogModal
        open={blocker.state === "blocked"}
        toggleDialog={() => blocker.state === "blocked" && blocker.reset()}
        titleKey="iamUnsavedTitle"
        messageKey="iamUnsavedPageMessage"
        continueButtonLabel="iamDiscardChanges"
        continueButtonVariant={"danger" as any}
        onCancel={() => blocker.state === "blocked" && blocker.reset()}
        onConfirm={() => blocker.state === "blocked" && blocker.proceed()}
      />
      <DeleteConfirm />
      <ViewHeader
        titleKey={role.name}
        noTranslate
        subKey={role.description || t("iamRoleDetailsExplain")}
        divider={false}
        isDropdownDisabled={remove.pending}
        dropdownItems={
          canManage
            ? [
                <DropdownItem key="delete" data-testid="iam-delete-role" onClick={toggleDeleteDialog}>
                  {t("delete")}
                </DropdownItem>,
              ]
            : undefined
        }
      />
      <PageSection variant="light" className="pf-v5-u-pt-0 pf-v5-u-pb-sm">
        <div className="pf-v5-u-display-flex pf-v5-u-align-items-center pf-v5-u-flex-wrap">
          <span className="pf-v5-u-font-weight-bold pf-v5-u-mr-sm">{t("iamKrn")}</span>
          <ClipboardCopy
            isReadOnly
            hoverTip={t("iamCopy")}
            clickTip={t("iamCopied")}
            data-testid="iam-role-krn"
            style={{ minWidth: "32rem" }}
          >
            {role.krn ?? ""}
          </ClipboardCopy>
        </div>
      </PageSection>
      <PageSection variant="light" className="pf-v5-u-p-0">
        <Tabs
          activeKey={tab}
          onSelect={(_e, key) => selectTab(key as TabKey)}
          mountOnEnter
          unmountOnExit
          isBox={false}
          className="pf-v5-u-px-lg"
        >
          <Tab eventKey="settings" data-testid="iam-tab-settings" title={<TabTitleText>{t("settings")}</TabTitleText>}>
            <SettingsTab role={role} draft={settings} onChange={setSettings} canManage={canManage} isDirty={dirty.settings}
              onReset={() => discard("settings")} onSave={save} onSaved={reset} />
          </Tab>
          <Tab eventKey="trust-policy" data-testid="iam-tab-trust-policy" title={<TabTitleText>{t("iamTrustPolicy")}</TabTitleText>}>
            <TrustPolicyTab text={policyText} onChange={setPolicyText} canManage={canManage} isDirty={dirty["trust-policy"]}
              onReset={() => discard("trust-policy")} onSave={(trustPolicy) => save({ trustPolicy })} onSaved={reset} />
          </Tab>
          <Tab eventKey="permissions" data-testid="iam-tab-permissions" title={<TabTitleText>{t("iamPermissions")}</TabTitleText>}>
            <PermissionsTab role={role} draft={permissions} onChange={setPermissions} canManage={canManage} isDirty={dirty.permissions}
              onReset={() => discard("permissions")} onSave={(p) => save({ permissions: p })} onSaved={reset} />
          </Tab>
          <Tab eventKey="simulate" data-testid="iam-tab-simulate" title={<TabTitleText>{t("iamSimulate")}</TabTitleText>}>
            <SimulateTab role={role} />
          </Tab>
          <Tab eventKey="sessions" data-testid="iam-tab-sessions" title={<TabTitleText>{t("sessions")}</TabTitleText>}>
            <SessionsTab role={role} canManage={canManage}
              onRevoked={(sessionsRevokedAt) => setRole((r) => r && { ...r, sessionsRevokedAt })} />
          </Tab>
        </Tabs>
      </PageSection>
    </>
  );
};

export default RoleDetailsPage;
