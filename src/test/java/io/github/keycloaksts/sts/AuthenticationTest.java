package io.github.keycloaksts.sts;

import io.github.keycloaksts.policy.AccessRequest;
import org.junit.jupiter.api.Test;
import org.keycloak.common.util.Time;
import org.keycloak.representations.AccessToken;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How a subject token's acr/amr/auth_time become the MFA condition keys. */
class AuthenticationTest {

    private static AccessRequest facts(AccessToken token) {
        AccessRequest.Builder builder = AccessRequest.builder().principal("p");
        Authentication.of(token).apply(builder);
        return builder.build();
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
    void nonNumericAcrIsNotALevel() {
        AccessToken token = new AccessToken();
        token.setAcr("urn:mace:incommon:iap:silver");

        assertThat(facts(token).values("kc:MultiFactorAuthPresent")).containsExactly("false");
    }
}
