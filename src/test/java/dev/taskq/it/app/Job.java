package dev.taskq.it.app;

/** The arguments of the IT handlers. */
public record Job(String ref) {
}
