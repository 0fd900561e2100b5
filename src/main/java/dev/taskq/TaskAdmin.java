package dev.taskq;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a person does with the queue: look at the groups, retry or delete dead letters and dirty tasks, cancel
 * tasks that have not started, pause a queue. Inject it ({@code @Inject TaskAdmin admin}). Every action is one
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
     * Puts a FAILED or DIRTY task back to PENDING, due now, with at least one attempt left. Its attempt count
     * and last error are kept.
     *
     * @return false if the task is not (or no longer) FAILED or DIRTY
     */
    boolean retry(long id);

    /**
     * Deletes a task that has not started (FUTURE or PENDING).
     *
     * @return false if it does not exist or has started meanwhile
     */
    boolean cancel(long id);

    /**
     * Deletes a task, whatever its group. A worker running it then finds it gone: its completion is rolled back
     * with the handler's work.
     *
     * @return false if it did not exist
     */
    boolean delete(long id);

    /**
     * Retries every task of {@code group} (FAILED or DIRTY) that matches {@code filter}.
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
