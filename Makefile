# The two commands a newcomer needs: `make run` and `make test`. Java 17+ and Maven are the only tools.
JAR := target/caravel.jar
MVN := mvn -B -q
CONFIG := config.yml

.PHONY: run build migrate test bench bench-nostr bench-load bench-provisioning bench-billing clean

run: build migrate
	java -jar $(JAR) server $(CONFIG)

build: $(JAR)

$(JAR): pom.xml migrations.xml $(shell find src/main -type f)
	$(MVN) package -DskipTests

migrate: build
	java -jar $(JAR) db migrate $(CONFIG)

test:
	mvn -B test

# The whole suite, one machine, one run (BENCHMARKS.md explains the figures).
bench: bench-nostr bench-load bench-billing bench-provisioning

# The API under load from a separate generator process: floor, authenticated reads, writes, start, memory.
bench-load: target/test-classpath.txt
	java -Xmx1g -cp target/test-classes:target/classes:$$(cat target/test-classpath.txt) app.caravel.bench.LoadBench > /dev/null

# Schnorr and NIP-98 verifications per second on this machine (JMH, a few seconds per figure).
bench-nostr: target/test-classpath.txt
	java -cp target/test-classes:target/classes:$$(cat target/test-classpath.txt) app.caravel.bench.NostrBench

# POST /relays → config on a loopback zooid: p50/p95 over 50 relays.
bench-provisioning: target/test-classpath.txt
	java -cp target/test-classes:target/classes:$$(cat target/test-classpath.txt) app.caravel.bench.ProvisioningBench > /dev/null

# One billing tick over 10,000 tenants / 20,000 relays, instant wallet: seconds and peak heap.
bench-billing: target/test-classpath.txt
	java -Xmx1g -cp target/test-classes:target/classes:$$(cat target/test-classpath.txt) app.caravel.bench.BillingBench > /dev/null

target/test-classpath.txt: pom.xml $(shell find src -type f)
	$(MVN) test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt

clean:
	$(MVN) clean
