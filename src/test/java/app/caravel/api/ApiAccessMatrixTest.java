package app.caravel.api;

import app.caravel.CaravelConfiguration;
import app.caravel.nostr.KeyPair;
import app.caravel.support.DbSnapshot;
import app.caravel.support.Ports;
import app.caravel.support.SignedClient;
import app.caravel.support.TestApps;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Every route × {owner, other tenant, admin, signed non-tenant, unsigned}: the status, and no change when refused. */
@ExtendWith(DropwizardExtensionsSupport.class)
class ApiAccessMatrixTest {
    private static final int PORT = Ports.free();
    private static final KeyPair ADMIN = KeyPair.generate();
    private static final KeyPair OWNER = KeyPair.generate();
    private static final KeyPair OTHER = KeyPair.generate();
    static final DropwizardAppExtension<CaravelConfiguration> APP = TestApps.app(PORT, Map.of("admins", ADMIN.pubkey()));
    private static final AtomicInteger SUBDOMAINS = new AtomicInteger();
    private static String relayId;

    enum Role { OWNER, OTHER, ADMIN, NON_TENANT, UNSIGNED }

    record Route(String method, String path, Supplier<String> body, int owner, int other, int admin, int nonTenant,
                 int unsigned) {
        Route(String method, String path, Supplier<String> body, int owner, int other, int admin, int nonTenant) {
            this(method, path, body, owner, other, admin, nonTenant, 401);
        }

        int expected(Role role) {
            return switch (role) {
                case OWNER -> owner;
                case OTHER -> other;
                case ADMIN -> admin;
                case NON_TENANT -> nonTenant;
                case UNSIGNED -> unsigned;
            };
        }
    }

    /** The code a refusal carries in this matrix. */
    private static String codeFor(int status) {
        return switch (status) {
            case 400 -> "relay-is-inactive";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            default -> throw new AssertionError("unexpected status " + status);
        };
    }

    @BeforeAll
    static void tenantsAndARelay() {
        new SignedClient(PORT, OWNER).post("/tenants", null);
        new SignedClient(PORT, OTHER).post("/tenants", null);
        relayId = new SignedClient(PORT, OWNER).post("/relays",
                "{\"subdomain\":\"owned\",\"info_name\":\"Owned\",\"plan\":\"basic\"}").data().path("id").asText();
    }

    private static Supplier<String> newRelay() {
        return () -> "{\"subdomain\":\"m" + SUBDOMAINS.incrementAndGet() + "\",\"info_name\":\"M\",\"plan\":\"free\"}";
    }

    private static Supplier<String> newRelayFor(KeyPair tenant) {
        return () -> "{\"tenant\":\"" + tenant.pubkey() + "\",\"subdomain\":\"t" + SUBDOMAINS.incrementAndGet()
                + "\",\"info_name\":\"T\",\"plan\":\"free\"}";
    }

    private static List<Route> routes() {
        String owner = OWNER.pubkey();
        String relay = "/relays/" + relayId;
        return List.of(
                new Route("GET", "/identity", () -> null, 200, 200, 200, 200),
                new Route("GET", "/plans", () -> null, 200, 200, 200, 200, 200),
                new Route("GET", "/plans/basic", () -> null, 200, 200, 200, 200, 200),
                new Route("GET", "/plans/platinum", () -> null, 404, 404, 404, 404, 404),
                new Route("GET", "/tenants/" + owner + "/relays", () -> null, 200, 403, 200, 403),
                new Route("GET", "/tenants/" + owner + "/invoices", () -> null, 200, 403, 200, 403),
                new Route("GET", "/tenants", () -> null, 403, 403, 200, 403),
                new Route("GET", "/tenants/" + owner, () -> null, 200, 403, 200, 403),
                new Route("PUT", "/tenants/" + owner + "/billing", () -> "{\"nwc_url\":null}", 200, 403, 200, 403),
                new Route("GET", "/relays", () -> null, 200, 200, 200, 403),
                new Route("GET", "/relays?tenant=" + owner, () -> null, 403, 403, 200, 403),
                new Route("POST", "/relays", newRelay(), 201, 201, 403, 403),
                new Route("POST", "/relays", newRelayFor(OWNER), 201, 403, 201, 403),
                new Route("GET", relay, () -> null, 200, 403, 200, 403),
                new Route("GET", relay + "/members", () -> null, 200, 403, 200, 403),
                new Route("PUT", relay, () -> "{\"info_description\":\"edited\"}", 200, 403, 200, 403),
                // the admin comes after the owner turned it off: 400 already inactive, past the access check
                new Route("POST", relay + "/deactivate", () -> null, 200, 403, 400, 403),
                new Route("POST", relay + "/activate", () -> null, 200, 403, 200, 403),
                new Route("GET", "/invoices", () -> null, 200, 200, 200, 403),
                new Route("GET", "/invoices?tenant=" + owner, () -> null, 403, 403, 200, 403),
                new Route("POST", "/invoices/" + java.util.UUID.randomUUID() + "/close", () -> null, 403, 403, 404, 403),
                // POST /tenants is open to any signed caller; 200 for an existing tenant, 201 for a new one
                new Route("POST", "/tenants", () -> null, 200, 200, 201, 201));
    }

    @TestFactory
    Stream<DynamicTest> matrix() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Route route : routes()) {
            for (Role role : Role.values()) {
                tests.add(DynamicTest.dynamicTest(route.method() + " " + route.path() + " as " + role, () -> {
                    SignedClient client = new SignedClient(PORT, switch (role) {
                        case OWNER -> OWNER;
                        case OTHER -> OTHER;
                        case ADMIN -> ADMIN;
                        case NON_TENANT -> KeyPair.generate();
                        case UNSIGNED -> null;
                    });
                    DbSnapshot before = DbSnapshot.of(APP.<app.caravel.CaravelApplication>getApplication().database().jdbi());
                    SignedClient.Reply reply = client.send(route.method(), route.path(), route.body().get());
                    assertEquals(route.expected(role), reply.status(), reply.body());
                    if (reply.status() < 300) {
                        assertEquals("ok", reply.code(), reply.body());
                        assertNotNull(reply.data(), reply.body());
                    } else {
                        assertNotNull(reply.error(), reply.body());
                        assertEquals(codeFor(reply.status()), reply.code(), reply.body());
                        assertEquals(before, DbSnapshot.of(APP.<app.caravel.CaravelApplication>getApplication().database().jdbi()),
                                "a refused request changes nothing");
                    }
                    if (role == Role.OTHER && route.path().equals("/relays") && route.method().equals("GET")) {
                        assertEquals(false, reply.data().findValuesAsText("id").contains(relayId));
                    }
                    if (reply.status() < 300 && (role == Role.OTHER || role == Role.NON_TENANT)) {
                        assertEquals(false, reply.body().contains("nostr+walletconnect"), "no one else's wallet");
                    }
                }));
            }
        }
        return tests.stream();
    }
}
