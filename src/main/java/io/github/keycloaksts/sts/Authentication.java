package io.github.keycloaksts.sts;

import io.github.keycloaksts.policy.AccessRequest;
import org.keycloak.common.util.Time;
import org.keycloak.representations.AccessToken;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * What the subject token says about how its user authenticated, as {@code kc:Amr}, {@code kc:MultiFactorAuthPresent}
 * and {@code kc:MultiFactorAuthAge} (AWS aws:MultiFactorAuthPresent/Age). A second factor is present when the
 * token's {@code amr} names one (RFC 8176: otp, hwk, swk, mfa, fido...) or its {@code acr} is a level of 2 or more
 * (Keycloak's step-up levels, where 1 is a single factor). The age counts from {@code auth_time}.
 */
record Authentication(List<String> amr, boolean multiFactor, Long authTime) {

    private static final Set<String> SECOND_FACTORS = Set.of("otp", "hwk", "swk", "mfa", "mca", "fido", "sms", "webauthn");

    static Authentication of(AccessToken token) {
        List<String> amr = new ArrayList<>();
        Object claim = token.getOtherClaims().get("amr");
        if (claim instanceof Collection<?> values) {
            values.forEach(v -> amr.add(String.valueOf(v)));
        } else if (claim != null) {
            amr.add(String.valueOf(claim));
        }
        boolean multiFactor = amr.stream().anyMatch(SECOND_FACTORS::contains) || acrLevel(token.getAcr()) >= 2;
        Long authTime = token.getAuth_time() != null && token.getAuth_time() > 0 ? token.getAuth_time() : null;
        return new Authentication(amr, multiFactor, authTime);
    }

    void apply(AccessRequest.Builder facts) {
        facts.value("kc:Amr", amr);
        facts.value("kc:MultiFactorAuthPresent", String.valueOf(multiFactor));
        if (multiFactor && authTime != null) {
            facts.value("kc:MultiFactorAuthAge", String.valueOf(Math.max(0, Time.currentTime() - authTime)));
        }
    }

    private static int acrLevel(String acr) {
        if (acr == null || !acr.matches("\\d{1,3}")) {
            return 0;
        }
        return Integer.parseInt(acr);
    }
}
