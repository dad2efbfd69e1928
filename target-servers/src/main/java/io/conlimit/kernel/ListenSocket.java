package io.conlimit.kernel;

/**
 * One LISTEN socket as the kernel reports it through inet_diag ({@code ss -lnt}): for a listener,
 * Recv-Q is the current accept-queue length (up to max + 1) and Send-Q is the queue's maximum, the
 * effective backlog {@code min(requested, somaxconn)}.
 *
 * @param local   local address as ss prints it, e.g. {@code 127.0.0.1:8080} or {@code [::1]:8080}
 * @param port    local port
 * @param queued  connections completed by the kernel and not yet accept()ed (Recv-Q)
 * @param max     the accept queue's maximum (Send-Q)
 */
public record ListenSocket(String local, int port, int queued, int max) {
}
