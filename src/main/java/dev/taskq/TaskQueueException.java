package dev.taskq;

/**
 * The root of TaskQ's exceptions. Its message says what was wrong, the value, and how to fix it. Thrown at the
 * caller before anything is written, so the caller's transaction can go on.
 */
public class TaskQueueException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message what was wrong, the value, and the fix */
    public TaskQueueException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong, the value, and the fix
     * @param cause   the underlying failure
     */
    public TaskQueueException(String message, Throwable cause) {
        super(message, cause);
    }
}
