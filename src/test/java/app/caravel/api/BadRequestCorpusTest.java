package app.caravel.api;

import app.caravel.CaravelApplication;
import app.caravel.CaravelConfiguration;
import app.caravel.nostr.Crypto;
import app.caravel.nostr.Event;
import app.caravel.nostr.Hex;
import app.caravel.nostr.KeyPair;
import app.caravel.support.DbSnapshot;
import app.caravel.support.Ports;
import app.caravel.support.SignedClient;
import app.caravel.support.TestApps;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Over a hundred bad requests, each answered with the right 4xx and {"error": ...}, none with a 5xx, none
 * changing a row or enqueuing a job.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class BadRequestCorpusTest {
    private static final int PORT = Ports.free();
    private static final String BASE = "http://127.0.0.1:" + PORT;
    private static final KeyPair ADMIN = KeyPair.generate();
    private static final KeyPair OWNER = KeyPair.generate();
    private static final KeyPair OTHER = KeyPair.generate();
    static final DropwizardAppExtension<CaravelConfiguration> APP = TestApps.app(PORT, Map.of("admins", ADMIN.pubkey()));
    private static final String SECRET = "c15d739894c81a2fcfd3a2df85a0d2c0dbc47a280d092799f144d73d7ae78add";
    private static final String WALLET = "f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9";
    private static String paidRelay;
    private static String freeRelay;

    /** One bad request: who sends it, what, and the status it must get. Header null = sign it properly. */
    record Case(String name, KeyPair who, String method, String path, byte[] body, String contentType,
                String header, int status) {
    }

    @BeforeAll
    static void setUp() {
        SignedClient owner = new SignedClient(PORT, OWNER);
        owner.post("/tenants", null);
        new SignedClient(PORT, OTHER).post("/tenants", null);
        new SignedClient(PORT, OTHER).post("/relays", "{\"subdomain\":\"others\",\"info_name\":\"Others\",\"plan\":\"free\"}");
        paidRelay = owner.post("/relays", "{\"subdomain\":\"owned\",\"info_name\":\"Owned\",\"plan\":\"basic\"}").data().path("id").asText();
        freeRelay = owner.post("/relays", "{\"subdomain\":\"freebie\",\"info_name\":\"Free\",\"plan\":\"free\"}").data().path("id").asText();
    }

    private static CaravelApplication app() {
        return APP.getApplication();
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static Case post(String name, String path, String json, int status) {
        return new Case(name, OWNER, "POST", path, utf8(json), "application/json", null, status);
    }

    private static Case put(String name, String path, String json, int status) {
        return new Case(name, OWNER, "PUT", path, utf8(json), "application/json", null, status);
    }

    private static Case get(String name, KeyPair who, String path, int status) {
        return new Case(name, who, "GET", path, null, null, null, status);
    }

    private static Case auth(String name, String method, String path, String json, String header) {
        return new Case(name, OWNER, method, path, utf8(json), json == null ? null : "application/json", header, 401);
    }

    private static String token(String json) {
        return "Nostr " + Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String header(Event event) {
        return token(event.toJson());
    }

    private static Event nip98(KeyPair keys, long createdAt, int kind, String url, String method, String payload) {
        List<List<String>> tags = new ArrayList<>();
        if (url != null) {
            tags.add(List.of("u", url));
        }
        if (method != null) {
            tags.add(List.of("method", method));
        }
        if (payload != null) {
            tags.add(List.of("payload", payload));
        }
        return Event.sign(keys, createdAt, kind, tags, "");
    }

    private static String sha(String body) {
        return Hex.encode(Crypto.sha256(utf8(body)));
    }

    private static String relay(String subdomain, String plan, String extra) {
        return "{\"subdomain\":\"" + subdomain + "\",\"info_name\":\"N\",\"plan\":\"" + plan + "\"" + extra + "}";
    }

    private static String nwc(String query) {
        return "{\"nwc_url\":\"nostr+walletconnect://" + WALLET + query + "\"}";
    }

    private static List<Case> cases() {
        long now = System.currentTimeMillis() / 1000;
        String tenantsUrl = BASE + "/identity";
        String body = relay("fine", "free", "");
        String relaysUrl = BASE + "/relays";
        Event good = nip98(OWNER, now, 27235, tenantsUrl, "GET", null);
        List<Case> c = new ArrayList<>();

        // NIP-98 header: 401 with the rule that failed
        c.add(auth("no header", "GET", "/identity", null, ""));
        c.add(auth("Bearer scheme", "GET", "/identity", null, "Bearer " + header(good).substring(6)));
        c.add(auth("empty token", "GET", "/identity", null, "Nostr "));
        c.add(auth("not base64", "GET", "/identity", null, "Nostr !!!not-base64***"));
        c.add(auth("base64 of text", "GET", "/identity", null, token("hello there")));
        c.add(auth("base64 of a JSON array", "GET", "/identity", null, token("[1,2,3]")));
        c.add(auth("JSON that is not an event", "GET", "/identity", null, token("{\"kind\":27235}")));
        c.add(auth("tags not an array", "GET", "/identity", null, token(good.toJson().replaceFirst("\"tags\":\\[.*\\],\"content\"", "\"tags\":\"u\",\"content\""))));
        c.add(auth("created_at as a string", "GET", "/identity", null, token(good.toJson().replace("\"created_at\":" + now, "\"created_at\":\"" + now + "\""))));
        c.add(auth("wrong kind", "GET", "/identity", null, header(nip98(OWNER, now, 1, tenantsUrl, "GET", null))));
        c.add(auth("stale by 61 s", "GET", "/identity", null, header(nip98(OWNER, now - 61, 27235, tenantsUrl, "GET", null))));
        c.add(auth("stale by a day", "GET", "/identity", null, header(nip98(OWNER, now - 86400, 27235, tenantsUrl, "GET", null))));
        c.add(auth("future by 90 s", "GET", "/identity", null, header(nip98(OWNER, now + 90, 27235, tenantsUrl, "GET", null))));
        c.add(auth("wrong path", "GET", "/identity", null, header(nip98(OWNER, now, 27235, BASE + "/plans", "GET", null))));
        c.add(auth("wrong query", "GET", "/relays?tenant=" + OWNER.pubkey(), null, header(nip98(OWNER, now, 27235, relaysUrl, "GET", null))));
        c.add(auth("missing query", "GET", "/relays", null, header(nip98(OWNER, now, 27235, relaysUrl + "?tenant=" + OWNER.pubkey(), "GET", null))));
        c.add(auth("wrong scheme", "GET", "/identity", null, header(nip98(OWNER, now, 27235, tenantsUrl.replace("http:", "https:"), "GET", null))));
        c.add(auth("wrong port", "GET", "/identity", null, header(nip98(OWNER, now, 27235, "http://127.0.0.1:1/identity", "GET", null))));
        c.add(auth("wrong host", "GET", "/identity", null, header(nip98(OWNER, now, 27235, "http://localhost:" + PORT + "/identity", "GET", null))));
        c.add(auth("relative u", "GET", "/identity", null, header(nip98(OWNER, now, 27235, "/identity", "GET", null))));
        c.add(auth("no u tag", "GET", "/identity", null, header(nip98(OWNER, now, 27235, null, "GET", null))));
        c.add(auth("wrong method", "GET", "/identity", null, header(nip98(OWNER, now, 27235, tenantsUrl, "POST", null))));
        c.add(auth("no method tag", "GET", "/identity", null, header(nip98(OWNER, now, 27235, tenantsUrl, null, null))));
        c.add(auth("payload of another body", "POST", "/relays", body, header(nip98(OWNER, now, 27235, relaysUrl, "POST", sha(body + " ")))));
        c.add(auth("body without payload tag", "POST", "/relays", body, header(nip98(OWNER, now, 27235, relaysUrl, "POST", null))));
        c.add(auth("payload not hex", "POST", "/relays", body, header(nip98(OWNER, now, 27235, relaysUrl, "POST", "not-a-hash"))));
        Event other = nip98(OTHER, now, 27235, tenantsUrl, "GET", null);
        c.add(auth("signature of another event", "GET", "/identity", null, header(new Event(good.id(), good.pubkey(), now, 27235, good.tags(), "", other.sig()))));
        c.add(auth("id not matching", "GET", "/identity", null, header(new Event(other.id(), good.pubkey(), now, 27235, good.tags(), "", good.sig()))));
        Event swapped = Event.unsigned(OTHER.pubkey(), now, 27235, good.tags(), "");
        c.add(auth("pubkey swapped, id recomputed", "GET", "/identity", null, header(new Event(swapped.id(), swapped.pubkey(), now, 27235, good.tags(), "", good.sig()))));
        c.add(auth("no sig", "GET", "/identity", null, header(new Event(good.id(), good.pubkey(), now, 27235, good.tags(), "", null))));
        c.add(auth("uppercase id", "GET", "/identity", null, header(new Event(good.id().toUpperCase(Locale.ROOT), good.pubkey(), now, 27235, good.tags(), "", good.sig()))));
        c.add(auth("short sig", "GET", "/identity", null, header(new Event(good.id(), good.pubkey(), now, 27235, good.tags(), "", good.sig().substring(0, 100)))));
        c.add(auth("sig of zeros", "GET", "/identity", null, header(new Event(good.id(), good.pubkey(), now, 27235, good.tags(), "", "0".repeat(128)))));
        c.add(auth("unsigned write", "POST", "/relays", body, ""));
        Event twoUs = Event.sign(OWNER, now, 27235, List.of(List.of("u", tenantsUrl), List.of("u", BASE + "/plans"),
                List.of("method", "GET")), "");
        c.add(auth("two u tags", "GET", "/identity", null, header(twoUs)));
        Event twoMethods = Event.sign(OWNER, now, 27235, List.of(List.of("u", tenantsUrl), List.of("method", "GET"),
                List.of("method", "POST")), "");
        c.add(auth("two method tags", "GET", "/identity", null, header(twoMethods)));
        c.add(auth("bytes after the event's JSON", "GET", "/identity", null, token(good.toJson() + "{}")));
        c.add(auth("a duplicated JSON key", "GET", "/identity", null, token(good.toJson().replaceFirst("\\{", "{\"kind\":1,"))));
        c.add(auth("session token while sessions are off", "GET", "/identity", null, header(nip98(OWNER, now, 27235, BASE, null, null))));
        c.add(auth("session token for a write while sessions are off", "POST", "/relays", body,
                header(nip98(OWNER, now, 27235, BASE, null, null))));

        // JSON bodies: 400
        c.add(post("malformed JSON", "/relays", "{", 400));
        c.add(post("trailing garbage", "/relays", body + " x", 400));
        c.add(post("array instead of object", "/relays", "[]", 400));
        c.add(post("JSON string", "/relays", "\"hello\"", 400));
        c.add(post("JSON null", "/relays", "null", 400));
        c.add(post("empty body", "/relays", null, 400));
        c.add(post("unknown field", "/relays", relay("unknown1", "free", ",\"colour\":\"red\""), 400));
        c.add(post("camelCase field", "/relays", relay("camel1", "free", ",\"publicJoin\":true"), 400));
        c.add(post("secret is not settable", "/relays", relay("secret1", "free", ",\"secret\":\"" + SECRET + "\""), 400));
        c.add(post("name as a number", "/relays", "{\"subdomain\":\"num1\",\"info_name\":5,\"plan\":\"free\"}", 400));
        c.add(post("name as an object", "/relays", "{\"subdomain\":\"obj1\",\"info_name\":{\"a\":1},\"plan\":\"free\"}", 400));
        c.add(post("flag as a string", "/relays", relay("flag1", "basic", ",\"blossom_enabled\":\"yes\""), 400));
        c.add(post("flag as a number", "/relays", relay("flag2", "basic", ",\"blossom_enabled\":1"), 400));
        c.add(post("subdomain as an array", "/relays", "{\"subdomain\":[\"a\"],\"info_name\":\"N\",\"plan\":\"free\"}", 400));
        c.add(new Case("invalid UTF-8", OWNER, "POST", "/relays", new byte[]{'{', '"', (byte) 0xff, (byte) 0xfe, '"', ':', '1', '}'}, "application/json", null, 400));
        c.add(put("relay update: subdomain is not editable", "/relays/" + paidRelay, "{\"subdomain\":\"moved\"}", 422));
        c.add(put("relay update: another id", "/relays/" + paidRelay, "{\"id\":\"" + UUID.randomUUID() + "\"}", 422));
        c.add(put("relay update: another tenant", "/relays/" + paidRelay, "{\"tenant\":\"" + OTHER.pubkey() + "\"}", 422));
        c.add(put("relay update: another schema", "/relays/" + paidRelay, "{\"schema\":\"x_1\"}", 422));
        c.add(put("relay update: another host", "/relays/" + paidRelay, "{\"host\":\"evil.example.com\"}", 422));
        c.add(put("relay update: id as a number", "/relays/" + paidRelay, "{\"id\":5}", 422));
        c.add(post("create with an id of my choosing", "/relays", relay("mine1", "free", ",\"id\":\"" + UUID.randomUUID() + "\""), 422));
        c.add(post("create with a schema of my choosing", "/relays", relay("mine2", "free", ",\"schema\":\"public\""), 422));
        c.add(put("relay update: unknown field", "/relays/" + paidRelay, "{\"owner\":\"" + OTHER.pubkey() + "\"}", 400));
        c.add(put("relay update: empty body", "/relays/" + paidRelay, null, 400));
        c.add(put("relay update: malformed", "/relays/" + paidRelay, "{\"info_name\":", 400));
        c.add(put("billing: unknown field", "/tenants/" + OWNER.pubkey() + "/billing", "{\"nwc\":\"x\"}", 400));
        c.add(put("billing: empty body", "/tenants/" + OWNER.pubkey() + "/billing", null, 400));
        c.add(put("billing: url as a number", "/tenants/" + OWNER.pubkey() + "/billing", "{\"nwc_url\":42}", 400));
        c.add(post("tenant: unknown field", "/tenants", "{\"admin\":true}", 400));

        // content type: 415
        c.add(new Case("text/plain relay", OWNER, "POST", "/relays", utf8(body), "text/plain", null, 415));
        c.add(new Case("form-encoded update", OWNER, "PUT", "/relays/" + paidRelay, utf8("name=x"), "application/x-www-form-urlencoded", null, 415));
        c.add(new Case("xml billing", OWNER, "PUT", "/tenants/" + OWNER.pubkey() + "/billing", utf8("<nwc/>"), "text/xml", null, 415));
        c.add(new Case("relay body without content type", OWNER, "POST", "/relays", utf8(body), null, null, 415));

        // size: 413
        c.add(post("70 KiB relay", "/relays", relay("big", "free", ",\"info_description\":\"" + "x".repeat(70 * 1024) + "\""), 413));
        c.add(put("64 KiB + 1 update", "/relays/" + paidRelay, "{\"info_description\":\"" + "y".repeat(64 * 1024 - 17) + "\"}", 413));
        c.add(put("1 MiB billing", "/tenants/" + OWNER.pubkey() + "/billing", "{\"nwc_url\":\"" + "z".repeat(1 << 20) + "\"}", 413));

        // ids and routes: 400 / 404 / 405
        c.add(get("relay id not a UUID", OWNER, "/relays/not-a-uuid", 400));
        c.add(get("relay id in upper case", OWNER, "/relays/" + paidRelay.toUpperCase(Locale.ROOT), 400));
        c.add(put("update a non-UUID", "/relays/xyz", "{\"info_name\":\"x\"}", 400));
        c.add(post("deactivate a non-UUID", "/relays/123/deactivate", null, 400));
        c.add(post("activate a blank id", "/relays/%20/activate", null, 400));
        c.add(get("tenant pubkey too short", OWNER, "/tenants/abc", 400));
        c.add(get("tenant pubkey in upper case", OWNER, "/tenants/" + OWNER.pubkey().toUpperCase(Locale.ROOT), 400));
        c.add(get("tenant as npub", OWNER, "/tenants/npub1zutzeysacnf9rru6zqwmxd54mud0k44tst6l70ja5mhv8jjumytsd2x7nu", 400));
        c.add(put("billing of a bad pubkey", "/tenants/zz/billing", "{\"nwc_url\":null}", 400));
        c.add(get("?tenant= not hex (admin)", ADMIN, "/relays?tenant=xyz", 400));
        c.add(get("invoices ?tenant= not hex (admin)", ADMIN, "/invoices?tenant=" + "g".repeat(64), 400));
        c.add(get("unknown relay (admin)", ADMIN, "/relays/" + UUID.randomUUID(), 404));
        c.add(get("unknown relay (tenant)", OWNER, "/relays/" + UUID.randomUUID(), 403));
        c.add(get("unknown tenant (admin)", ADMIN, "/tenants/" + KeyPair.generate().pubkey(), 404));
        c.add(get("unknown route", OWNER, "/nope", 404));
        c.add(new Case("DELETE a relay", OWNER, "DELETE", "/relays/" + paidRelay, null, null, null, 405));
        c.add(new Case("PATCH a relay", OWNER, "PATCH", "/relays/" + paidRelay, utf8("{}"), "application/json", null, 405));
        c.add(get("another tenant's relay", OTHER, "/relays/" + paidRelay, 403));
        c.add(new Case("close a malformed invoice id (admin)", ADMIN, "POST", "/invoices/nope/close", null, null, null, 400));
        c.add(new Case("close an unknown invoice (admin)", ADMIN, "POST", "/invoices/" + UUID.randomUUID() + "/close", null, null, null, 404));
        c.add(new Case("close an invoice (tenant)", OWNER, "POST", "/invoices/" + UUID.randomUUID() + "/close", null, null, null, 403));
        c.add(new Case("deactivate another tenant's relay", OTHER, "POST", "/relays/" + paidRelay + "/deactivate", null, null, null, 403));

        // subdomains: 422, taken: 409
        for (String bad : List.of("", "-lead", "trail-", "UPPER", "has_underscore", "has.dot", "a".repeat(64),
                "spa ce", "ünï", "tab\\t", "a--", "www", "api", "admin", "mail", "relay", "dashboard")) {
            c.add(post("subdomain '" + bad + "'", "/relays", relay(bad, "free", ""), 422));
        }
        c.add(post("no subdomain", "/relays", "{\"info_name\":\"N\",\"plan\":\"free\"}", 422));
        c.add(post("subdomain taken by me", "/relays", relay("owned", "free", ""), 409));
        c.add(post("subdomain taken by another tenant", "/relays", relay("others", "free", ""), 409));

        // plans and features: 422
        c.add(post("unknown plan", "/relays", relay("plan1", "platinum", ""), 422));
        c.add(post("empty plan", "/relays", relay("plan2", "", ""), 422));
        c.add(post("plan in upper case", "/relays", relay("plan3", "Basic", ""), 422));
        c.add(post("no plan", "/relays", "{\"subdomain\":\"plan4\",\"info_name\":\"N\"}", 422));
        c.add(post("blossom on free", "/relays", relay("feat1", "free", ",\"blossom_enabled\":true"), 422));
        c.add(post("livekit on free", "/relays", relay("feat2", "free", ",\"livekit_enabled\":true"), 422));
        c.add(put("update to an unknown plan", "/relays/" + paidRelay, "{\"plan\":\"gold\"}", 422));
        c.add(put("blossom on a free relay", "/relays/" + freeRelay, "{\"blossom_enabled\":true}", 422));
        c.add(put("downgrade while asking for livekit", "/relays/" + paidRelay, "{\"plan\":\"free\",\"livekit_enabled\":true}", 422));

        // names, icons, descriptions: 422
        c.add(post("no name", "/relays", "{\"subdomain\":\"name1\",\"plan\":\"free\"}", 422));
        c.add(post("blank name", "/relays", "{\"subdomain\":\"name2\",\"info_name\":\"   \",\"plan\":\"free\"}", 422));
        c.add(post("101-char name", "/relays", "{\"subdomain\":\"name3\",\"info_name\":\"" + "n".repeat(101) + "\",\"plan\":\"free\"}", 422));
        c.add(post("name with a newline", "/relays", "{\"subdomain\":\"name4\",\"info_name\":\"a\\nb\",\"plan\":\"free\"}", 422));
        c.add(post("javascript icon", "/relays", relay("icon1", "free", ",\"info_icon\":\"javascript:alert(1)\""), 422));
        c.add(post("ftp icon", "/relays", relay("icon2", "free", ",\"info_icon\":\"ftp://x.example/i.png\""), 422));
        c.add(post("icon not a URL", "/relays", relay("icon3", "free", ",\"info_icon\":\"not a url\""), 422));
        c.add(post("2001-char description", "/relays", relay("desc1", "free", ",\"info_description\":\"" + "d".repeat(2001) + "\""), 422));
        c.add(put("rename to empty", "/relays/" + paidRelay, "{\"info_name\":\"\"}", 422));
        for (String[] hostile : new String[][]{{"NUL", "\\u0000"}, {"C1 NEL", "\\u0085"}, {"DEL", "\\u007f"},
                {"right-to-left override", "\\u202e"}, {"left-to-right embedding", "\\u202a"},
                {"first strong isolate", "\\u2068"}, {"pop isolate", "\\u2069"}, {"line separator", "\\u2028"},
                {"paragraph separator", "\\u2029"}, {"tab", "\\t"}}) {
            c.add(post("name with a " + hostile[0], "/relays", "{\"subdomain\":\"h" + Math.abs(hostile[0].hashCode() % 1000)
                    + "\",\"info_name\":\"ab" + hostile[1] + "cd\",\"plan\":\"free\"}", 422));
            c.add(put("description with a " + hostile[0], "/relays/" + paidRelay,
                    "{\"info_description\":\"txt" + hostile[1] + "gnp.exe\"}", 422));
        }

        // wallets: 422, the URL never echoed
        String billing = "/tenants/" + OWNER.pubkey() + "/billing";
        c.add(put("https wallet URL", billing, "{\"nwc_url\":\"https://wallet.example.com\"}", 422));
        c.add(put("wallet pubkey not hex", billing, "{\"nwc_url\":\"nostr+walletconnect://zz?relay=wss://r.example&secret=" + SECRET + "\"}", 422));
        c.add(put("wallet URL without secret", billing, nwc("?relay=wss%3A%2F%2Fr.example.com"), 422));
        c.add(put("wallet URL without relay", billing, nwc("?secret=" + SECRET), 422));
        c.add(put("wallet secret too short", billing, nwc("?relay=wss%3A%2F%2Fr.example.com&secret=abcd"), 422));
        c.add(put("wallet relay not a websocket", billing, nwc("?relay=https%3A%2F%2Fr.example.com&secret=" + SECRET), 422));
        c.add(post("become a tenant with a bad wallet", "/tenants", "{\"nwc_url\":\"lightning:lnbc1\"}", 422));
        String good_ = "?relay=wss%3A%2F%2Fr.example.com&secret=" + SECRET;
        c.add(put("wallet URL ending in a NUL byte", billing, nwc(good_ + "\\u0000"), 422));
        c.add(put("wallet URL with a newline in lud16", billing, nwc(good_ + "&lud16=alice@example.com\\nx"), 422));
        c.add(put("wallet URL with a %0A in lud16", billing, nwc(good_ + "&lud16=alice%0A@example.com"), 422));
        c.add(put("wallet URL with a right-to-left override in lud16", billing, nwc(good_ + "&lud16=alice\\u202e@example.com"), 422));
        c.add(put("wallet URL with a zero-width joiner", billing, nwc(good_ + "\\u200d"), 422));
        c.add(put("wallet URL with a space", billing, nwc(good_ + "&lud16=al ice@example.com"), 422));
        c.add(put("wallet lud16 not an address", billing, nwc(good_ + "&lud16=alice"), 422));
        c.add(put("wallet lud16 twice", billing, nwc(good_ + "&lud16=a@example.com&lud16=b@example.com"), 422));
        c.add(put("wallet secret twice", billing, nwc(good_ + "&secret=" + SECRET), 422));
        c.add(put("wallet relay without a host", billing, nwc("?relay=wss%3A%2F%2F&secret=" + SECRET), 422));
        c.add(put("wallet relay with user info", billing, nwc("?relay=wss%3A%2F%2Fu%3Ap%40r.example.com&secret=" + SECRET), 422));
        c.add(put("wallet parameter without a value", billing, nwc(good_ + "&relay"), 422));

        // who may create for whom
        c.add(new Case("admin creates for an unknown tenant", ADMIN, "POST", "/relays",
                utf8("{\"tenant\":\"" + KeyPair.generate().pubkey() + "\",\"subdomain\":\"ghost\",\"info_name\":\"G\",\"plan\":\"free\"}"), "application/json", null, 422));
        c.add(new Case("admin creates for a malformed tenant", ADMIN, "POST", "/relays",
                utf8("{\"tenant\":\"xyz\",\"subdomain\":\"ghost2\",\"info_name\":\"G\",\"plan\":\"free\"}"), "application/json", null, 400));
        c.add(new Case("tenant creates for another tenant", OTHER, "POST", "/relays",
                utf8("{\"tenant\":\"" + OWNER.pubkey() + "\",\"subdomain\":\"sneaky\",\"info_name\":\"S\",\"plan\":\"free\"}"), "application/json", null, 403));
        return c;
    }

    /** The code each refusal must carry: the status decides where it is unambiguous, the name where it is not. */
    private static String expectedCode(Case bad) {
        String name = bad.name();
        return switch (bad.status()) {
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 409 -> "duplicate-subdomain";
            case 413 -> "payload-too-large";
            case 415 -> "unsupported-media-type";
            case 400 -> name.contains("unknown field") || name.contains("camelCase") || name.contains("secret is not")
                    ? "unknown-field"
                    : MALFORMED_REQUEST.contains(name) ? "bad-request" : "invalid-json";
            case 422 -> name.startsWith("subdomain '") ? (RESERVED.contains(name.substring(11, name.length() - 1))
                    ? "reserved-subdomain" : "invalid-subdomain")
                    : name.equals("no subdomain") ? "invalid-subdomain"
                    : name.contains("plan") && !name.contains("asking for") ? "invalid-plan"
                    : name.contains("blossom on") || name.contains("livekit on") || name.contains("asking for livekit")
                    ? "plan-feature"
                    : name.contains("wallet") ? "invalid-nwc-url" : "invalid-field";
            default -> throw new AssertionError("no code decided for " + name);
        };
    }

    /** The 400s that are about the request (no body, a bad id in the path or query), not about a JSON body. */
    private static final java.util.Set<String> MALFORMED_REQUEST = java.util.Set.of("JSON null", "empty body",
            "relay update: empty body", "billing: empty body", "relay id not a UUID", "relay id in upper case",
            "update a non-UUID", "deactivate a non-UUID", "activate a blank id", "tenant pubkey too short",
            "tenant pubkey in upper case", "tenant as npub", "billing of a bad pubkey", "?tenant= not hex (admin)",
            "invoices ?tenant= not hex (admin)", "close a malformed invoice id (admin)", "admin creates for a malformed tenant");

    private static final java.util.Set<String> RESERVED = java.util.Set.of("www", "api", "admin", "mail", "relay",
            "dashboard");

    @TestFactory
    Stream<DynamicTest> corpus() {
        List<Case> cases = cases();
        assertTrue(cases.size() >= 100, "corpus has " + cases.size() + " cases");
        return cases.stream().map(bad -> DynamicTest.dynamicTest(bad.name() + " → " + bad.status(), () -> {
            SignedClient client = new SignedClient(PORT, bad.who());
            String header = bad.header() != null ? (bad.header().isEmpty() ? null : bad.header())
                    : client.authHeader(bad.method(), bad.path(), bad.body());
            DbSnapshot before = DbSnapshot.of(app().database().jdbi());
            SignedClient.Reply reply = client.raw(bad.method(), bad.path(), bad.body(), header, bad.contentType());
            assertEquals(bad.status(), reply.status(), reply.body());
            assertNotNull(reply.error(), "JSON error body: " + reply.body());
            assertEquals(expectedCode(bad), reply.code(), reply.body());
            assertEquals(java.util.Set.of("error", "code"), fieldNames(reply.json()), "the error envelope, nothing else");
            assertEquals(before, DbSnapshot.of(app().database().jdbi()), "nothing changed");
            if (bad.body() != null && new String(bad.body(), StandardCharsets.UTF_8).contains("walletconnect")) {
                assertTrue(!reply.body().contains(SECRET) && !reply.body().contains("walletconnect"), "wallet URL not echoed");
            }
        }));
    }

    @Test
    void aReplayedSignatureIsRefusedAndChangesNothing() {
        SignedClient owner = new SignedClient(PORT, OWNER);
        String path = "/relays/" + freeRelay + "/deactivate";
        String header = owner.authHeader("POST", path, null);
        assertEquals(200, owner.raw("POST", path, null, header, null).status());
        DbSnapshot before = DbSnapshot.of(app().database().jdbi());
        SignedClient.Reply replay = owner.raw("POST", path, null, header, null);
        assertEquals(401, replay.status());
        assertTrue(replay.error().contains("already used"), replay.body());
        assertEquals(before, DbSnapshot.of(app().database().jdbi()));
        SignedClient.Reply fresh = owner.post(path, null);
        assertEquals(400, fresh.status(), "a fresh signature for the same URL passes auth: the relay is already off");
        assertTrue(fresh.error().contains("already inactive"), fresh.body());
        // reads are not state-changing: the same header may be retried
        String read = owner.authHeader("GET", "/identity", null);
        assertEquals(200, owner.raw("GET", "/identity", null, read, null).status());
        assertEquals(200, owner.raw("GET", "/identity", null, read, null).status());
    }

    @Test
    void forwardedHeadersAreIgnoredUnlessTheOperatorTrustsThem() {
        SignedClient client = new SignedClient(PORT, OWNER);
        String header = new app.caravel.nostr.Nip98(java.time.Clock.systemUTC(), 60)
                .header(OWNER, "https://api.example.com/identity", "GET", null);
        SignedClient.Reply reply = client.raw("GET", "/identity", null, header, null,
                Map.of("X-Forwarded-Proto", "https", "X-Forwarded-Host", "api.example.com"));
        assertEquals(401, reply.status());
    }

    @Test
    void aDelinquentRelayWaitsForItsInvoice() {
        app().database().relays().setStatus(paidRelay, "delinquent", 1);
        app().database().invoices().insert(new app.caravel.db.Invoice(UUID.randomUUID().toString(), OWNER.pubkey(), 1, 2,
                10000, "lnbc1", null, "pending", 3, null, null, null, null, null, null, null, null, null, null));
        DbSnapshot before = DbSnapshot.of(app().database().jdbi());
        SignedClient.Reply reply = new SignedClient(PORT, OWNER).post("/relays/" + paidRelay + "/activate", null);
        assertEquals(409, reply.status(), reply.body());
        assertTrue(reply.error().contains("pay the pending invoice"));
        assertEquals(before, DbSnapshot.of(app().database().jdbi()));
    }

    private static java.util.Set<String> fieldNames(com.fasterxml.jackson.databind.JsonNode node) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
