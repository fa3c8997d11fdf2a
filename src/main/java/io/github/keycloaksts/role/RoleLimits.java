package io.github.keycloaksts.role;

import java.util.regex.Pattern;

/** The limits of a role document, taken from AWS IAM's own quotas where one exists. */
public final class RoleLimits {

    /** A role session name (AWS RoleSessionName): 2-64 of letters, digits and {@code _ + = , . @ -}. */
    public static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");

    /** AWS IAM RoleName: {@code [\w+=,.@-]+}, 1–64 characters. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9+=,.@_-]{1,64}");
    /** AWS IAM Path: {@code /} or {@code /seg/.../}, printable ASCII without spaces, 1–512 characters. */
    public static final Pattern PATH = Pattern.compile("/|/[\\x21-\\x7E&&[^/]]+(/[\\x21-\\x7E&&[^/]]+)*/");
    public static final int PATH_MAX = 512;
    public static final int DESCRIPTION_MAX = 1000;
    public static final int TAGS_MAX = 50;
    public static final int TAG_KEY_MAX = 128;
    public static final int TAG_VALUE_MAX = 256;
    /** AWS tag character set: letters, digits, spaces and {@code _ . : / = + - @}. */
    public static final Pattern TAG_KEY = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+");
    public static final Pattern TAG_VALUE = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");
    public static final int MIN_SESSION_DURATION = 900;
    public static final int MAX_SESSION_DURATION = 43_200;
    public static final int DEFAULT_SESSION_DURATION = 3_600;
    /** Permissions name at most this many realm roles and this many client roles in all. */
    public static final int PERMISSIONS_MAX = 500;
    /** Audiences, and scopes, a role may name (each). */
    public static final int AUDIENCES_MAX = 20;
    /** A scope-token of RFC 6749 section 3.3: %x21 / %x23-5B / %x5D-7E. */
    public static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");
    /** The serialized trust policy; AWS allows 2048 characters by default and 4096 at most, we allow more. */
    public static final int TRUST_POLICY_MAX_BYTES = 10 * 1024;

    private RoleLimits() {
    }
}
