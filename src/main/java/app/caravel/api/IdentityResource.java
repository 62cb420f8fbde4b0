package app.caravel.api;

import io.dropwizard.auth.Auth;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;


/** Who am I: the route any signed caller may use. */
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
        return new Views.Identity(caller.pubkey(), caller.admin(), access.isTenant(caller));
    }
}
