package app.caravel.api;

import app.caravel.db.Invoice;
import app.caravel.db.InvoiceItem;
import app.caravel.db.Relay;
import app.caravel.db.Tenant;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/** What the API returns, in snake_case. A relay's secret has no field here, so it can't leak. */
public final class Views {
    private Views() {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Identity(String pubkey, boolean isAdmin, boolean isTenant) {
    }

    /** {@code nwcUrl} is filled only for the tenant itself and admins. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TenantView(String pubkey, String nwcUrl, boolean hasWallet, String nwcError, long createdAt,
                             Long billingAnchor, String status) {
        public static TenantView of(Tenant t) {
            return new TenantView(t.pubkey(), t.nwcUrl(), t.nwcUrl() != null, t.nwcError(), t.createdAt(),
                    t.billingAnchor(), t.status());
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record RelayView(String id, String tenant, String subdomain, String host, String schema, String name,
                            String icon, String description, String plan, String status, String syncError,
                            Long syncedAt, boolean publicJoin, boolean stripSignatures, boolean groups,
                            boolean management, boolean blossom, boolean livekit, boolean push, long createdAt,
                            long updatedAt) {
        public static RelayView of(Relay r, String relayDomain) {
            String host = relayDomain.isEmpty() ? r.subdomain() : r.subdomain() + "." + relayDomain;
            return new RelayView(r.id(), r.tenant(), r.subdomain(), host, r.schema(), r.name(), r.icon(),
                    r.description(), r.plan(), r.status(), r.syncError(), r.syncedAt(), r.publicJoin(),
                    r.stripSignatures(), r.groups(), r.management(), r.blossom(), r.livekit(), r.push(),
                    r.createdAt(), r.updatedAt());
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ItemView(String relay, String plan, long hours, long amount) {
        public static ItemView of(InvoiceItem i) {
            return new ItemView(i.relay(), i.plan(), i.hours(), i.amount());
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record InvoiceView(String id, String tenant, long periodStart, long periodEnd, long amount, String bolt11,
                              String paymentHash, String status, long createdAt, Long attemptedAt, Long sentAt,
                              Long paidAt, Long closedAt, String error, List<ItemView> items) {
        public static InvoiceView of(Invoice i, List<InvoiceItem> items) {
            return new InvoiceView(i.id(), i.tenant(), i.periodStart(), i.periodEnd(), i.amount(), i.bolt11(),
                    i.paymentHash(), i.status(), i.createdAt(), i.attemptedAt(), i.sentAt(), i.paidAt(),
                    i.closedAt(), i.error(), items.stream().map(ItemView::of).toList());
        }
    }
}
