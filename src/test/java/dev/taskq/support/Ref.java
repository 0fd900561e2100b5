package dev.taskq.support;

/** The arguments of the test handlers: a reference to some business object. */
public record Ref(String ref) {
}
