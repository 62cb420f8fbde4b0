# The two commands a newcomer needs: `make run` and `make test`. Java 17+ and Maven are the only tools.
JAR := target/caravel.jar
MVN := mvn -B -q
CONFIG := config.yml

.PHONY: run build migrate test bench-nostr clean

run: build migrate
	java -jar $(JAR) server $(CONFIG)

build: $(JAR)

$(JAR): pom.xml migrations.xml $(shell find src/main -type f)
	$(MVN) package -DskipTests

migrate: build
	java -jar $(JAR) db migrate $(CONFIG)

test:
	mvn -B test

# Schnorr and NIP-98 verifications per second on this machine (JMH, a few seconds per figure).
bench-nostr:
	$(MVN) test-compile
	mvn -B -q exec:exec -Dexec.classpathScope=test -Dexec.executable=java \
	  -Dexec.args="-cp %classpath app.caravel.bench.NostrBench"

clean:
	$(MVN) clean
