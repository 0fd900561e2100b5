package dev.taskq.it.admin;

import dev.taskq.admin.TaskAdminResource;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.Path;

/** The application's opt-in to TaskQ's admin over HTTP. */
@Path("taskq")
@RequestScoped
public class AdminApi extends TaskAdminResource {
}
