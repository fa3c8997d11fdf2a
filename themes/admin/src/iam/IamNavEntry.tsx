import { useAccess, useRealm } from "@keycloak/keycloak-admin-ui";
import { useEffect, useState } from "react";
import { createPortal } from "react-dom";
import { useTranslation } from "react-i18next";
import { NavLink } from "react-router-dom";

/** The stock entry our entry follows: "Realm roles" in the "Manage" group. */
const ANCHOR_ID = "nav-item-roles";

/**
 * Keycloak 26.7's PageNav is a fixed list (its only extension point, UiPageProvider pages, needs the
 * experimental declarative-ui feature and renders generic forms), so our entry is rendered by React into an
 * <li> that we keep right after the stock "Realm roles" item. A MutationObserver puts it back whenever the
 * sidebar is re-rendered; the link itself is an ordinary react-router NavLink, so the active state, the
 * access check and the translations work as for the stock entries. If the anchor ever disappears (another
 * console version, no view-realm), the entry is simply not shown and the route still works.
 */
export const IamNavEntry = () => {
  const { t } = useTranslation();
  const { realm } = useRealm();
  const { hasAccess } = useAccess();
  const [container] = useState(() => {
    const li = document.createElement("li");
    li.dataset.kcsts = "nav-iam-roles";
    return li;
  });
  const visible = hasAccess("view-realm");

  useEffect(() => {
    if (!visible) {
      container.remove();
      return;
    }
    const place = () => {
      const anchor = document.getElementById(ANCHOR_ID)?.closest("li");
      if (!anchor) {
        if (container.isConnected) container.remove();
        return;
      }
      // Only (re)attach when our item is out of the list: never move an attached item, so that nothing here can
      // answer a mutation with another one (two observers each insisting on "right after the anchor" would loop).
      if (!container.isConnected || container.parentElement !== anchor.parentElement) anchor.after(container);
    };
    place();
    const observer = new MutationObserver(place);
    observer.observe(document.body, { childList: true, subtree: true });
    return () => {
      observer.disconnect();
      container.remove();
    };
  }, [container, visible]);

  if (!visible) return null;
  return createPortal(
    <NavLink
      id="nav-item-iam-roles"
      data-testid="nav-item-iam-roles"
      to={`/${encodeURIComponent(realm)}/iam-roles`}
      className={({ isActive }) => `pf-v5-c-nav__link${isActive ? " pf-m-current" : ""}`}
    >
      {t("iamRoles")}
    </NavLink>,
    container,
  );
};
