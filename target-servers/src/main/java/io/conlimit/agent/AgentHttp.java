package io.conlimit.agent;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The agent's HTTP/1.1 transport: one selector thread reads every request head without blocking, so a client
 * that sends half a request costs a buffer, never a thread. Each request is answered independently and the
 * connection closed ({@code Connection: close}).
 * <ul>
 *   <li>A request head (request line and headers, at most {@link Limits#maxHeadBytes}) must arrive within
 *       {@link Limits#readTimeout} of the accept: else 408 (or 431 when too long) and the connection is closed.</li>
 *   <li>At most {@link Limits#maxConnections} connections are open; a new one beyond that closes the connection
 *       that has been reading its head the longest (a slow client never keeps a prompt one out).</li>
 *   <li>{@link Exchange#gate} runs on the selector thread and answers cheap refusals (a missing token) at once;
 *       the rest run on {@link Limits#workers} threads with a bounded queue (503 when it is full).</li>
 *   <li>An answer not written within {@link Limits#writeTimeout} is dropped with its connection.</li>
 * </ul>
 */
final class AgentHttp implements AutoCloseable {
    /** The bounds; {@link #DEFAULT} is what {@code conlimit agent} uses (docs/kernel-evidence.md). */
    record Limits(Duration readTimeout, Duration writeTimeout, int maxConnections, int maxHeadBytes, int workers,
                  int queued) {
        static final Limits DEFAULT = new Limits(Duration.ofSeconds(2), Duration.ofSeconds(5), 256, 8192, 4, 64);
    }

    /** A request: the method, the raw target's path and query, and the headers (names in lower case). */
    record Request(String method, String path, String rawQuery, Map<String, String> headers) {
    }

    /** An answer: status, JSON body, extra headers. */
    record Response(int status, byte[] body, Map<String, String> headers) {
        static Response json(int status, String json) {
            return new Response(status, (json + "\n").getBytes(StandardCharsets.UTF_8), Map.of());
        }
    }

    /** What the agent does with a request: {@code gate} (selector thread, cheap) may answer at once; else {@code handle}. */
    interface Exchange {
        Response gate(Request r);

        Response handle(Request r);
    }

    private final Limits limits;
    private final Exchange exchange;
    private final Function<String, Response> errors;
    private final Selector selector;
    private final ServerSocketChannel listener;
    private final ThreadPoolExecutor workers;
    private final Thread loop;
    private final Queue<Runnable> fromWorkers = new ConcurrentLinkedQueue<>();
    /** Connections still reading their head, oldest first (selector thread only). */
    private final ArrayDeque<Conn> reading = new ArrayDeque<>();
    private int open;
    private volatile boolean closed;

    /**
     * @param errors builds the JSON answer of a transport error (408, 431, 400, 503) from its message
     */
    AgentHttp(InetSocketAddress bind, Limits limits, Exchange exchange, Function<String, String> errors) throws IOException {
        this.limits = limits;
        this.exchange = exchange;
        this.errors = message -> Response.json(0, errors.apply(message));
        this.selector = Selector.open();
        this.listener = ServerSocketChannel.open();
        try {
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            listener.bind(bind, 128);
            listener.configureBlocking(false);
            listener.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException e) {
            listener.close();
            selector.close();
            throw e;
        }
        this.workers = new ThreadPoolExecutor(limits.workers(), limits.workers(), 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(limits.queued()), r -> {
                    Thread t = new Thread(r, "conlimit-agent-worker");
                    t.setDaemon(true);
                    return t;
                });
        this.loop = new Thread(this::run, "conlimit-agent-io");
        loop.setDaemon(true);
        loop.start();
    }

    InetSocketAddress address() {
        try {
            return (InetSocketAddress) listener.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("agent listener closed", e);
        }
    }

    /** Connections open now (for tests; read from another thread it is a snapshot). */
    int openConnections() {
        return open;
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            loop.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdownNow();
    }

    private void run() {
        try {
            while (!closed) {
                selector.select(nextWakeMillis());
                Runnable r;
                while ((r = fromWorkers.poll()) != null) {
                    r.run();
                }
                for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                    SelectionKey key = it.next();
                    it.remove();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        acceptAll();
                    } else {
                        Conn c = (Conn) key.attachment();
                        if (key.isReadable()) {
                            c.read();
                        } else if (key.isWritable()) {
                            c.write();
                        }
                    }
                }
                expire();
            }
        } catch (IOException | ClosedSelectorException e) {
            // the selector failed: stop serving (close() below)
        } finally {
            for (SelectionKey k : selector.keys()) {
                closeQuietly(k.channel());
            }
            closeQuietly(selector);
        }
    }

    private long nextWakeMillis() {
        // Deadlines are checked at least every 100 ms: a 2 s read timeout is kept to within 0.1 s.
        return 100;
    }

    private void acceptAll() throws IOException {
        SocketChannel ch;
        while ((ch = listener.accept()) != null) {
            if (open >= limits.maxConnections()) {
                Conn oldest = reading.pollFirst();
                if (oldest == null) {
                    closeQuietly(ch);  // every slot is answering a complete request: this one waits for none
                    continue;
                }
                oldest.close();
            }
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            Conn c = new Conn(ch, System.nanoTime());
            c.key = ch.register(selector, SelectionKey.OP_READ, c);
            open++;
            reading.addLast(c);
        }
    }

    private void expire() {
        long now = System.nanoTime();
        long readNanos = limits.readTimeout().toNanos();
        while (!reading.isEmpty() && now - reading.peekFirst().accepted >= readNanos) {
            Conn c = reading.pollFirst();
            c.answer(status(errors.apply("no complete request within " + limits.readTimeout().toMillis()
                    + " ms of connecting (the agent's read timeout)"), 408), now);
        }
        long writeNanos = limits.writeTimeout().toNanos();
        for (SelectionKey k : selector.keys()) {
            if (k.attachment() instanceof Conn c && c.writeSince != 0 && now - c.writeSince >= writeNanos) {
                c.close();
            }
        }
    }

    private static Response status(Response r, int status) {
        return new Response(status, r.body(), r.headers());
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing: nothing to do
        }
    }

    private final class Conn {
        final SocketChannel ch;
        final long accepted;
        SelectionKey key;
        ByteBuffer head = ByteBuffer.allocate(1024);
        ByteBuffer out;
        long writeSince;
        boolean gone;

        Conn(SocketChannel ch, long accepted) {
            this.ch = ch;
            this.accepted = accepted;
        }

        void read() {
            try {
                if (!head.hasRemaining()) {
                    ByteBuffer bigger = ByteBuffer.allocate(Math.min(limits.maxHeadBytes(), head.capacity() * 2));
                    head.flip();
                    bigger.put(head);
                    head = bigger;
                }
                int n = ch.read(head);
                if (n < 0) {
                    close();
                    return;
                }
                int end = headEnd();
                if (end < 0) {
                    if (!head.hasRemaining() && head.capacity() >= limits.maxHeadBytes()) {
                        reading.remove(this);
                        key.interestOps(0);
                        answer(status(errors.apply("request head longer than " + limits.maxHeadBytes() + " bytes"), 431),
                                System.nanoTime());
                    }
                    return;
                }
                reading.remove(this);
                key.interestOps(0);
                String text = new String(head.array(), 0, end, StandardCharsets.ISO_8859_1);
                Request r = parse(text);
                if (r == null) {
                    answer(status(errors.apply("not an HTTP/1.x request"), 400), System.nanoTime());
                    return;
                }
                Response refused = exchange.gate(r);
                if (refused != null) {
                    answer(refused, System.nanoTime());
                    return;
                }
                try {
                    workers.execute(() -> {
                        Response resp;
                        try {
                            resp = exchange.handle(r);
                        } catch (RuntimeException e) {
                            resp = status(errors.apply(String.valueOf(e.getMessage())), 500);
                        }
                        Response done = resp;
                        fromWorkers.add(() -> answer(done, System.nanoTime()));
                        selector.wakeup();
                    });
                } catch (RejectedExecutionException e) {
                    answer(status(errors.apply("the agent is busy (" + limits.queued() + " requests queued): retry"), 503),
                            System.nanoTime());
                }
            } catch (IOException e) {
                close();
            }
        }

        /** Index just past the blank line ending the head, or -1. */
        private int headEnd() {
            byte[] a = head.array();
            for (int i = 3; i < head.position(); i++) {
                if (a[i] == '\n' && a[i - 1] == '\r' && a[i - 2] == '\n' && a[i - 3] == '\r') {
                    return i + 1;
                }
            }
            return -1;
        }

        void answer(Response r, long now) {
            if (gone) {
                return;
            }
            StringBuilder h = new StringBuilder("HTTP/1.1 ").append(r.status()).append(' ').append(reason(r.status()))
                    .append("\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ")
                    .append(r.body().length).append("\r\nConnection: close\r\n");
            r.headers().forEach((k, v) -> h.append(k).append(": ").append(v).append("\r\n"));
            h.append("\r\n");
            byte[] hb = h.toString().getBytes(StandardCharsets.ISO_8859_1);
            out = ByteBuffer.allocate(hb.length + r.body().length).put(hb).put(r.body()).flip();
            writeSince = now;
            try {
                key.interestOps(SelectionKey.OP_WRITE);
            } catch (RuntimeException e) {
                close();
                return;
            }
            write();
        }

        void write() {
            try {
                ch.write(out);
                if (!out.hasRemaining()) {
                    ch.shutdownOutput();
                    close();
                }
            } catch (IOException e) {
                close();
            }
        }

        void close() {
            if (gone) {
                return;
            }
            gone = true;
            reading.remove(this);
            open--;
            key.cancel();
            closeQuietly(ch);
        }
    }

    /** Parses a request head; null when it is not HTTP/1.x. */
    static Request parse(String head) {
        String[] lines = head.split("\r\n");
        String[] start = lines[0].split(" ");
        if (start.length != 3 || !start[2].startsWith("HTTP/1.") || start[0].isEmpty()) {
            return null;
        }
        String target = start[1];
        if (!target.startsWith("/")) {
            return null;
        }
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? null : target.substring(q + 1);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.putIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        return new Request(start[0], path, query, headers);
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 503 -> "Service Unavailable";
            default -> "Error";
        };
    }
}
