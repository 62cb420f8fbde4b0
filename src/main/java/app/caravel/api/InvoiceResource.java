package app.caravel.api;

import app.caravel.db.Database;
import app.caravel.db.Invoice;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.PermitAll;
import app.caravel.billing.Collector;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.Clock;
import java.util.List;

@Path("/invoices")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class InvoiceResource {
    private final Database db;
    private final Access access;
    private final Collector collector;
    private final Clock clock;

    public InvoiceResource(Database db, Access access, Collector collector, Clock clock) {
        this.db = db;
        this.access = access;
        this.collector = collector;
        this.clock = clock;
    }

    @GET
    public List<Views.InvoiceView> list(@Auth Caller caller, @QueryParam("tenant") String tenant) {
        String scope = access.listScope(caller, tenant);
        List<Invoice> rows = scope == null ? db.invoices().list() : db.invoices().listByTenant(scope);
        return rows.stream().map(i -> Views.InvoiceView.of(i, db.invoices().items(i.id()))).toList();
    }

    /** Admins only: a pending invoice is closed (forgiven); delinquent relays come back if nothing else is owed. */
    @POST
    @Path("{id}/close")
    public Views.InvoiceView close(@Auth Caller caller, @PathParam("id") String id) {
        access.requireAdmin(caller);
        Validation.uuid(id, "invoice id");
        Invoice invoice = db.invoices().find(id).orElseThrow(() -> ApiException.notFound("invoice not found"));
        switch (collector.close(id, clock.instant().getEpochSecond())) {
            case NOT_PENDING -> throw new ApiException(ErrorCode.INVOICE_NOT_PENDING, "invoice is " + invoice.status()
                    + ", only a pending invoice can be closed");
            case PAYMENT_IN_FLIGHT -> throw new ApiException(ErrorCode.PAYMENT_IN_FLIGHT, "a payment of this invoice is in flight: "
                    + "it can be closed once the tenant's wallet has told its outcome");
            case CLOSED -> { }
        }
        Invoice closed = db.invoices().find(id).orElseThrow();
        return Views.InvoiceView.of(closed, db.invoices().items(id));
    }
}
