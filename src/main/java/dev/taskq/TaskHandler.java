package dev.taskq;

/**
 * The code that runs a task. Any CDI bean implementing this interface is a handler; TaskQ finds it when the
 * application starts and names it by {@link TaskName} (default: the class's fully qualified name).
 *
 * <p>By default {@link #handle} runs inside a transaction of the worker's, and the task's completion commits in
 * that same transaction: the handler's database writes and the removal of the task are atomic. Annotate the
 * handler class with {@code @Transactional(TxType.NOT_SUPPORTED)} to run it outside any transaction (long jobs,
 * remote calls). Throwing from {@code handle} fails the attempt; {@link Retry} says whether and when it runs
 * again.
 *
 * @param <A> the type of the task's arguments, read from JSON with Jackson; {@link Void} for a task without
 *            arguments
 */
@FunctionalInterface
public interface TaskHandler<A> {

    /**
     * Runs one attempt of a task.
     *
     * @param args the arguments given at enqueue time, read into {@code A}
     * @throws Exception to fail this attempt; the task is retried or ends {@link TaskState#FAILED}
     */
    void handle(A args) throws Exception;
}
