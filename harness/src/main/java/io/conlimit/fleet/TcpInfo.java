package io.conlimit.fleet;

import io.netty.channel.unix.Socket;
import io.netty.util.concurrent.FastThreadLocal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The two fields of Linux's {@code struct tcp_info} (linux/tcp.h, getsockopt IPPROTO_TCP TCP_INFO) the fleet
 * needs: {@code tcpi_state} (offset 0) and {@code tcpi_total_retrans} (offset 100, every retransmission of the
 * socket: while connecting, its SYN retransmits). One instance and direct buffer per thread, reused: reading
 * allocates nothing, and what {@link #read} returns is valid until the same thread reads again.
 */
final class TcpInfo {
    private static final int IPPROTO_TCP = 6; // netinet/in.h
    private static final int TCP_INFO = 11;   // linux/tcp.h
    private static final int STATE = 0;
    private static final int TOTAL_RETRANS = 100;
    private static final int SIZE = TOTAL_RETRANS + 4;

    // linux/tcp_states.h
    static final int ESTABLISHED = 1;
    static final int SYN_SENT = 2;
    static final int CLOSE = 7;
    static final int CLOSE_WAIT = 8;

    private static final FastThreadLocal<TcpInfo> PER_THREAD = new FastThreadLocal<>() {
        @Override
        protected TcpInfo initialValue() {
            return new TcpInfo();
        }
    };

    private final ByteBuffer buffer = ByteBuffer.allocateDirect(SIZE).order(ByteOrder.nativeOrder());

    private TcpInfo() {
    }

    /** Reads the socket's TCP_INFO into this thread's instance and returns it. */
    static TcpInfo read(Socket socket) throws IOException {
        TcpInfo info = PER_THREAD.get();
        info.buffer.clear();
        socket.getRawOpt(IPPROTO_TCP, TCP_INFO, info.buffer);
        return info;
    }

    int state() {
        return buffer.get(STATE) & 0xff;
    }

    int totalRetrans() {
        return buffer.getInt(TOTAL_RETRANS);
    }

    /** ESTABLISHED, or CLOSE_WAIT (connected, then the peer's FIN arrived): the handshake completed. */
    boolean handshakeDone() {
        int s = state();
        return s == ESTABLISHED || s == CLOSE_WAIT;
    }

    static String stateName(int state) {
        return switch (state) {
            case 1 -> "ESTABLISHED";
            case 2 -> "SYN_SENT";
            case 3 -> "SYN_RECV";
            case 4 -> "FIN_WAIT1";
            case 5 -> "FIN_WAIT2";
            case 6 -> "TIME_WAIT";
            case 7 -> "CLOSE";
            case 8 -> "CLOSE_WAIT";
            case 9 -> "LAST_ACK";
            case 10 -> "LISTEN";
            case 11 -> "CLOSING";
            default -> "state " + state;
        };
    }
}
