package dev.taskq.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.taskq.TaskAdmin;
import dev.taskq.TaskFilter;
import dev.taskq.TaskGroup;
import dev.taskq.TaskQueueException;
import dev.taskq.internal.cdi.CdiEngine;
import dev.taskq.internal.cdi.WorkerLifecycle;
import dev.taskq.internal.metrics.PrometheusText;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The admin over HTTP, JSON in and out. Nothing is exposed by adding the jar: an application opts in by
 * subclassing it with a path of its choice,
 *
 * <pre>{@code
 * @Path("taskq")
 * @RequestScoped
 * public class TaskQAdmin extends TaskAdminResource { }
 * }</pre>
 *
 * and protects that path with its own authentication (a web.xml security constraint, or Jakarta Security). Every
 * call is refused unless the caller has the role {@code taskq.admin.role} (default {@value #DEFAULT_ROLE}): 401
 * without a caller, 403 without the role. State-changing calls also need the header
 * {@value #CSRF_HEADER}{@code : 1}, which a browser only sends for scripts of the same origin, so another site cannot
 * forge them.
 */
@Produces(MediaType.APPLICATION_JSON)
public abstract class TaskAdminResource {

    /** The role a caller needs unless {@code taskq.admin.role} names another. */
    public static final String DEFAULT_ROLE = "taskq-admin";
    /** The header state-changing calls must carry, with the value {@code 1}. */
    public static final String CSRF_HEADER = "X-TaskQ-CSRF";

    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .build();

    @Inject
    TaskAdmin admin;

    @Inject
    CdiEngine engine;

    @Inject
    WorkerLifecycle lifecycle;

    @Context
    SecurityContext security;

    /**
     * @return the admin page: counts per group and queue, a chart of the last minutes, a table per group, a task's
     *         detail and the actions on it, all drawn by a script that calls the JSON endpoints of this resource
     */
    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response page(@Context UriInfo request) {
        return read(() -> AdminPage.html(request.getAbsolutePath()));
    }

    /** @return one of the page's own files (its script and style sheet) */
    @GET
    @Path("page/{file}")
    @Produces({"text/javascript", "text/css"})
    public Response pageFile(@PathParam("file") String file) {
        return read(() -> AdminPage.file(file));
    }

    /** @return the queue's figures: counts per queue and group, waits, running per node, throughput */
    @GET
    @Path("stats")
    public Response stats() {
        return read(() -> json(admin.stats()));
    }

    /**
     * @return TaskQ's meters in the Prometheus text format, with the names, types and labels the server's metrics
     *         library publishes: the queues' figures, and this node's counters and timers since it started
     */
    @GET
    @Path("metrics")
    @Produces("text/plain; version=0.0.4")
    public Response metrics() {
        return read(() -> Response.ok(PrometheusText.format(admin.stats(), engine.nodeMeters(),
                lifecycle.workerGauges())).build());
    }

    /** @return one page of a group's tasks, and how many the group holds */
    @GET
    @Path("tasks")
    public Response tasks(@QueryParam("group") String group, @BeanParam TaskFilterParams params,
            @QueryParam("offset") @DefaultValue("0") int offset, @QueryParam("limit") @DefaultValue("50") int limit) {
        return read(() -> {
            TaskGroup taskGroup = group(group);
            TaskFilter filter = params.filter();
            return json(Map.of("group", taskGroup, "total", admin.count(taskGroup, filter),
                    "tasks", admin.list(taskGroup, filter, offset, limit).stream().map(TaskView::of).toList()));
        });
    }

    /** @return per task name, the count of each group: {@code [{"name": ..., "groups": {"FAILED": 2, ...}}]} */
    @GET
    @Path("names")
    public Response names() {
        return read(() -> json(admin.countsByName().entrySet().stream()
                .map(name -> Map.of("name", name.getKey(), "groups", name.getValue())).toList()));
    }

    /**
     * @return the limits on tasks running at once, as this node is configured:
     *         {@code {"byQueue": {"mail": 2}, "byName": {"report": 1}, "nodeLoops": {"mail": 2}}}
     */
    @GET
    @Path("limits")
    public Response limits() {
        return read(() -> json(admin.limits()));
    }

    /** @return one task, with its arguments and error */
    @GET
    @Path("tasks/{id}")
    public Response task(@PathParam("id") long id) {
        return read(() -> admin.find(id).map(task -> json(TaskView.of(task)))
                .orElseGet(() -> problem(Response.Status.NOT_FOUND, "No task " + id)));
    }

    /** Puts a FAILED, CANCELLED or DIRTY task back to PENDING. */
    @POST
    @Path("tasks/{id}/retry")
    public Response retry(@PathParam("id") long id, @HeaderParam(CSRF_HEADER) String csrf) {
        return change(csrf, () -> done(admin.retry(id), "Task " + id + " is not FAILED, CANCELLED or DIRTY"));
    }

    /** Cancels a task that has not finished, as the caller: at once, or by asking its running handler to stop. */
    @POST
    @Path("tasks/{id}/cancel")
    public Response cancel(@PathParam("id") long id, @HeaderParam(CSRF_HEADER) String csrf) {
        return change(csrf, () -> done(admin.cancel(id, caller()), "Task " + id + " has finished or does not exist"));
    }

    /** Deletes a task. */
    @DELETE
    @Path("tasks/{id}")
    public Response delete(@PathParam("id") long id, @HeaderParam(CSRF_HEADER) String csrf) {
        return change(csrf, () -> done(admin.delete(id), "No task " + id));
    }

    /** Retries every FAILED, CANCELLED or DIRTY task that matches, and says how many. */
    @POST
    @Path("tasks/retry")
    public Response retryAll(@QueryParam("group") String group, @BeanParam TaskFilterParams params,
            @HeaderParam(CSRF_HEADER) String csrf) {
        return change(csrf, () -> json(Map.of("touched", admin.retryAll(group(group), params.filter()))));
    }

    /** Deletes every task of a group that matches (all of it, without filters), and says how many. */
    @DELETE
    @Path("tasks")
    public Response deleteAll(@QueryParam("group") String group, @BeanParam TaskFilterParams params,
            @HeaderParam(CSRF_HEADER) String csrf) {
        return change(csrf, () -> json(Map.of("touched", admin.deleteAll(group(group), params.filter()))));
    }

    /** Pauses a queue. */
    @POST
    @Path("queues/{queue}/pause")
    public Response pause(@PathParam("queue") String queue, @HeaderParam(CSRF_HEADER) String csrf) {
        return change(csrf, () -> {
            admin.pause(queue);
            return Response.noContent().build();
        });
    }

    /** Resumes a queue. */
    @POST
    @Path("queues/{queue}/resume")
    public Response resume(@PathParam("queue") String queue, @HeaderParam(CSRF_HEADER) String csrf) {
        return change(csrf, () -> {
            admin.resume(queue);
            return Response.noContent().build();
        });
    }

    /** @return the periodic schedules, with their last and next slot and whether they are paused */
    @GET
    @Path("schedules")
    public Response schedules() {
        return read(() -> json(admin.schedules()));
    }

    /** Pauses a periodic schedule for every node; 400 naming the schedules if there is none by this name. */
    @POST
    @Path("schedules/{name}/pause")
    public Response pauseSchedule(@PathParam("name") String name, @HeaderParam(CSRF_HEADER) String csrf) {
        return change(csrf, () -> {
            admin.pauseSchedule(name);
            return Response.noContent().build();
        });
    }

    /** Resumes a paused periodic schedule from its next slot. */
    @POST
    @Path("schedules/{name}/resume")
    public Response resumeSchedule(@PathParam("name") String name, @HeaderParam(CSRF_HEADER) String csrf) {
        return change(csrf, () -> {
            admin.resumeSchedule(name);
            return Response.noContent().build();
        });
    }

    private Response read(Supplier<Response> action) {
        Response refused = refusal();
        return refused != null ? refused : guarded(action);
    }

    private Response change(String csrf, Supplier<Response> action) {
        Response refused = refusal();
        if (refused != null) {
            return refused;
        }
        if (!"1".equals(csrf)) {
            return problem(Response.Status.FORBIDDEN, "State-changing calls need the header " + CSRF_HEADER + ": 1");
        }
        return guarded(action);
    }

    /** @return 401 or 403 unless the caller has the admin role */
    private Response refusal() {
        if (security.getUserPrincipal() == null) {
            return problem(Response.Status.UNAUTHORIZED, "Sign in with a user that has the role " + role());
        }
        if (!security.isUserInRole(role())) {
            return problem(Response.Status.FORBIDDEN, "The role " + role() + " is needed");
        }
        return null;
    }

    /** @return the signed-in caller's name, as a cancellation records it (cut to the column's 100 characters) */
    private String caller() {
        String name = security.getUserPrincipal().getName();
        return name.length() <= 100 ? name : name.substring(0, 100);
    }

    private static Response guarded(Supplier<Response> action) {
        try {
            return action.get();
        } catch (TaskQueueException | IllegalArgumentException e) {
            return problem(Response.Status.BAD_REQUEST, e.getMessage());
        }
    }

    private String role() {
        return engine.server().adminRole();
    }

    private static TaskGroup group(String group) {
        if (group == null || group.isBlank()) {
            throw new IllegalArgumentException("The query parameter group is needed: one of "
                    + java.util.Arrays.toString(TaskGroup.values()));
        }
        try {
            return TaskGroup.valueOf(group.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("No task group '" + group + "': use one of "
                    + java.util.Arrays.toString(TaskGroup.values()));
        }
    }

    /** The query parameters of a filter; an empty one matches everything, as a missing one does. */
    private static Response done(boolean done, String otherwise) {
        return done ? Response.noContent().build() : problem(Response.Status.CONFLICT, otherwise);
    }

    private static Response json(Object value) {
        return Response.ok(write(value), MediaType.APPLICATION_JSON).build();
    }

    private static Response problem(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(write(Map.of("error", message)))
                .build();
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("Could not write " + value.getClass().getName() + " as JSON", e);
        }
    }
}
