import "@patternfly/react-core/dist/styles/base.css";
import "@patternfly/patternfly/patternfly-addons.css";
import "@keycloak/keycloak-admin-ui/styles.css";

import { AdminUi, KeycloakProvider } from "@keycloak/keycloak-admin-ui";
import { getInjectedEnvironment } from "@keycloak/keycloak-ui-shared";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { createHashRouter, RouterProvider } from "react-router-dom";
import { i18n } from "./i18n";
import { withIamRoutes } from "./iam/routes";

await i18n.init();

const environment = getInjectedEnvironment();

const router = createHashRouter([
  {
    path: "/",
    element: (
      <KeycloakProvider environment={environment as any}>
        <AdminUi />
      </KeycloakProvider>
    ),
    handle: { access: "anyone" },
    children: withIamRoutes(),
  },
]);

createRoot(document.getElementById("app")!).render(
  <StrictMode>
    <RouterProvider router={router} />
  </StrictMode>,
);
