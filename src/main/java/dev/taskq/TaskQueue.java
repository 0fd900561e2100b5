package dev.taskq;

import java.util.List;

/**
 * Enqueues tasks. Inject it ({@code @Inject TaskQueue tasks}) and call it where the work arises:
 *
 * <pre>{@code
 * @Transactional
 * public void placeOrder(Order order) {
 *     em.persist(order);
 *     tasks.enqueue(SendConfirmation.class, new Confirmation(order.getId()));
 * }
 * }</pre>
 *
 * <p>The task row is written through the application's {@code EntityManager}, so it joins the caller's
 * transaction: it exists if and only if that transaction commits, and no worker sees it before. With no
 * transaction active, each call runs in a transaction of its own.
 *
 * <p>Every call checks its input before writing anything: an unknown handler, arguments Jackson cannot write,
 * arguments the handler's type cannot read, or invalid options throw a {@link TaskQueueException} that says
 * what to fix, and leave the caller's transaction usable.
 */
public interface TaskQueue {

    /**
     * Enqueues a task for a handler, due now, with the default options.
     *
     * @param handler the handler class, which fixes the type of {@code args}
     * @param args    the arguments, written as JSON
     * @param <A>     the handler's argument type
     * @return the task's id
     */
    default <A> long enqueue(Class<? extends TaskHandler<A>> handler, A args) {
        return enqueue(handler, args, TaskOptions.defaults());
    }

    /**
     * Enqueues a task for a handler.
     *
     * @param handler the handler class, which fixes the type of {@code args}
     * @param args    the arguments, written as JSON
     * @param options when, where and how the task runs
     * @param <A>     the handler's argument type
     * @return the task's id; with a unique key that a live task already holds, that task's id
     */
    <A> long enqueue(Class<? extends TaskHandler<A>> handler, A args, TaskOptions options);

    /**
     * Enqueues a task by handler name, for senders that do not see the handler class. The arguments are
     * checked against the named handler's type all the same.
     *
     * @param name    the handler's {@link TaskName}
     * @param args    the arguments, written as JSON
     * @param options when, where and how the task runs
     * @return the task's id; with a unique key that a live task already holds, that task's id
     */
    long enqueue(String name, Object args, TaskOptions options);

    /**
     * Enqueues one task per element of {@code argsList} in one go (the inserts are batched), all with the
     * same options. A unique key is not allowed here, since it would fit one task only.
     *
     * @param handler  the handler class, which fixes the type of the arguments
     * @param argsList the arguments of each task
     * @param options  when, where and how the tasks run
     * @param <A>      the handler's argument type
     * @return the tasks' ids, in the order of {@code argsList}
     */
    <A> List<Long> enqueueAll(Class<? extends TaskHandler<A>> handler, List<? extends A> argsList,
            TaskOptions options);
}
