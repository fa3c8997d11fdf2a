import { AlertProvider, useAlerts } from "@keycloak/keycloak-ui-shared";
import { AlertVariant } from "@patternfly/react-core";
import { PropsWithChildren, useCallback } from "react";
import { useTranslation } from "react-i18next";
import { IamApiError } from "./client";
import { messageOf } from "./errors";

/*
 * The console's alert context lives in the copy of keycloak-ui-shared bundled inside keycloak-admin-ui and is
 * not exported, so the IAM pages use the same AlertProvider/useAlerts of keycloak-ui-shared 26.7.3: the same
 * PatternFly toast group, position and timeout as the console's own alerts.
 */
export const IamAlerts = ({ children }: PropsWithChildren) => <AlertProvider>{children}</AlertProvider>;

export function useIamAlerts() {
  const { addAlert } = useAlerts();
  const { t } = useTranslation();

  const success = useCallback((messageKey: string, params?: Record<string, unknown>) => {
    addAlert(t(messageKey, params as any) as string, AlertVariant.success);
  }, [addAlert, t]);

  /**
   * Shows the API's errorMessage (or, when the server gave none, what failed: see messageOf) and, as description,
   * every entry of its `errors`.
   */
  const failure = useCallback((messageKey: string, error: unknown) => {
    const details = error instanceof IamApiError ? error.details : [];
    const message = messageOf(t as any, error);
    addAlert(
      t(messageKey, { error: message }) as string,
      AlertVariant.danger,
      details.length > 1 || (details.length === 1 && !message.includes(details[0])) ? details.join("\n") : undefined,
    );
  }, [addAlert, t]);

  return { success, failure };
}
