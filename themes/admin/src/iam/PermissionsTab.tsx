import { AddRoleMappingModal } from "@keycloak/keycloak-admin-ui";
import {
  ActionGroup,
  Alert,
  Button,
  Checkbox,
  Dropdown,
  DropdownItem,
  DropdownList,
  EmptyState,
  EmptyStateBody,
  EmptyStateHeader,
  FormSelect,
  FormSelectOption,
  Label,
  MenuToggle,
  Modal,
  ModalVariant,
  PageSection,
  SearchInput,
  Spinner,
  Text,
  TextContent,
} from "@patternfly/react-core";
import { Table, Tbody, Td, Th, Thead, Tr } from "@patternfly/react-table";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Client, ClientRole, IamApiError, IamRole, Permissions, useIamApi } from "./api";
import { messageOf } from "./errors";
import { useLoad, useMutation } from "./hooks";

type Grants = Required<Permissions>;

type Props = {
  role: IamRole;
  draft: Grants;
  onChange: (grants: Grants) => void;
  canManage: boolean;
  isDirty: boolean;
  onReset: () => void;
  onSave: (permissions: Grants) => Promise<IamRole>;
  onSaved: (role: IamRole) => void;
};

const addRealmRoles = (g: Grants, names: string[]): Grants => ({
  ...g,
  realmRoles: [...new Set([...g.realmRoles, ...names])].sort(),
});
const addClientRoles = (g: Grants, clientId: string, names: string[]): Grants => ({
  ...g,
  clientRoles: { ...g.clientRoles, [clientId]: [...new Set([...(g.clientRoles[clientId] ?? []), ...names])].sort() },
});

/**
 * Client roles: the stock AddRoleMappingModal lists them through an endpoint that computes what a given user,
 * group, client scope or role does not have yet, which does not exist for an IAM role; so this small picker
 * lists a client's roles with Keycloak's client endpoints instead.
 */
const ClientRolePicker = ({ onAssign, onClose }: { onAssign: (clientId: string, roles: string[]) => void; onClose: () => void }) => {
  const { t } = useTranslation();
  const api = useIamApi();
  const [search, setSearch] = useState("");
  const [clients, setClients] = useState<Client[]>();
  const [client, setClient] = useState<string>("");
  const [roles, setRoles] = useState<ClientRole[]>();
  const [selected, setSelected] = useState<string[]>([]);

  // Typing in the search aborts the request for the previous text.
  const clientsLoad = useLoad(
    (signal) => api.listClients(search, { signal }),
    (list) => {
      setClients(list);
      if (!list.some((c) => c.id === client)) setClient(list[0]?.id ?? "");
    },
    [api, search],
    { delayMs: search ? 250 : 0 },
  );

  const rolesLoad = useLoad(
    async (signal) => {
      setRoles(undefined);
      setSelected([]);
      return client ? api.listClientRoles(client, { signal }) : undefined;
    },
    (rs) => rs && setRoles([...rs].sort((a, b) => a.name.localeCompare(b.name))),
    [api, client],
  );

  const clientId = clients?.find((c) => c.id === client)?.clientId;
  // Built-in roles describe themselves with a message key, as ${role_view-profile}.
  const translated = (text?: string) => text?.replace(/^\$\{(.+)\}$/, (_m, key) => t(key));

  return (
    <Modal
      variant={ModalVariant.medium}
      title={t("iamAssignClientRoles")}
      isOpen
      onClose={onClose}
      actions={[
        <Button key="assign" data-testid="iam-assign-client-roles" isDisabled={!clientId || selected.length === 0}
          onClick={() => onAssign(clientId!, selected)}>
          {t("assign")}
        </Button>,
        <Button key="cancel" variant="link" onClick={onClose}>{t("cancel")}</Button>,
      ]}
    >
      <SearchInput placeholder={t("iamSearchClient")} value={search} onChange={(_e, v) => setSearch(v)}
        onClear={() => setSearch("")} className="pf-v5-u-mb-sm" />
      {clientsLoad.error ? (
        <Alert isInline variant="danger" data-testid="iam-clients-error"
          title={t("iamClientsNotLoaded", { error: messageOf(t as any, clientsLoad.error) })}
          actionLinks={<Button variant="link" isInline onClick={clientsLoad.reload}>{t("iamRetry")}</Button>} />
      ) : clients === undefined ? <Spinner size="md" /> : (
        <FormSelect aria-label={t("clientId")} value={client} onChange={(_e, v) => setClient(v)} data-testid="iam-client-select">
          {clients.map((c) => <FormSelectOption key={c.id} value={c.id} label={c.clientId} />)}
        </FormSelect>
      )}
      <div className="pf-v5-u-mt-md">
        {rolesLoad.error ? (
          <Alert isInline variant="danger" data-testid="iam-client-roles-error"
            title={t("iamClientRolesNotLoaded", { error: messageOf(t as any, rolesLoad.error) })}
            actionLinks={<Button variant="link" isInline onClick={rolesLoad.reload}>{t("iamRetry")}</Button>} />
        ) : client && roles === undefined && <Spinner size="md" />}
        {roles?.length === 0 && <Text>{t("iamClientHasNoRoles")}</Text>}
        {roles?.map((r) => (
          <Checkbox key={r.name} id={`iam-client-role-${r.name}`} label={r.name} description={translated(r.description)}
            isChecked={selected.includes(r.name)}
            onChange={(_e, checked) => setSelected(checked ? [...selected, r.name] : selected.filter((n) => n !== r.name))} />
        ))}
      </div>
    </Modal>
  );
};

