package io.conlimit.expect;

/** The right-hand side of an expectation. */
public sealed interface Operand {

    /** A plain number, or a duration already converted to the left side's unit. */
    record Number(double value, String written) implements Operand {
        @Override
        public String toString() {
            return written;
        }
    }

    /** Another summary value, e.g. {@code limit.predicted}. */
    record Path(MetricPath path) implements Operand {
        @Override
        public String toString() {
            return path.written();
        }
    }

    /** {@code true} / {@code false}, for boolean keys such as {@code complete}. */
    record Bool(boolean value) implements Operand {
        @Override
        public String toString() {
            return Boolean.toString(value);
        }
    }
}
