/**
 * Helpers for an application's own tests of its TaskQ use: {@link dev.taskq.testing.TaskQTesting}, present only in a
 * deployment that sets {@code taskq.testing.enabled=true}. Part of TaskQ's API.
 */
package dev.taskq.testing;
