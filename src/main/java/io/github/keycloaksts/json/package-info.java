/**
 * Strict JSON reading (duplicate keys, depth and size limits) shared by every parser at the edge.
 * <p>
 * May use: the JDK and Jackson only.
 */
package io.github.keycloaksts.json;
