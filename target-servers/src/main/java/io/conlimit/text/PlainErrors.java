package io.conlimit.text;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.regex.Pattern;

/**
 * What went wrong, in plain words for a user: never a Java class name or a stack trace (the project's rule). The
 * JDK's exceptions often carry only a path or nothing as their message; this names what happened to it.
 */
public final class PlainErrors {
    /** A qualified Java class name ({@code java.net.ConnectException}, {@code io.netty.x.YError}) and its colon. */
    private static final Pattern CLASS_NAME = Pattern.compile(
            "\\b(?:[a-z_][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error|Throwable)\\b:? ?");

    private PlainErrors() {
    }

    /** One line saying what happened, from the exception and its causes. */
    public static String message(Throwable t) {
        if (t == null) {
            return "an unknown failure";
        }
        String m = t.getMessage();
        String plain = known(t, m);
        if (plain == null) {
            plain = m == null || m.isBlank() ? null : strip(m);
        }
        if (plain != null && !plain.isBlank()) {
            return plain;
        }
        if (t.getCause() != null && t.getCause() != t) {
            return message(t.getCause());
        }
        return "an unexpected internal failure with no message (please report it with the command that caused it)";
    }

    private static String known(Throwable t, String m) {
        if (t instanceof NoSuchFileException e) {
            return file(e) + ": no such file or directory";
        } else if (t instanceof AccessDeniedException e) {
            return file(e) + ": permission denied";
        } else if (t instanceof FileAlreadyExistsException e) {
            return file(e) + ": already exists (and is not a folder this can use)";
        } else if (t instanceof NotDirectoryException e) {
            return file(e) + ": not a directory";
        } else if (t instanceof DirectoryNotEmptyException e) {
            return file(e) + ": directory not empty";
        } else if (t instanceof FileSystemException e) {
            return file(e) + ": " + (e.getReason() == null ? "file system error" : e.getReason());
        } else if (t instanceof HttpConnectTimeoutException) {
            return "timed out connecting";
        } else if (t instanceof HttpTimeoutException) {
            return "timed out waiting for an answer";
        } else if (t instanceof ConnectException) {
            return m == null || m.isBlank() || m.startsWith("Connection refused")
                    ? "connection refused (nothing listens there, or a firewall rejects it)" : null;
        } else if (t instanceof NoRouteToHostException) {
            return "no route to host";
        } else if (t instanceof SocketTimeoutException) {
            return "timed out";
        } else if (t instanceof UnknownHostException) {
            return "unknown host" + (m == null ? "" : " '" + m + "'");
        } else if (t instanceof OutOfMemoryError) {
            return "out of memory (the JVM's heap is full: CONLIMIT_JAVA_OPTS=-Xmx... raises it)";
        } else if (t instanceof StackOverflowError) {
            return "an input nested too deeply";
        }
        return null;
    }

    /** The text with any Java class name taken out. */
    public static String strip(String text) {
        String s = CLASS_NAME.matcher(text).replaceAll("");
        return s.isBlank() ? "an unexpected internal failure" : s.trim();
    }

    private static String file(FileSystemException e) {
        return e.getOtherFile() == null ? e.getFile() : e.getFile() + " -> " + e.getOtherFile();
    }
}
