package io.conlimit.target.servers;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** {@code GET /stats}: a JSON snapshot of a server's counters and backlog; every other path is 404. */
final class StatsEndpoint implements AutoCloseable {
    private final HttpServer http;
    private final ExecutorService executor;

    private StatsEndpoint(HttpServer http, ExecutorService executor) {
        this.http = http;
        this.executor = executor;
    }

    /** @throws java.net.BindException naming the address and port when the port is taken */
    static StatsEndpoint start(String bind, int port, String threadName, Supplier<String> json) throws IOException {
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(bind, port), 16);
        } catch (IOException e) {
            throw Binding.failure("stats port", bind, port, e);
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(executor);
        http.createContext("/", exchange -> handle(exchange, json));
        http.start();
        return new StatsEndpoint(http, executor);
    }

    InetSocketAddress address() {
        return http.getAddress();
    }

    private static void handle(HttpExchange exchange, Supplier<String> json) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!"/stats".equals(path)) {
                send(exchange, 404, "text/plain; charset=utf-8", "not found: try GET /stats\n");
            } else if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET");
                send(exchange, 405, "text/plain; charset=utf-8", "method not allowed: use GET\n");
            } else {
                send(exchange, 200, "application/json", json.get() + "\n");
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
