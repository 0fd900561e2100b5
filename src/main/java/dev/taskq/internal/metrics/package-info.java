/**
 * Not API: TaskQ's meters in MicroProfile Metrics and Micrometer, loaded only where the server offers them.
 * Applications must not use these types: they change in any release without notice.
 */
package dev.taskq.internal.metrics;
