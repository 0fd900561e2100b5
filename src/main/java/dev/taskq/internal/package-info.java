/**
 * Not API: TaskQ's engine (claim, run, heartbeat, rescue, retention, the SQL in {@code TaskStore}). Applications
 * must not use these types: they change in any release without notice. Public only where another TaskQ package
 * needs them.
 */
package dev.taskq.internal;
