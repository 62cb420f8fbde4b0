package app.caravel.nostr;

import app.caravel.support.TestRelay;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pool over real websockets: a cap on connections, idle ones closed, tenants' private URLs refused. */
class RelayPoolLimitsTest {
    private TestRelay a;
    private TestRelay b;
    private TestRelay c;

    @BeforeEach
    void start() throws Exception {
        a = TestRelay.start();
        b = TestRelay.start();
        c = TestRelay.start();
    }

    @AfterEach
    void stop() throws Exception {
        for (TestRelay relay : List.of(a, b, c)) {
            relay.close();
        }
    }

    private static RelayPool pool(int max, Duration idle, RelayAddressPolicy policy) {
        return new RelayPool(HttpClient.newHttpClient(), Duration.ofSeconds(2), new RelayPool.Limits(max, idle), policy);
    }

    @Test
    void atTheCapANewRelayIsRefusedUntilAConnectionIsIdle() throws Exception {
        try (RelayPool pool = pool(2, Duration.ofMillis(400), RelayAddressPolicy.any())) {
            RelayConnection first = pool.connection(a.url()).get(2, TimeUnit.SECONDS);
            RelayConnection.Subscription busy = first.subscribe(List.of(Filter.authorsKinds(List.of(), List.of(1))),
                    e -> { }, Duration.ofSeconds(5));
            pool.connection(b.url()).get(2, TimeUnit.SECONDS);
            ExecutionException full = assertThrows(ExecutionException.class,
                    () -> pool.connection(c.url()).get(2, TimeUnit.SECONDS));
            assertTrue(full.getCause().getMessage().contains("limit reached"), full.getCause().getMessage());

            Thread.sleep(800); // b is idle past the limit; a has a subscription open
            assertTrue(pool.connection(c.url()).get(2, TimeUnit.SECONDS).isOpen(), "room made by closing the idle one");
            assertTrue(first.isOpen(), "a connection in use is never closed under it");
            busy.close();
        }
    }

    @Test
    void idleConnectionsAreClosedByThemselves() throws Exception {
        try (RelayPool pool = pool(10, Duration.ofMillis(300), RelayAddressPolicy.any())) {
            RelayConnection connection = pool.connection(a.url()).get(2, TimeUnit.SECONDS);
            assertEquals(1, pool.size());
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (pool.size() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(0, pool.size());
            assertTrue(!connection.isOpen(), "closed, not just forgotten");
            assertTrue(pool.connection(a.url()).get(2, TimeUnit.SECONDS).isOpen(), "and reopened on the next use");
        }
    }

    @Test
    void aTenantsLoopbackRelayIsRefusedAndAnOperatorsIsNot() throws Exception {
        try (RelayPool pool = pool(10, Duration.ofMinutes(1), new RelayAddressPolicy(Set.of(a.url()), false))) {
            assertTrue(pool.connection(a.url()).get(2, TimeUnit.SECONDS).isOpen(), "operator-configured: trusted");
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> pool.connection(b.url()).get(2, TimeUnit.SECONDS));
            assertTrue(refused.getCause().getMessage().contains("private, loopback"), refused.getCause().getMessage());
            assertEquals(0, b.connectionsOpened(), "no socket was opened to it");
        }
    }
}
