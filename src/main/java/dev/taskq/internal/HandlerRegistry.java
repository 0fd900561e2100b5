package dev.taskq.internal;

import com.fasterxml.jackson.databind.JavaType;
import dev.taskq.MaxRunning;
import dev.taskq.Retry;
import dev.taskq.StrictArgs;
import dev.taskq.TaskHandler;
import dev.taskq.TaskName;
import dev.taskq.TaskQueueException;
import dev.taskq.TaskTimeout;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The handlers of this application by name and by class. Built once at start-up; building checks every handler
 * and reports all problems together (duplicate names, argument types Jackson cannot read, bad {@link Retry}
 * values), so a deployment fails with the complete list.
 */
public final class HandlerRegistry {

    private static final Pattern TASK_NAME = Pattern.compile("[A-Za-z0-9._:$-]{1,200}");

    private final Map<String, HandlerBinding> byName;
    private final Map<Class<?>, HandlerBinding> byClass;

    private HandlerRegistry(Map<String, HandlerBinding> byName) {
        this.byName = Map.copyOf(byName);
        Map<Class<?>, HandlerBinding> classes = new LinkedHashMap<>();
        byName.values().forEach(binding -> classes.put(binding.handlerClass(), binding));
        this.byClass = Map.copyOf(classes);
    }

    /** @return a builder whose handlers' argument types are checked with {@code codec} */
    public static Builder builder(ArgsCodec codec) {
        return new Builder(codec);
    }

    /** @return the handler with this name, if this application has it */
    public Optional<HandlerBinding> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** @throws TaskQueueException naming the known handlers if there is none by this name */
    public HandlerBinding require(String name) {
        HandlerBinding binding = byName.get(name);
        if (binding == null) {
            throw new TaskQueueException("No task handler named '" + name + "'. Known: " + knownNames()
                    + ". A handler is a CDI bean implementing TaskHandler, named by @TaskName.");
        }
        return binding;
    }

    /** @throws TaskQueueException if {@code handlerClass} is not a registered handler */
    public HandlerBinding require(Class<?> handlerClass) {
        if (handlerClass == null) {
            throw new TaskQueueException("The handler class is null: pass the class of a TaskHandler bean.");
        }
        HandlerBinding binding = byClass.get(handlerClass);
        if (binding == null) {
            throw new TaskQueueException(handlerClass.getName() + " is not a registered task handler. Known: "
                    + knownNames() + ". Make it a CDI bean (for example @ApplicationScoped) implementing "
                    + "TaskHandler, in a bean archive of the application.");
        }
        return binding;
    }

    /** @return every handler */
    public java.util.Collection<HandlerBinding> all() {
        return byName.values();
    }

    /** @return the task names whose handler has a {@link MaxRunning} limit, with it */
    public Map<String, Integer> runningLimits() {
        Map<String, Integer> limits = new java.util.TreeMap<>();
        for (HandlerBinding handler : all()) {
            MaxRunning limit = handler.handlerClass().getAnnotation(MaxRunning.class);
            if (limit != null) {
                limits.merge(handler.name(), limit.value(), Math::min);
            }
        }
        return limits;
    }

    /** @return the names of all handlers, sorted */
    public String knownNames() {
        return byName.isEmpty() ? "(none)" : String.join(", ", new TreeSet<>(byName.keySet()));
    }

    /** Collects handlers, then checks them all at once. */
    public static final class Builder {

        private final ArgsCodec codec;
        private final Map<String, List<HandlerBinding>> byName = new LinkedHashMap<>();
        private final List<String> problems = new ArrayList<>();

        private Builder(ArgsCodec codec) {
            this.codec = codec;
        }

        /** Adds a handler instance (Java SE, tests). */
        public Builder add(TaskHandler<?> handler) {
            return add(handler.getClass(), args -> HandlerBinding.call(handler, args));
        }

