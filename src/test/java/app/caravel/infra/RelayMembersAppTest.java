package app.caravel.infra;

import app.caravel.CaravelApplication;
import app.caravel.CaravelConfiguration;
import app.caravel.nostr.KeyPair;
import app.caravel.support.Await;
import app.caravel.support.DbSnapshot;
import app.caravel.support.Ports;
import app.caravel.support.SignedClient;
import app.caravel.support.TestApps;
import app.caravel.support.ZooidDouble;
import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET /relays/:id/members from zooid's list, and plan changes held to the new plan's member limit (#14 item 2). */
@ExtendWith(DropwizardExtensionsSupport.class)
class RelayMembersAppTest {
    private static final int PORT = Ports.free();
    private static final KeyPair PLATFORM = KeyPair.generate();
    private static final KeyPair ADMIN = KeyPair.generate();
    private static final ZooidDouble ZOOID = ZooidDouble.startFor(PLATFORM.pubkey());
    static final DropwizardAppExtension<CaravelConfiguration> APP = TestApps.app(PORT, Map.of(
            "zooid_api_url", ZOOID.url(), "zooid_api_secret", PLATFORM.secretHex(),
            "relay_domain", "relays.example.com", "admins", ADMIN.pubkey()));

    @AfterAll
    static void stopZooid() {
        ZOOID.close();
    }

    private static SignedClient tenant() {
        SignedClient client = new SignedClient(PORT, KeyPair.generate());
        client.post("/tenants", null);
        return client;
    }

    /** A relay on `plan`, live on zooid, with `joined` members besides its owner. */
    private static String liveRelay(SignedClient owner, String subdomain, String plan, int joined) throws Exception {
        String id = owner.post("/relays", "{\"subdomain\":\"" + subdomain + "\",\"info_name\":\"M\",\"plan\":\"" + plan + "\"}")
                .data().path("id").asText();
        Await.until("relay on zooid", Duration.ofSeconds(40), () -> ZOOID.ids().contains(id));
        List<String> members = new ArrayList<>();
        for (int i = 0; i < joined; i++) {
            members.add(KeyPair.generate().pubkey());
        }
        ZOOID.setMembers(id, members);
        return id;
    }

    @Test
    void theOwnerAndAdminsSeeZooidsMemberListAndOthersDoNot() throws Exception {
        SignedClient owner = tenant();
        String id = liveRelay(owner, "members-list", "basic", 119);
        JsonNode list = owner.get("/relays/" + id + "/members").data();
        assertEquals(120, list.path("count").asInt(), "owner + 119 joined");
        assertEquals(120, list.path("members").size());
        assertEquals(100, list.path("limit").asInt());
        assertEquals(200, new SignedClient(PORT, ADMIN).get("/relays/" + id + "/members").status());
        SignedClient.Reply other = tenant().get("/relays/" + id + "/members");
        assertEquals(403, other.status());
        assertEquals("forbidden", other.code());
    }

    @Test
    void aDowngradeThatWouldLeaveTooManyMembersIsRefusedAndChangesNothing() throws Exception {
        SignedClient owner = tenant();
        String id = liveRelay(owner, "members-downgrade", "basic", 119);
        Thread.sleep(300); // let the activation settle before the snapshot
        DbSnapshot before = DbSnapshot.of(app().database().jdbi());
        int calls = ZOOID.log().size();
        SignedClient.Reply refused = owner.put("/relays/" + id, "{\"plan\":\"free\"}");
        assertEquals(422, refused.status(), refused.body());
        assertEquals("member-limit", refused.code());
        assertTrue(refused.error().contains("120"), refused.error());
        assertEquals(before, DbSnapshot.of(app().database().jdbi()), "no row, no activity, no job");
        assertEquals("basic", owner.get("/relays/" + id).data().path("plan").asText());
        assertEquals(calls + 1, ZOOID.log().size(), "only the member list was asked: " + ZOOID.log());

        ZOOID.setMembers(id, List.of(KeyPair.generate().pubkey()));
        SignedClient.Reply allowed = owner.put("/relays/" + id, "{\"plan\":\"free\"}");
        assertEquals(200, allowed.status(), "2 members fit the free plan's 10: " + allowed.body());
        assertEquals("free", allowed.data().path("plan").asText());
    }

    @Test
    void withZooidDownAPlanChangeThatNeedsTheMembersIsRefusedNotAllowedBlind() throws Exception {
        SignedClient owner = tenant();
        String id = liveRelay(owner, "members-down", "growth", 5);
        Thread.sleep(300);
        DbSnapshot before = DbSnapshot.of(app().database().jdbi());
        ZOOID.failNext(Integer.MAX_VALUE, 503);
        try {
            SignedClient.Reply refused = owner.put("/relays/" + id, "{\"plan\":\"basic\"}");
            assertEquals(503, refused.status(), refused.body());
            assertEquals("upstream-unavailable", refused.code());
            assertEquals(503, owner.get("/relays/" + id + "/members").status());
            assertEquals(before, DbSnapshot.of(app().database().jdbi()), "nothing changed");
            assertEquals(200, owner.put("/relays/" + id, "{\"info_name\":\"Renamed\"}").status(),
                    "a change that does not touch the limit does not need zooid");
        } finally {
            ZOOID.failNext(0, 503);
        }
    }

    @Test
    void aRelayZooidDoesNotKnowHasNoMembersAndMayMoveToAnyPlan() throws Exception {
        SignedClient owner = tenant();
        String id = liveRelay(owner, "members-none", "basic", 50);
        ZOOID.forget(id); // zooid answers 404 for it now, as for a relay it never had
        JsonNode list = owner.get("/relays/" + id + "/members").data();
        assertEquals(0, list.path("count").asInt(), list.toString());
        assertEquals(0, list.path("members").size());
        assertEquals(200, owner.put("/relays/" + id, "{\"plan\":\"free\"}").status());
    }

    private static CaravelApplication app() {
        return APP.getApplication();
    }
}
