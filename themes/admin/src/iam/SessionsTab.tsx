import { ConfirmDialogModal } from "@keycloak/keycloak-admin-ui";
import { Alert, Button, PageSection, Text, TextContent } from "@patternfly/react-core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { IamRole, useIamApi } from "./api";
import { useMutation } from "./hooks";

/** Revoking follows docs/sessions.md and docs/admin-api.md (POST roles/{name}/revoke-sessions). */
export const SessionsTab = ({ role, canManage }: { role: IamRole; canManage: boolean }) => {
  const { t } = useTranslation();
  const api = useIamApi();
  const [open, setOpen] = useState(false);
  const [revokedAt, setRevokedAt] = useState<string>();

  const revoke = useMutation(() => api.revokeSessions(role.name), {
    errorKey: "iamRevokeError",
    successKey: "iamSessionsRevoked",
    successParams: () => ({ name: role.name }),
    onSuccess: (answer) => setRevokedAt(answer.sessionsRevokedAt),
  });

  return (
    <PageSection variant="light">
      <ConfirmDialogModal
        open={open}
        toggleDialog={() => setOpen(!open)}
        titleKey={t("iamRevokeTitle", { name: role.name })}
        continueButtonLabel="iamRevokeAllSessions"
        continueButtonVariant={"danger" as any}
        onConfirm={() => revoke.run()}
      >
        <TextContent data-testid="iam-revoke-explanation">
          <Text>{t("iamRevokeExplain1")}</Text>
          <Text>{t("iamRevokeExplain2")}</Text>
          <Text>{t("iamRevokeExplain3", { max: Math.round((role.maxSessionDuration ?? 3600) / 60) })}</Text>
        </TextContent>
      </ConfirmDialogModal>
      <TextContent className="pf-v5-u-mb-md">
        <Text>{t("iamSessionsExplain")}</Text>
      </TextContent>
      {canManage ? (
        <Button variant="danger" data-testid="iam-revoke-sessions" onClick={() => setOpen(true)}
          isLoading={revoke.pending} isDisabled={revoke.pending}>
          {t("iamRevokeAllSessions")}
        </Button>
      ) : (
        <Text>{t("iamNeedManageRealm")}</Text>
      )}
      {revokedAt && (
        <Alert isInline variant="info" className="pf-v5-u-mt-md" data-testid="iam-revoked-at"
          title={t("iamRevokedAt", { at: new Date(revokedAt).toLocaleString() })} />
      )}
    </PageSection>
  );
};
