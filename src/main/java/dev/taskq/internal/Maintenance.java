package dev.taskq.internal;

/**
 * The cluster's maintenance, which only the node that holds the {@link MaintenanceLease} runs, so that its cost does
 * not grow with the number of nodes.
 *
 * @param lease   who runs it
 * @param rescuer the dirty check
 * @param pruner  retention
 * @param stats   the queues' stats for every node's gauges and depth chart
 */
record Maintenance(MaintenanceLease lease, Rescuer rescuer, Pruner pruner, ClusterStats stats) {
}
