package io.github.keycloaksts.json;

/** The request body is not acceptable JSON; the message says where and why, without echoing the body. */
public final class MalformedJsonException extends RuntimeException {

    private final boolean tooLarge;

    MalformedJsonException(String message, boolean tooLarge) {
        super(message);
        this.tooLarge = tooLarge;
    }

    /** True when the body was refused for its size alone (HTTP 413), false for any other defect (HTTP 400). */
    public boolean tooLarge() {
        return tooLarge;
    }
}
