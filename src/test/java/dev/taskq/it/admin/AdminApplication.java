package dev.taskq.it.admin;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The application's REST root. */
@ApplicationPath("api")
public class AdminApplication extends Application {
}
