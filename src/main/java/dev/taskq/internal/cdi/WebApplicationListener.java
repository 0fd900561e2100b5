package dev.taskq.internal.cdi;

import jakarta.inject.Inject;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;

/**
 * Starts and stops TaskQ with the web application. A servlet context listener, not a CDI lifecycle event:
 * Payara fires CDI's {@code Startup} and {@code @Initialized(ApplicationScoped.class)} while Weld boots, before
 * the module's {@code java:comp} naming context exists, so no persistence context can be injected then; a
 * listener runs in the application's full context on every server, and its failure fails the deployment.
 */
@WebListener
public class WebApplicationListener implements ServletContextListener {

    @Inject
    WorkerLifecycle lifecycle;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        lifecycle.start();
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        lifecycle.stop();
    }
}
