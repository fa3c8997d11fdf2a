package io.github.keycloaksts.policy;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a trust policy is asked about: who the caller is (every KRN it counts as: itself, its realm's root, its
 * groups and their parents, its identity provider or user federation, the role of its session), the action, and
 * the request context (condition key → values). Built once per request; immutable.
 */
public final class AccessRequest {

    private final Set<String> principals;
    private final String action;
    private final Map<String, List<String>> context;
    private final boolean fromOtherRealm;

    private AccessRequest(Set<String> principals, String action, Map<String, List<String>> context, boolean fromOtherRealm) {
        this.principals = Collections.unmodifiableSet(principals);
        this.action = action;
        this.context = Collections.unmodifiableMap(context);
        this.fromOtherRealm = fromOtherRealm;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Set<String> principals() {
        return principals;
    }

    public String action() {
        return action;
    }

    /** Values of a condition key (name compared ignoring case), or an empty list when the request lacks it. */
    public List<String> values(String key) {
        return normalizedValues(ConditionKeys.normalize(key));
    }

    /** As {@link #values}, for a key already in {@link ConditionKeys#normalize normalized} form (the hot path). */
    List<String> normalizedValues(String normalizedKey) {
        return context.getOrDefault(normalizedKey, List.of());
    }

    public Map<String, List<String>> context() {
        return context;
    }

    /**
     * True when the caller belongs to another realm than the role: then only statements that name it (its realm's
     * root, its user, group or client KRN) can match; {@code "*"} does not, so trusting another realm is always
     * explicit.
     */
    public boolean fromOtherRealm() {
        return fromOtherRealm;
    }

    public static final class Builder {
        private final Set<String> principals = new LinkedHashSet<>();
        private String action = "sts:AssumeRole";
        private final Map<String, List<String>> context = new HashMap<>();
        private boolean fromOtherRealm;

        public Builder principal(Krn krn) {
            principals.add(krn.toString());
            return this;
        }

        public Builder principal(String krn) {
            principals.add(krn);
            return this;
        }

        public Builder action(String action) {
            this.action = action;
            return this;
        }

        /**
         * Sets a key's values, ignoring null ones; no value removes the key (a key is present only with a value,
         * as an unset user-profile attribute is absent, not empty).
         */
        public Builder value(String key, Collection<String> values) {
            List<String> present = values == null ? List.of() : values.stream().filter(Objects::nonNull).toList();
            if (present.isEmpty()) {
                context.remove(ConditionKeys.normalize(key));
            } else {
                context.put(ConditionKeys.normalize(key), present);
            }
            return this;
        }

        public Builder value(String key, String... values) {
            return value(key, java.util.Arrays.asList(values));
        }

        public Builder fromOtherRealm(boolean fromOtherRealm) {
            this.fromOtherRealm = fromOtherRealm;
            return this;
        }

        public AccessRequest build() {
            return new AccessRequest(new LinkedHashSet<>(principals), action, new HashMap<>(context), fromOtherRealm);
        }
    }
}
