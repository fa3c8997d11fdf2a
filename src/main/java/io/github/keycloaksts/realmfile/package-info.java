/**
 * IAM roles inside Keycloak's own realm representation, so that everything administrators already use to move
 * realms carries them: {@code kc.sh export}/{@code import}, {@code kc.sh start --import-realm}, the Operator's realm
 * import, {@code POST /admin/realms} and the console's partial export. Each role is mirrored as one component of
 * the realm, written in the transaction that changes the role, and restored when a realm is created from a file.
 * <p>
 * May use: admin, store, role, json.
 */
package io.github.keycloaksts.realmfile;
