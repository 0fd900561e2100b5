/**
 * Not API: TaskQ's integration in a Jakarta EE server (its CDI extension and beans, JTA, the worker's lifecycle,
 * the readiness check). Applications must not use these types: they change in any release without notice.
 */
package dev.taskq.internal.cdi;
