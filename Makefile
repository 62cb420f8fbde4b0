# The two commands a newcomer needs: `make run` and `make test`. Java 17+ and Maven are the only tools.
JAR := target/caravel.jar
MVN := mvn -B -q
CONFIG := config.yml

.PHONY: run demo docs build migrate test bench bench-nostr bench-db bench-load bench-provisioning bench-billing clean

# The server's JVM settings live in src/main/jvm/jvm.options (a capped heap for a small service: see README).
JVM_OPTIONS := $(shell grep -v '^\#' src/main/jvm/jvm.options)

run: build migrate
	java $(JVM_OPTIONS) -jar $(JAR) server $(CONFIG)

build: $(JAR)

# The real service beside the tests' stand-ins (zooid, a Nostr relay, two NIP-47 wallets), one tenant walked
# through signing up, a relay, a month billed and paid, the robot's DMs and a deactivation; ends by itself.
# `make demo ARGS=--keep` leaves it running to explore.
demo: target/test-classpath.txt
	java -cp target/test-classes:target/classes:$$(cat target/test-classpath.txt) app.caravel.demo.Demo $(ARGS) > target/demo-service.log

$(JAR): pom.xml migrations.xml $(shell find src/main -type f)
	$(MVN) package -DskipTests

migrate: build
	java -jar $(JAR) db migrate $(CONFIG)

test:
	mvn -B test

# docs/API.md from the OpenAPI document the server serves (a test keeps them equal).
docs: build
	java -cp $(JAR) app.caravel.api.ApiReference > docs/API.md

# The whole suite, one machine, one run (BENCHMARKS.md explains the figures).
bench: bench-nostr bench-db bench-load bench-billing bench-provisioning

# The API under load from wrk (Debian's package, installed here when missing) with pre-signed NIP-98 headers:
# the servlet and Jersey floors, authenticated reads, POST /relays, CPU per request (the JIT's share of it),
# the SQLite writer's busy time and the server's memory, on SQLite and PostgreSQL, each row the median of 3
# runs, the GET rows in rounds, measured once the JIT compiler has gone quiet (15-25 minutes;
# -Dbench.engines=sqlite to run one).
bench-load: target/test-classpath.txt
	@command -v wrk > /dev/null || (apt-get install -y wrk || (apt-get update && apt-get install -y wrk)) > /dev/null
	java -Xmx1g -cp target/test-classes:target/classes:$$(cat target/test-classpath.txt) app.caravel.bench.LoadBench > /dev/null

# Schnorr and NIP-98 verifications per second on this machine (JMH, a few seconds per figure).
bench-nostr: target/test-classpath.txt
	java -cp target/test-classes:target/classes:$$(cat target/test-classpath.txt) app.caravel.bench.NostrBench

# One small SQLite write transaction through the app's write gate, beside the same transaction on a plain
# connection (JMH, about a minute).
bench-db: target/test-classpath.txt
	java -cp target/test-classes:target/classes:$$(cat target/test-classpath.txt) app.caravel.bench.WriteGateBench

# POST /relays → config on a loopback zooid: p50/p95 over 50 relays.
bench-provisioning: target/test-classpath.txt
	java -cp target/test-classes:target/classes:$$(cat target/test-classpath.txt) app.caravel.bench.ProvisioningBench > /dev/null

# Billing over 10,000 tenants / 20,000 relays: the tick alone (instant wallet), then the service against 250 ms
# wallets on SQLite, PostgreSQL with one server process and with two (about 13 minutes in all).
bench-billing: target/test-classpath.txt
	java -Xmx1g -cp target/test-classes:target/classes:$$(cat target/test-classpath.txt) app.caravel.bench.BillingBench > /dev/null

target/test-classpath.txt: pom.xml $(shell find src -type f)
	$(MVN) test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt

clean:
	$(MVN) clean