        /** Adds a handler class with the way to call it; problems are kept for {@link #build()}. */
        public Builder add(Class<?> handlerClass, HandlerBinding.HandlerInvoker invoker) {
            String name = nameOf(handlerClass);
            if (!TASK_NAME.matcher(name).matches()) {
                problems.add(handlerClass.getName() + ": @TaskName must be 1 to 200 letters, digits or . _ - : $,"
                        + " but was '" + name + "'");
                return this;
            }
            JavaType argsType;
            RetryPolicy retry;
            Duration timeout;
            try {
                argsType = codec.argsTypeOf(handlerClass);
                retry = RetryPolicy.of(handlerClass.getAnnotation(Retry.class));
                timeout = timeoutOf(handlerClass);
                maxRunningOf(handlerClass);
            } catch (IllegalArgumentException e) {
                problems.add(handlerClass.getName() + ": " + e.getMessage());
                return this;
            }
            String unreadable = codec.whyUnreadable(argsType);
            if (unreadable != null) {
                problems.add(handlerClass.getName() + ": its arguments cannot be read: " + unreadable);
                return this;
            }
            byName.computeIfAbsent(name, key -> new ArrayList<>())
                    .add(new HandlerBinding(name, handlerClass, argsType,
                            handlerClass.isAnnotationPresent(StrictArgs.class), retry,
                            runsInTransaction(handlerClass), timeout, invoker));
            return this;
        }

        /**
         * @return the registry
         * @throws TaskQueueException listing every problem found, one per line
         */
        public HandlerRegistry build() {
            List<String> all = new ArrayList<>(problems);
            Map<String, HandlerBinding> unique = new LinkedHashMap<>();
            byName.forEach((name, bindings) -> {
                if (bindings.size() > 1) {
                    all.add("task name '" + name + "' is used by " + bindings.stream()
                            .map(binding -> binding.handlerClass().getName()).sorted().toList()
                            + ": give each a distinct @TaskName");
                } else {
                    unique.put(name, bindings.get(0));
                }
            });
            if (!all.isEmpty()) {
                throw new TaskQueueException("TaskQ found invalid task handlers:\n  - " + String.join("\n  - ", all));
            }
            return new HandlerRegistry(unique);
        }

        private static String nameOf(Class<?> handlerClass) {
            TaskName taskName = handlerClass.getAnnotation(TaskName.class);
            return taskName == null ? handlerClass.getName() : taskName.value();
        }

        private static void maxRunningOf(Class<?> handlerClass) {
            MaxRunning limit = handlerClass.getAnnotation(MaxRunning.class);
            if (limit != null && (limit.value() < 1 || limit.value() > 100_000)) {
                throw new IllegalArgumentException("@MaxRunning must be 1 to 100000, but was " + limit.value());
            }
        }

        private static Duration timeoutOf(Class<?> handlerClass) {
            TaskTimeout timeout = handlerClass.getAnnotation(TaskTimeout.class);
            if (timeout == null) {
                return null;
            }
            Duration duration = Duration.of(timeout.value(), timeout.unit());
            if (duration.compareTo(Duration.ofSeconds(1)) < 0 || duration.toNanos() % 1_000_000_000L != 0) {
                throw new IllegalArgumentException("@TaskTimeout must be a whole number of seconds, at least 1 (JTA "
                        + "counts in seconds), but was " + timeout.value() + " " + timeout.unit());
            }
            if (!runsInTransaction(handlerClass)) {
                throw new IllegalArgumentException("@TaskTimeout is the timeout of the handler's transaction, but "
                        + "the handler runs outside any (@Transactional NOT_SUPPORTED or NEVER): remove one of them");
            }
            return duration;
        }

        private static boolean runsInTransaction(Class<?> handlerClass) {
            Transactional transactional = handlerClass.getAnnotation(Transactional.class);
            return transactional == null || switch (transactional.value()) {
                case NOT_SUPPORTED, NEVER -> false;
                default -> true;
            };
        }
    }
}
