package app.caravel.api;

import app.caravel.CaravelConfiguration;
import app.caravel.nostr.KeyPair;
import app.caravel.support.Ports;
import app.caravel.support.SignedClient;
import app.caravel.support.TestApps;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A statement that fails (here a trigger standing in for SQLITE_BUSY or a full disk) while a wallet URL or a
 * relay key is bound to it: the caller gets a plain 500, and nothing secret reaches the log.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class SecretsOutOfLogsTest {
    private static final int PORT = Ports.free();
    static final DropwizardAppExtension<CaravelConfiguration> APP = TestApps.app(PORT, Map.of());
    private static final Pattern HEX64 = Pattern.compile("[0-9a-fA-F]{64}");

    private final KeyPair tenant = KeyPair.generate();
    private final KeyPair walletClient = KeyPair.generate();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void captureTheLog() {
        log.start();
        root().addAppender(log);
        assertEquals(201, new SignedClient(PORT, tenant).post("/tenants", null).status());
    }

    @AfterEach
    void stopCapturing() {
        root().detachAppender(log);
        APP.<app.caravel.CaravelApplication>getApplication().database().jdbi().useHandle(h -> {
            h.execute("DROP TRIGGER IF EXISTS fail_wallet");
            h.execute("DROP TRIGGER IF EXISTS fail_relay");
        });
    }

    private static Logger root() {
        return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    private void failStatement(String trigger) {
        APP.<app.caravel.CaravelApplication>getApplication().database().jdbi().useHandle(h -> h.execute(trigger));
    }

    @Test
    void aFailingWalletUpdateLogsNoWalletSecret() {
        failStatement("CREATE TRIGGER fail_wallet BEFORE UPDATE OF nwc_url ON tenants "
                + "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END");
        String nwc = "nostr+walletconnect://f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9"
                + "?relay=wss%3A%2F%2Frelay.example.com&secret=" + walletClient.secretHex();
        SignedClient.Reply reply = new SignedClient(PORT, tenant).put("/tenants/" + tenant.pubkey() + "/billing",
                "{\"nwc_url\":\"" + nwc + "\"}");
        assertEquals(500, reply.status(), reply.body());
        assertFalse(reply.body().contains(walletClient.secretHex()));
        assertTrue(logged().contains("database or disk is full"), "the failure itself is logged");
        assertFalse(logged().contains(walletClient.secretHex()), "the wallet secret is not");
        assertNoUnknownKeyMaterial();
    }

    @Test
    void aFailingRelayInsertLogsNoRelayKey() {
        failStatement("CREATE TRIGGER fail_relay BEFORE INSERT ON relays "
                + "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END");
        SignedClient.Reply reply = new SignedClient(PORT, tenant).post("/relays",
                "{\"subdomain\":\"leaky\",\"info_name\":\"Leaky\",\"plan\":\"free\"}");
        assertEquals(500, reply.status(), reply.body());
        assertTrue(logged().contains("database or disk is full"));
        assertNoUnknownKeyMaterial();
    }

    /** The relay's key is made inside the request, so: no 64-hex string in the log but the tenant's pubkey. */
    private void assertNoUnknownKeyMaterial() {
        Set<String> known = Set.of(tenant.pubkey());
        Matcher hex = HEX64.matcher(logged());
        while (hex.find()) {
            assertTrue(known.contains(hex.group().toLowerCase()), "key material in the log: " + hex.group());
        }
    }

    private String logged() {
        StringBuilder all = new StringBuilder();
        for (ILoggingEvent event : log.list) {
            all.append(event.getFormattedMessage()).append('\n');
            if (event.getThrowableProxy() != null) {
                all.append(ThrowableProxyUtil.asString(event.getThrowableProxy())).append('\n');
            }
        }
        return all.toString();
    }
}
