package dev.taskq.support;

import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import liquibase.Scope;
import liquibase.UpdateSummaryOutputEnum;
import liquibase.command.core.helpers.ShowSummaryArgument;
import liquibase.command.CommandScope;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.ui.LoggerUIService;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * The PostgreSQL the tests and the benchmark use, picked as the README's Tests section says: a JDBC URL from the
 * environment ({@code TASKQ_TEST_JDBC_URL}, with {@code TASKQ_TEST_JDBC_USER} and {@code TASKQ_TEST_JDBC_PASSWORD}), else a
 * Testcontainers PostgreSQL when a Docker engine answers, else {@code taskq_test} on 127.0.0.1:5432 (created if
 * missing). The schema comes from TaskQ's own Liquibase changelog, so the tests run against the real one.
 */
public final class TestDatabase {

    public static final String CHANGELOG = "dev/taskq/liquibase/changelog.sql";
    private static final String LOCAL_SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    private static final String LOCAL_DATABASE = "taskq_test";

    private static TestDatabase instance;

    private final String url;
    private final String user;
    private final String password;
    private final EntityManagerFactory entityManagerFactory;

    private TestDatabase(String url, String user, String password, String source) {
        this.url = url;
        this.user = user;
        this.password = password;
        System.out.println("TaskQ tests use PostgreSQL at " + url + " (" + source + ")");
        migrate();
        this.entityManagerFactory = Persistence.createEntityManagerFactory("taskq-test", Map.of(
                "jakarta.persistence.jdbc.url", url,
                "jakarta.persistence.jdbc.user", user,
                "jakarta.persistence.jdbc.password", password,
                "hibernate.session_factory.statement_inspector", RecordedSql.class.getName()));
    }

    /** @return the database, migrated and emptied once per JVM */
    public static synchronized TestDatabase get() {
        if (instance == null) {
            instance = pick();
        }
        return instance;
    }

    public EntityManagerFactory entityManagerFactory() {
        return entityManagerFactory;
    }

    /**
     * A new factory of the test persistence unit on {@code url} (another route to this server, or other driver
     * settings), with {@code more} properties; the caller closes it.
     */
    public EntityManagerFactory entityManagerFactoryAt(String url, Map<String, String> more) {
        Map<String, String> properties = new java.util.HashMap<>(more);
        properties.put("jakarta.persistence.jdbc.url", url);
        properties.put("jakarta.persistence.jdbc.user", user);
        properties.put("jakarta.persistence.jdbc.password", password);
        return Persistence.createEntityManagerFactory("taskq-test", properties);
    }

    /** @return {@link #url()} with one more driver parameter */
    public String urlWith(String parameter) {
        return url + (url.contains("?") ? "&" : "?") + parameter;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    public String url() {
        return url;
    }

    /** @return the JDBC URL of another database on the same server */
    public String urlOf(String database) {
        int slash = url.lastIndexOf('/');
        int query = url.indexOf('?', slash);
        return url.substring(0, slash + 1) + database + (query < 0 ? "" : url.substring(query));
    }

    /** Drops and creates an empty database on the same server, for tests of the schema itself. */
    public void recreateDatabase(String database) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("drop database if exists " + database + " with (force)");
            statement.execute("create database " + database);
        }
    }

    /** Drops {@code database} even while an application is connected to it, as an outage would end it. */
    public void dropDatabase(String database) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("drop database if exists " + database + " with (force)");
        }
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    private static TestDatabase pick() {
        String explicit = System.getenv("TASKQ_TEST_JDBC_URL");
        if (explicit != null && !explicit.isBlank()) {
            return new TestDatabase(explicit, env("TASKQ_TEST_JDBC_USER", "postgres"),
                    env("TASKQ_TEST_JDBC_PASSWORD", ""), "TASKQ_TEST_JDBC_URL");
        }
        if (dockerMayAnswer() && DockerClientFactory.instance().isDockerAvailable()) {
            PostgreSQLContainer<?> container = new PostgreSQLContainer<>("postgres:16-alpine");
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
            return new TestDatabase(container.getJdbcUrl(), container.getUsername(), container.getPassword(),
                    "Testcontainers");
        }
        createLocalDatabaseIfMissing();
        return new TestDatabase(LOCAL_SERVER + LOCAL_DATABASE, "postgres", "", "local server, no Docker engine");
    }

    /** Asking Testcontainers costs a logged ERROR when there is obviously no engine; skip it then. */
    private static boolean dockerMayAnswer() {
        return System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(Path.of(System.getProperty("user.home"), ".testcontainers.properties"));
    }

    private static void createLocalDatabaseIfMissing() {
        try (Connection admin = DriverManager.getConnection(LOCAL_SERVER + "postgres", "postgres", "");
                Statement statement = admin.createStatement()) {
            boolean exists = statement.executeQuery("select 1 from pg_database where datname = '" + LOCAL_DATABASE
                    + "'").next();
            if (!exists) {
                statement.execute("create database " + LOCAL_DATABASE);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("No PostgreSQL answers at 127.0.0.1:5432 as user postgres, and no "
                    + "Docker engine is there for Testcontainers. Start PostgreSQL, or set TASKQ_TEST_JDBC_URL.", e);
        }
    }

    private void migrate() {
        try (Connection connection = connect()) {
            Database database = DatabaseFactory.getInstance()
                    .findCorrectDatabaseImplementation(new JdbcConnection(connection));
            Scope.child(Map.of(
                    Scope.Attr.resourceAccessor.name(), new ClassLoaderResourceAccessor(TestDatabase.class.getClassLoader()),
                    Scope.Attr.ui.name(), new LoggerUIService()), // its summary goes to the log, not into the output
                    () -> new CommandScope(UpdateCommandStep.COMMAND_NAME)
                            .addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database)
                            .addArgumentValue(UpdateCommandStep.CHANGELOG_FILE_ARG, CHANGELOG)
                            .addArgumentValue(ShowSummaryArgument.SHOW_SUMMARY_OUTPUT, UpdateSummaryOutputEnum.LOG)
                            .execute());
            connection.setAutoCommit(true); // Liquibase leaves it off; VACUUM needs it
            try (Statement statement = connection.createStatement()) {
                statement.execute("""
                        create table if not exists test_ledger (
                            id bigint generated by default as identity primary key,
                            queue varchar(64),
                            ref varchar(200))""");
                // Each JVM starts from an empty, freshly vacuumed queue: dead index entries of a churned table slow claims.
                statement.execute("truncate taskq_task, taskq_queue_pause, taskq_lease, taskq_stats, taskq_schedule, "
                        + "test_ledger");
                statement.execute("vacuum analyze taskq_task");
            }
        } catch (Exception e) {
            throw new IllegalStateException("Could not prepare the test database at " + url + ": " + e, e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }
}
