package dev.taskq;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a person does with the queue: look at the groups, retry or delete dead letters and dirty tasks, cancel
 * tasks, pause a queue. Inject it ({@code @Inject TaskAdmin admin}). Every action is one
 * guarded statement, safe against a worker touching the same row at the same moment: a task that a worker
 * claims while a person cancels it is either cancelled or runs, never both.
 */
public interface TaskAdmin {

    /**
     * @param group  which group
     * @param filter which of its tasks
     * @param offset how many to skip
     * @param limit  how many at most (1 to 1,000)
     * @return the tasks, in the group's natural order (pending in claim order, failed newest first, ...)
     */
    List<Task> list(TaskGroup group, TaskFilter filter, int offset, int limit);

    /** @return how many tasks of {@code group} match {@code filter} */
    long count(TaskGroup group, TaskFilter filter);

    /** @return the task with this id, if it exists */
    Optional<Task> find(long id);

    /**
     * Puts a FAILED, CANCELLED or DIRTY task back to PENDING, due now, with at least one attempt left. Its attempt count
     * and last error are kept.
     *
     * @return false if the task is not (or no longer) FAILED, CANCELLED or DIRTY
     */
    boolean retry(long id);

    /**
     * Cancels a task that has not finished, recording {@code by} as who did. One that has not started (FUTURE or
     * PENDING), or whose worker is gone (DIRTY), is CANCELLED at once. A running one is asked to stop: its worker
     * interrupts the handler, {@link TaskContext#cancelRequested()} turns true, and the task ends CANCELLED when the
     * handler throws, or SUCCEEDED if it returns normally all the same. A handler that goes on for longer than
     * {@code taskq.worker.cancel-grace} is left to the dirty policy, which then cancels it rather than run it again.
     * Cancelled tasks are kept like FAILED ones, and can be retried.
     *
     * @param by who cancels, as the admin page shows it: 1 to 100 characters
     * @return false if the task does not exist or has finished
     * @throws TaskQueueException if {@code by} is blank or too long
     */
    boolean cancel(long id, String by);

    /** As {@link #cancel(long, String)}, recorded as cancelled by {@value #CANCELLED_BY_API}. */
    default boolean cancel(long id) {
        return cancel(id, CANCELLED_BY_API);
    }

    /** Who {@link #cancel(long)} records: a cancellation through this API that named no one. */
    String CANCELLED_BY_API = "TaskAdmin";

    /**
     * Deletes a task, whatever its group. A worker running it then finds it gone: its completion is rolled back
     * with the handler's work.
     *
     * @return false if it did not exist
     */
    boolean delete(long id);

    /**
     * Retries every task of {@code group} (FAILED, CANCELLED or DIRTY) that matches {@code filter}.
     *
     * @return how many tasks were put back
     */
    int retryAll(TaskGroup group, TaskFilter filter);

    /** @return how many tasks of {@code group} matching {@code filter} were deleted */
    int deleteAll(TaskGroup group, TaskFilter filter);

    /** @return how many tasks the whole group had, now deleted */
    default int purge(TaskGroup group) {
        return deleteAll(group, TaskFilter.all());
    }

    /** Stops every node from claiming tasks of {@code queue}; running tasks finish. */
    void pause(String queue);

    /** Lets nodes claim tasks of {@code queue} again. */
    void resume(String queue);

    /** @return the paused queues */
    Set<String> pausedQueues();

    /** @return the numbers to watch: counts per queue and group, waiting times, running per node, throughput */
    QueueStats stats();

    /**
     * @return per task name, ordered by name, how many of its tasks each group holds (django-taskq's summary); a
     *         count over the whole table, meant for a person's look rather than for a dashboard's every refresh
     */
    Map<String, Map<TaskGroup, Long>> countsByName();

    /**
     * @return the limits on tasks running at once: per queue and per task name across the cluster, and this node's
     *         loops per queue
     */
    RunningLimits limits();

    /** @return the application's periodic schedules ({@link Periodic}), with their last and next slot */
    List<PeriodicSchedule> schedules();

    /**
     * Pauses a periodic schedule for every node: its slots pass without a task until it is resumed, and are not
     * caught up then. A task it enqueued before runs.
     *
     * @throws TaskQueueException naming the schedules if the application has none by this name
     */
    void pauseSchedule(String name);

    /**
     * Resumes a paused schedule: its next slot runs.
     *
     * @throws TaskQueueException naming the schedules if the application has none by this name
     */
    void resumeSchedule(String name);
}
