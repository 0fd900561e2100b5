package dev.taskq.internal;

import java.io.PrintWriter;
import java.io.StringWriter;

/** The text of a failed attempt kept on the task row: type, message and stack trace, capped in size. */
final class TaskErrors {

    /** Enough for the causes and the top frames; a row is no place for a megabyte of trace. */
    static final int MAX_LENGTH = 8_000;

    private TaskErrors() {
    }

    static String describe(Throwable error) {
        StringWriter text = new StringWriter();
        error.printStackTrace(new PrintWriter(text));
        return cap(text.toString());
    }

    static String cap(String text) {
        return text.length() <= MAX_LENGTH ? text : text.substring(0, MAX_LENGTH - 14) + "\n... (cut off)";
    }
}
