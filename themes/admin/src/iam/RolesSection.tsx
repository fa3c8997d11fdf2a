import { useAccess, useConfirmDialog, ViewHeader } from "@keycloak/keycloak-admin-ui";
import {
  Button,
  EmptyState,
  EmptyStateBody,
  EmptyStateHeader,
  EmptyStateIcon,
  PageSection,
  Pagination,
  SearchInput,
  Spinner,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from "@patternfly/react-core";
import { SearchIcon } from "@patternfly/react-icons";
import { ActionsColumn, Table, Tbody, Td, Th, Thead, Tr } from "@patternfly/react-table";
import { useCallback, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router-dom";
import { IamRole, useIamApi } from "./api";
import { CreateRoleModal } from "./CreateRoleModal";
import { LoadError } from "./errors";
import { useLoad, useMutation } from "./hooks";
import { formatLastUsed } from "./format";
import { toIamRole } from "./routes";

const RolesList = () => {
  const { t } = useTranslation();
  const api = useIamApi();
  const navigate = useNavigate();
  const { hasAccess } = useAccess();
  const canManage = hasAccess("manage-realm");

  const [search, setSearch] = useState("");
  const [path, setPath] = useState("");
  const [query, setQuery] = useState({ search: "", path: "" });
  const [page, setPage] = useState(1);
  const [perPage, setPerPage] = useState(10);
  const [roles, setRoles] = useState<IamRole[]>();
  const [total, setTotal] = useState(0);
  const [creating, setCreating] = useState(false);
  const [toDelete, setToDelete] = useState<IamRole>();

  // A new query or page aborts the request for the previous one.
  const list = useLoad(
    (signal) => {
      setRoles(undefined);
      return api.listRoles({ ...query, first: (page - 1) * perPage, max: perPage }, { signal });
    },
    (result) => {
      setRoles(result.roles);
      setTotal(result.total);
    },
    [api, query, page, perPage],
  );

  const remove = useMutation((role: IamRole) => api.deleteRole(role.name), {
    errorKey: "iamDeleteError",
    successKey: "iamRoleDeleted",
    successParams: (_none, role) => ({ name: role.name }),
    onSuccess: () => {
      if (roles?.length === 1 && page > 1) setPage(page - 1);
      else list.reload();
    },
  });

  const applyFilters = useCallback(() => {
    setPage(1);
    setQuery({ search: search.trim(), path: path.trim() });
  }, [search, path]);

  const [toggleDeleteDialog, DeleteConfirm] = useConfirmDialog({
    titleKey: t("iamDeleteRoleTitle", { name: toDelete?.name }),
    messageKey: t("iamDeleteRoleMessage", { name: toDelete?.name }),
    continueButtonLabel: "delete",
    continueButtonVariant: "danger" as any,
    onConfirm: () => toDelete && remove.run(toDelete),
  });

  const filtered = query.search !== "" || query.path !== "";

  return (
    <>
      <DeleteConfirm />
      {creating && (
        <CreateRoleModal
          onClose={() => setCreating(false)}
          onCreated={(role) => {
            setCreating(false);
            navigate(toIamRole(api.realm, role.name));
          }}
        />
      )}
      <Toolbar>
        <ToolbarContent>
          <ToolbarItem>
            <SearchInput
              data-testid="iam-search-name"
              aria-label={t("iamSearchByName")}
              placeholder={t("iamSearchByName")}
              value={search}
              onChange={(_e, v) => setSearch(v)}
              onSearch={applyFilters}
              onClear={() => {
                setSearch("");
                setPage(1);
                setQuery((q) => ({ ...q, search: "" }));
              }}
            />
          </ToolbarItem>
          <ToolbarItem>
            <SearchInput
              data-testid="iam-search-path"
              aria-label={t("iamFilterByPath")}
              placeholder={t("iamFilterByPath")}
              value={path}
              onChange={(_e, v) => setPath(v)}
              onSearch={applyFilters}
              onClear={() => {
                setPath("");
                setPage(1);
                setQuery((q) => ({ ...q, path: "" }));
              }}
            />
          </ToolbarItem>
          {canManage && (
            <ToolbarItem>
              <Button data-testid="iam-create-role" onClick={() => setCreating(true)}>
                {t("iamCreateRole")}
              </Button>
            </ToolbarItem>
          )}
          <ToolbarItem variant="pagination" align={{ default: "alignRight" }}>
            <Pagination
              data-testid="iam-pagination"
              itemCount={total}
              page={page}
              perPage={perPage}
              isCompact
              onSetPage={(_e, p) => setPage(p)}
              onPerPageSelect={(_e, pp) => {
                setPerPage(pp);
                setPage(1);
              }}
            />
          </ToolbarItem>
        </ToolbarContent>
      </Toolbar>
      {list.error ? (
        <LoadError error={list.error} onRetry={list.reload} notFoundTitle={t("iamRolesNotLoaded")}
          notFoundExplain={t("iamRolesNotFoundExplain")} />
      ) : roles === undefined ? (
        <div className="pf-v5-u-text-align-center pf-v5-u-p-lg">
          <Spinner />
        </div>
      ) : roles.length === 0 ? (
        <EmptyState>
          <EmptyStateHeader
            titleText={filtered ? t("noSearchResults") : t("iamNoRoles")}
            icon={<EmptyStateIcon icon={SearchIcon} />}
            headingLevel="h2"
          />
          <EmptyStateBody>{filtered ? t("noSearchResultsInstructions") : t("iamNoRolesInstructions")}</EmptyStateBody>
        </EmptyState>
      ) : (
        <Table aria-label={t("iamRoles")} variant="compact" data-testid="iam-roles-table">
          <Thead>
            <Tr>
              <Th modifier="nowrap">{t("name")}</Th>
              <Th modifier="nowrap">{t("iamPath")}</Th>
              <Th width={50}>{t("description")}</Th>
              <Th modifier="nowrap">{t("iamLastUsed")}</Th>
              {canManage && <Th screenReaderText={t("iamActions")} />}
            </Tr>
          </Thead>
          <Tbody>
            {roles.map((role) => (
              <Tr key={role.name}>
                <Td dataLabel={t("name")} modifier="nowrap">
                  <Link to={toIamRole(api.realm, role.name)}>{role.name}</Link>
                </Td>
                <Td dataLabel={t("iamPath")} modifier="nowrap">{role.path}</Td>
                {/* The description takes the room the other columns leave; one that still does not fit is cut
                    with an ellipsis, the whole text on hover. */}
                <Td dataLabel={t("description")} modifier="truncate" tooltip={role.description || undefined} data-testid="iam-role-description">
                  {role.description}
                </Td>
                <Td dataLabel={t("iamLastUsed")} data-testid="iam-last-used" modifier="nowrap">
                  {formatLastUsed(role.lastUsed, t("iamNever"), (c) => t("iamVia", { clientId: c }))}
                </Td>
                {canManage && (
                  <Td isActionCell>
                    <ActionsColumn
                      items={[
                        {
                          title: t("delete"),
                          onClick: () => {
                            setToDelete(role);
                            toggleDeleteDialog();
                          },
                        },
                      ]}
                    />
                  </Td>
                )}
              </Tr>
            ))}
          </Tbody>
        </Table>
      )}
      {!list.error && roles && roles.length > 0 && (
        <Pagination
          itemCount={total}
          page={page}
          perPage={perPage}
          variant="bottom"
          onSetPage={(_e, p) => setPage(p)}
          onPerPageSelect={(_e, pp) => {
            setPerPage(pp);
            setPage(1);
          }}
        />
      )}
    </>
  );
};

export default function RolesSection() {
  return (
    <>
      <ViewHeader titleKey="iamRoles" subKey="iamRolesExplain" helpUrl={undefined} divider />
      <PageSection variant="light" className="pf-v5-u-p-0">
        <RolesList />
      </PageSection>
    </>
  );
}
