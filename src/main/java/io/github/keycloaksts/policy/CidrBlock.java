package io.github.keycloaksts.policy;

import com.google.common.net.InetAddresses;
import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * An IPv4 or IPv6 address block for {@code IpAddress}/{@code NotIpAddress}: {@code 203.0.113.0/24},
 * {@code 2001:db8::/32}, or a single address (a /32 or /128). Parsing is Guava's {@code InetAddresses} (literals
 * only, never a DNS lookup) and matching Netty's {@code IpSubnetFilterRule}, both shipped with Keycloak.
 */
final class CidrBlock {

    private final IpSubnetFilterRule rule;

    private CidrBlock(IpSubnetFilterRule rule) {
        this.rule = rule;
    }

    /** @return the block, or null when the text is not an address or address/prefix */
    static CidrBlock parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 64) {
            return null;
        }
        int slash = text.indexOf('/');
        InetAddress address = address(slash < 0 ? text : text.substring(0, slash));
        if (address == null) {
            return null;
        }
        int maxPrefix = address instanceof Inet4Address ? 32 : 128;
        int prefix = maxPrefix;
        if (slash >= 0) {
            String digits = text.substring(slash + 1);
            if (!digits.matches("\\d{1,3}") || Integer.parseInt(digits) > maxPrefix) {
                return null;
            }
            prefix = Integer.parseInt(digits);
        }
        return new CidrBlock(new IpSubnetFilterRule(address, prefix, IpFilterRuleType.ACCEPT));
    }

    boolean contains(String requestAddress) {
        InetAddress address = address(requestAddress);
        return address != null && rule.matches(new InetSocketAddress(address, 0));
    }

    private static InetAddress address(String text) {
        if (text == null || text.isEmpty() || text.length() > 45) {
            return null;
        }
        try {
            return InetAddresses.forString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
