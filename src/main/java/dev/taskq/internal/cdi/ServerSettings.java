package dev.taskq.internal.cdi;

import dev.taskq.TaskQueueException;
import dev.taskq.internal.ConfigReader;

/**
 * What TaskQ needs from the server, by JNDI name, each with a default.
 *
 * @param executor        {@value #EXECUTOR}: where the claim-and-run loops run: a {@code ManagedExecutorService},
 *                        or a {@code ManagedThreadFactory} to give the loops threads of their own
 * @param scheduler       {@value #SCHEDULER}: the {@code ManagedScheduledExecutorService} of the heartbeat and
 *                        the dirty check
 * @param migrateSchema   {@value #MIGRATE}: apply TaskQ's Liquibase changelog at start-up
 * @param dataSource      {@value #DATA_SOURCE}: the data source the changelog is applied to
 */
public record ServerSettings(String executor, String scheduler, boolean migrateSchema, String dataSource) {

    public static final String EXECUTOR = "taskq.worker.executor";
    public static final String SCHEDULER = "taskq.worker.scheduler";
    public static final String MIGRATE = "taskq.schema.migrate";
    public static final String DATA_SOURCE = "taskq.schema.datasource";

    /** Checks that a migration names its data source. */
    public ServerSettings {
        if (migrateSchema && (dataSource == null || dataSource.isBlank())) {
            throw new TaskQueueException(MIGRATE + " is true, so " + DATA_SOURCE + " must name the JNDI data source "
                    + "to apply the schema to (for example java:app/jdbc/orders), but it is not set.");
        }
    }

    /** @return the settings read from {@code config} */
    public static ServerSettings from(ConfigReader config) {
        String migrate = config.get(MIGRATE).map(String::trim).orElse("false");
        if (!migrate.equals("true") && !migrate.equals("false")) {
            throw new TaskQueueException(MIGRATE + " must be true or false, but was '" + migrate + "'.");
        }
        return new ServerSettings(
                config.get(EXECUTOR).orElse("java:comp/DefaultManagedExecutorService"),
                config.get(SCHEDULER).orElse("java:comp/DefaultManagedScheduledExecutorService"),
                Boolean.parseBoolean(migrate),
                config.get(DATA_SOURCE).orElse(null));
    }
}
