package dev.ordersaga.relay;

import dev.ordersaga.outbox.schema.OutboxSchema;
import dev.ordersaga.stack.FreezableProxy;
import dev.ordersaga.stack.OutboxDatabases;
import dev.ordersaga.stack.Slots;
import dev.ordersaga.stack.StackEndpoints;
import dev.ordersaga.stack.TestStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Leadership between two replicas in one JVM, against a real source database, with engines that only record
 * what is done to them: who streams, who waits, and what losing the lock does.
 */
class SourceLeaderTest {

    private static final Duration TICK = Duration.ofMillis(200);

    private final StackEndpoints stack = TestStack.shared();
    private final List<SourceLeader> leaders = new ArrayList<>();
    private Source source;

    @BeforeEach
    void freshSource() {
        String db = OutboxDatabases.create(stack, "lead");
        source = new Source(db, "127.0.0.1", stack.postgresPort(), db, StackEndpoints.USER, StackEndpoints.PASSWORD,
                OutboxSchema.slotName(db), OutboxSchema.PUBLICATION);
    }

    @AfterEach
    void closeLeaders() {
        leaders.forEach(SourceLeader::close);
    }

    @Test
    void theSecondReplicaWaitsWhileTheLockIsHeldAndTakesOverWhenTheLeaderLosesIt() throws Exception {
        FakeEngines enginesA = new FakeEngines();
        FakeEngines enginesB = new FakeEngines();
        SourceLeader a = leader("relay-a", enginesA, Duration.ofSeconds(5), () -> { });
        SourceLeader b = leader("relay-b", enginesB, Duration.ofSeconds(5), () -> { });
        a.firstAttempt();
        b.firstAttempt();
        a.startTicking();
        b.startTicking();

        assertThat(a.role()).isEqualTo(SourceLeader.Role.ACTIVE);
        assertThat(enginesA.started).hasValue(1);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() ->
                b.role() == SourceLeader.Role.STANDBY && enginesB.started.get() == 0);
        assertThat(b.detail()).contains("lock held by outbox-relay relay-a");
        assertThat(b.state()).isEqualTo(SourceEngine.State.STOPPED);

        // the leader's lock session goes away (a crash, a partition, an operator): the standby takes over
        terminateLockSession("relay-a");
        await().atMost(Duration.ofSeconds(5)).until(() -> b.role() == SourceLeader.Role.ACTIVE && enginesB.started.get() == 1);
        assertThat(a.role()).isEqualTo(SourceLeader.Role.STANDBY);
        assertThat(enginesA.fenced).as("the old leader fenced its engine").hasValue(1);
        assertThat(enginesA.closed).as("and stopped it").hasValue(1);
        assertThat(b.takeovers()).isEqualTo(1);
        assertThat(a.takeovers()).isEqualTo(1);

