import { routes } from "@keycloak/keycloak-admin-ui";
import { lazy } from "react";
import { Outlet } from "react-router-dom";
import { IamAlerts } from "./alerts";
import { IamNavEntry } from "./IamNavEntry";

const RolesSection = lazy(() => import("./RolesSection"));
const RoleDetails = lazy(() => import("./RoleDetails"));

export const IAM_ROLES_PATH = "/:realm/iam-roles";

export const toIamRoles = (realm: string) => `/${encodeURIComponent(realm)}/iam-roles`;
export const toIamRole = (realm: string, name: string) =>
  `/${encodeURIComponent(realm)}/iam-roles/${encodeURIComponent(name)}`;

/* The stock console's route objects carry `handle.access` (checked by its AuthWall) and `handle.breadcrumb`
   (read by its PageBreadCrumbs from the exported `routes` array). */
const iamRoutes = [
  {
    path: IAM_ROLES_PATH,
    element: <RolesSection />,
    handle: { access: "view-realm", breadcrumb: (t: (k: string) => string) => t("iamRoles") },
  },
  {
    path: `${IAM_ROLES_PATH}/:name`,
    element: <RoleDetails />,
    handle: { access: "view-realm", breadcrumb: (t: (k: string) => string) => t("iamRoleDetails") },
  },
];

/**
 * The stock routes plus ours. Ours are inserted into the package's exported `routes` array itself, before
 * its catch-all, because the console's breadcrumbs and nav look routes up in that array. All routes sit under
 * one pathless layout route whose element adds the nav entry (see IamNavEntry) to every page. The IAM pages'
 * alerts live there too, so that an alert outlives the page that raised it (Delete on a role's page, shown on the
 * list it goes back to); the stock pages use the console's own alert context and are not affected.
 */
export function withIamRoutes() {
  if (!routes.some((r) => r.path === IAM_ROLES_PATH)) {
    const catchAll = routes.findIndex((r) => r.path === "*");
    routes.splice(catchAll === -1 ? routes.length : catchAll, 0, ...(iamRoutes as typeof routes));
  }
  return [
    {
      element: (
        <IamAlerts>
          <IamNavEntry />
          <Outlet />
        </IamAlerts>
      ),
      children: routes,
    },
  ];
}
