/**
 * Helpers for an application's own tests of its TaskQ use: {@link dev.taskq.testing.TaskQTesting}.
 */
package dev.taskq.testing;
