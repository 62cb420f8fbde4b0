package app.caravel.api;

import app.caravel.db.Invoice;
import app.caravel.db.InvoiceItem;
import app.caravel.db.Relay;
import app.caravel.db.Tenant;
import app.caravel.nostr.NwcUri;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * What the API returns, in the original Caravel's names (snake_case). No view has a field for a relay's secret
 * or a tenant's NWC URL, so neither can leak.
 */
public final class Views {
    private Views() {
    }

    /** GET /relays/:id/members: zooid's list, its size, and the plan's limit (null: unlimited). */
    public record Members(java.util.List<String> members, int count, Integer limit) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Identity(String pubkey, boolean isAdmin, boolean isTenant) {
    }

    /**
     * A tenant as its owner and admins see it: whether a wallet is connected, and which (its pubkey and relays,
     * so a person can tell), never the connection URL itself.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TenantView(String pubkey, long createdAt, Long billingAnchor, String status, boolean nwcIsSet,
                             String nwcPubkey, List<String> nwcRelays, String nwcError) {
        /** {@code secrets} opens the stored wallet URL to show which wallet it is. */
        public static TenantView of(Tenant t, app.caravel.db.SecretBox secrets) {
            NwcUri wallet = t.nwcUrl() == null ? null : NwcUri.parse(secrets.open(t.nwcUrl()));
            return new TenantView(t.pubkey(), t.createdAt(), t.billingAnchor(), t.status(), wallet != null,
                    wallet == null ? null : wallet.walletPubkey(), wallet == null ? List.of() : wallet.relays(),
                    t.nwcError());
        }
    }

    /** A relay with zooid's config flattened the way the original names it; {@code synced}: zooid holds this row. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record RelayView(String id, String tenant, String subdomain, String host, String schema, String plan,
                            String status, String infoName, String infoIcon, String infoDescription,
                            boolean policyPublicJoin, boolean policyStripSignatures, boolean groupsEnabled,
                            boolean managementEnabled, boolean blossomEnabled, boolean livekitEnabled,
                            boolean pushEnabled, boolean synced, Long syncedAt, String syncError, long createdAt,
                            long updatedAt) {
        public static RelayView of(Relay r, String relayDomain) {
            return new RelayView(r.id(), r.tenant(), r.subdomain(), host(r, relayDomain), r.schema(), r.plan(),
                    r.status(), r.name(), r.icon(), r.description(), r.publicJoin(), r.stripSignatures(), r.groups(),
                    r.management(), r.blossom(), r.livekit(), r.push(), isSynced(r), r.syncedAt(), r.syncError(),
                    r.createdAt(), r.updatedAt());
        }

        static String host(Relay r, String relayDomain) {
            return relayDomain.isEmpty() ? r.subdomain() : r.subdomain() + "." + relayDomain;
        }

        private static boolean isSynced(Relay r) {
            return r.syncedAt() != null && r.syncError() == null && r.syncedAt() >= r.updatedAt();
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
