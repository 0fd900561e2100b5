package dev.taskq.examples.orders;

import dev.taskq.admin.TaskAdminResource;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.Path;

/**
 * TaskQ's admin page and REST API at {@code /shop/taskq/}, for users with the role {@code taskq-admin}
 * (web.xml asks the browser to sign in).
 */
@Path("taskq")
@RequestScoped
public class TaskQAdmin extends TaskAdminResource {
}
