package io.conlimit.merge;

/** Shard folders that cannot be merged: the message says which folder and why (exit code 2). */
public final class MergeException extends RuntimeException {
    public MergeException(String message) {
        super(message);
    }
}
