/**
 * Federation: web identity (OpenID Connect tokens of the realm's identity providers), SAML assertions, and the
 * brokered-login mapper that records what a provider asserted.
 * <p>
 * May use: subject, session, facts, policy, compat, oauth, json.
 */
package io.github.keycloaksts.federation;
