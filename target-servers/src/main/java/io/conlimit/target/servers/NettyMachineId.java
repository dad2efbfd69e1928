package io.conlimit.target.servers;

import java.security.SecureRandom;

/**
 * Gives Netty its machine id before Netty looks for one. Netty ({@code DefaultChannelId}) derives the id from the
 * best hardware (MAC) address of the network interfaces; in a network namespace with only {@code lo} there is none,
 * and it then prints a JVM logging warning ("Failed to find a usable hardware address...") to the user, in the
 * middle of a run's output. The id only keeps channel ids unique between processes and is never shown; random
 * bytes are what Netty falls back to there anyway. Set once per process, so it is stable for the process's life;
 * a value the user gave ({@code -Dio.netty.machineId=...}) is kept.
 */
public final class NettyMachineId {
    public static final String PROPERTY = "io.netty.machineId";

    private NettyMachineId() {
    }

    /** Sets {@value #PROPERTY} to 8 random bytes ({@code xx:xx:...}) unless it is set already. Call before Netty loads. */
    public static synchronized void ensure() {
        if (System.getProperty(PROPERTY) != null) {
            return;
        }
        byte[] id = new byte[8];
        new SecureRandom().nextBytes(id);
        id[0] |= 0x02; // locally administered, as a made-up EUI-64 should be
        id[0] &= (byte) ~0x01; // unicast
        StringBuilder s = new StringBuilder(23);
        for (byte b : id) {
            if (s.length() > 0) {
                s.append(':');
            }
            s.append(String.format("%02x", b & 0xff));
        }
        System.setProperty(PROPERTY, s.toString());
    }
}
