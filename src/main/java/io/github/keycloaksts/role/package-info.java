/**
 * The IAM role as administrators write it: drafts, their parser and limits, KRNs, permission names. No Keycloak
 * types.
 * <p>
 * May use: policy, json.
 */
package io.github.keycloaksts.role;
