package dev.taskq.internal;

import dev.taskq.TaskQueueException;
import java.sql.Connection;
import java.util.Map;
import javax.sql.DataSource;
import liquibase.Scope;
import liquibase.UpdateSummaryOutputEnum;
import liquibase.command.CommandScope;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.command.core.helpers.ShowSummaryArgument;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.ui.LoggerUIService;

/**
 * Applies TaskQ's Liquibase changelog, packaged in the jar, to a data source. Only loaded when the application
 * asks TaskQ to own its schema, so applications that include the changelog in their own need no Liquibase at
 * run time.
 */
public final class SchemaMigration {

    /** Where the changelog is in the jar; also the path Liquibase records, so both ways of applying agree. */
    public static final String CHANGELOG = "dev/taskq/liquibase/changelog.sql";

    private SchemaMigration() {
    }

    /**
     * Brings the schema up to date; changesets already applied are skipped.
     *
     * @param dataSource the application's data source
     */
    public static void migrate(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            Database database = DatabaseFactory.getInstance()
                    .findCorrectDatabaseImplementation(new JdbcConnection(connection));
            Scope.child(Map.of(
                    Scope.Attr.resourceAccessor.name(),
                    new ClassLoaderResourceAccessor(SchemaMigration.class.getClassLoader()),
                    Scope.Attr.ui.name(), new LoggerUIService()), () -> new CommandScope(UpdateCommandStep.COMMAND_NAME)
                            .addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database)
                            .addArgumentValue(UpdateCommandStep.CHANGELOG_FILE_ARG, CHANGELOG)
                            .addArgumentValue(ShowSummaryArgument.SHOW_SUMMARY_OUTPUT, UpdateSummaryOutputEnum.LOG)
                            .execute());
        } catch (Exception e) {
            throw new TaskQueueException("TaskQ could not apply its schema changelog " + CHANGELOG + ": " + e, e);
        }
    }
}
