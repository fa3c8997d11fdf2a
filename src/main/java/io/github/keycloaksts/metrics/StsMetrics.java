package io.github.keycloaksts.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.cache.CaffeineStatsCounter;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.jboss.logging.Logger;

import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * keycloak-sts meters, registered in Micrometer's global registry, which Keycloak publishes on its management
 * endpoint ({@code /metrics}) when started with {@code --metrics-enabled=true}; without it the registry has no
 * backend and recording costs next to nothing. Tag values come from closed sets (outcome, error, parameter or
 * refusal kind, caller kind): never role names, users or token data, so the series stay few. Recording never
 * throws: a metrics problem must not fail an exchange.
 */
public final class StsMetrics {

    private static final Logger LOG = Logger.getLogger(StsMetrics.class);
    private static final Timer POLICY_EVALUATION = policyEvaluationTimer();

    private StsMetrics() {
    }

    /**
     * Counts one AssumeRole exchange.
     *
     * @param outcome {@code granted}, or the RFC 6749 error ({@code access_denied}, {@code invalid_request}, ...)
     * @param reason  {@code ok}, the refused parameter, or the kind of refusal ({@code role_not_found},
     *                {@code implicit_deny}, {@code explicit_deny})
     * @param caller  {@code user}, {@code service_account}, {@code other_realm}, {@code role_session},
     *                {@code web_identity}, {@code saml}, or {@code unknown} when the request failed before
     */
    public static void exchange(String outcome, String reason, String caller) {
        try {
            Counter.builder("kcsts_exchanges").description("AssumeRole token exchanges by outcome, reason and caller kind")
                    .tag("outcome", outcome).tag("reason", reason).tag("caller", caller)
                    .register(Metrics.globalRegistry).increment();
        } catch (RuntimeException e) {
            LOG.debugf("keycloak-sts: exchange not counted: %s", e.getMessage());
        }
    }

    public static <T> T timePolicyEvaluation(Supplier<T> evaluation) {
        return POLICY_EVALUATION == null ? evaluation.get() : POLICY_EVALUATION.record(evaluation);
    }

    private static Timer policyEvaluationTimer() {
        try {
            return Timer.builder("kcsts_policy_evaluation")
                    .description("Time to evaluate a compiled trust policy for one request")
                    .publishPercentiles(0.5, 0.99)
                    .register(Metrics.globalRegistry);
        } catch (RuntimeException e) {
            LOG.warnf("keycloak-sts: no policy evaluation timer: %s", e.getMessage());
            return null;
        }
    }

    /**
     * A Caffeine cache builder that records hits, misses and evictions as Keycloak records its own caches
     * ({@code cache_gets_total{cache="<name>",result="hit|miss"}}): the same meter names with the same labels, which
     * Prometheus requires of one name. Metrics must never break the cache: on any registry problem, no stats.
     */
    public static Caffeine<Object, Object> recordingStats(Caffeine<Object, Object> builder, String name) {
        try {
            CaffeineStatsCounter counter = new CaffeineStatsCounter(Metrics.globalRegistry, name);
            return builder.recordStats(() -> counter);
        } catch (RuntimeException e) {
            LOG.warnf("keycloak-sts: no metrics for cache %s: %s", name, e.getMessage());
            return builder;
        }
    }

    /** A gauge read on demand, e.g. the live role-session records of this node. */
    public static <T> void gauge(String name, String description, T state, ToDoubleFunction<T> value) {
        try {
            Gauge.builder(name, state, value).description(description).register(Metrics.globalRegistry);
        } catch (RuntimeException e) {
            LOG.warnf("keycloak-sts: no gauge %s: %s", name, e.getMessage());
        }
    }
}
