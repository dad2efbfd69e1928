package io.conlimit.lab;

import java.util.Collection;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lab's two addresses, from 198.18.0.0/15, the range RFC 2544 reserves for benchmarking (never routed
 * on the Internet): lab {@code n} uses the /30 {@code 198.18.n.0}, the server {@code 198.18.n.1} and the
 * client {@code 198.18.n.2}. Each lab's veth pair lives only inside its own two namespaces, so labs cannot
 * collide even with equal addresses; n is still chosen unused among existing labs so that logs and
 * {@code ip netns} listings are unambiguous.
 *
 * @param subnet n, the third octet, 0..255
 */
public record LabAddresses(int subnet) {
    public static final int PREFIX_LENGTH = 30;
    private static final Pattern LAB_ADDRESS = Pattern.compile("\\b198\\.18\\.(\\d{1,3})\\.\\d{1,3}/");

    public LabAddresses {
        if (subnet < 0 || subnet > 255) {
            throw new IllegalArgumentException("lab subnet " + subnet + ": must be 0..255 (198.18.n.0/30)");
        }
    }

    public String serverAddress() {
        return "198.18." + subnet + ".1";
    }

    public String clientAddress() {
        return "198.18." + subnet + ".2";
    }

    /** e.g. {@code 198.18.3.1/30}, for {@code ip addr add}. */
    public String serverCidr() {
        return serverAddress() + "/" + PREFIX_LENGTH;
    }

    public String clientCidr() {
        return clientAddress() + "/" + PREFIX_LENGTH;
    }

    /** The lowest n in 1..254 not in {@code used}; empty when all are taken. */
    public static Optional<LabAddresses> firstFree(Collection<Integer> used) {
        for (int n = 1; n <= 254; n++) {
            if (!used.contains(n)) {
                return Optional.of(new LabAddresses(n));
            }
        }
        return Optional.empty();
    }

    /** The n of every 198.18.n.x/len address in {@code ip -o addr} output, added to {@code into}. */
    static void subnetsIn(String ipAddrOutput, Collection<Integer> into) {
        Matcher m = LAB_ADDRESS.matcher(ipAddrOutput);
        while (m.find()) {
            int n = Integer.parseInt(m.group(1));
            if (n <= 255) {
                into.add(n);
            }
        }
    }

    @Override
    public String toString() {
        return "server " + serverCidr() + ", client " + clientCidr();
    }
}
