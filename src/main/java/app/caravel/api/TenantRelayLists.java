package app.caravel.api;

import app.caravel.db.CommitMarks;
import app.caravel.db.Database;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A tenant's relays as GET /relays and GET /tenants/:pubkey/relays answer them, rendered once and served again
 * while the database still holds exactly the rows they were rendered from. Each answer asks the database for
 * the (id, version) of the tenant's relays ({@link Database#relayVersions}: index entries and one column, not
 * the 22 columns of each row, their mapping and their JSON); the database raises a row's version on every
 * update, so a change made anywhere (a request, a job, a CLI command, another server process) is seen by the
 * next read. A pubkey that was once a tenant stays one (tenants are never deleted), so a kept list needs no
 * tenant check either.
 * <p>
 * The engine tells more cheaply whether anything at all was committed since ({@link CommitMarks}: SQLite's
 * data_version, PostgreSQL's current snapshot): a list checked at a mark is served again without that read
 * while the mark is unchanged. On SQLite the read was half of GET /relays' CPU.
 */
public final class TenantRelayLists {
    /** Rendered lists kept, by their size: about 6 KB for a tenant with 10 relays, so some 2,500 tenants. */
    private static final long KEPT_BYTES = 16L << 20;

    private final Database db;
    private final CommitMarks commits;
    private final ObjectMapper json;
    private final String relayDomain;
    private final Cache<String, Rendered> kept = Caffeine.newBuilder().maximumWeight(KEPT_BYTES)
            .weigher((String pubkey, Rendered list) -> list.body().length + list.versions().length() + 64).build();

    /**
     * One tenant's answer body, the versions of the rows it was rendered from and the commit mark taken
     * before they were last read or checked (none: check them on the next read).
     */
    private record Rendered(String versions, byte[] body, OptionalLong checkedAt) {
        boolean unchangedSince(OptionalLong mark) {
            return mark.isPresent() && checkedAt.isPresent() && mark.getAsLong() == checkedAt.getAsLong();
        }
    }

    public TenantRelayLists(Database db, CommitMarks commits, ObjectMapper json, String relayDomain) {
        this.db = db;
        this.commits = commits;
        this.json = json;
        this.relayDomain = relayDomain;
    }

    /**
     * The answer, {@code {"data": [relays], "code": "ok"}} rendered already (EnvelopeFilter passes bytes
     * through); empty when {@code pubkey} is not a tenant.
     */
    public Optional<Response> answer(String pubkey) {
        return body(pubkey).map(body -> Response.ok(body, MediaType.APPLICATION_JSON_TYPE).build());
    }

    private Optional<byte[]> body(String pubkey) {
        OptionalLong mark = commits.now(); // before any read: a commit after it shows as a new mark next time
        Rendered known = kept.getIfPresent(pubkey);
        if (known != null && known.unchangedSince(mark)) {
            return Optional.of(known.body());
        }
        if (known != null && known.versions().equals(db.relayVersions(pubkey))) {
            if (mark.isPresent()) {
                kept.put(pubkey, new Rendered(known.versions(), known.body(), mark));
            }
            return Optional.of(known.body());
        }
        return db.relaysOfTenant(pubkey).map(list -> {
            Rendered rendered = new Rendered(list.versions(), render(list), mark);
            kept.put(pubkey, rendered);
            return rendered.body();
        });
    }

    private byte[] render(Database.RelayList list) {
        try {
            return json.writeValueAsBytes(new Envelope.Data(list.relays().stream()
                    .map(r -> Views.RelayView.of(r, relayDomain)).toList()));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
