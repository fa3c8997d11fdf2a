package io.github.keycloaksts.store;

import io.github.keycloaksts.metrics.StsMetrics;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.keycloaksts.policy.PolicyCompilation;
import io.github.keycloaksts.policy.PolicyCompiler;
import io.github.keycloaksts.policy.PolicyEnvironment;
import io.github.keycloaksts.policy.TrustPolicy;

/**
 * Compiled trust policies, one per role version: a policy is compiled the first time a version is evaluated and
 * reused until the role changes. The key includes the row's optimistic-lock version, so a change on any cluster
 * node yields a new key and the stale entry simply ages out; no invalidation message is needed.
 */
public final class CompiledTrustPolicies {

    private static final Cache<String, TrustPolicy> CACHE =
            StsMetrics.recordingStats(Caffeine.newBuilder().maximumSize(10_000), "kcsts_trust_policies").build();

    private CompiledTrustPolicies() {
    }

    /**
     * @throws IllegalStateException if the stored policy no longer compiles (only possible after a manual edit of
     *                               the database, since every write validates it)
     */
    public static TrustPolicy of(IamRoleEntity role, String realmName) {
        return CACHE.get(role.getId() + ":" + role.getVersion(), key -> {
            PolicyCompilation compilation = PolicyCompiler.compile(role.getTrustPolicy(), new PolicyEnvironment(realmName, null));
            return compilation.policy().orElseThrow(() -> new IllegalStateException(
                    "stored trust policy of IAM role " + role.getId() + " does not compile: " + compilation.errors()));
        });
    }
}
