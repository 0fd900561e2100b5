/**
 * The opt-in admin REST resource and web page ({@link dev.taskq.admin.TaskAdminResource}, subclassed once by the
 * application), with its Prometheus scrape endpoint. Part of TaskQ's API.
 */
package dev.taskq.admin;
