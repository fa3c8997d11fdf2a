package io.github.keycloaksts.role;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A role as an administrator wrote it, after every field was checked by {@link RoleDraftParser}: the only way to
 * create or change a stored role. Holds names, not Keycloak ids; the store resolves them.
 *
 * @param maxChainedSessionDuration cap of a session reached by role chaining, or null for the default (3600 s)
 * @param trustPolicy the trust policy, compact JSON of an object
 */
public record RoleDraft(String name, String path, String description, int maxSessionDuration,
                        Integer maxChainedSessionDuration, SortedMap<String, String> tags, String trustPolicy,
                        PermissionNames permissions) {

    public RoleDraft {
        tags = Collections.unmodifiableSortedMap(new TreeMap<>(tags));
    }

    /** AWS compares role names ignoring case: "Auditor" and "auditor" are the same role. */
    public String nameKey() {
        return nameKey(name);
    }

    public static String nameKey(String name) {
        return name.toLowerCase(java.util.Locale.ROOT);
    }
}
