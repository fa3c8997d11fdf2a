package io.github.keycloaksts.compat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Keycloak server's version, read from {@code org.keycloak.common.Version.VERSION} ("26.4.7", or a vendor build
 * such as "26.4.7.redhat-00001"), and whether this jar supports it: the minors 26.4 to 26.7, the ones the version
 * matrix of {@code .ci/run} tests (docs/production.md, "Upgrading").
 */
public record KeycloakVersion(int major, int minor, String text) {

    static final int SUPPORTED_MAJOR = 26;
    static final int FIRST_SUPPORTED_MINOR = 4;
    static final int LAST_SUPPORTED_MINOR = 7;

    private static final Pattern MAJOR_MINOR = Pattern.compile("^(\\d+)\\.(\\d+)(?:\\.|$)");

    /** @throws IllegalStateException for a version string that does not start with major.minor */
    public static KeycloakVersion parse(String text) {
        Matcher m = MAJOR_MINOR.matcher(text == null ? "" : text.trim());
        if (!m.find()) {
            throw new IllegalStateException("keycloak-sts cannot read the Keycloak version '" + text + "'");
        }
        return new KeycloakVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), text.trim());
    }

    public boolean supported() {
        return major == SUPPORTED_MAJOR && minor >= FIRST_SUPPORTED_MINOR && minor <= LAST_SUPPORTED_MINOR;
    }

    /** At least {@code major.minor}. */
    public boolean atLeast(int major, int minor) {
        return this.major > major || this.major == major && this.minor >= minor;
    }

    static String supportedRange() {
        return SUPPORTED_MAJOR + "." + FIRST_SUPPORTED_MINOR + " to " + SUPPORTED_MAJOR + "." + LAST_SUPPORTED_MINOR;
    }

    @Override
    public String toString() {
        return text;
    }
}
