package dev.taskq.internal.cdi;

import dev.taskq.TaskQueueException;
import dev.taskq.internal.ConfigReader;
import dev.taskq.internal.WorkerSettings;
import java.util.regex.Pattern;

/**
 * The settings of TaskQ's server integration, each with a default, validated when the application starts.
 *
 * @param executor      {@value #EXECUTOR}: where the claim-and-run loops run: a {@code ManagedExecutorService},
 *                      or a {@code ManagedThreadFactory} to give the loops threads of their own
 * @param scheduler     {@value #SCHEDULER}: the {@code ManagedScheduledExecutorService} of the heartbeat and
 *                      the dirty check
 * @param migrateSchema {@value #MIGRATE}: apply TaskQ's Liquibase changelog at start-up
 * @param dataSource    {@value #DATA_SOURCE}: the data source the changelog is applied to
 * @param adminRole     {@value #ADMIN_ROLE}: the role the admin REST resource and page require
 * @param testing       {@value #TESTING}: a test deployment: the test helper is a bean and TaskQ's clock can be
 *                      moved; off in production, where neither exists
 */
public record ServerSettings(String executor, String scheduler, boolean migrateSchema, String dataSource,
        String adminRole, boolean testing) {

    public static final String EXECUTOR = "taskq.worker.executor";
    public static final String SCHEDULER = "taskq.worker.scheduler";
    public static final String MIGRATE = "taskq.schema.migrate";
    public static final String DATA_SOURCE = "taskq.schema.datasource";
    public static final String ADMIN_ROLE = "taskq.admin.role";
    public static final String TESTING = "taskq.testing.enabled";
    /** The admin role unless {@value #ADMIN_ROLE} names another. */
    public static final String DEFAULT_ADMIN_ROLE = dev.taskq.admin.TaskAdminResource.DEFAULT_ROLE;

    /** A role as containers and web.xml spell it: no spaces, since a role name is one token there. */
    private static final Pattern ROLE = Pattern.compile("[^\\s,]{1,100}");

    /** Checks that a migration names its data source and that the admin role is a role name. */
    public ServerSettings {
        if (migrateSchema && (dataSource == null || dataSource.isBlank())) {
            throw new TaskQueueException(MIGRATE + " is true, so " + DATA_SOURCE + " must name the JNDI data source "
                    + "to apply the schema to (for example java:app/jdbc/orders), but it is not set.");
        }
        if (adminRole == null || !ROLE.matcher(adminRole).matches()) {
            throw new TaskQueueException(ADMIN_ROLE + " must be a role name of 1 to 100 characters without spaces "
                    + "or commas, such as " + DEFAULT_ADMIN_ROLE + ", but was '" + adminRole + "'.");
        }
    }

    /** @return the settings read from {@code config} */
    public static ServerSettings from(ConfigReader config) {
        return new ServerSettings(
                config.get(EXECUTOR).map(String::trim).orElse("java:comp/DefaultManagedExecutorService"),
                config.get(SCHEDULER).map(String::trim).orElse("java:comp/DefaultManagedScheduledExecutorService"),
                config.get(MIGRATE).map(value -> WorkerSettings.parseBoolean(MIGRATE, value.trim())).orElse(false),
                config.get(DATA_SOURCE).map(String::trim).orElse(null),
                config.get(ADMIN_ROLE).map(String::trim).orElse(DEFAULT_ADMIN_ROLE),
                config.get(TESTING).map(value -> WorkerSettings.parseBoolean(TESTING, value.trim())).orElse(false));
    }
}
