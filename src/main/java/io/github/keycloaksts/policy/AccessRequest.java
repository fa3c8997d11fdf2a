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
    private final boolean foreign;

    private AccessRequest(Set<String> principals, String action, Map<String, List<String>> context, boolean foreign) {
        this.principals = Collections.unmodifiableSet(principals);
        this.action = action;
        this.context = Collections.unmodifiableMap(context);
        this.foreign = foreign;
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

    /**
     * Values of a condition key, or an empty list when the request lacks it. Key names compare ignoring case, the
     * name after {@code kc:PrincipalAttribute/} and claim keys {@code <alias>:<claim>} exactly (see
     * {@link ConditionKeys#normalize}).
     */
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
     * True when the caller is not a principal of the role's own realm: a user, client or role session of another
     * realm, or an external identity (a web-identity token or SAML assertion, which is no user of the realm). An
     * Allow matches such a caller only when it names one of its KRNs ({@code "*"} and {@code NotPrincipal} do not
     * admit it), so trusting another realm or an identity provider is always explicit; a Deny applies to it as to
     * anyone (docs/policy-language.md, "Who a statement is about").
     */
    public boolean foreign() {
        return foreign;
    }

    public static final class Builder {
        private final Set<String> principals = new LinkedHashSet<>();
        private String action = "sts:AssumeRole";
        private final Map<String, List<String>> context = new HashMap<>();
        private boolean foreign;

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

        /**
         * Whether the caller is not a principal of the role's own realm (see {@link AccessRequest#foreign()}): a
         * user, client or role session of another realm, or an external identity (web identity, SAML assertion).
         */
        public Builder foreign(boolean foreign) {
            this.foreign = foreign;
            return this;
        }

        /**
         * Sets what identity provider {@code alias} asserted as {@code claim}: condition key {@code <alias>:<claim>},
         * compared with its exact case. An alias in a reserved namespace ({@code kc}, {@code sts}, {@code aws}, in
         * any case) is refused, so an identity provider can never stand in for a fact of ours such as
         * {@code kc:Username}.
         *
         * @throws IllegalArgumentException for a reserved, empty or colon-bearing alias, or an empty claim name
         */
        public Builder claim(String alias, String claim, Collection<String> values) {
            if (alias == null || alias.isEmpty() || alias.indexOf(':') >= 0 || ConditionKeys.reservedNamespace(alias)) {
                throw new IllegalArgumentException("'" + alias + "' cannot be the alias of asserted claims: "
                        + "kc, sts and aws are reserved namespaces");
            }
            if (claim == null || claim.isEmpty()) {
                throw new IllegalArgumentException("a claim of identity provider '" + alias + "' has no name");
            }
            return value(alias + ":" + claim, values);
        }

        public AccessRequest build() {
            return new AccessRequest(new LinkedHashSet<>(principals), action, new HashMap<>(context), foreign);
        }
    }
}
