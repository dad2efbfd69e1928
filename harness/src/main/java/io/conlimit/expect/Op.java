package io.conlimit.expect;

/** Comparison operators. A tolerance t loosens each: == within t, != beyond t, < below r + t, > above r - t. */
public enum Op {
    EQ("=="), NE("!="), LE("<="), GE(">="), LT("<"), GT(">");

    private final String symbol;

    Op(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    /** Longest symbols first, for the tokenizer. */
    static final Op[] BY_LENGTH = {EQ, NE, LE, GE, LT, GT};

    public boolean test(double left, double right, double tolerance) {
        return switch (this) {
            case EQ -> Math.abs(left - right) <= tolerance;
            case NE -> Math.abs(left - right) > tolerance;
            case LT -> left < right + tolerance;
            case LE -> left <= right + tolerance;
            case GT -> left > right - tolerance;
            case GE -> left >= right - tolerance;
        };
    }

    @Override
    public String toString() {
        return symbol;
    }
}
