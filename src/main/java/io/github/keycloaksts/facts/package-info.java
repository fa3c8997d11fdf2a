/**
 * The one model of who a caller is for a trust decision: origins, principal facts bound to immutable ids,
 * authentication, the origin a role session carries, what an identity provider asserted at brokered login.
 * <p>
 * May use: policy, json.
 */
package io.github.keycloaksts.facts;
