/**
 * The opt-in admin REST resource and web page ({@link dev.taskq.admin.TaskAdminResource}, subclassed once by the
 * application), and {@link dev.taskq.admin.PrometheusFormat} for its scrape endpoint. Part of TaskQ's API.
 */
package dev.taskq.admin;
