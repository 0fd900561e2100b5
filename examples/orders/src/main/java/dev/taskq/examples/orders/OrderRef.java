package dev.taskq.examples.orders;

/** The arguments of the order tasks: which order. Ids, not documents: the handler reads the rest. */
public record OrderRef(long orderId) {
}
