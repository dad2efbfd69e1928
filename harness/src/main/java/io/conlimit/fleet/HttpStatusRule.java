package io.conlimit.fleet;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The http probe's status line: 1xx-4xx except 429 served (the application answered, even "404"); 429 (Too Many
 * Requests) and 5xx (503 Service Unavailable...) refused; anything else is not HTTP.
 */
final class HttpStatusRule implements LineDecoder.Rule {
    static final HttpStatusRule INSTANCE = new HttpStatusRule();
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/\\d(?:\\.\\d)? (\\d{3})(?: .*)?");

    private HttpStatusRule() {
    }

    @Override
    public Classifier.Verdict decide(String line) {
        Matcher m = STATUS_LINE.matcher(line.strip());
        if (!m.matches()) {
            return ReplyDecoder.malformed("not an HTTP status line: " + ReplyDecoder.clip(line.substring(0, Math.min(60, line.length()))));
        }
        int code = Integer.parseInt(m.group(1));
        String detail = "http " + m.group(1);
        if (code < 100 || code > 599) {
            return ReplyDecoder.malformed("HTTP status out of range: " + detail);
        }
        return code == 429 || code >= 500 ? ReplyDecoder.refused(detail) : ReplyDecoder.served(detail);
    }
}
