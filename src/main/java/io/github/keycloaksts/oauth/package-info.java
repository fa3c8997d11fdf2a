/**
 * The OAuth 2.0 errors the STS answers with (RFC 6749 §5.2, RFC 8693 §2.2.2): error code, description, status.
 * <p>
 * May use: nothing of ours.
 */
package io.github.keycloaksts.oauth;
