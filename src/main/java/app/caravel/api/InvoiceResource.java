package app.caravel.api;

import app.caravel.db.Database;
import app.caravel.db.Invoice;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

@Path("/invoices")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class InvoiceResource {
    private final Database db;
    private final Access access;

    public InvoiceResource(Database db, Access access) {
        this.db = db;
        this.access = access;
    }

    @GET
    public List<Views.InvoiceView> list(@Auth Caller caller, @QueryParam("tenant") String tenant) {
        String scope = access.listScope(caller, tenant);
        List<Invoice> rows = scope == null ? db.invoices().list() : db.invoices().listByTenant(scope);
        return rows.stream().map(i -> Views.InvoiceView.of(i, db.invoices().items(i.id()))).toList();
    }
}
