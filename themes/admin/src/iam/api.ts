import { useAdminClient, useRealm } from "@keycloak/keycloak-admin-ui";
import { useMemo } from "react";
import { createIamApi } from "./client";

export * from "./client";

/**
 * The IAM admin API, called with the console's own authenticated admin client so that the token refresh and the
 * realm selection are those of the console.
 */
export function useIamApi() {
  const { adminClient } = useAdminClient();
  const { realm } = useRealm();
  return useMemo(
    () => createIamApi({ baseUrl: adminClient.baseUrl, realm, token: () => adminClient.getAccessToken() }),
    [adminClient, realm],
  );
}
