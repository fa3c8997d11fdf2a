package io.github.keycloaksts.role;

import java.util.Collections;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A role as an administrator wrote it, after every field was checked by {@link RoleDraftParser}: the only way to
 * create or change a stored role. Holds names, not Keycloak ids; the store resolves them.
 *
 * @param maxChainedSessionDuration cap of a session reached by role chaining, or null for the default (3600 s)
 * @param trustPolicy the trust policy, compact JSON of an object
 * @param audiences   client ids the role's sessions carry in {@code aud} besides the clients of their granted roles
 *                    (an API gateway, a resource server that authorizes by scope), by name
 * @param scopes      client scope names the role's sessions carry in {@code scope}, by name
 */
public record RoleDraft(String name, String path, String description, int maxSessionDuration,
                        Integer maxChainedSessionDuration, SortedMap<String, String> tags, String trustPolicy,
                        PermissionNames permissions, SortedSet<String> audiences, SortedSet<String> scopes) {

    public RoleDraft {
        tags = Collections.unmodifiableSortedMap(new TreeMap<>(tags));
        audiences = Collections.unmodifiableSortedSet(new TreeSet<>(audiences));
        scopes = Collections.unmodifiableSortedSet(new TreeSet<>(scopes));
    }

    /** AWS compares role names ignoring case: "Auditor" and "auditor" are the same role. */
    public String nameKey() {
        return nameKey(name);
    }

    public static String nameKey(String name) {
        return name.toLowerCase(java.util.Locale.ROOT);
    }
}
