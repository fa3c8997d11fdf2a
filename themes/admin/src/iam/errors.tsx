import {
  Button,
  EmptyState,
  EmptyStateActions,
  EmptyStateBody,
  EmptyStateFooter,
  EmptyStateHeader,
  EmptyStateIcon,
  EmptyStateVariant,
} from "@patternfly/react-core";
import { ExclamationCircleIcon, LockIcon, SearchIcon, DisconnectedIcon } from "@patternfly/react-icons";
import { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ApiErrorBody, ErrorKind, IamApiError } from "./client";

type T = (key: string, params?: Record<string, unknown>) => string;

/** Message keys per kind (flat: the console's i18n splits keys at dots). */
const key = (prefix: "iamErrorTitle" | "iamErrorExplain" | "iamErrorReason", kind: ErrorKind) =>
  prefix + kind[0].toUpperCase() + kind.slice(1);

export const kindOf = (error: unknown): ErrorKind => (error instanceof IamApiError ? error.kind : "other");

/**
 * The text of a failure: the server's own message when it gave one (the IAM API explains every refusal),
 * otherwise what kind of failure it was ("the server could not be reached", not "Failed to fetch").
 */
export function messageOf(t: T, error: unknown): string {
  if (error instanceof IamApiError) return error.serverMessage ?? t(key("iamErrorReason", error.kind), { status: error.status });
  return error instanceof Error ? error.message : String(error);
}

/** A retry helps when the cause may pass: the network, the server, an expired session; not a 403 or a 404. */
const RETRYABLE: ErrorKind[] = ["network", "server", "unauthorized", "other"];

const ICONS: Record<ErrorKind, typeof ExclamationCircleIcon> = {
  notFound: SearchIcon,
  forbidden: LockIcon,
  unauthorized: LockIcon,
  network: DisconnectedIcon,
  server: ExclamationCircleIcon,
  other: ExclamationCircleIcon,
};

type Props = {
  error: unknown;
  onRetry?: () => void;
  /** The page's own words for a 404 ("There is no IAM role named x"), instead of the generic ones. */
  notFoundTitle?: string;
  notFoundExplain?: string;
  /** Shown beside the retry, e.g. a link back to the list. */
  actions?: ReactNode;
};

/**
 * What could not be loaded, in its place, as the stock console's empty states: a title per kind of failure,
 * the server's message when it gave one, and a retry where one may help.
 */
export const LoadError = ({ error, onRetry, notFoundTitle, notFoundExplain, actions }: Props) => {
  const { t } = useTranslation();
  const kind = kindOf(error);
  const server = error instanceof IamApiError ? error.serverMessage : undefined;
  const title = kind === "notFound" && notFoundTitle ? notFoundTitle : t(key("iamErrorTitle", kind));
  const explain = kind === "notFound" && notFoundExplain ? notFoundExplain : t(key("iamErrorExplain", kind));
  const retry = onRetry && RETRYABLE.includes(kind);
  return (
    <EmptyState variant={EmptyStateVariant.lg} data-testid="iam-load-error" data-kind={kind}>
      <EmptyStateHeader
        titleText={title}
        headingLevel="h2"
        icon={<EmptyStateIcon icon={ICONS[kind]} color={kind === "notFound" ? undefined : "var(--pf-v5-global--danger-color--100)"} />}
      />
      <EmptyStateBody>
        <p>{explain}</p>
        {(server || kind === "server" || kind === "other") && (
          <p className="pf-v5-u-mt-sm" data-testid="iam-load-error-message">
            {server ?? messageOf(t, error)}
          </p>
        )}
      </EmptyStateBody>
      {(retry || actions) && (
        <EmptyStateFooter>
          <EmptyStateActions>
            {retry && (
              <Button variant="primary" data-testid="iam-load-retry" onClick={onRetry}>
                {t("iamRetry")}
              </Button>
            )}
            {actions}
          </EmptyStateActions>
        </EmptyStateFooter>
      )}
    </EmptyState>
  );
};

/** Errors of the API named by field, shown under the matching input as Keycloak's forms do. */
export function fieldErrors(body: ApiErrorBody | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const e of body?.errors ?? []) if (e.field) result[e.field] = e.errorMessage ?? "";
  if (body?.field && !result[body.field]) result[body.field] = body.errorMessage ?? "";
  return result;
}
