/**
 * Role sign-in: the role picker (required action), the role-session mapper that replaces a login's token, the facts
 * of a sign-in session.
 * <p>
 * May use: session, store, facts, role, policy, json.
 */
package io.github.keycloaksts.signin;
