package dev.taskq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.taskq.internal.SchemaMigration;
import dev.taskq.it.app.Job;
import dev.taskq.it.app.RecordHandler;
import dev.taskq.support.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** With {@code taskq.schema.migrate=true}, TaskQ creates its schema in an empty database when the application starts. */
@RunAsClient
@ExtendWith(ArquillianExtension.class)
class SchemaIT {

    private static final String EMPTY_DATABASE = "taskq_it_schema";
    private static final Pattern CHANGESET =
            Pattern.compile("(?m)^--changeset (\\S+)\\s.*logicalFilePath:(\\S+)");

    @Deployment(name = "schema", managed = false)
    static WebArchive deployment() {
        return ItDeployment.war("schema", TestDatabase.get().urlOf(EMPTY_DATABASE),
                ItDeployment.with(ItDeployment.FAST, "taskq.schema.migrate", "true",
                        "taskq.schema.datasource", ItDeployment.DATA_SOURCE),
                RecordHandler.class, Job.class, dev.taskq.it.app.Environment.class);
    }

    @ArquillianResource
    Deployer deployer;

    @Test
    void theApplicationsStartCreatesTheSchemaInAnEmptyDatabase() throws Exception {
        TestDatabase database = TestDatabase.get();
        database.recreateDatabase(EMPTY_DATABASE);

        deployer.deploy("schema");
        try {
            try (Connection connection = DriverManager.getConnection(database.urlOf(EMPTY_DATABASE), database.user(),
                    database.password())) {
                assertEquals(List.of("taskq_lease", "taskq_lease_pkey", "taskq_queue_pause", "taskq_queue_pause_pkey",
                        "taskq_schedule", "taskq_schedule_pkey", "taskq_stats", "taskq_stats_pkey", "taskq_task",
                        "taskq_task_cancelled", "taskq_task_claim", "taskq_task_kept", "taskq_task_pkey",
                        "taskq_task_running", "taskq_task_seq", "taskq_task_unique_kept", "taskq_task_unique_scoped"),
                        strings(connection, "select relname from pg_class where relname like 'taskq%' order by 1"));
                // The same changeset path as when an application includes the changelog from the jar itself.
                assertEquals(changesetsOfTheChangelog(),
                        strings(connection,
                        "select author || ':' || id || ' ' || filename from databasechangelog order by orderexecuted"));
            }
        } finally {
            deployer.undeploy("schema");
        }
    }

    /** Every changeset the packaged changelog declares, in order, as Liquibase records it. */
    private static List<String> changesetsOfTheChangelog() throws IOException {
        try (InputStream changelog = SchemaIT.class.getClassLoader().getResourceAsStream(SchemaMigration.CHANGELOG)) {
            assertNotNull(changelog, SchemaMigration.CHANGELOG + " is not on the test class path");
            Matcher changesets = CHANGESET.matcher(new String(changelog.readAllBytes(), StandardCharsets.UTF_8));
            List<String> declared = new ArrayList<>();
            while (changesets.find()) {
                declared.add(changesets.group(1) + " " + changesets.group(2));
            }
            assertFalse(declared.isEmpty(), "no changeset found in " + SchemaMigration.CHANGELOG);
            return declared;
        }
    }

    private static List<String> strings(Connection connection, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (ResultSet rows = connection.createStatement().executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }
}
