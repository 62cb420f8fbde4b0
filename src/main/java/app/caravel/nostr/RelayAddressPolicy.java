package app.caravel.nostr;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which relay URLs the service may be made to connect to. Operator-configured relays (the robot's, the
 * platform wallet's) are trusted. Every other URL comes from a tenant (its NWC URI, its relay lists) and
 * may not point at loopback, link-local, private or unique-local addresses unless the operator allows them
 * ({@code ALLOW_PRIVATE_RELAYS}, for development and tests), and never at this service's own ports on a local
 * address. DNS is resolved at connection time; a name re-resolved by the websocket client afterwards
 * (DNS rebinding) is outside what this check can see.
 */
public final class RelayAddressPolicy {
    private final Set<String> trusted;
    private final boolean allowPrivate;
    private final Set<Integer> ownPorts = ConcurrentHashMap.newKeySet();

    public RelayAddressPolicy(Set<String> trusted, boolean allowPrivate) {
        this.trusted = Set.copyOf(trusted);
        this.allowPrivate = allowPrivate;
    }

    /** For test doubles and clients that are not the service: every address allowed. */
    public static RelayAddressPolicy any() {
        return new RelayAddressPolicy(Set.of(), true);
    }

    /** The ports this process listens on (API, admin, dashboard), known once its servers are bound. */
    public void addOwnPort(int port) {
        if (port > 0) {
            ownPorts.add(port);
        }
    }

    public boolean trusts(String url) {
        return trusted.contains(url);
    }

    /** Why a tenant's URL is refused, judged without DNS: literal addresses and {@code localhost} only. */
    public Optional<String> refusalWithoutLookup(String url) {
        Target target;
        try {
            target = Target.of(url);
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        if (target.host().equals("localhost") || target.host().endsWith(".localhost")) {
            return refusal(InetAddress.getLoopbackAddress(), target.port());
        }
        if (!isLiteral(target.host())) {
            return Optional.empty();
        }
        try {
            return refusal(InetAddress.getByName(target.host()), target.port());
        } catch (UnknownHostException e) {
            return Optional.of("relay host is not a valid address");
        }
    }

    /** Throws with the reason when the service must not connect to {@code url}; resolves its host. */
    public void check(String url) {
        if (trusts(url)) {
            return;
        }
        Target target = Target.of(url);
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(target.host());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("relay host " + target.host() + " does not resolve");
        }
        for (InetAddress address : addresses) {
            refusal(address, target.port()).ifPresent(reason -> {
                throw new IllegalArgumentException(reason + ": " + url);
            });
        }
    }

    private Optional<String> refusal(InetAddress address, int port) {
        boolean local = isLocal(address);
        if (local && ownPorts.contains(port)) {
            return Optional.of("relay URL points at this service's own port");
        }
        if (!allowPrivate && (local || isPrivate(address))) {
            return Optional.of("relay URL points at a private, loopback or link-local address");
        }
        return Optional.empty();
    }

    private static boolean isLocal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress()) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            return false;
        }
    }

    private static boolean isPrivate(InetAddress address) {
        if (address.isSiteLocalAddress() || address.isLinkLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] raw = address.getAddress();
        if (address instanceof Inet6Address) {
            return (raw[0] & 0xfe) == 0xfc; // fc00::/7 unique local
        }
        return (raw[0] & 0xff) == 100 && (raw[1] & 0xc0) == 64; // 100.64.0.0/10 carrier-grade NAT
    }

    private static boolean isLiteral(String host) {
        return host.contains(":") || host.matches("[0-9.]+");
    }

    private record Target(String host, int port) {
        static Target of(String url) {
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("relay URL is not a URL");
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("ws") && !scheme.equals("wss") || uri.getHost() == null) {
                throw new IllegalArgumentException("relay URL must be ws:// or wss:// with a host");
            }
            String host = uri.getHost().toLowerCase(Locale.ROOT);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            return new Target(host, uri.getPort() != -1 ? uri.getPort() : scheme.equals("wss") ? 443 : 80);
        }
    }
}
