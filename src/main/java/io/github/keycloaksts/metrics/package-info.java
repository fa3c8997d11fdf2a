/**
 * The extension's Micrometer meters (exchanges, policy evaluation time, gauges), per node.
 * <p>
 * May use: nothing of ours.
 */
package io.github.keycloaksts.metrics;
