package io.github.keycloaksts.policy;

/**
 * An ArnLike/ArnEquals pattern on KRNs. As AWS does for ARNs, each of the six colon-separated parts is matched on
 * its own (case-sensitively, with {@code *} and {@code ?}), so a wildcard never spans a colon.
 */
final class KrnPattern {

    private final Wildcard[] parts;

    private KrnPattern(Wildcard[] parts) {
        this.parts = parts;
    }

    /** @param resolved pattern text in {@link Template} form (escapes marked); null if not six parts */
    static KrnPattern of(String resolved) {
        String[] texts = resolved.split(":", 6);
        if (texts.length != 6) {
            return null;
        }
        Wildcard[] parts = new Wildcard[6];
        for (int i = 0; i < 6; i++) {
            parts[i] = Wildcard.ofTokens(Template.wildcardTokens(texts[i]));
        }
        return new KrnPattern(parts);
    }

    /** @param parts the six parts, already compiled */
    static KrnPattern of(Wildcard[] parts) {
        if (parts.length != 6) {
            throw new IllegalArgumentException("a KRN has six parts");
        }
        return new KrnPattern(parts.clone());
    }

    boolean matches(String krn) {
        String[] texts = krn.split(":", 6);
        if (texts.length != 6) {
            return false;
        }
        for (int i = 0; i < 6; i++) {
            if (!parts[i].matches(texts[i])) {
                return false;
            }
        }
        return true;
    }
}
