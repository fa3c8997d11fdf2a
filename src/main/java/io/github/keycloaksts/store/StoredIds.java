package io.github.keycloaksts.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.github.keycloaksts.json.StrictJson;

import java.util.Collection;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/** A set of Keycloak ids in one column, as a JSON array; null for none (the value of every row written before). */
final class StoredIds {

    private static final TypeReference<TreeSet<String>> SET = new TypeReference<>() {
    };

    private StoredIds() {
    }

    static SortedSet<String> read(String column) {
        if (column == null || column.isEmpty()) {
            return Collections.emptySortedSet();
        }
        try {
            return Collections.unmodifiableSortedSet(StrictJson.mapper().readValue(column, SET));
        } catch (JsonProcessingException e) {
            // Only this class writes the column; reaching here means the row was edited by hand.
            throw new IllegalStateException("stored ids are not a JSON array of strings: " + column, e);
        }
    }

    static String write(Collection<String> ids) {
        return ids.isEmpty() ? null : StrictJson.write(new TreeSet<>(ids));
    }
}
