package io.conlimit.fleet;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Real protocol answers, byte for byte, for the probe tests. */
final class WireAnswers {
    private WireAnswers() {
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A MySQL packet: 3-byte little-endian payload length, sequence id, payload. */
    static byte[] mysqlPacket(int sequence, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(payload.length & 0xff);
        out.write(payload.length >> 8 & 0xff);
        out.write(payload.length >> 16 & 0xff);
        out.write(sequence);
        out.writeBytes(payload);
        return out.toByteArray();
    }

    /** MariaDB 10.11's protocol-10 initial handshake (as captured from mariadb:10.11, scramble replaced). */
    static byte[] mariadbGreeting() {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0x0a);
        p.writeBytes(ascii("5.5.5-10.11.6-MariaDB-0+deb12u1\0"));
        p.writeBytes(new byte[] {0x2a, 0x00, 0x00, 0x00}); // connection id 42
        p.writeBytes(ascii("abcdefgh\0")); // scramble part 1, filler
        p.writeBytes(new byte[] {(byte) 0xfe, (byte) 0xf7}); // capabilities (lower)
        p.write(0x2d); // utf8mb4_general_ci
        p.writeBytes(new byte[] {0x02, 0x00}); // SERVER_STATUS_AUTOCOMMIT
        p.writeBytes(new byte[] {(byte) 0xff, (byte) 0x81}); // capabilities (upper)
        p.write(21); // auth plugin data length
        p.writeBytes(new byte[6]);
        p.writeBytes(new byte[] {0x1d, 0x00, 0x00, 0x00}); // MariaDB extended capabilities
        p.writeBytes(ascii("ijklmnopqrst\0"));
        p.writeBytes(ascii("mysql_native_password\0"));
        return mysqlPacket(0, p.toByteArray());
    }

    /** The error packet MySQL/MariaDB send instead of the greeting at max_connections: before the handshake, without a SQLSTATE. */
    static byte[] mysqlTooManyConnections() {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0xff);
        p.writeBytes(new byte[] {0x10, 0x04}); // 1040
        p.writeBytes(ascii("Too many connections"));
        return mysqlPacket(0, p.toByteArray());
    }

    /** An error packet with the SQLSTATE marker (protocol 4.1 form). */
    static byte[] mysqlErrorWithSqlState(int code, String state, String message) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0xff);
        p.writeBytes(new byte[] {(byte) (code & 0xff), (byte) (code >> 8)});
        p.writeBytes(ascii("#" + state + message));
        return mysqlPacket(0, p.toByteArray());
    }

    /** A PostgreSQL backend message: type, int32 length (itself included), body. */
    static byte[] pgMessage(char type, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int length = body.length + 4;
        out.write(type);
        out.writeBytes(new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length});
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** AuthenticationSASL offering SCRAM-SHA-256 (PostgreSQL 14+ default). */
    static byte[] pgAuthSasl() {
        return pgMessage('R', ascii("\0\0\0\nSCRAM-SHA-256\0\0"));
    }

    /** The ErrorResponse a PostgreSQL server at max_connections sends after the StartupMessage. */
    static byte[] pgError(String state, String message) {
        return pgMessage('E', ascii("SFATAL\0VFATAL\0C" + state + "\0M" + message + "\0Fproc.c\0L359\0RInitProcess\0\0"));
    }
}
