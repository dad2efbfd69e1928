package io.conlimit.fleet;

/**
 * The memcached probe's reply to {@code version}: {@code VERSION x} served; {@code ERROR}, {@code SERVER_ERROR},
 * {@code CLIENT_ERROR} lines refused (memcached at its connection limit writes "ERROR Too many open connections"
 * and closes).
 */
final class MemcachedRule implements LineDecoder.Rule {
    static final MemcachedRule INSTANCE = new MemcachedRule();

    private MemcachedRule() {
    }

    @Override
    public Classifier.Verdict decide(String line) {
        String detail = "memcached: " + ReplyDecoder.clip(line);
        if (line.startsWith("VERSION ")) {
            return ReplyDecoder.served(detail);
        }
        if (line.equals("ERROR") || line.startsWith("ERROR ") || line.startsWith("SERVER_ERROR") || line.startsWith("CLIENT_ERROR")) {
            return ReplyDecoder.refused(detail);
        }
        return ReplyDecoder.malformed("not a memcached reply: " + ReplyDecoder.clip(line));
    }
}
