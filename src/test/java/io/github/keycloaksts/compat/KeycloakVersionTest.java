package io.github.keycloaksts.compat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeycloakVersionTest {

    @ParameterizedTest
    @ValueSource(strings = {"26.4.0", "26.4.7", "26.5.6", "26.6.4", "26.7.3", "26.7.5", "26.4.7.redhat-00001", "26.7"})
    void theMatrixMinorsAreSupported(String version) {
        assertThat(KeycloakVersion.parse(version).supported()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"26.3.5", "26.8.0", "25.0.6", "27.0.0", "999.0.0-SNAPSHOT"})
    void otherVersionsAreNot(String version) {
        assertThat(KeycloakVersion.parse(version).supported()).isFalse();
    }

    @Test
    void anUnsupportedServerIsRefusedWithTheSupportedRange() {
        assertThatThrownBy(() -> KeycloakInternals.resolve(KeycloakVersion.parse("26.8.0")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("supports Keycloak 26.4 to 26.7")
                .hasMessageContaining("this server is Keycloak 26.8.0");
    }

    @Test
    void theCompiledAgainstServerResolves() {
        // The SPI jars on the test class path are 26.7's: every handle must resolve against them.
        assertThat(KeycloakInternals.resolve(KeycloakVersion.parse("26.7.3"))).isNotNull();
    }

    @Test
    void anUnreadableVersionIsRefused() {
        assertThatThrownBy(() -> KeycloakVersion.parse("unknown")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot read the Keycloak version 'unknown'");
    }

    @Test
    void minorsCompare() {
        assertThat(KeycloakVersion.parse("26.6.4").atLeast(26, 6)).isTrue();
        assertThat(KeycloakVersion.parse("26.5.6").atLeast(26, 6)).isFalse();
        assertThat(KeycloakVersion.parse("27.0.0").atLeast(26, 7)).isTrue();
    }
}
