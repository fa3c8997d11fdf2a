package io.github.keycloaksts.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A condition value with policy variables, as AWS {@code ${aws:username}}: {@code ${kc:Username}} is replaced by the
 * request's value of that key; {@code ${*}}, {@code ${?}} and {@code ${$}} stand for the literal characters. A
 * variable whose key the request lacks (or carries several values for) makes the value match nothing. Substituted
 * text never acts as a wildcard.
 */
final class Template {

    /** Literal text (escapes marked) or a variable (its normalized key): exactly one of the two is set. */
    record Part(String literal, String variable) {
    }

    private final List<Part> parts;

    private Template(List<Part> parts) {
        this.parts = parts;
    }

    boolean hasVariables() {
        return parts.stream().anyMatch(p -> p.variable() != null);
    }

    /** In order: literal runs and variables, never two literal runs in a row. */
    List<Part> parts() {
        return parts;
    }

    /** The normalized keys this template reads. */
    List<String> variables() {
        return parts.stream().map(Part::variable).filter(java.util.Objects::nonNull).toList();
    }

    /**
     * @return the template, or empty after adding an error finding
     */
    static Optional<Template> parse(String text, String path, Set<String> identityProviders, ValidationErrors errors) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            int open = text.indexOf("${", i);
            if (open < 0) {
                literal.append(text, i, text.length());
                break;
            }
            literal.append(text, i, open);
            int close = text.indexOf('}', open + 2);
            if (close < 0) {
                errors.add(path, "unterminated policy variable: '${' without '}'");
                return Optional.empty();
            }
            String name = text.substring(open + 2, close).trim();
            switch (name) {
                case "*", "?", "$" -> literal.append(ESCAPE).append(name.charAt(0));
                default -> {
                    Optional<ConditionKeys.Key> key = ConditionKeys.lookup(name, identityProviders);
                    if (key.isEmpty()) {
                        errors.add(path, "unknown policy variable ${" + name + "}");
                        return Optional.empty();
                    }
                    if (key.get().multiValued()) {
                        errors.add(path, "policy variable ${" + name
                                + "} names a multi-valued key; only single-valued keys can be variables");
                        return Optional.empty();
                    }
                    if (!literal.isEmpty()) {
                        parts.add(new Part(literal.toString(), null));
                        literal.setLength(0);
                    }
                    parts.add(new Part(null, ConditionKeys.normalize(name)));
                }
            }
            i = close + 1;
        }
        if (!literal.isEmpty() || parts.isEmpty()) {
            parts.add(new Part(literal.toString(), null));
        }
        return Optional.of(new Template(List.copyOf(parts)));
    }

    /**
     * Marks the next character as literal inside resolved text, so {@code ${*}} stays a literal asterisk in a
     * StringLike pattern. U+FFFF is a Unicode noncharacter: it never appears in valid interchanged text.
     */
    static final char ESCAPE = '\uFFFF';

    /** The value with variables replaced, escapes still marked; empty if a variable has no single value. */
    Optional<String> resolve(AccessRequest request) {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            if (part.variable() == null) {
                out.append(part.literal());
            } else {
                List<String> values = request.values(part.variable());
                if (values.size() != 1) {
                    return Optional.empty();
                }
                // Substituted text is always literal: a username of "*" must not become a wildcard.
                values.get(0).codePoints().forEach(c -> out.append(ESCAPE).appendCodePoint(c));
            }
        }
        return Optional.of(out.toString());
    }

    /** Removes escape marks: the text as compared by equality operators. */
    static String plain(String resolved) {
        return resolved.indexOf(ESCAPE) < 0 ? resolved : resolved.replace(String.valueOf(ESCAPE), "");
    }

    /** Wildcard tokens: unescaped {@code *}/{@code ?} are wildcards, escaped ones literal characters. */
    static int[] wildcardTokens(String resolved) {
        int[] tokens = new int[resolved.length()];
        int n = 0;
        for (int i = 0; i < resolved.length(); ) {
            int c = resolved.codePointAt(i);
            i += Character.charCount(c);
            if (c == ESCAPE && i < resolved.length()) {
                int escaped = resolved.codePointAt(i);
                i += Character.charCount(escaped);
                tokens[n++] = escaped;
            } else {
                tokens[n++] = c == '*' ? Wildcard.STAR : c == '?' ? Wildcard.ANY : c;
            }
        }
        return java.util.Arrays.copyOf(tokens, n);
    }
}
