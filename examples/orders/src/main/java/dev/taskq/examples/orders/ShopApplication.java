package dev.taskq.examples.orders;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The REST API at the root of the application. */
@ApplicationPath("/")
public class ShopApplication extends Application {
}
