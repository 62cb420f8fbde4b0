package app.caravel.api;

import app.caravel.billing.Plan;
import app.caravel.billing.Plans;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** Who am I, and what can be bought: the two routes any signed caller may use. */
@Path("/")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class IdentityResource {
    private final Access access;

    public IdentityResource(Access access) {
        this.access = access;
    }

    @GET
    @Path("identity")
    public Views.Identity identity(@Auth Caller caller) {
        return new Views.Identity(caller.pubkey(), caller.admin(), access.tenantOf(caller).isPresent());
    }

    @GET
    @Path("plans")
    public List<Plan> plans(@Auth Caller caller) {
        return Plans.ALL;
    }
}
