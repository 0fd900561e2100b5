package dev.taskq.admin;

import dev.taskq.Task;

/** A task as the admin shows it; its arguments, result and history as JSON text, never interpreted. */
record TaskView(long id, String queue, String name, String state, String args, int priority, String eta,
        int attempt, int maxAttempts, String uniqueKey, String createdAt, String startedAt, String aliveAt,
        String finishedAt, String worker, String lastError, String result, String cancelledAt, String cancelledBy, boolean uniquePerQueue, String uniqueUntil,
        String expiresAt, String history) {

    static TaskView of(Task task) {
        return new TaskView(task.getId(), task.getQueue(), task.getName(), task.getState().name(),
                task.getArgs(), task.getPriority(), text(task.getEta()), task.getAttempt(), task.getMaxAttempts(),
                task.getUniqueKey(), text(task.getCreatedAt()), text(task.getStartedAt()),
                text(task.getAliveAt()), text(task.getFinishedAt()), task.getWorker(), task.getLastError(),
                task.getResult(), text(task.getCancelledAt()), task.getCancelledBy(), task.isUniquePerQueue(),
                text(task.getUniqueUntil()), text(task.getExpiresAt()), task.getHistory());
    }

    private static String text(java.time.Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
