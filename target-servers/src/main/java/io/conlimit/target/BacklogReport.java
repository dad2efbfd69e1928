package io.conlimit.target;

import java.util.List;

/**
 * What a server asked listen() for and what the kernel made of it.
 *
 * @param requested      the request as the user wrote it
 * @param passed         the int listen() received (Java turns a request below 1 into 50)
 * @param effective      the listener's maximum as the kernel reports it (Send-Q of {@code ss -lnt}), -1 if unknown
 * @param effectiveSource where {@code effective} came from, e.g. "ss -lnt", or why it is unknown
 * @param somaxconn      net.core.somaxconn of the server's namespace, -1 if unreadable
 * @param warnings       plain-words warnings: clamped request, the SOMAXCONN-constant trap, Java's default
 */
public record BacklogReport(BacklogRequest requested, int passed, int effective, String effectiveSource,
                            int somaxconn, List<String> warnings) {
    public BacklogReport {
        warnings = List.copyOf(warnings);
    }
}
