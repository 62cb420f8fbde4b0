package app.caravel.bench;

import app.caravel.nostr.Crypto;
import app.caravel.nostr.Event;
import app.caravel.nostr.Hex;
import app.caravel.nostr.KeyPair;
import app.caravel.nostr.Nip44;
import app.caravel.nostr.Nip98;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** `make bench-nostr`: the floor every authenticated request stands on, in operations per second. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class NostrBench {
    private static final long NOW = 1764000000L;
    private static final String URL = "http://127.0.0.1:3000/relays";

    private byte[] sig;
    private byte[] id;
    private byte[] pubkey;
    private String header;
    private byte[] body;
    private Nip98 nip98;
    private byte[] conversationKey;
    private String payload;

    @Setup
    public void setup() {
        KeyPair keys = KeyPair.generate();
        Event event = Event.sign(keys, NOW, 1, List.of(List.of("t", "bench")), "hello");
        sig = Hex.decode(event.sig(), 64);
        id = Hex.decode(event.id(), 32);
        pubkey = keys.pubkeyBytes();
        nip98 = new Nip98(Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC), 60);
        body = "{\"subdomain\":\"bench\",\"name\":\"Bench\",\"plan\":\"basic\"}".getBytes(StandardCharsets.UTF_8);
        header = nip98.header(keys, URL, "POST", body);
        conversationKey = Nip44.conversationKey(keys, KeyPair.generate().pubkey());
        payload = Nip44.encrypt("a DM of a typical length, with a relay address wss://x.example.com", conversationKey);
    }

    @Benchmark
    public boolean schnorrVerify() {
        return Crypto.verifySchnorr(sig, id, pubkey);
    }

    @Benchmark
    public String nip98Verify() throws Nip98.Failure {
        return nip98.verify(header, URL, "POST", body).pubkey();
    }

    @Benchmark
    public String nip44Decrypt() {
        return Nip44.decrypt(payload, conversationKey);
    }

    public static void main(String[] args) throws Exception {
        JmhTable.run(NostrBench.class, "benchmark", "ops/s", "bench-nostr.txt");
    }
}
