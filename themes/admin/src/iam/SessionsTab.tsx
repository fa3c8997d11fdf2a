import { ConfirmDialogModal } from "@keycloak/keycloak-admin-ui";
import {
  Alert,
  Button,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  EmptyState,
  EmptyStateBody,
  EmptyStateHeader,
  EmptyStateIcon,
  Label,
  PageSection,
  Spinner,
  Text,
  TextContent,
  Title,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from "@patternfly/react-core";
import { InfoCircleIcon } from "@patternfly/react-icons";
import { ActionsColumn, Table, Tbody, Td, Th, Thead, Tr } from "@patternfly/react-table";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { IamApiError, IamRole, useIamApi } from "./api";
import { messageOf } from "./errors";
import { useLoad, useMutation } from "./hooks";
import { EVENTS_SCANNED, recentSessions, RecentSession, Revocations, savesExchanges, statusOf } from "./sessions";

type Props = {
  role: IamRole;
  canManage: boolean;
  /** The role-wide revocation just done, for the page's copy of the role. */
  onRevoked: (sessionsRevokedAt: string) => void;
};

/** What the events API gave: the sessions, or why there are none to show. */
type Recent =
  | { kind: "sessions"; sessions: RecentSession[]; users: Record<string, string> }
  | { kind: "notSaved" }
  | { kind: "refused"; error: unknown };

const epochSecond = (iso?: string | null) => (iso ? Math.floor(new Date(iso).getTime() / 1000) : undefined);
const time = (ms?: number) => (ms === undefined ? "" : new Date(ms).toLocaleString());

/**
 * Revoking follows docs/sessions.md and docs/admin-api.md: the whole role (POST roles/{name}/revoke-sessions), one
 * session name (DELETE sessions?session=<session KRN>) or one token (DELETE sessions/<token id>). The role's recent
 * sessions are its TOKEN_EXCHANGE events, when the realm saves them.
 */
export const SessionsTab = ({ role, canManage, onRevoked }: Props) => {
  const { t } = useTranslation();
  const api = useIamApi();
  const [confirmAll, setConfirmAll] = useState(false);
  const [toRevoke, setToRevoke] = useState<{ what: "name" | "token"; session: RecentSession }>();
  const [recent, setRecent] = useState<Recent>();
  const [revoked, setRevoked] = useState<Revocations>({ names: {}, tokens: [] });
  const roleRevokedAt = epochSecond(role.sessionsRevokedAt);

  const load = useLoad(
    async (signal): Promise<Recent> => {
      setRecent(undefined);
      try {
        const config = await api.getEventsConfig({ signal });
        if (!savesExchanges(config)) return { kind: "notSaved" };
        const events = await api.listEvents({ type: "TOKEN_EXCHANGE", first: 0, max: EVENTS_SCANNED }, { signal });
        const sessions = recentSessions(events, api.realm, role.name, role.krn ?? "");
        // Who began each session: the user's name where the admin may see users, else the id.
        const ids = [...new Set(sessions.map((s) => s.userId).filter((id): id is string => !!id))];
        const users: Record<string, string> = {};
        await Promise.all(ids.map(async (id) => {
          try {
            users[id] = (await api.getUser(id, { signal })).username;
          } catch (error) {
            if (signal.aborted) throw error;
          }
        }));
        return { kind: "sessions", sessions, users };
      } catch (error) {
        if (signal.aborted || !(error instanceof IamApiError)) throw error;
        return { kind: "refused", error };
      }
    },
    setRecent,
    [api, role.name, role.krn],
  );

  const revokeAll = useMutation(() => api.revokeSessions(role.name), {
    errorKey: "iamRevokeError",
    successKey: "iamSessionsRevoked",
    successParams: () => ({ name: role.name }),
    onSuccess: (answer) => onRevoked(answer.sessionsRevokedAt),
  });
  const revokeName = useMutation((s: RecentSession) => api.revokeSessionName(s.sessionKrn), {
    errorKey: "iamRevokeError",
    successKey: "iamSessionNameRevoked",
    successParams: (_answer, s) => ({ name: s.sessionName }),
    onSuccess: (answer, s) =>
      setRevoked((r) => ({ ...r, names: { ...r.names, [s.sessionKrn]: epochSecond(answer.sessionsRevokedAt)! } })),
  });
  const revokeToken = useMutation((s: RecentSession) => api.revokeToken(s.tokenId), {
    errorKey: "iamRevokeError",
    successKey: "iamTokenRevoked",
    successParams: (_answer, s) => ({ name: s.sessionName }),
    onSuccess: (_answer, s) => setRevoked((r) => ({ ...r, tokens: [...r.tokens, s.tokenId] })),
  });

  const now = Date.now();
  const status = (s: RecentSession) => statusOf(s, { ...revoked, role: roleRevokedAt }, now);

  return (
    <PageSection variant="light">
      <ConfirmDialogModal
        open={confirmAll}
        toggleDialog={() => setConfirmAll(!confirmAll)}
        titleKey={t("iamRevokeTitle", { name: role.name })}
        continueButtonLabel="iamRevokeAllSessions"
        continueButtonVariant={"danger" as any}
        onConfirm={() => revokeAll.run()}
      >
        <TextContent data-testid="iam-revoke-explanation">
          <Text>{t("iamRevokeExplain1")}</Text>
          <Text>{t("iamRevokeExplain2")}</Text>
          <Text>{t("iamRevokeExplain3", { max: Math.round((role.maxSessionDuration ?? 3600) / 60) })}</Text>
        </TextContent>
      </ConfirmDialogModal>
      <ConfirmDialogModal
        open={toRevoke !== undefined}
        toggleDialog={() => setToRevoke(undefined)}
        titleKey={toRevoke?.what === "name"
          ? t("iamRevokeNameTitle", { name: toRevoke?.session.sessionName })
          : t("iamRevokeTokenTitle", { name: toRevoke?.session.sessionName })}
        continueButtonLabel={toRevoke?.what === "name" ? "iamRevokeSessionName" : "iamRevokeToken"}
        continueButtonVariant={"danger" as any}
        onConfirm={() => {
          if (!toRevoke) return;
          void (toRevoke.what === "name" ? revokeName : revokeToken).run(toRevoke.session);
        }}
      >
        <TextContent data-testid="iam-revoke-one-explanation">
          <Text>
            {toRevoke?.what === "name"
              ? t("iamRevokeNameExplain", { session: toRevoke?.session.sessionKrn })
              : t("iamRevokeTokenExplain", { tokenId: toRevoke?.session.tokenId })}
          </Text>
          <Text>{t("iamRevokeOfflineExplain")}</Text>
        </TextContent>
      </ConfirmDialogModal>

      <TextContent className="pf-v5-u-mb-md">
        <Text>{t("iamSessionsExplain")}</Text>
      </TextContent>
      <DescriptionList isHorizontal isCompact className="pf-v5-u-mb-md">
        <DescriptionListGroup>
          <DescriptionListTerm>{t("iamLastRevocation")}</DescriptionListTerm>
          <DescriptionListDescription data-testid="iam-revoked-at">
            {role.sessionsRevokedAt
              ? t("iamRevokedAt", { at: new Date(role.sessionsRevokedAt).toLocaleString() })
              : t("iamNeverRevoked")}
          </DescriptionListDescription>
        </DescriptionListGroup>
      </DescriptionList>
      {canManage ? (
        <Button variant="danger" data-testid="iam-revoke-sessions" onClick={() => setConfirmAll(true)}
          isLoading={revokeAll.pending} isDisabled={revokeAll.pending}>
          {t("iamRevokeAllSessions")}
        </Button>
      ) : (
        <Text>{t("iamNeedManageRealm")}</Text>
      )}

      <Toolbar className="pf-v5-u-mt-lg pf-v5-u-p-0">
        <ToolbarContent className="pf-v5-u-px-0">
          <ToolbarItem>
            <Title headingLevel="h2" size="lg">{t("iamRecentSessions")}</Title>
          </ToolbarItem>
          <ToolbarItem align={{ default: "alignRight" }}>
            <Button variant="secondary" data-testid="iam-sessions-refresh" onClick={load.reload} isDisabled={load.loading}>
              {t("iamRefresh")}
            </Button>
          </ToolbarItem>
        </ToolbarContent>
      </Toolbar>
      {load.error ? (
        <Alert isInline variant="danger" data-testid="iam-sessions-error" title={t("iamSessionsNotLoaded", { error: messageOf(t as any, load.error) })}
          actionLinks={<Button variant="link" isInline onClick={load.reload}>{t("iamRetry")}</Button>} />
      ) : recent === undefined ? (
        <Spinner size="lg" />
      ) : recent.kind !== "sessions" ? (
        // Said plainly: no list without saved events, and where they are turned on.
        <Alert isInline variant="info" data-testid="iam-sessions-need-events" data-reason={recent.kind}
          title={t("iamSessionsNeedEvents")}>
          <p>
            {recent.kind === "notSaved" ? t("iamSessionsEventsOff") : t("iamSessionsEventsRefused", { error: messageOf(t as any, recent.error) })}{" "}
            <Link to={`/${encodeURIComponent(api.realm)}/realm-settings/user-events`} data-testid="iam-events-settings">
              {t("iamEventsSettings")}
            </Link>
          </p>
        </Alert>
      ) : recent.sessions.length === 0 ? (
        <EmptyState variant="sm" data-testid="iam-sessions-empty">
          <EmptyStateHeader titleText={t("iamNoRecentSessions")} headingLevel="h3" icon={<EmptyStateIcon icon={InfoCircleIcon} />} />
          <EmptyStateBody>{t("iamNoRecentSessionsExplain", { count: EVENTS_SCANNED })}</EmptyStateBody>
        </EmptyState>
      ) : (
        <>
          {/* Eight columns of KRNs and times are wider than the page: the table scrolls, the page does not. */}
          <div style={{ overflowX: "auto" }}>
          <Table aria-label={t("iamRecentSessions")} variant="compact" data-testid="iam-sessions-table">
            <Thead>
              <Tr>
                <Th modifier="nowrap">{t("iamSessionName")}</Th>
                <Th modifier="wrap">{t("iamWho")}</Th>
                <Th>{t("iamPrincipal")}</Th>
                <Th modifier="nowrap">{t("iamSourceIdentity")}</Th>
                <Th modifier="wrap">{t("iamIssued")}</Th>
                <Th modifier="wrap">{t("iamExpires")}</Th>
                <Th modifier="nowrap">{t("clientId")}</Th>
                <Th modifier="nowrap">{t("iamStatus")}</Th>
                {canManage && <Th screenReaderText={t("iamActions")} />}
              </Tr>
            </Thead>
            <Tbody>
              {recent.sessions.map((s) => {
                const st = status(s);
                return (
                  <Tr key={s.tokenId} data-testid="iam-session-row" data-session-name={s.sessionName} data-token-id={s.tokenId} data-status={st}>
                    <Td dataLabel={t("iamSessionName")} modifier="nowrap">{s.sessionName}</Td>
                    <Td dataLabel={t("iamWho")} modifier="wrap">{s.userId ? (recent.users[s.userId] ?? s.userId) : ""}</Td>
                    <Td dataLabel={t("iamPrincipal")} modifier="breakWord"><code>{s.principal}</code></Td>
                    <Td dataLabel={t("iamSourceIdentity")} modifier="nowrap">{s.sourceIdentity ?? "—"}</Td>
                    <Td dataLabel={t("iamIssued")} modifier="wrap">{time(s.issuedAt)}</Td>
                    <Td dataLabel={t("iamExpires")} modifier="wrap">{time(s.expiresAt)}</Td>
                    <Td dataLabel={t("clientId")} modifier="nowrap">{s.clientId}</Td>
                    <Td dataLabel={t("iamStatus")} modifier="nowrap">
                      <Label isCompact color={st === "active" ? "green" : st === "revoked" ? "red" : "grey"}>
                        {t(st === "active" ? "iamSessionActive" : st === "revoked" ? "iamSessionRevoked" : "iamSessionExpired")}
                      </Label>
                    </Td>
                    {canManage && (
                      <Td isActionCell>
                        <ActionsColumn
                          isDisabled={st !== "active" || revokeName.pending || revokeToken.pending}
                          items={[
                            { title: t("iamRevokeSessionName"), onClick: () => setToRevoke({ what: "name", session: s }) },
                            { title: t("iamRevokeToken"), onClick: () => setToRevoke({ what: "token", session: s }) },
                          ]}
                        />
                      </Td>
                    )}
                  </Tr>
                );
              })}
            </Tbody>
          </Table>
          </div>
          <Text component="small" className="pf-v5-u-color-200">{t("iamRecentSessionsFootnote", { count: EVENTS_SCANNED })}</Text>
        </>
      )}
    </PageSection>
  );
};
