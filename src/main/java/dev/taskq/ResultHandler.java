package dev.taskq;

/**
 * A handler whose return value is kept with its task. When the worker keeps succeeded tasks
 * ({@code taskq.retention.succeeded}), the value is stored as JSON on the SUCCEEDED row ({@link Task#getResult()})
 * and shown by the admin; otherwise the row is deleted as usual and the value dropped. A value Jackson cannot
 * write fails the attempt, with Jackson's reason as its error.
 *
 * <pre>{@code
 * @ApplicationScoped
 * @TaskName("resize-image")
 * public class ResizeImage implements ResultHandler<ImageRef, Thumbnail> {
 *     public Thumbnail compute(ImageRef image) { return images.resize(image, 200); }
 * }
 * }</pre>
 *
 * @param <A> the type of the task's arguments, as for {@link TaskHandler}
 * @param <R> the type of its result, written with Jackson
 */
@FunctionalInterface
public interface ResultHandler<A, R> extends TaskHandler<A> {

    /**
     * Runs one attempt of a task.
     *
     * @param args the arguments given at enqueue time
     * @return the result to keep with the task, or {@code null} for none
     * @throws Exception to fail this attempt; the task is retried or ends {@link TaskState#FAILED}
     */
    R compute(A args) throws Exception;

    /** Runs {@link #compute} and drops its result: how a caller that wants no result runs this handler. */
    @Override
    default void handle(A args) throws Exception {
        compute(args);
    }
}
