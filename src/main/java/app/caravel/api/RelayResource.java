package app.caravel.api;

import app.caravel.db.Database;
import app.caravel.db.Relay;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.List;

@Path("/relays")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class RelayResource {
    private final Database db;
    private final Access access;
    private final RelayService relays;
    private final String relayDomain;
    private final TenantRelayLists lists;

    public RelayResource(Database db, Access access, RelayService relays, String relayDomain, TenantRelayLists lists) {
        this.db = db;
        this.access = access;
        this.relays = relays;
        this.relayDomain = relayDomain;
        this.lists = lists;
    }

    @GET
    public Response list(@Auth Caller caller, @QueryParam("tenant") String tenant) {
        if (tenant == null && !caller.admin()) {
            // the common case, a tenant listing its own relays: rendered once, served while its rows are unchanged
            return lists.answer(caller.pubkey()).orElseThrow(ApiException::notATenant);
        }
        String scope = access.listScope(caller, tenant);
        List<Relay> rows = scope == null ? db.relays().list() : db.relays().listByTenant(scope);
        return Response.ok(rows.stream().map(this::view).toList()).build();
    }

    /** Creates a relay in status `new` and enqueues its provisioning; an admin may create for a tenant. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Auth Caller caller, Requests.RelayBody body) {
        if (body == null) {
            throw ApiException.badRequest("body required");
        }
        refuseChosenByServer("id", body.id());
        refuseChosenByServer("schema", body.schema());
        refuseChosenByServer("host", body.host());
        String tenant;
        if (body.tenant() != null && !body.tenant().equals(caller.pubkey())) {
            access.requireAdmin(caller);
            tenant = Validation.pubkey(body.tenant(), "tenant");
            if (!access.isTenant(tenant)) {
                throw ApiException.invalidField("tenant", tenant + " is not a tenant");
            }
        } else {
            tenant = access.requireTenant(caller);
        }
        return Response.status(201).entity(view(relays.create(tenant, body))).build();
    }

    @GET
    @Path("{id}")
    public Views.RelayView get(@Auth Caller caller, @PathParam("id") String id) {
        return view(owned(caller, id));
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Views.RelayView update(@Auth Caller caller, @PathParam("id") String id, Requests.RelayBody body) {
        Relay relay = owned(caller, id);
        if (body == null) {
            throw ApiException.badRequest("body required");
        }
        requireUnchanged("id", body.id(), relay.id());
        requireUnchanged("tenant", body.tenant() == null ? null : TextNode.valueOf(body.tenant()), relay.tenant());
        requireUnchanged("subdomain", body.subdomain() == null ? null : TextNode.valueOf(body.subdomain()),
                relay.subdomain());
        requireUnchanged("schema", body.schema(), relay.schema());
        requireUnchanged("host", body.host(), Views.RelayView.host(relay, relayDomain));
        return view(relays.update(relay, body));
    }

    /** A field that names the relay may be sent back as read, never changed. */
    private static void requireUnchanged(String field, JsonNode sent, String current) {
        if (sent != null && !(sent.isTextual() && sent.asText().equals(current))) {
            throw ApiException.invalidField(field, "is read-only and must be '" + current + "' as read");
        }
    }

    private static void refuseChosenByServer(String field, JsonNode sent) {
        if (sent != null && !sent.isNull()) {
            throw ApiException.invalidField(field, "is read-only: the server chooses it");
        }
    }

    /** zooid's member list for the relay, with the plan's limit (null: unlimited). */
    @GET
    @Path("{id}/members")
    public Views.Members members(@Auth Caller caller, @PathParam("id") String id) {
        Relay relay = owned(caller, id);
        List<String> list = relays.members(relay);
        return new Views.Members(list, list.size(), Validation.plan(relay.plan()).members());
    }

    @POST
    @Path("{id}/deactivate")
    public Views.RelayView deactivate(@Auth Caller caller, @PathParam("id") String id) {
        return view(relays.deactivate(owned(caller, id)));
    }

    @POST
    @Path("{id}/activate")
    public Views.RelayView activate(@Auth Caller caller, @PathParam("id") String id) {
        return view(relays.activate(owned(caller, id)));
    }

    private Relay owned(Caller caller, String id) {
        Validation.relayId(id);
        Relay relay = db.relays().find(id).orElse(null);
        if (relay == null) {
            // a non-admin learns nothing about ids it does not own
            throw caller.admin() ? ApiException.notFound("relay not found") : ApiException.forbidden(
                    "only the owner or an admin may do this");
        }
        access.requireOwnerOrAdmin(caller, relay.tenant());
        return relay;
    }

    private Views.RelayView view(Relay relay) {
        return Views.RelayView.of(relay, relayDomain);
    }
}
