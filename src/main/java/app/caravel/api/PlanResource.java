package app.caravel.api;

import app.caravel.billing.Plan;
import app.caravel.billing.Plans;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** The plans, public (no NIP-98): a sign-up page shows them before anyone has a key. */
@Path("/plans")
@Produces(MediaType.APPLICATION_JSON)
public class PlanResource {
    @GET
    public List<Plan> list() {
        return Plans.ALL;
    }

    @GET
    @Path("{id}")
    public Plan get(@PathParam("id") String id) {
        return Plans.find(id).orElseThrow(() -> ApiException.notFound("no plan '" + id + "'"));
    }
}
