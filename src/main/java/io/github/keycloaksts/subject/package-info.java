/**
 * Verifying the subject token of an exchange and who it makes the caller: a principal's own token (this or another
 * realm), an earlier role session (chaining), an external identity.
 * <p>
 * May use: session, facts, policy, compat, oauth.
 */
package io.github.keycloaksts.subject;