        // and the old leader, now a standby, does not take it back while the new one holds it
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() ->
                a.role() == SourceLeader.Role.STANDBY && enginesA.started.get() == 1);
        assertThat(a.detail()).contains("lock held by outbox-relay relay-b");
    }

    /**
     * A partition: the leader's lock connection goes silent, no reset, no FIN, so the server keeps the session and
     * its lock. The leader must notice by its own read timeout and fence itself while the standby still cannot take
     * over; the standby takes over only once the server ends the old session (here: the link is cut).
     */
    @Test
    void aPartitionedLeaderFencesItselfBeforeTheServerReleasesItsLock() throws Exception {
        FakeEngines enginesA = new FakeEngines();
        FakeEngines enginesB = new FakeEngines();
        try (FreezableProxy link = new FreezableProxy("127.0.0.1", stack.postgresPort())) {
            Source behindProxy = new Source(source.name(), "127.0.0.1", link.port(), source.database(), source.user(),
                    source.password(), source.slot(), source.publication());
            SourceLeader a = new SourceLeader(behindProxy, "relay-partitioned", settings(Duration.ofSeconds(5)),
                    enginesA::start, () -> { });
            leaders.add(a);
            SourceLeader b = leader("relay-b", enginesB, Duration.ofSeconds(5), () -> { });
            a.firstAttempt();
            b.firstAttempt();
            a.startTicking();
            b.startTicking();
            assertThat(a.role()).isEqualTo(SourceLeader.Role.ACTIVE);

            long frozenAt = System.nanoTime();
            link.freeze();
            await().atMost(Duration.ofSeconds(6)).until(() -> enginesA.closed.get() == 1);
            Duration fencedAfter = Duration.ofNanos(System.nanoTime() - frozenAt);
            assertThat(enginesA.fenced).hasValue(1);
            assertThat(a.role()).isEqualTo(SourceLeader.Role.STANDBY);
            // check interval + read timeout (2 s here), with room for a loaded box
            assertThat(fencedAfter).isLessThan(Duration.ofSeconds(4));
            // the server still holds the silent session's lock: nobody streams, nobody streams twice
            assertThat(b.role()).isEqualTo(SourceLeader.Role.STANDBY);
            assertThat(b.detail()).contains("lock held by outbox-relay relay-partitioned");

            link.cut();
            await().atMost(Duration.ofSeconds(5)).until(() -> b.role() == SourceLeader.Role.ACTIVE && enginesB.started.get() == 1);
        }
    }

    @Test
    void aLeaderWhoseEngineDoesNotStopAfterLosingTheLockEndsTheProcess() throws Exception {
        FakeEngines stuck = new FakeEngines();
        stuck.closeBlocks = new CountDownLatch(1);
        AtomicInteger halts = new AtomicInteger();
        SourceLeader a = leader("relay-stuck", stuck, Duration.ofMillis(500), halts::incrementAndGet);
        a.firstAttempt();
        a.startTicking();
        assertThat(a.role()).isEqualTo(SourceLeader.Role.ACTIVE);

        terminateLockSession("relay-stuck");
        await().atMost(Duration.ofSeconds(5)).untilAtomic(halts, org.hamcrest.Matchers.equalTo(1));
        assertThat(stuck.fenced).hasValue(1);
        stuck.closeBlocks.countDown();
    }

    @Test
    void theReplicaThatLeadsRefusesAMissingSlotAndStartsOnceItIsBack() throws Exception {
        FakeEngines engines = new FakeEngines();
        Slots.lose(stack, source.slot());
        SourceLeader a = leader("relay-noslot", engines, Duration.ofSeconds(5), () -> { });
        a.firstAttempt();
        assertThat(a.state()).isEqualTo(SourceEngine.State.FAILED);
        assertThat(a.detail()).contains("replication slot " + source.slot() + " does not exist")
                .contains("database " + source.database());
        assertThat(engines.started).hasValue(0);

        a.startTicking();
        try (Connection c = stack.connect(source.database()); java.sql.Statement s = c.createStatement()) {
            s.execute("SELECT pg_create_logical_replication_slot('" + source.slot() + "', 'pgoutput')");
        }
        await().atMost(Duration.ofSeconds(10)).untilAtomic(engines.started, org.hamcrest.Matchers.equalTo(1));
        assertThat(a.restarts()).isEqualTo(1);
        assertThat(a.state()).isEqualTo(SourceEngine.State.RUNNING);
    }

    @Test
    void anEngineThatStopsIsStartedAgainWithBackoff() {
        FakeEngines engines = new FakeEngines();
        SourceLeader a = leader("relay-restart", engines, Duration.ofSeconds(5), () -> { });
        a.firstAttempt();
        a.startTicking();
        assertThat(engines.started).hasValue(1);

        engines.failing = true;
        // each fake engine fails at once: starts come 1 s, then 2 s apart (backoff), not every tick
        await().atMost(Duration.ofSeconds(10)).untilAtomic(engines.started, org.hamcrest.Matchers.equalTo(3));
        long t3 = System.nanoTime();
        assertThat(a.detail()).contains("broken on purpose");
        await().atMost(Duration.ofSeconds(10)).untilAtomic(engines.started, org.hamcrest.Matchers.equalTo(4));
        assertThat(Duration.ofNanos(System.nanoTime() - t3)).isGreaterThan(Duration.ofMillis(3500));
        assertThat(a.restarts()).isEqualTo(3);
        assertThat(engines.closed.get()).isGreaterThanOrEqualTo(3);

        engines.failing = false;
        await().atMost(Duration.ofSeconds(20)).until(() -> a.state() == SourceEngine.State.RUNNING);
        assertThat(a.role()).isEqualTo(SourceLeader.Role.ACTIVE);
    }

    @Test
    void aStandbyThatTakesOverAMissingSlotFailsInsteadOfStreaming() throws Exception {
        SourceLeader a = leader("relay-first", new FakeEngines(), Duration.ofSeconds(5), () -> { });
        a.firstAttempt();
        FakeEngines enginesB = new FakeEngines();
        SourceLeader b = leader("relay-second", enginesB, Duration.ofSeconds(5), () -> { });
        b.firstAttempt();
        b.startTicking();

        Slots.lose(stack, source.slot());
        a.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> b.detail().contains("does not exist"));
        assertThat(enginesB.started).hasValue(0);
        assertThat(b.state()).isEqualTo(SourceEngine.State.FAILED);
    }

    @Test
    void theLockKeyIsStableAndPerSlot() {
        assertThat(SourceLeader.lockKey("outbox_orders")).isEqualTo(SourceLeader.lockKey("outbox_orders"))
                .isNotEqualTo(SourceLeader.lockKey("outbox_inventory"));
        // pinned: replicas of different releases must agree on it
        assertThat(SourceLeader.lockKey("outbox_orders")).isEqualTo(PINNED_ORDERS_KEY);
    }

    // the first 8 bytes of sha256("outbox-relay:outbox_orders"), computed outside Java
    private static final long PINNED_ORDERS_KEY = -4303161150964541680L;

    private SourceLeader leader(String instance, FakeEngines engines, Duration stopTimeout, Runnable halt) {
        SourceLeader l = new SourceLeader(source, instance, settings(stopTimeout), engines::start, halt);
        leaders.add(l);
        return l;
    }

    private static RelayConfig.Leader settings(Duration stopTimeout) {
        return new RelayConfig.Leader() {
            @Override
            public Duration checkInterval() {
                return TICK;
            }

            @Override
            public Duration timeout() {
                return Duration.ofSeconds(2);
            }

            @Override
            public Duration stopTimeout() {
                return stopTimeout;
            }
        };
    }

    private void terminateLockSession(String instance) throws Exception {
        try (Connection c = stack.connect("postgres");
             PreparedStatement q = c.prepareStatement(
                     "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?")) {
            q.setString(1, "outbox-relay " + instance);
            try (ResultSet rs = q.executeQuery()) {
                assertThat(rs.next()).as("the lock session of %s", instance).isTrue();
                assertThat(rs.getBoolean(1)).isTrue();
            }
        }
    }

    /** Engines that record starts, fences and stops; a stop can be made to hang. */
    static final class FakeEngines {
        final AtomicInteger started = new AtomicInteger();
        final AtomicInteger fenced = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();
        volatile CountDownLatch closeBlocks;
        /** While set, the engines report themselves failed, as Debezium's do after a fatal error. */
        volatile boolean failing;

        SourceLeader.Engine start(Source source) {
            started.incrementAndGet();
            return new SourceLeader.Engine() {
                @Override
                public SourceEngine.State state() {
                    return failing ? SourceEngine.State.FAILED : SourceEngine.State.RUNNING;
                }

                @Override
                public String failure() {
                    return failing ? "broken on purpose" : null;
                }

                @Override
                public void fence() {
                    fenced.incrementAndGet();
                }

                @Override
                public void close() {
                    CountDownLatch block = closeBlocks;
                    if (block != null) {
                        try {
                            block.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    closed.incrementAndGet();
                }
            };
        }
    }
}
