/**
 * TaskQ's public API: {@link dev.taskq.TaskQueue} to enqueue in the caller's transaction, {@link dev.taskq.TaskHandler}
 * and {@link dev.taskq.ResultHandler} with their annotations ({@link dev.taskq.TaskName}, {@link dev.taskq.Retry},
 * {@link dev.taskq.TaskTimeout}), {@link dev.taskq.TaskOptions}, the {@link dev.taskq.Task} entity, and
 * {@link dev.taskq.TaskAdmin} with {@link dev.taskq.QueueStats} for operating the queue. This package and
 * {@code dev.taskq.admin} and {@code dev.taskq.testing} are the API; {@code dev.taskq.internal} and its subpackages
 * are not.
 */
package dev.taskq;
