package dev.taskq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskq.it.app.Environment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import dev.taskq.it.app.Job;
import dev.taskq.it.app.RecordHandler;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * On Payara, an application set up short of what the README says fails to start, with a message saying what to
 * add, instead of running tasks wrongly: left on EclipseLink, or without naming TaskQ's entity manager.
 */
@RunAsClient
@ExtendWith(ArquillianExtension.class)
@EnabledIfSystemProperty(named = "arquillian.launch", matches = "payara")
class PayaraSetupIT {

    @Deployment(name = "eclipselink", managed = false)
    static WebArchive onEclipseLink() {
        return ItDeployment.war("eclipselink", dev.taskq.support.TestDatabase.get().url(), ItDeployment.FAST,
                false, true, RecordHandler.class, Job.class, Environment.class);
    }

    @Deployment(name = "unnamed", managed = false)
    static WebArchive withoutTheEntityManagerProducer() {
        return ItDeployment.war("unnamed", dev.taskq.support.TestDatabase.get().url(), ItDeployment.FAST,
                true, false, RecordHandler.class, Job.class, Environment.class);
    }

    @ArquillianResource
    Deployer deployer;

    /**
     * Payara Micro's adapter reports no failed deployment (the server itself starts), so the test asks the
     * application: the servlet Arquillian adds to every testable deployment answers unless the application
     * failed to start. TaskQ's message, with the fix, is in the server log.
     */
    @Test
    void onEclipseLinkTheApplicationFailsToStart() throws Exception {
        assertFailsToStart("eclipselink");
    }

    @Test
    void withoutTheEntityManagerProducerTheApplicationFailsToStart() throws Exception {
        assertFailsToStart("unnamed");
    }

    private void assertFailsToStart(String name) throws Exception {
        deployer.deploy(name);
        try {
            HttpResponse<String> probe = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:8080/" + name + "/ArquillianServletRunnerEE9")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, probe.statusCode(), "the application must not be running: " + probe.body());
        } finally {
            deployer.undeploy(name);
        }
    }
}
