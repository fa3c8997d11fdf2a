package io.github.keycloaksts.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A condition value with policy variables ({@code "${kc:Username}-*"}), compiled once: its literal parts are read
 * (escapes removed, wildcards tokenized, KRN parts split and compiled) at compile time, so an evaluation only looks
 * up the variables and substitutes them. The result is the one the whole value, resolved as {@link Template#resolve}
 * describes, would give: substituted text is always literal.
 */
final class TemplatedMatcher implements ValueMatcher {

    private static final int KRN_PARTS = 6;

    private final Operator positive;
    private final Template template;
    /** The normalized key of each variable, in order. */
    private final String[] keys;
    /** For StringEquals(IgnoreCase): per part, its plain text, or null for a variable. */
    private final String[] plainParts;
    /** For StringLike: the whole value as wildcard tokens. */
    private final Tokens like;
    /** For ArnLike/ArnEquals: the six parts, or null when the literal text has fewer than five colons. */
    private final Tokens[] krnParts;

    TemplatedMatcher(Operator positive, Template template) {
        this.positive = positive;
        this.template = template;
        List<Template.Part> parts = template.parts();
        this.keys = parts.stream().map(Template.Part::variable).filter(java.util.Objects::nonNull).toArray(String[]::new);
        this.plainParts = parts.stream().map(p -> p.literal() == null ? null : Template.plain(p.literal())).toArray(String[]::new);
        this.like = positive == Operator.STRING_LIKE ? Tokens.of(parts, 0) : null;
        this.krnParts = positive == Operator.ARN_LIKE || positive == Operator.ARN_EQUALS ? krnParts(parts) : null;
    }

    @Override
    public boolean templated() {
        return true;
    }

    /** Unbound, a templated value cannot say what it matches; conditions {@link #bind} it first. */
    @Override
    public boolean matches(String requestValue) {
        throw new IllegalStateException("a templated value is matched once bound to a request");
    }

    @Override
    public ValueMatcher bind(AccessRequest request) {
        String[] values = new String[keys.length];
        for (int i = 0; i < keys.length; i++) {
            List<String> present = request.normalizedValues(keys[i]);
            if (present.size() != 1) {
                return null;
            }
            values[i] = present.get(0);
        }
        return switch (positive) {
            case STRING_EQUALS -> {
                String expected = plain(values);
                yield expected::equals;
            }
            case STRING_EQUALS_IGNORE_CASE -> {
                // Lower-cased as a whole, as the resolved value would be (case mapping may depend on neighbours).
                String expected = plain(values).toLowerCase(Locale.ROOT);
                yield requestValue -> requestValue.toLowerCase(Locale.ROOT).equals(expected);
            }
            case STRING_LIKE -> like.wildcard(values)::matches;
            case ARN_EQUALS, ARN_LIKE -> krn(values, request);
            default -> throw new IllegalArgumentException("no variables for " + positive);
        };
    }

    /** The value as equality operators compare it: escapes removed, from the substituted text too. */
    private String plain(String[] values) {
        StringBuilder out = new StringBuilder();
        int variable = 0;
        for (String part : plainParts) {
            out.append(part != null ? part : Template.plain(values[variable++]));
        }
        return out.toString();
    }

    private ValueMatcher krn(String[] values, AccessRequest request) {
        for (String value : values) {
            if (value.indexOf(':') >= 0) {
                // A substituted colon moves the part boundaries: resolve the whole value, as the reference reads it.
                KrnPattern pattern = KrnPattern.of(template.resolve(request).orElseThrow());
                return requestValue -> pattern != null && pattern.matches(requestValue);
            }
        }
        if (krnParts == null) {
            return requestValue -> false;
        }
        Wildcard[] parts = new Wildcard[KRN_PARTS];
        for (int i = 0; i < KRN_PARTS; i++) {
            parts[i] = krnParts[i].wildcard(values);
        }
        KrnPattern pattern = KrnPattern.of(parts);
        return pattern::matches;
    }

    /** Splits the literal text at its first five colons, as {@code split(":", 6)} splits the resolved value. */
    private static Tokens[] krnParts(List<Template.Part> parts) {
        List<List<Template.Part>> split = new ArrayList<>();
        List<Template.Part> current = new ArrayList<>();
        for (Template.Part part : parts) {
            if (part.literal() == null) {
                current.add(part);
                continue;
            }
            StringBuilder fragment = new StringBuilder();
            for (int i = 0; i < part.literal().length(); i++) {
                char c = part.literal().charAt(i);
                if (c == ':' && split.size() < KRN_PARTS - 1) {
                    current.add(new Template.Part(fragment.toString(), null));
                    split.add(current);
                    current = new ArrayList<>();
                    fragment.setLength(0);
                } else {
                    fragment.append(c);
                }
            }
            current.add(new Template.Part(fragment.toString(), null));
        }
        split.add(current);
        if (split.size() != KRN_PARTS) {
            return null;
        }
        Tokens[] tokens = new Tokens[KRN_PARTS];
        int firstVariable = 0;
        for (int i = 0; i < KRN_PARTS; i++) {
            tokens[i] = Tokens.of(split.get(i), firstVariable);
            firstVariable += (int) split.get(i).stream().filter(p -> p.literal() == null).count();
        }
        return tokens;
    }

    /**
     * Wildcard tokens of literal runs, with slots for variables: compiled once when there is no slot, otherwise
     * assembled per request from the precomputed runs and the substituted code points.
     */
    private static final class Tokens {

        /** Per part: its tokens, or null for a variable. */
        private final int[][] runs;
        /** The number, in the whole template, of this part's first variable. */
        private final int firstVariable;
        private final Wildcard compiled;

        private Tokens(int[][] runs, int firstVariable, boolean variables) {
            this.runs = runs;
            this.firstVariable = firstVariable;
            this.compiled = variables ? null : Wildcard.ofTokens(assemble(new String[0]));
        }

        /** @param firstVariable the number, in the whole template, of the first variable among {@code parts} */
        static Tokens of(List<Template.Part> parts, int firstVariable) {
            int[][] runs = new int[parts.size()][];
            boolean variables = false;
            for (int i = 0; i < parts.size(); i++) {
                if (parts.get(i).literal() != null) {
                    runs[i] = Template.wildcardTokens(parts.get(i).literal());
                } else {
                    variables = true;
                }
            }
            return new Tokens(runs, firstVariable, variables);
        }

        Wildcard wildcard(String[] values) {
            return compiled != null ? compiled : Wildcard.ofTokens(assemble(values));
        }

        /** @param values every variable's value of the whole template, in order */
        private int[] assemble(String[] values) {
            int length = 0;
            int variable = firstVariable;
            for (int[] run : runs) {
                length += run != null ? run.length : values[variable++].length();
            }
            int[] tokens = new int[length];
            int n = 0;
            boolean lastFromLiteral = false;
            variable = firstVariable;
            for (int i = 0; i < runs.length; i++) {
                if (runs[i] == null) {
                    String value = values[variable++];
                    for (int j = 0; j < value.length(); ) {
                        int c = value.codePointAt(j);
                        j += Character.charCount(c);
                        tokens[n++] = c;
                    }
                    lastFromLiteral = lastFromLiteral && value.isEmpty();
                    continue;
                }
                for (int k = 0; k < runs[i].length; k++) {
                    int t = runs[i][k];
                    // Two literal runs with an empty value between are one text, where a split surrogate pair joins.
                    if (k == 0 && lastFromLiteral && n > 0 && isLowSurrogate(t) && isHighSurrogate(tokens[n - 1])) {
                        tokens[n - 1] = Character.toCodePoint((char) tokens[n - 1], (char) t);
                    } else {
                        tokens[n++] = t;
                    }
                }
                lastFromLiteral = true;
            }
            return java.util.Arrays.copyOf(tokens, n);
        }

        private static boolean isHighSurrogate(int token) {
            return token >= 0 && token <= Character.MAX_VALUE && Character.isHighSurrogate((char) token);
        }

        private static boolean isLowSurrogate(int token) {
            return token >= 0 && token <= Character.MAX_VALUE && Character.isLowSurrogate((char) token);
        }
    }
}
