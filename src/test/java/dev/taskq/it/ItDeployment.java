package dev.taskq.it;

import dev.taskq.it.app.OrdersUnit;
import dev.taskq.it.app.TaskEntityManager;
import dev.taskq.support.LedgerEntry;
import dev.taskq.support.TestDatabase;
import java.io.File;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * Builds the applications the ITs deploy, the way a user packages one: the TaskQ jar as built, its libraries and
 * the PostgreSQL driver in {@code WEB-INF/lib}, a persistence unit that lists {@code dev.taskq.Task}, a data source
 * on the test database, and TaskQ's settings in {@code META-INF/microprofile-config.properties} (both servers have
 * MicroProfile Config). Runs in the test JVM only.
 */
final class ItDeployment {

    static final String DATA_SOURCE = "java:app/jdbc/orders";

    /** Fast settings for tests: short polls, beats and thresholds. */
    static final Map<String, String> FAST = Map.of(
            "taskq.worker.threads", "2",
            "taskq.worker.poll-interval", "100ms",
            "taskq.worker.heartbeat-interval", "200ms",
            "taskq.worker.dirty-threshold", "1s",
            "taskq.worker.dirty-policy", "requeue",
            "taskq.worker.shutdown-grace", "10s");

    private ItDeployment() {
    }

    static WebArchive war(String name, Map<String, String> settings, Class<?>... classes) {
        return war(name, TestDatabase.get().url(), settings, classes);
    }

    static WebArchive war(String name, String jdbcUrl, Map<String, String> settings, Class<?>... classes) {
        return war(name, jdbcUrl, settings, onPayara(), onPayara(), classes);
    }

    /** On Payara: the application bundles Hibernate ORM and names it as provider, as the README says. */
    static boolean onPayara() {
        return System.getProperty("taskq.it.hibernate") != null;
    }

    /**
     * @param bundleHibernate     add Hibernate ORM to the application and name it as provider (Payara); without
     *                            it the server's default provider is used
     * @param nameEntityManager   add the {@code @TaskQ EntityManager} producer Payara needs
     */
    static WebArchive war(String name, String jdbcUrl, Map<String, String> settings, boolean bundleHibernate,
            boolean nameEntityManager, Class<?>... classes) {
        WebArchive war = ShrinkWrap.create(WebArchive.class, name + ".war")
                .addClasses(classes)
                .addClass(LedgerEntry.class)
                .addAsLibrary(new File(System.getProperty("taskq.jar")))
                .addAsLibraries(jars(System.getProperty("taskq.it.libs")));
        if (bundleHibernate) {
            war.addAsLibraries(jars(System.getProperty("taskq.it.hibernate")));
        }
        if (nameEntityManager && !Arrays.asList(classes).contains(OrdersUnit.class)) {
            war.addClass(TaskEntityManager.class);
        }
        return war
                .addAsResource(new StringAsset(persistenceXml(bundleHibernate)), "META-INF/persistence.xml")
                .addAsResource(new StringAsset(properties(settings)), "META-INF/microprofile-config.properties")
                .addAsWebInfResource(new StringAsset(webXml(jdbcUrl)), "web.xml")
                .addAsWebInfResource(new StringAsset("<beans bean-discovery-mode=\"annotated\"/>"), "beans.xml");
    }

    private static File[] jars(String directory) {
        return new File(directory).listFiles((dir, file) -> file.endsWith(".jar"));
    }

    static String persistenceXml(boolean bundledHibernate) {
        return persistenceXml(bundledHibernate, false);
    }

    /** @param secondUnit add a second unit, "archive", on the same data source */
    static String persistenceXml(boolean bundledHibernate, boolean secondUnit) {
        // Payara: its own provider is EclipseLink, and Hibernate inside an application needs these settings there
        // (the README's step 5); WildFly ignores none of them harmfully, but they are only written where needed.
        String provider = bundledHibernate
                ? "<provider>org.hibernate.jpa.HibernatePersistenceProvider</provider>" : "";
        String payaraProperties = bundledHibernate ? """
                      <property name="hibernate.enhancer.enableDirtyTracking" value="false"/>
                      <property name="hibernate.enhancer.enableLazyInitialization" value="false"/>
                      <property name="hibernate.transaction.jta.platform"
                                value="org.hibernate.engine.transaction.jta.platform.internal.SunOneJtaPlatform"/>
                """ : "";
        return """
                <persistence xmlns="https://jakarta.ee/xml/ns/persistence" version="3.0">
                  <persistence-unit name="orders">
                    %s
                    <jta-data-source>%s</jta-data-source>
                    <class>dev.taskq.Task</class>
                    <class>%s</class>
                    <exclude-unlisted-classes>true</exclude-unlisted-classes>
                    <properties>
                      <property name="hibernate.hbm2ddl.auto" value="none"/>
                      <property name="hibernate.jdbc.batch_size" value="50"/>
                %s    </properties>
                  </persistence-unit>
                  %s
                </persistence>
                """.formatted(provider, DATA_SOURCE, LedgerEntry.class.getName(), payaraProperties,
                secondUnit ? """
                  <persistence-unit name="archive">
                    %s
                    <jta-data-source>%s</jta-data-source>
                    <class>%s</class>
                    <exclude-unlisted-classes>true</exclude-unlisted-classes>
                    <properties>
                      <property name="hibernate.hbm2ddl.auto" value="none"/>
                %s    </properties>
                  </persistence-unit>
                  """.formatted(provider, DATA_SOURCE, LedgerEntry.class.getName(), payaraProperties) : "");
    }

    /**
     * The XA data source class: its pool notices dead connections after a database restart, where the simple one
     * kept handing them out until a redeploy (the README's step 6).
     */
    private static String webXml(String jdbcUrl) {
        return webXml(jdbcUrl, "");
    }

    /**
     * The same, with BASIC authentication in front of {@code /api/taskq/*} for any signed-in user (the resource
     * itself checks the admin role), against the server's default realm (WildFly's application realm, Payara's
     * file realm).
     */
    static String securedWebXml(String jdbcUrl) {
        return webXml(jdbcUrl, """
                  <security-constraint>
                    <web-resource-collection>
                      <web-resource-name>taskq admin</web-resource-name>
                      <url-pattern>/api/taskq/*</url-pattern>
                    </web-resource-collection>
                    <auth-constraint><role-name>**</role-name></auth-constraint>
                  </security-constraint>
                  <login-config><auth-method>BASIC</auth-method></login-config>
                  <security-role><role-name>taskq-admin</role-name></security-role>
                """);
    }

    private static String webXml(String jdbcUrl, String security) {
        TestDatabase database = TestDatabase.get();
        return """
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                  <data-source>
                    <name>%s</name>
                    <class-name>org.postgresql.xa.PGXADataSource</class-name>
                    <url>%s</url>
                    <user>%s</user>
                    <password>%s</password>
                    <transactional>true</transactional>
                    <max-pool-size>20</max-pool-size>
                  </data-source>
                %s</web-app>
                """.formatted(DATA_SOURCE, jdbcUrl, database.user(), password(database), security);
    }

    /** Payara refuses a data source without a password; a local server with trust auth ignores it. */
    private static String password(TestDatabase database) {
        return database.password().isEmpty() ? "trust-auth-ignores-this" : database.password();
    }

    static String properties(Map<String, String> settings) {
        return settings.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n"));
    }

    static Map<String, String> with(Map<String, String> base, String... keysAndValues) {
        Map<String, String> all = new java.util.HashMap<>(base);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            all.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return all;
    }
}
