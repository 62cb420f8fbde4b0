package app.caravel.support;

import app.caravel.nostr.Event;
import app.caravel.nostr.Filter;
import app.caravel.nostr.Hex;
import app.caravel.nostr.KeyPair;
import app.caravel.nostr.Nip47;
import app.caravel.nostr.RelayConnection;
import app.caravel.nostr.RelayPool;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * A Lightning wallet behind NIP-47, on a loopback relay: it announces its encryption (kind 13194), reads
 * kind 23194 requests addressed to it and answers kind 23195 in the request's scheme. Wallets share a
 * {@link Ledger}, so an invoice one makes can be paid by another and looked up by both. Tests can make it
 * refuse payments with any NIP-47 code, stay silent, or pay and lose the answer.
 */
public final class WalletService implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Invoices by payment hash; what every wallet in a test agrees happened. */
    public static final class Ledger {
        final Map<String, Entry> byHash = new ConcurrentHashMap<>();
        private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
        private final java.util.concurrent.atomic.AtomicInteger maxInFlight = new java.util.concurrent.atomic.AtomicInteger();

        /** The most requests any of this ledger's wallets held unanswered at one moment. */
        public int maxInFlight() {
            return maxInFlight.get();
        }

        void received() {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        }

        void answered() {
            inFlight.decrementAndGet();
        }

        public boolean settled(String paymentHash) {
            Entry entry = byHash.get(paymentHash);
            return entry != null && entry.settledAt != null;
        }

        public long byHashSettledCount() {
            return byHash.values().stream().filter(e -> e.settledAt != null).count();
        }

        /** Settled payments by the client key that paid them: what "paid exactly once" is counted on. */
        public Map<String, Long> settledByClient() {
            Map<String, Long> counts = new java.util.TreeMap<>();
            byHash.values().stream().filter(e -> e.settledAt != null && e.payerClient != null)
                    .forEach(e -> counts.merge(e.payerClient, 1L, Long::sum));
            return counts;
        }

        public long settledCount() {
            return byHash.values().stream().filter(e -> e.settledAt != null).count();
        }

        /** Someone paid outside NWC (another wallet, an exchange). */
        public void settleOutOfBand(String bolt11) {
            byHash.values().stream().filter(e -> e.bolt11.equals(bolt11)).forEach(e -> e.settledAt = 1L);
        }
    }

    static final class Entry {
        final String bolt11;
        final String paymentHash;
        final long amountMsat;
        final String issuer;
        final String preimage = Hex.encode(app.caravel.nostr.Crypto.randomBytes(32));
        volatile String payer;
        volatile String payerClient;
        volatile Long settledAt;

        Entry(String bolt11, String paymentHash, long amountMsat, String issuer) {
            this.bolt11 = bolt11;
            this.paymentHash = paymentHash;
            this.amountMsat = amountMsat;
            this.issuer = issuer;
        }
    }

    private final KeyPair keys = KeyPair.generate();
    private final TestRelay relay;
    private final Ledger ledger;
    private final List<String> encryptions;
    private final RelayPool pool = new RelayPool(HttpClient.newHttpClient(), Duration.ofSeconds(2));
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2, r -> {
        Thread thread = new Thread(r, "wallet-double");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong balanceMsat = new AtomicLong(1_000_000_000L);
    /** NIP-47 get_budget: null = the method is not implemented; {} = no budget; else {total, used} in msats. */
    private volatile long[] budgetMsat;
    private volatile boolean budgetMethod;
    private volatile Nip47.ErrorCode budgetError;
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private volatile Nip47.ErrorCode payError;
    private volatile boolean silent;
    private volatile boolean loseAnswers;
    private volatile boolean holdPayments;
    private volatile UnaryOperator<ObjectNode> lookupShape = UnaryOperator.identity();
    private volatile String garbled;
    private volatile Duration delay = Duration.ZERO;
    private final java.util.Set<String> silentClients = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile java.util.function.Predicate<JsonNode> failMakeInvoice = params -> false;
    private RelayConnection.Subscription subscription;

    private WalletService(TestRelay relay, Ledger ledger, List<String> encryptions) {
        this.relay = relay;
        this.ledger = ledger;
        this.encryptions = encryptions;
    }

    public static WalletService start(TestRelay relay, Ledger ledger, String... encryptions) throws Exception {
        WalletService wallet = new WalletService(relay, ledger, List.of(encryptions));
        wallet.listen();
        return wallet;
    }

    private void listen() throws Exception {
        List<List<String>> tags = encryptions.isEmpty() ? List.of() : List.of(List.of("encryption", String.join(" ", encryptions)));
        Event info = Event.sign(keys, System.currentTimeMillis() / 1000, Nip47.INFO, tags,
                "pay_invoice make_invoice lookup_invoice get_info");
        pool.publish(info, List.of(relay.url()), Duration.ofSeconds(2));
        RelayConnection connection = pool.connection(relay.url()).get(2, TimeUnit.SECONDS);
        subscription = connection.subscribe(List.of(new Filter(null, null, List.of(Nip47.REQUEST),
                        Map.of("p", List.of(keys.pubkey())), System.currentTimeMillis() / 1000 - 5, null, null)),
                event -> executor.submit(() -> handle(event)), Duration.ofSeconds(2));
        subscription.eose().get(2, TimeUnit.SECONDS);
    }

    /** The connection string a client of this wallet uses. */
    public String uri(KeyPair client) {
        return "nostr+walletconnect://" + keys.pubkey() + "?relay=" + URLEncoder.encode(relay.url(), StandardCharsets.UTF_8)
                + "&secret=" + client.secretHex();
    }

    public String pubkey() {
        return keys.pubkey();
    }

    public void failPaymentsWith(Nip47.ErrorCode code) {
        this.payError = code;
    }

    public void setSilent(boolean silent) {
        this.silent = silent;
    }

    /** Pays (the ledger says settled) but the answer never leaves: a crash on either side looks the same. */
    public void loseAnswers(boolean lose) {
        this.loseAnswers = lose;
    }

    /** Payments start (the wallet knows them, state pending) but neither finish nor answer until released. */
    public void holdPayments(boolean hold) {
        this.holdPayments = hold;
    }

    /**
     * Rewrites every lookup_invoice result before it leaves: how a real wallet's answers differ in shape
     * (a preimage on an unpaid incoming invoice, settled_at 0, no state at all, a wallet blind to a payment).
     */
    public void shapeLookups(UnaryOperator<ObjectNode> shape) {
        this.lookupShape = shape == null ? UnaryOperator.identity() : shape;
    }

    /** Answers {@code method} (after doing it) with a well-signed, decryptable body that is not a NIP-47 answer. */
    public void garbleAnswersTo(String method) {
        this.garbled = method;
    }

    /** Every answer leaves this long after the request arrived (requests are still handled one by one, at once). */
    public void answerAfter(Duration delay) {
        this.delay = delay;
    }

    /** Requests from this client key get no answer at all (a wallet that never answers, for one tenant). */
    public void silenceClient(String clientPubkey) {
        silentClients.add(clientPubkey);
    }

    /** make_invoice requests whose params match answer INTERNAL (a platform wallet failing for one tenant). */
    public void failMakeInvoiceWhen(java.util.function.Predicate<JsonNode> rule) {
        this.failMakeInvoice = rule == null ? params -> false : rule;
    }

    public void releaseHeldPayments() {
        ledger.byHash.values().stream().filter(e -> keys.pubkey().equals(e.payer) && e.settledAt == null)
                .forEach(e -> e.settledAt = System.currentTimeMillis() / 1000);
    }

    public void setBalanceSats(long sats) {
        balanceMsat.set(sats * 1000);
    }

    /** get_budget answers {total_budget, used_budget} (sats here, msats on the wire). */
    public void setBudgetSats(long total, long used) {
        budgetMethod = true;
        budgetMsat = new long[]{total * 1000, used * 1000};
    }

    /** get_budget is not implemented (NOT_IMPLEMENTED), as in wallets without budgets: get_balance is what is left. */
    public void withoutBudgetMethod() {
        budgetMethod = false;
        budgetMsat = null;
    }

    /** get_budget answers this NIP-47 error (null: answer normally). */
    public void failBudgetWith(Nip47.ErrorCode code) {
        budgetError = code;
    }

    private ObjectNode budget() throws WalletError {
        if (budgetError != null) {
            throw new WalletError(budgetError, "the double was told to fail get_budget");
        }
        if (!budgetMethod) {
            throw new WalletError(Nip47.ErrorCode.NOT_IMPLEMENTED, "get_budget is not supported");
        }
        ObjectNode result = JSON.createObjectNode();
        long[] budget = budgetMsat;
        if (budget != null) {
            result.put("total_budget", budget[0]).put("used_budget", budget[1]).put("renewal_period", "monthly");
        }
        return result;
    }

    /** Methods received, in order. */
    public List<String> calls() {
        return List.copyOf(calls);
    }

    public long count(String method) {
        return calls.stream().filter(method::equals).count();
    }

    private void handle(Event request) {
        JsonNode body;
        try {
            body = Nip47.readRequest(request, keys);
        } catch (IllegalArgumentException e) {
            return;
        }
        String method = body.path("method").asText();
        calls.add(method);
        ledger.received();
        if (silent || silentClients.contains(request.pubkey())) {
            return;
        }
        JsonNode params = body.path("params");
        ObjectNode answer = JSON.createObjectNode();
        answer.put("result_type", method);
        try {
            answer.set("result", switch (method) {
                case "make_invoice" -> {
                    if (failMakeInvoice.test(params)) {
                        throw new WalletError(Nip47.ErrorCode.INTERNAL, "the double was told to fail this make_invoice");
                    }
                    yield makeInvoice(params);
                }
                case "lookup_invoice" -> lookup(params, request.pubkey());
                case "pay_invoice" -> pay(params, request.pubkey());
                case "get_info" -> JSON.createObjectNode().put("alias", "wallet double").put("network", "regtest");
                case "get_budget" -> budget();
                case "get_balance" -> JSON.createObjectNode().put("balance", balanceMsat.get());
                default -> throw new WalletError(Nip47.ErrorCode.NOT_IMPLEMENTED, method + " is not supported");
            });
            answer.putNull("error");
        } catch (WalletError e) {
            answer.putNull("result");
            answer.putObject("error").put("code", e.code.name()).put("message", e.getMessage());
        }
        if ((loseAnswers || holdPayments) && method.equals("pay_invoice")) {
            return;
        }
        if (method.equals(garbled)) {
            answer.removeAll();
            answer.put("result_type", method).put("error", "went wrong");
        }
        boolean nip44 = request.tagValue("encryption").filter("nip44_v2"::equals).isPresent();
        Nip47.Encryption encryption = nip44 ? Nip47.Encryption.NIP44_V2 : Nip47.Encryption.NIP04;
        List<List<String>> tags = new ArrayList<>(List.of(List.of("p", request.pubkey()), List.of("e", request.id())));
        if (nip44) {
            tags.add(List.of("encryption", "nip44_v2"));
        }
        Event response = Event.sign(keys, System.currentTimeMillis() / 1000, Nip47.RESPONSE, tags,
                encryption.encrypt(answer.toString(), keys, request.pubkey()));
        if (delay.isZero()) {
            ledger.answered();
            pool.publish(response, List.of(relay.url()), Duration.ofSeconds(2));
        } else {
            executor.schedule(() -> {
                ledger.answered();
                pool.publish(response, List.of(relay.url()), Duration.ofSeconds(2));
            }, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static final class WalletError extends RuntimeException {
        final Nip47.ErrorCode code;

        WalletError(Nip47.ErrorCode code, String message) {
            super(message);
            this.code = code;
        }
    }

    private JsonNode makeInvoice(JsonNode params) {
        long amount = params.path("amount").asLong();
        String hash = Hex.encode(app.caravel.nostr.Crypto.randomBytes(32));
        String bolt11 = "lnbcrt" + (amount / 1000) + "n1" + hash.substring(0, 40);
        ledger.byHash.put(hash, new Entry(bolt11, hash, amount, keys.pubkey()));
        return JSON.createObjectNode().put("type", "incoming").put("invoice", bolt11).put("payment_hash", hash)
                .put("amount", amount).put("description", params.path("description").asText())
                .put("created_at", System.currentTimeMillis() / 1000);
    }

    private JsonNode lookup(JsonNode params, String client) {
        String hash = params.path("payment_hash").asText();
        Entry entry = ledger.byHash.get(hash);
        boolean ours = entry != null && (keys.pubkey().equals(entry.issuer) || keys.pubkey().equals(entry.payer));
        if (!ours) {
            throw new WalletError(Nip47.ErrorCode.NOT_FOUND, "no invoice with that hash");
        }
        ObjectNode result = JSON.createObjectNode()
                .put("type", keys.pubkey().equals(entry.issuer) ? "incoming" : "outgoing")
                .put("invoice", entry.bolt11).put("payment_hash", entry.paymentHash).put("amount", entry.amountMsat)
                .put("state", entry.settledAt != null ? "settled" : "pending");
        if (entry.settledAt != null) {
            result.put("settled_at", entry.settledAt);
        }
        if (keys.pubkey().equals(entry.issuer)) {
            // the payee knows the preimage from the moment it makes the invoice
            result.put("preimage", entry.preimage);
        }
        return lookupShape.apply(result);
    }

    private JsonNode pay(JsonNode params, String client) {
        if (payError != null) {
            throw new WalletError(payError, "the double was told to refuse (" + payError + ")");
        }
        String bolt11 = params.path("invoice").asText();
        Entry entry = ledger.byHash.values().stream().filter(e -> e.bolt11.equals(bolt11)).findFirst()
                .orElseThrow(() -> new WalletError(Nip47.ErrorCode.PAYMENT_FAILED, "no route to that invoice"));
        if (entry.settledAt != null) {
            throw new WalletError(Nip47.ErrorCode.PAYMENT_FAILED, "invoice already paid");
        }
        if (balanceMsat.get() < entry.amountMsat) {
            throw new WalletError(Nip47.ErrorCode.INSUFFICIENT_BALANCE, "balance too low");
        }
        balanceMsat.addAndGet(-entry.amountMsat);
        entry.payer = keys.pubkey();
        entry.payerClient = client;
        if (!holdPayments) {
            entry.settledAt = System.currentTimeMillis() / 1000;
        }
        return JSON.createObjectNode().put("preimage", Hex.encode(app.caravel.nostr.Crypto.randomBytes(32)));
    }

    @Override
    public void close() {
        if (subscription != null) {
            subscription.close();
        }
        pool.close();
        executor.shutdownNow();
    }
}
