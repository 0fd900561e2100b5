package dev.taskq.internal;

import dev.taskq.TaskOptions;
import dev.taskq.TaskQueueException;

/** Checks queue names in settings by the API's one rule, {@link TaskOptions#isQueueName}. */
final class QueueNames {

    private QueueNames() {
    }

    /**
     * @param setting the setting to blame in the message
     * @param queue   the queue name to check
     * @return {@code queue}, if valid
     * @throws TaskQueueException if it is not {@value TaskOptions#QUEUE_NAME_RULE}
     */
    static String require(String setting, String queue) {
        if (!TaskOptions.isQueueName(queue)) {
            throw new TaskQueueException(setting + " needs a queue name of " + TaskOptions.QUEUE_NAME_RULE
                    + ", but was " + (queue == null ? "null" : "'" + queue + "'") + ".");
        }
        return queue;
    }
}
