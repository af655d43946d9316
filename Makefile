# Two commands for a newcomer: `make run` and `make test`. Prerequisites: a JDK 17+ and Maven.
MVN ?= mvn -B
STACK = java -cp "local-stack/target/classes:$$(cat local-stack/target/classes/dev/ordersaga/stack/stack-classpath.txt)" \
	dev.ordersaga.stack.LocalStack

.PHONY: build run stop test bench chaos clean token browser

build: ## compile and package every service (tests skipped)
	$(MVN) -q package -DskipTests

run: build ## start Postgres, Kafka, the three services and the relay; Ctrl-C stops everything
	$(STACK) run

stop: ## stop what `make run` started (data is kept)
	@if [ -f local-stack/target/classes/dev/ordersaga/stack/stack-classpath.txt ]; then $(STACK) stop; fi

token: ## print a bearer token for `make run`'s services: make token SUB=alice ROLES=customer (several: ROLES=stock-admin,coupon-admin)
	@[ -f local-stack/target/classes/dev/ordersaga/stack/stack-classpath.txt ] || $(MVN) -q install -DskipTests -pl local-stack -am
	@$(STACK) token "$(SUB)" "$(ROLES)"

test: browser ## every test of the project, against a real Postgres and a real Kafka on free ports
	$(MVN) -T 2 verify

browser: ## Debian's chromium, for the ops console's browser test (apt-get, through sudo when not root)
	@command -v chromium >/dev/null 2>&1 || { echo "installing Debian's chromium for the ops console's browser test"; \
		S=$$([ "$$(id -u)" = 0 ] || echo sudo); A="$$S env DEBIAN_FRONTEND=noninteractive apt-get"; $$A install -y chromium || { $$A update && $$A install -y chromium; }; }

chaos: ## the fault suite at full scale (CHAOS_ONLY=R2,R13 picks scenarios); writes system-tests/target/chaos/report.md
	@# the modules it needs are built in the same reactor (-am), not taken from ~/.m2, which another build may rewrite meanwhile
	CHAOS_SCALE=full $(MVN) verify -pl system-tests -am -Dit.test=ChaosIT -Dfailsafe.failIfNoSpecifiedTests=false \
		-Dtest=none -Dsurefire.failIfNoSpecifiedTests=false

bench: ## measure the pipeline (BENCH_PROFILE=long for the long run); writes target/bench/
	$(MVN) -q install -DskipTests
	java -cp "bench/target/classes:$$(cat bench/target/bench-classpath.txt)" dev.ordersaga.bench.Bench

clean: stop ## wipe the local data (orders, topics) and the build
	rm -rf .local
	$(MVN) -q clean
