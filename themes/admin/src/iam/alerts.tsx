import { AlertProvider, useAlerts } from "@keycloak/keycloak-ui-shared";
import { AlertVariant } from "@patternfly/react-core";
import { PropsWithChildren, useCallback } from "react";
import { useTranslation } from "react-i18next";
import { IamApiError } from "./api";

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

  /** Shows the API's errorMessage and, as description, every entry of its `errors` list. */
  const failure = useCallback((messageKey: string, error: unknown) => {
    if (error instanceof IamApiError) {
      const details = error.details;
      addAlert(
        t(messageKey, { error: error.message }) as string,
        AlertVariant.danger,
        details.length > 1 || (details.length === 1 && !error.message.includes(details[0])) ? details.join("\n") : undefined,
      );
    } else {
      addAlert(t(messageKey, { error: error instanceof Error ? error.message : String(error) }) as string, AlertVariant.danger);
    }
  }, [addAlert, t]);

  return { success, failure };
}
