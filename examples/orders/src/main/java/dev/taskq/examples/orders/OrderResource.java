package dev.taskq.examples.orders;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;

/** {@code POST /orders} places an order; {@code GET /orders/{id}} shows what its tasks have done. */
@Path("orders")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class OrderResource {

    /** What a client sends. */
    public record NewOrder(String email, String item, int quantity) {
    }

    /** What a client sees; times as ISO-8601 text, the same whichever JSON provider the server picks. */
    public record OrderView(long id, String email, String item, int quantity, String placedAt,
            String confirmationSentAt, String stockReservedAt) {

        static OrderView of(Order order) {
            return new OrderView(order.getId(), order.getEmail(), order.getItem(), order.getQuantity(),
                    text(order.getPlacedAt()), text(order.getConfirmationSentAt()),
                    text(order.getStockReservedAt()));
        }

        private static String text(Instant instant) {
            return instant == null ? null : instant.toString();
        }
    }

    @Inject
    Shop shop;

    @POST
    public Response place(NewOrder request) {
        try {
            Order order = shop.placeOrder(request.email(), request.item(), request.quantity());
            return Response.created(URI.create("orders/" + order.getId())).entity(OrderView.of(order)).build();
        } catch (IllegalArgumentException e) {
            return Response.status(Response.Status.BAD_REQUEST).entity(new Problem(e.getMessage())).build();
        }
    }

    @GET
    @Path("{id}")
    public Response show(@PathParam("id") long id) {
        Order order = shop.find(id);
        return order == null ? Response.status(Response.Status.NOT_FOUND).build()
                : Response.ok(OrderView.of(order)).build();
    }

    /** An error a client can read. */
    public record Problem(String error) {
    }
}
