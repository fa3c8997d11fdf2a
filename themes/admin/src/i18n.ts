import { getInjectedEnvironment } from "@keycloak/keycloak-ui-shared";
import { createInstance } from "i18next";
import FetchBackend from "i18next-fetch-backend";
import { initReactI18next } from "react-i18next";
// The theme's own English messages, also bundled: see fallbackNS below.
import bundledMessages from "../../../src/main/resources/theme/keycloak-sts/admin/messages/messages_en.properties?raw";

type Environment = { adminBaseUrl: string; realm: string };
type KeyValue = { key: string; value: string };

const environment = getInjectedEnvironment<Environment>();

/** Java properties, as far as our messages file uses them: key=value lines, # comments, \\uXXXX escapes. */
function parseProperties(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#") || line.startsWith("!")) continue;
    const eq = line.indexOf("=");
    if (eq < 0) continue;
    result[line.slice(0, eq).trim()] = line
      .slice(eq + 1)
      .trim()
      .replace(/\\u([0-9a-fA-F]{4})/g, (_m, hex) => String.fromCharCode(parseInt(hex, 16)))
      .replace(/\\(.)/g, "$1");
  }
  return result;
}

const BUNDLED_NS = "keycloak-sts";

// Same set-up as the stock console: one namespace per realm, messages served by Keycloak from the admin theme
// (ours inherits keycloak.v2's messages and adds messages/messages_en.properties). But Keycloak serves the
// messages of the *selected* realm's admin theme, and only the console's own realm (master) has to use ours:
// so keys missing in the selected realm fall back to the console realm's messages, then to the bundled copy.
export const i18n = createInstance({
  fallbackLng: "en",
  keySeparator: ".",
  nsSeparator: false,
  interpolation: { escapeValue: false },
  defaultNS: [environment.realm],
  ns: [environment.realm],
  fallbackNS: [environment.realm, BUNDLED_NS],
  partialBundledLanguages: true,
  resources: { en: { [BUNDLED_NS]: parseProperties(bundledMessages) } },
  backend: {
    loadPath: `${environment.adminBaseUrl.replace(/\/$/, "")}/resources/{{ns}}/admin/{{lng}}`,
    parse: (data: string) => {
      const result: Record<string, string> = {};
      (JSON.parse(data) as KeyValue[]).forEach((m) => (result[m.key] = m.value));
      return result;
    },
  },
});

i18n.use(FetchBackend);
i18n.use(initReactI18next);
