package io.conlimit.theory;

/**
 * The two settings of the server's kernel that decide what a cluster of retransmitted SYNs meets (read from its
 * sysctls, -1 when unknown): with SYN cookies on and {@code tcp_abort_on_overflow} off, a cluster that arrives
 * while the accept queue has a free slot is answered whole (cookies once the SYN queue is full), and the final ACKs
 * the refilled queue cannot take are dropped silently: those clients are connected, the server has no socket.
 *
 * @param syncookies      net.ipv4.tcp_syncookies (0, 1 or 2), -1 when unknown
 * @param abortOnOverflow net.ipv4.tcp_abort_on_overflow (0 or 1), -1 when unknown
 */
public record ServerKernel(int syncookies, int abortOnOverflow) {
    public static final ServerKernel UNKNOWN = new ServerKernel(-1, -1);

    /** Whether a retry cluster meeting a free slot is answered whole, its excess left connected without a socket. */
    public boolean answersWholeClusters() {
        return syncookies >= 1 && abortOnOverflow == 0;
    }

    public boolean known() {
        return syncookies >= 0 && abortOnOverflow >= 0;
    }
}
