package io.github.keycloaksts.facts;

import io.github.keycloaksts.policy.AccessRequest;
import io.github.keycloaksts.policy.Krn;
import org.junit.jupiter.api.Test;
import org.keycloak.common.util.Time;
import org.keycloak.representations.AccessToken;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How a subject token's acr/amr/auth_time become the MFA condition keys. */
class AuthenticationTest {

    private static AccessRequest facts(AccessToken token) {
        CallerFacts.Builder builder = CallerFacts.builder(Origin.USER, Krn.user("acme", "alice"), "id-1");
        Authentication.of(token).apply(builder);
        return builder.build().request(java.util.Map.of()).build();
    }

    @Test
    void passwordOnlyIsNotMultiFactor() {
        AccessToken token = new AccessToken();
        token.setAcr("1");
        token.setOtherClaims("amr", List.of("pwd"));

        AccessRequest facts = facts(token);

        assertThat(facts.values("kc:MultiFactorAuthPresent")).containsExactly("false");
        assertThat(facts.values("kc:MultiFactorAuthAge")).isEmpty();
        assertThat(facts.values("kc:Amr")).containsExactly("pwd");
    }

    @Test
    void aSecondFactorInAmrOrAStepUpAcrIsMultiFactorWithItsAge() {
        long authTime = Time.currentTime() - 120;
        AccessToken otp = new AccessToken();
        otp.setOtherClaims("amr", List.of("pwd", "otp"));
        otp.setAuth_time(authTime);
        AccessToken stepUp = new AccessToken();
        stepUp.setAcr("2");

        assertThat(facts(otp).values("kc:MultiFactorAuthPresent")).containsExactly("true");
        assertThat(Long.parseLong(facts(otp).values("kc:MultiFactorAuthAge").get(0))).isBetween(119L, 125L);
        assertThat(facts(stepUp).values("kc:MultiFactorAuthPresent")).containsExactly("true");
        assertThat(facts(stepUp).values("kc:MultiFactorAuthAge")).isEmpty();
    }

    @Test
    void theOriginClaimCarriesAuthenticationAlongAChain() {
        AccessToken otp = new AccessToken();
        otp.setOtherClaims("amr", List.of("pwd", "otp"));
        otp.setAcr("1");
        otp.setAuth_time((long) (Time.currentTime() - 60));
        SessionOrigin origin = new SessionOrigin(Origin.USER, "realm-id", "user-id", java.util.Optional.of("corp"),
                Authentication.of(otp));

        SessionOrigin read = SessionOrigin.fromClaim(
                io.github.keycloaksts.json.StrictJson.mapper().convertValue(origin.toClaim(), java.util.Map.class)).orElseThrow();

        assertThat(read).isEqualTo(origin);
        assertThat(SessionOrigin.fromClaim(java.util.Map.of("kind", "user", "realm_id", "r"))).isEmpty();
        assertThat(SessionOrigin.fromClaim(java.util.Map.of("kind", "user", "realm_id", "r",
                "authentication", java.util.Map.of("mfa", false, "amr", List.of())))).as("a user origin needs its user id").isEmpty();
    }

    @Test
    void nonNumericAcrIsNotALevel() {
        AccessToken token = new AccessToken();
        token.setAcr("urn:mace:incommon:iap:silver");

        assertThat(facts(token).values("kc:MultiFactorAuthPresent")).containsExactly("false");
    }
}
