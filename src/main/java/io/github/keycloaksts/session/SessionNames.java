package io.github.keycloaksts.session;

/** Default session names: AWS requires one; we derive it from who the caller is, made to fit the session-name rules. */
public final class SessionNames {

    private SessionNames() {
    }

    /** {@code base} with characters outside {@code [\w+=,.@-]} replaced by '-', cut to 64, padded to 2. */
    public static String derivedFrom(String base) {
        String name = base.replaceAll("[^\\w+=,.@-]", "-");
        if (name.length() > 64) {
            name = name.substring(0, 64);
        }
        return name.length() < 2 ? name + "-session" : name;
    }
}
