package io.github.keycloaksts.facts;

import io.github.keycloaksts.policy.AccessRequest;
import io.github.keycloaksts.policy.Krn;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a trust policy may know about a caller, built once per request by {@link PrincipalFacts} for the
 * exchange, the sign-in role picker and the simulator alike: the origin, the principal, every principal KRN the
 * caller counts as with the <em>immutable id</em> of the Keycloak object behind it, and the values of the
 * {@code kc:} and {@code <alias>:<claim>} condition keys. Immutable.
 *
 * <p>Names are for matching and display, ids decide: a trust policy's principals are bound to ids when the role is
 * saved, and {@link #request(Map)} lets a caller count as a named principal only when its id is the bound one, so
 * that a principal deleted and re-created under the same name is not trusted (AWS resolves principals to unique
 * ids for the same reason).
 */
public final class CallerFacts {

    private final Origin origin;
    private final Krn principal;
    private final Map<String, String> principals;
    private final Map<String, List<String>> values;

    private CallerFacts(Origin origin, Krn principal, Map<String, String> principals, Map<String, List<String>> values) {
        this.origin = origin;
        this.principal = principal;
        this.principals = Collections.unmodifiableMap(new LinkedHashMap<>(principals));
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static Builder builder(Origin origin, Krn principal, String principalId) {
        return new Builder(origin, principal).principal(principal, principalId);
    }

    public Origin origin() {
        return origin;
    }

    /** The KRN of who asks: a user, a client, an identity provider, or along a chain the session's KRN. */
    public Krn principal() {
        return principal;
    }

    /** Every principal KRN the caller counts as, with the immutable id of the object it names. */
    public Map<String, String> principals() {
        return principals;
    }

    /** Condition key (as written) to values; a key is present only with at least one value. */
    public Map<String, List<String>> values() {
        return values;
    }

    /**
     * The request a role's trust policy is asked, before the request's own facts ({@code sts:*}, client, address).
     *
     * @param bindings the role's principal KRNs bound to the ids they named when it was saved; a KRN of the caller
     *                 that the role does not bind to the caller's id is left out (deny by default)
     */
    public AccessRequest.Builder request(Map<String, String> bindings) {
        AccessRequest.Builder request = AccessRequest.builder().foreign(!origin.ownRealm());
        principals.forEach((krn, id) -> {
            if (id.equals(bindings.get(krn))) {
                request.principal(krn);
            }
        });
        values.forEach(request::value);
        return request;
    }

    /** Accumulates facts; {@link #build} freezes them. */
    public static final class Builder {
        private final Origin origin;
        private final Krn principal;
        private final Map<String, String> principals = new LinkedHashMap<>();
        private final Map<String, List<String>> values = new LinkedHashMap<>();

        private Builder(Origin origin, Krn principal) {
            this.origin = Objects.requireNonNull(origin);
            this.principal = Objects.requireNonNull(principal);
        }

        /** @param id the immutable id of the object the KRN names */
        public Builder principal(Krn krn, String id) {
            principals.put(krn.toString(), Objects.requireNonNull(id));
            return this;
        }

        /** Sets a key's values, ignoring nulls; no value leaves the key absent (never present and empty). */
        public Builder value(String key, Collection<String> keyValues) {
            List<String> present = keyValues == null ? List.of() : keyValues.stream().filter(Objects::nonNull).toList();
            if (present.isEmpty()) {
                values.remove(key);
            } else {
                values.put(key, present);
            }
            return this;
        }

        public Builder value(String key, String... keyValues) {
            return value(key, java.util.Arrays.asList(keyValues));
        }

        public Krn principalKrn() {
            return principal;
        }

        public CallerFacts build() {
            return new CallerFacts(origin, principal, principals, values);
        }
    }
}
