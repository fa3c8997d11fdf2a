/**
 * The IAM admin REST API (roles, import/export, simulation, revocation) and its admin events and permission rules.
 * <p>
 * May use: store, session, facts, role, policy, json.
 */
package io.github.keycloaksts.admin;
