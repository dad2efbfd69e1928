package io.conlimit.fleet;

/**
 * A server-first greeting with a three-digit reply code (SMTP, FTP): {@code 2xx} served, {@code 4xx}/{@code 5xx}
 * refused (e.g. SMTP "421 too many connections"). A multi-line greeting ({@code 220-...}) is decided on its
 * first line's code.
 */
final class ReplyCodeRule implements LineDecoder.Rule {
    static final ReplyCodeRule SMTP = new ReplyCodeRule("smtp");
    static final ReplyCodeRule FTP = new ReplyCodeRule("ftp");

    private final String protocol;

    private ReplyCodeRule(String protocol) {
        this.protocol = protocol;
    }

    @Override
    public Classifier.Verdict decide(String line) {
        boolean coded = line.length() >= 3 && Character.isDigit(line.charAt(0)) && Character.isDigit(line.charAt(1))
                && Character.isDigit(line.charAt(2)) && (line.length() == 3 || line.charAt(3) == ' ' || line.charAt(3) == '-');
        if (!coded) {
            return ReplyDecoder.malformed("not an " + protocol.toUpperCase(java.util.Locale.ROOT) + " greeting: " + ReplyDecoder.clip(line));
        }
        String detail = protocol + " " + ReplyDecoder.clip(line);
        return switch (line.charAt(0)) {
            case '2' -> ReplyDecoder.served(detail);
            case '4', '5' -> ReplyDecoder.refused(detail);
            default -> ReplyDecoder.malformed("unexpected " + protocol + " greeting code: " + ReplyDecoder.clip(line));
        };
    }
}
