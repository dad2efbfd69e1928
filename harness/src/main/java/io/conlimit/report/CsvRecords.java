package io.conlimit.report;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * The records of an RFC 4180 CSV file (as the recording writes them, docs/results.md): fields separated by commas,
 * a field holding a comma, a quote or a line break quoted with its quotes doubled. A gzip stream cut short by a hard
 * kill ends the records where its data ends.
 */
final class CsvRecords implements Closeable {
    private final BufferedReader in;

    CsvRecords(Reader in) {
        this.in = in instanceof BufferedReader b ? b : new BufferedReader(in, 1 << 16);
    }

    /** The next record's fields, or null at the end (an empty line is a record of one empty field). */
    List<String> next() throws IOException {
        String line = line();
        if (line == null) {
            return null;
        }
        List<String> fields = new ArrayList<>(16);
        if (line.indexOf('"') < 0) {
            int from = 0;
            for (int i = line.indexOf(','); i >= 0; i = line.indexOf(',', from)) {
                fields.add(line.substring(from, i));
                from = i + 1;
            }
            fields.add(line.substring(from));
            return fields;
        }
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        int i = 0;
        while (true) {
            if (i == line.length()) {
                if (!quoted) {
                    fields.add(f.toString());
                    return fields;
                }
                String more = line(); // a line break inside a quoted field
                if (more == null) {
                    fields.add(f.toString());
                    return fields;
                }
                f.append('\n');
                line = more;
                i = 0;
                continue;
            }
            char c = line.charAt(i++);
            if (quoted) {
                if (c != '"') {
                    f.append(c);
                } else if (i < line.length() && line.charAt(i) == '"') {
                    f.append('"');
                    i++;
                } else {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(f.toString());
                f.setLength(0);
            } else {
                f.append(c);
            }
        }
    }

    private String line() throws IOException {
        try {
            return in.readLine();
        } catch (EOFException cut) { // a gzip file without its trailer: what was written is there
            return null;
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
