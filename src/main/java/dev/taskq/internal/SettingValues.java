package dev.taskq.internal;

import dev.taskq.TaskQueueException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads and checks one setting's value: a failure names the setting, the value and the rule. */
final class SettingValues {

    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private SettingValues() {
    }

    static void requireBetween(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new TaskQueueException(key + " must be between " + min + " and " + max + ", but was " + value
                    + ".");
        }
    }

    static void requireBetween(String key, Duration value, Duration min, Duration max) {
        if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            String rule = key.equals(WorkerSettings.DIRTY_THRESHOLD)
                    ? " (at least 3 times " + WorkerSettings.HEARTBEAT_INTERVAL + ")" : "";
            throw new TaskQueueException(key + " must be between " + format(min) + " and " + format(max) + rule
                    + ", but was " + (value == null ? "null" : format(value)) + ".");
        }
    }

    static int parseInt(String key, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new TaskQueueException(key + " must be a whole number, but was '" + value + "'.");
        }
    }

    /** @return {@code value} as a boolean, which must be spelled true or false */
    static boolean parseBoolean(String key, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new TaskQueueException(key + " must be true or false, but was '" + value + "'.");
        };
    }

    static DirtyPolicy parseDirtyPolicy(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "keep" -> DirtyPolicy.KEEP;
            case "requeue" -> DirtyPolicy.REQUEUE;
            default -> throw new TaskQueueException(WorkerSettings.DIRTY_POLICY + " must be keep or requeue, but was '" + value
                    + "'.");
        };
    }

    /** Accepts {@code 500ms}, {@code 2s}, {@code 5m}, {@code 1h}, {@code 7d} and ISO-8601 such as {@code PT1.5S}. */
    static Duration parseDuration(String key, String value) {
        Matcher simple = SIMPLE_DURATION.matcher(value.toLowerCase(Locale.ROOT));
        try {
            if (simple.matches()) {
                long amount = Long.parseLong(simple.group(1));
                return switch (simple.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                };
            }
            return Duration.parse(value);
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            throw new TaskQueueException(key + " must be a duration such as 500ms, 2s, 5m, 1h, 7d or PT1.5S, but was '"
                    + value + "'.");
        }
    }

    static String format(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }

}
