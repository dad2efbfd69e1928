package io.conlimit.fleet;

/**
 * The redis probe's reply to {@code PING}: a simple string ({@code +PONG}) served; an error asking for
 * authentication ({@code -NOAUTH}, {@code -NOPERM}, {@code -WRONGPASS}) served too (the server answered: it
 * wants credentials); any other error refused, e.g. {@code -ERR max number of clients reached} (written at
 * accept when maxclients is reached) or {@code -DENIED} (protected mode).
 */
final class RedisRule implements LineDecoder.Rule {
    static final RedisRule INSTANCE = new RedisRule();

    private RedisRule() {
    }

    @Override
    public Classifier.Verdict decide(String line) {
        String detail = "redis: " + ReplyDecoder.clip(line);
        if (line.startsWith("+")) {
            return ReplyDecoder.served(detail);
        }
        if (line.startsWith("-NOAUTH") || line.startsWith("-NOPERM") || line.startsWith("-WRONGPASS")) {
            return ReplyDecoder.served(detail + " (served: the server wants authentication)");
        }
        if (line.startsWith("-")) {
            return ReplyDecoder.refused(detail);
        }
        return ReplyDecoder.malformed("not a Redis reply: " + ReplyDecoder.clip(line));
    }
}
