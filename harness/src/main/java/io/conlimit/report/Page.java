package io.conlimit.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One self-contained HTML page: the template (report.html and the report-*.js beside this class) with uPlot's script and
 * style read from its WebJar on the classpath, and the data as JSON in a {@code <script type="application/json">}
 * element. Nothing is fetched when the page opens.
 */
final class Page {
    static final String UPLOT_VERSION = "1.6.30";
    private static final String UPLOT = "/META-INF/resources/webjars/uplot/" + UPLOT_VERSION + "/dist/";
    private static final Pattern SLOT = Pattern.compile("/\\*@([A-Z_]+)@\\*/");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The page's script, in this order, inside one function of report.html (one scope). */
    static final List<String> SCRIPTS = List.of("report-base.js", "report-run.js", "report-run-tables.js",
            "report-series.js", "report-compare.js", "report-main.js");

    private Page() {
    }

    /** The page: {@code title} as its title, {@code data} as the JSON its script draws from. */
    static String render(String title, ObjectNode data) throws IOException {
        Map<String, String> slots = Map.of(
                "TITLE", html(title),
                "UPLOT_CSS", resource(UPLOT + "uPlot.min.css"),
                "UPLOT_JS", resource(UPLOT + "uPlot.iife.min.js"),
                "REPORT_CSS", resource("report.css"),
                "REPORT_JS", scripts(),
                "DATA", json(data));
        String template = resource("report.html");
        StringBuilder out = new StringBuilder(template.length() + slots.values().stream().mapToInt(String::length).sum());
        Matcher m = SLOT.matcher(template);
        int from = 0;
        while (m.find()) {
            String value = slots.get(m.group(1));
            if (value == null) {
                throw new IllegalStateException("report.html names an unknown slot " + m.group(1));
            }
            out.append(template, from, m.start()).append(value);
            from = m.end();
        }
        return out.append(template, from, template.length()).toString();
    }

    /**
     * The data as JSON safe inside a script element: '<', '>' and '&' only occur inside JSON strings, where their
     * unicode escapes mean the same, so no "</script>" or "<!--" can end or change the element.
     */
    static String json(ObjectNode data) throws IOException {
        String s = JSON.writeValueAsString(data);
        StringBuilder b = new StringBuilder(s.length() + 64);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("\\u003c");
                case '>' -> b.append("\\u003e");
                case '&' -> b.append("\\u0026");
                case '\u2028' -> b.append("\\u2028");
                case '\u2029' -> b.append("\\u2029");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static String scripts() {
        StringBuilder b = new StringBuilder();
        for (String s : SCRIPTS) {
            b.append("\n// ---- ").append(s).append('\n').append(resource(s));
        }
        return b.toString();
    }

    static String html(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String resource(String name) {
        try (InputStream in = Page.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the report's resource " + name + " is not on the classpath (build with ./mvnw package)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
