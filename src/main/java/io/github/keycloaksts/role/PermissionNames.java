package io.github.keycloaksts.role;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a session of a role is granted, by name: realm roles and, per client id, client roles. Sorted so that two
 * grants with the same content compare equal and serialize identically (import relies on it to report changes).
 */
public record PermissionNames(SortedSet<String> realmRoles, SortedMap<String, SortedSet<String>> clientRoles) {

    public static final PermissionNames NONE = new PermissionNames(new TreeSet<>(), new TreeMap<>());

    public PermissionNames {
        realmRoles = Collections.unmodifiableSortedSet(new TreeSet<>(realmRoles));
        TreeMap<String, SortedSet<String>> copy = new TreeMap<>();
        for (Map.Entry<String, SortedSet<String>> entry : clientRoles.entrySet()) {
            if (!entry.getValue().isEmpty()) {
                copy.put(entry.getKey(), Collections.unmodifiableSortedSet(new TreeSet<>(entry.getValue())));
            }
        }
        clientRoles = Collections.unmodifiableSortedMap(copy);
    }

    public int size() {
        return realmRoles.size() + clientRoles.values().stream().mapToInt(SortedSet::size).sum();
    }
}