export const PermissionsTab = ({ role, draft, onChange, canManage, isDirty, onReset, onSave, onSaved }: Props) => {
  const { t } = useTranslation();
  const [menuOpen, setMenuOpen] = useState(false);
  const [picker, setPicker] = useState<"realm" | "client">();
  const [errors, setErrors] = useState<string[]>([]);
  const saving = useMutation((grants: Grants) => onSave(grants), {
    errorKey: "iamSaveError",
    successKey: "iamPermissionsSaved",
    successParams: (saved) => ({ name: saved.name }),
    onSuccess: onSaved,
    // A refusal to map a role names each one (docs/admin-api.md): listed under the table.
    onError: (error) => error instanceof IamApiError && setErrors(error.details),
  });

  const rows = [
    ...draft.realmRoles.map((name) => ({ client: undefined as string | undefined, name })),
    ...Object.entries(draft.clientRoles).flatMap(([client, names]) => names.map((name) => ({ client, name }))),
  ];

  const remove = (client: string | undefined, name: string) => {
    if (!client) onChange({ ...draft, realmRoles: draft.realmRoles.filter((n) => n !== name) });
    else {
      const left = (draft.clientRoles[client] ?? []).filter((n) => n !== name);
      const clientRoles = { ...draft.clientRoles };
      if (left.length) clientRoles[client] = left;
      else delete clientRoles[client];
      onChange({ ...draft, clientRoles });
    }
  };

  const save = () => {
    if (saving.pending) return;
    setErrors([]);
    void saving.run(draft);
  };

  return (
    <PageSection variant="light">
      {picker === "realm" && (
        <AddRoleMappingModal
          id={role.name}
          type={"roles" as any}
          filterType="roles"
          name={role.name}
          title={t("iamAssignRealmRoles")}
          onAssign={(selectedRows: any[]) => onChange(addRealmRoles(draft, selectedRows.map((r) => r.role.name)))}
          onClose={() => setPicker(undefined)}
        />
      )}
      {picker === "client" && (
        <ClientRolePicker
          onAssign={(clientId, names) => {
            onChange(addClientRoles(draft, clientId, names));
            setPicker(undefined);
          }}
          onClose={() => setPicker(undefined)}
        />
      )}
      <TextContent className="pf-v5-u-mb-md">
        <Text>{t("iamPermissionsExplain")}</Text>
      </TextContent>
      {canManage && (
        <Dropdown
          isOpen={menuOpen}
          onOpenChange={setMenuOpen}
          toggle={(ref) => (
            <MenuToggle ref={ref} variant="primary" data-testid="iam-assign-role" onClick={() => setMenuOpen(!menuOpen)}>
              {t("assignRole")}
            </MenuToggle>
          )}
        >
          <DropdownList>
            <DropdownItem data-testid="iam-assign-realm-role" onClick={() => { setMenuOpen(false); setPicker("realm"); }}>
              {t("realmRoles")}
            </DropdownItem>
            <DropdownItem data-testid="iam-assign-client-role" onClick={() => { setMenuOpen(false); setPicker("client"); }}>
              {t("clientRoles")}
            </DropdownItem>
          </DropdownList>
        </Dropdown>
      )}
      {rows.length === 0 ? (
        <EmptyState variant="sm">
          <EmptyStateHeader titleText={t("iamNoPermissions")} headingLevel="h3" />
          <EmptyStateBody>{t("iamNoPermissionsInstructions")}</EmptyStateBody>
        </EmptyState>
      ) : (
        <Table aria-label={t("iamPermissions")} variant="compact" data-testid="iam-permissions-table" className="pf-v5-u-mt-md">
          <Thead>
            <Tr>
              <Th>{t("name")}</Th>
              <Th>{t("iamRoleKind")}</Th>
              {canManage && <Th screenReaderText={t("iamActions")} />}
            </Tr>
          </Thead>
          <Tbody>
            {rows.map(({ client, name }) => (
              <Tr key={`${client ?? ""}/${name}`}>
                <Td dataLabel={t("name")}>{client ? <><Label isCompact color="blue">{client}</Label> {name}</> : name}</Td>
                <Td dataLabel={t("iamRoleKind")} data-testid="iam-permission-kind">{client ? t("iamClientRole") : t("iamRealmRole")}</Td>
                {canManage && (
                  // An inline link button wraps its text whatever the cell says: a plain link button, kept on one line.
                  <Td modifier="fitContent" className="pf-v5-u-text-align-right">
                    <Button variant="link" className="pf-v5-u-text-nowrap" data-testid={`iam-unassign-${client ?? ""}-${name}`}
                      onClick={() => remove(client, name)}>{t("unAssignRole")}</Button>
                  </Td>
                )}
              </Tr>
            ))}
          </Tbody>
        </Table>
      )}
      {errors.length > 0 && (
        <ul className="pf-v5-c-list pf-v5-u-danger-color-100 pf-v5-u-mt-sm">
          {errors.map((e) => <li key={e}>{e}</li>)}
        </ul>
      )}
      {canManage && (
        <ActionGroup className="pf-v5-u-mt-md">
          <Button data-testid="iam-permissions-save" onClick={save} isDisabled={!isDirty || saving.pending} isLoading={saving.pending}>{t("save")}</Button>
          <Button variant="link" onClick={onReset} isDisabled={!isDirty}>{t("revert")}</Button>
        </ActionGroup>
      )}
    </PageSection>
  );
};
