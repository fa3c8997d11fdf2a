package io.github.keycloaksts.facts;

import org.keycloak.common.util.Time;
import org.keycloak.representations.AccessToken;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How the principal authenticated, as {@code kc:Amr}, {@code kc:Acr}, {@code kc:AuthTime},
 * {@code kc:MultiFactorAuthPresent} and {@code kc:MultiFactorAuthAge} (AWS aws:MultiFactorAuthPresent/Age). From a
 * subject token, from a login (sign-in picker), or carried along a role chain in the session's {@code origin} claim,
 * so that an MFA guardrail holds for every origin. A second factor is present when {@code amr} names one (RFC 8176)
 * or {@code acr} is a level of 2 or more (Keycloak's step-up levels, where 1 is a single factor).
 *
 * @param multiFactorAt when the second factor was completed (epoch seconds), or null when none was or it is unknown
 *                      (then the age counts from {@code authTime})
 */
public record Authentication(List<String> amr, String acr, boolean multiFactor, Long authTime, Long multiFactorAt) {

    /** RFC 8176 values that name a second factor. */
    public static final Set<String> SECOND_FACTOR_AMR = Set.of("otp", "hwk", "swk", "mfa", "mca", "fido", "sms", "webauthn");
    /** Keycloak authenticators that are a second factor (what the sign-in picker sees completed at a login). */
    public static final Set<String> SECOND_FACTOR_AUTHENTICATORS = Set.of("auth-otp-form", "webauthn-authenticator",
            "webauthn-authenticator-passwordless", "auth-recovery-authn-code-form", "conditional-otp-form");

    /** Nothing is known: no second factor, no time (for callers whose tokens say nothing about it). */
    public static final Authentication NONE = new Authentication(List.of(), null, false, null, null);

    public Authentication {
        amr = List.copyOf(amr);
    }

    public static Authentication of(AccessToken token) {
        List<String> amr = new ArrayList<>();
        Object claim = token.getOtherClaims().get("amr");
        if (claim instanceof Collection<?> values) {
            values.forEach(v -> amr.add(String.valueOf(v)));
        } else if (claim != null) {
            amr.add(String.valueOf(claim));
        }
        boolean multiFactor = amr.stream().anyMatch(SECOND_FACTOR_AMR::contains) || acrLevel(token.getAcr()) >= 2;
        Long authTime = token.getAuth_time() != null && token.getAuth_time() > 0 ? token.getAuth_time() : null;
        return new Authentication(amr, token.getAcr(), multiFactor, authTime, null);
    }

    public void apply(CallerFacts.Builder facts) {
        facts.value("kc:Amr", amr).value("kc:MultiFactorAuthPresent", String.valueOf(multiFactor));
        if (acr != null) {
            facts.value("kc:Acr", acr);
        }
        if (authTime != null) {
            facts.value("kc:AuthTime", Instant.ofEpochSecond(authTime).toString());
        }
        Long since = multiFactorAt != null ? multiFactorAt : authTime;
        if (multiFactor && since != null) {
            facts.value("kc:MultiFactorAuthAge", String.valueOf(Math.max(0, Time.currentTime() - since)));
        }
    }

    Map<String, Object> toClaim() {
        Map<String, Object> claim = new LinkedHashMap<>();
        claim.put("amr", amr);
        if (acr != null) {
            claim.put("acr", acr);
        }
        claim.put("mfa", multiFactor);
        if (authTime != null) {
            claim.put("auth_time", authTime);
        }
        if (multiFactorAt != null) {
            claim.put("mfa_time", multiFactorAt);
        }
        return claim;
    }

    static Optional<Authentication> fromClaim(Object claim) {
        if (!(claim instanceof Map<?, ?> map) || !(map.get("mfa") instanceof Boolean mfa) || !(map.get("amr") instanceof List<?> amr)) {
            return Optional.empty();
        }
        return Optional.of(new Authentication(amr.stream().map(String::valueOf).toList(),
                map.get("acr") == null ? null : String.valueOf(map.get("acr")), mfa,
                map.get("auth_time") instanceof Number n ? n.longValue() : null,
                map.get("mfa_time") instanceof Number n ? n.longValue() : null));
    }

    private static int acrLevel(String acr) {
        if (acr == null || !acr.matches("\\d{1,3}")) {
            return 0;
        }
        return Integer.parseInt(acr);
    }
}
