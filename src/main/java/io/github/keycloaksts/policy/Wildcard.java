package io.github.keycloaksts.policy;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An AWS-style wildcard pattern ({@code *} any run of characters, {@code ?} exactly one), matched by a bit-parallel
 * NFA (Shift-And): one left-to-right pass over the text, {@code O(text × ⌈pattern/64⌉)} word operations, no
 * backtracking. A hostile pattern such as {@code *a*a*a*a*b} costs the same as any other pattern of its length,
 * which a backtracking regular expression cannot promise. Immutable and thread-safe.
 */
public final class Wildcard {

    /** As written; null for a pattern given as tokens, whose text is built only when asked for. */
    private final String pattern;
    private final int[] tokens;
    private final boolean ignoreCase;
    /** Number of NFA states: one per non-collapsed pattern character, plus the accepting state. */
    private final int states;
    private final int words;
    private final Map<Integer, long[]> literalMasks = new HashMap<>();
    private final long[] anyMask;
    private final long[] starMask;
    private final long[] start;
    private final int acceptWord;
    private final long acceptBit;
    /** Patterns without wildcards are compared directly. */
    private final String literal;

    /** Token standing for {@code *} in {@link #ofTokens}; any other negative value is {@code ?}. */
    static final int STAR = -1;
    static final int ANY = -2;

    private Wildcard(String pattern, int[] tokens, boolean ignoreCase) {
        this.pattern = pattern;
        this.tokens = tokens;
        this.ignoreCase = ignoreCase;
        int[] codePoints = collapseStars(tokens);
        this.literal = java.util.Arrays.stream(codePoints).allMatch(c -> c >= 0)
                ? new String(codePoints, 0, codePoints.length) : null;
        this.states = codePoints.length + 1;
        this.words = (states + 63) >>> 6;
        this.anyMask = new long[words];
        this.starMask = new long[words];
        for (int i = 0; i < codePoints.length; i++) {
            int c = codePoints[i];
            if (c == STAR) {
                set(starMask, i);
            } else if (c < 0) {
                set(anyMask, i);
            } else {
                set(literalMasks.computeIfAbsent(c, k -> new long[words]), i);
            }
        }
        this.start = new long[words];
        set(start, 0);
        closeOverStars(start);
        this.acceptWord = codePoints.length >>> 6;
        this.acceptBit = 1L << (codePoints.length & 63);
    }

    /** Case-sensitive pattern, as {@code StringLike} and {@code ArnLike}. */
    public static Wildcard of(String pattern) {
        return new Wildcard(pattern, tokens(pattern), false);
    }

    /** Case-insensitive pattern, as action names. */
    public static Wildcard ignoringCase(String pattern) {
        return new Wildcard(pattern, tokens(pattern.toLowerCase(Locale.ROOT)), true);
    }

    /**
     * A pattern given as code points where {@link #STAR} and {@link #ANY} are the wildcards, so that a literal
     * {@code *} or {@code ?} (AWS's {@code ${*}} and {@code ${?}}) can stand in it too.
     */
    static Wildcard ofTokens(int[] tokens) {
        // Built per request for templated values: the display text waits until someone asks for it. Callers hand
        // over a fresh array, which is never written to.
        return new Wildcard(null, tokens, false);
    }

    private static int[] tokens(String pattern) {
        return pattern.codePoints().map(c -> c == '*' ? STAR : c == '?' ? ANY : c).toArray();
    }

    public static boolean hasWildcards(String text) {
        return text.indexOf('*') >= 0 || text.indexOf('?') >= 0;
    }

    public boolean matches(String text) {
        String subject = ignoreCase ? text.toLowerCase(Locale.ROOT) : text;
        if (literal != null) {
            return literal.equals(subject);
        }
        long[] current = start.clone();
        long[] next = new long[words];
        for (int i = 0; i < subject.length(); ) {
            int c = subject.codePointAt(i);
            i += Character.charCount(c);
            long[] literalMask = literalMasks.get(c);
            long carry = 0;
            boolean any = false;
            for (int w = 0; w < words; w++) {
                long consuming = current[w] & (anyMask[w] | (literalMask == null ? 0 : literalMask[w]));
                long shifted = (consuming << 1) | carry;
                carry = consuming >>> 63;
                next[w] = shifted | (current[w] & starMask[w]);
                any |= next[w] != 0;
            }
            if (!any) {
                return false;
            }
            closeOverStars(next);
            long[] swap = current;
            current = next;
            next = swap;
        }
        return (current[acceptWord] & acceptBit) != 0;
    }

    /** A star may match nothing: a state sitting on a star also stands after it. Stars never repeat (collapsed). */
    private void closeOverStars(long[] set) {
        long carry = 0;
        for (int w = 0; w < words; w++) {
            long onStar = set[w] & starMask[w];
            long shifted = (onStar << 1) | carry;
            carry = onStar >>> 63;
            set[w] |= shifted;
        }
    }

    private static void set(long[] bits, int index) {
        bits[index >>> 6] |= 1L << (index & 63);
    }

    private static int[] collapseStars(int[] tokens) {
        int[] out = new int[tokens.length];
        int n = 0;
        for (int t : tokens) {
            if (t != STAR || n == 0 || out[n - 1] != STAR) {
                out[n++] = t;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    @Override
    public String toString() {
        if (pattern != null) {
            return pattern;
        }
        StringBuilder display = new StringBuilder();
        for (int t : tokens) {
            display.append(t == STAR ? "*" : t < 0 ? "?" : new String(Character.toChars(t)));
        }
        return display.toString();
    }
}
