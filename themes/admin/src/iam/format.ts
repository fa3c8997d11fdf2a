import { LastUsed } from "./api";

export function formatLastUsed(lastUsed: LastUsed | undefined, never: string, via: (clientId: string) => string) {
  if (!lastUsed?.at) return never;
  const at = new Date(lastUsed.at).toLocaleString();
  return lastUsed.clientId ? `${at} ${via(lastUsed.clientId)}` : at;
}
