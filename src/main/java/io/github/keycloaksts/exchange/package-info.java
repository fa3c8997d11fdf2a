/**
 * AssumeRole as an RFC 8693 token exchange: the request parsed once, the three-phase decision, minting through
 * session, events, metrics and the response.
 * <p>
 * May use: subject, federation, session, store, facts, role, policy, metrics, compat, oauth, json.
 */
package io.github.keycloaksts.exchange;
