package app.caravel.api;

import app.caravel.db.Database;
import app.caravel.nostr.RelayAddressPolicy;
import app.caravel.db.Tenant;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;

@Path("/tenants")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class TenantResource {
    private final Database db;
    private final Access access;
    private final TenantService tenants;
    private final RelayAddressPolicy relays;
    private final TenantRelayLists lists;

    public TenantResource(Database db, Access access, TenantService tenants, RelayAddressPolicy relays,
                          TenantRelayLists lists) {
        this.db = db;
        this.access = access;
        this.tenants = tenants;
        this.relays = relays;
        this.lists = lists;
    }

    @GET
    public List<Views.TenantView> list(@Auth Caller caller) {
        access.requireAdmin(caller);
        return db.tenants().list().stream().map(t -> Views.TenantView.of(t, db.secrets())).toList();
    }

    /** Creates the caller as a tenant: 201 the first time, 200 with the same tenant after. Body optional. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Auth Caller caller, Requests.CreateTenant body) {
        String nwcUrl = body == null || body.nwcUrl() == null ? null : Validation.nwcUrl(body.nwcUrl(), relays);
        TenantService.Created created = tenants.create(caller.pubkey(), nwcUrl);
        return Response.status(created.isNew() ? 201 : 200).entity(Views.TenantView.of(created.tenant(), db.secrets())).build();
    }

    @GET
    @Path("{pubkey}")
    public Views.TenantView get(@Auth Caller caller, @PathParam("pubkey") String pubkey) {
        return Views.TenantView.of(visible(caller, pubkey), db.secrets());
    }

    @PUT
    @Path("{pubkey}/billing")
    @Consumes(MediaType.APPLICATION_JSON)
    public Views.TenantView setBilling(@Auth Caller caller, @PathParam("pubkey") String pubkey,
                                       Requests.Billing body) {
        visible(caller, pubkey);
        if (body == null) {
            throw ApiException.badRequest("body required: {\"nwc_url\": \"nostr+walletconnect://…\"} or null to clear");
        }
        String nwcUrl = body.nwcUrl() == null || body.nwcUrl().isEmpty() ? null : Validation.nwcUrl(body.nwcUrl(), relays);
        return Views.TenantView.of(tenants.setWallet(pubkey, nwcUrl), db.secrets());
    }

    /** The original frontend's route for a tenant's relays. */
    @GET
    @Path("{pubkey}/relays")
    public Response relays(@Auth Caller caller, @PathParam("pubkey") String pubkey) {
        Validation.pubkey(pubkey, "pubkey");
        access.requireOwnerOrAdmin(caller, pubkey);
        // the same rendered list as GET /relays
        return lists.answer(pubkey).orElseThrow(() -> missing(caller));
    }

    /** The original frontend's route for a tenant's invoices, each with its items. */
    @GET
    @Path("{pubkey}/invoices")
    public List<Views.InvoiceView> invoices(@Auth Caller caller, @PathParam("pubkey") String pubkey) {
        visible(caller, pubkey);
        return db.invoices().listByTenant(pubkey).stream()
                .map(i -> Views.InvoiceView.of(i, db.invoices().items(i.id()))).toList();
    }

    private Tenant visible(Caller caller, String pubkey) {
        Validation.pubkey(pubkey, "pubkey");
        access.requireOwnerOrAdmin(caller, pubkey);
        return db.tenant(pubkey).orElseThrow(() -> missing(caller));
    }

    private static ApiException missing(Caller caller) {
        return caller.admin() ? ApiException.notFound("tenant not found") : ApiException.notATenant();
    }
}
