package dev.taskq.internal;

/**
 * The SQL that keeps a task's story in its {@code history} column: a JSON array of its last {@value #KEPT}
 * attempts, oldest first, each with its number, start, end, node, outcome and error (at most
 * {@value #ERROR_CHARS} characters). Appended by the statement that records the attempt's end, from the row's own
 * columns, so it costs no statement of its own; a success whose row is deleted keeps no story.
 */
final class AttemptHistory {

    /** How many attempts a task keeps; an older one is dropped as a new one is appended. */
    static final int KEPT = 10;
    /** How much of an attempt's error its entry keeps (the row's {@code last_error} keeps more of the last one). */
    static final int ERROR_CHARS = 2_000;

    private AttemptHistory() {
    }

    /**
     * @param outcome the SQL of the outcome's name (a literal, or a parameter)
     * @param error   the SQL of the error text, or {@code null}
     * @return the SQL of {@code history} with the attempt that ends now ({@code :now}) appended
     */
    static String appended(String outcome, String error) {
        return """
                case when jsonb_array_length(coalesce(history, '[]'::jsonb)) >= %d then history - 0
                     else coalesce(history, '[]'::jsonb) end
                || jsonb_build_array(jsonb_build_object('attempt', attempt, 'startedAt', started_at,
                       'endedAt', cast(:now as timestamptz), 'node', worker, 'outcome', %s,
                       'error', left(%s, %d)))""".formatted(KEPT, outcome, error, ERROR_CHARS);
    }
}
