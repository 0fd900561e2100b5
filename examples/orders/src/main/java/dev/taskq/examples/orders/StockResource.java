package dev.taskq.examples.orders;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code PUT /stock/{item}} with {@code {"quantity": 500}} sets how many of an item the warehouse holds. */
@Path("stock/{item}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class StockResource {

    /** What a client sends and sees. */
    public record Level(int quantity) {
    }

    @Inject
    Shop shop;

    @PUT
    public Response restock(@PathParam("item") String item, Level level) {
        try {
            return Response.ok(new Level(shop.restock(item, level.quantity()).getQuantity())).build();
        } catch (IllegalArgumentException e) {
            return Response.status(Response.Status.BAD_REQUEST).entity(new OrderResource.Problem(e.getMessage()))
                    .build();
        }
    }
}
