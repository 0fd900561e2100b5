package dev.taskq;

import java.time.Duration;

/**
 * A unique key and how it holds, as {@link TaskOptions} collects it.
 *
 * @param key      the key
 * @param period   how long it holds after its task succeeded, or {@code null} for only while the task is live
 * @param replace  an enqueue gives a pending holder its arguments
 * @param debounce an enqueue pushes a pending holder back to its own ETA
 * @param perQueue unique among the keys of its queue only
 */
record UniqueKeySpec(String key, Duration period, boolean replace, boolean debounce, boolean perQueue) {
}
