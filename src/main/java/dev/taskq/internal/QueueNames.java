package dev.taskq.internal;

import dev.taskq.TaskQueueException;
import java.util.regex.Pattern;

/** The one rule for queue names, shared by enqueue options and worker settings. */
public final class QueueNames {

    private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private QueueNames() {
    }

    /**
     * @param setting the option or setting to blame in the message
     * @param queue   the queue name to check
     * @return {@code queue}, if valid
     * @throws TaskQueueException if it is not 1 to 64 letters, digits or {@code . _ - :}
     */
    public static String require(String setting, String queue) {
        if (queue == null || !QUEUE_NAME.matcher(queue).matches()) {
            throw new TaskQueueException(setting + " needs a queue name of 1 to 64 letters, digits or . _ - :"
                    + ", but was " + (queue == null ? "null" : "'" + queue + "'") + ".");
        }
        return queue;
    }
}
