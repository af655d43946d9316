package dev.ordersaga.relay;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.spi.OffsetCommitPolicy;
import io.debezium.embedded.Connect;
import io.debezium.transforms.outbox.EventRouter;
import io.quarkus.logging.Log;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * One Debezium engine streaming one database's outbox. A batch is marked processed only after Kafka has
 * acknowledged every record in it, or refused one for good and it is parked ({@link ParkedEvents}), so a crash
 * replays (at least once) and never skips. Any other error stops the engine; its {@link SourceLeader} starts it again.
 */
final class SourceEngine implements DebeziumEngine.ChangeConsumer<ChangeEvent<SourceRecord, SourceRecord>>, SourceLeader.Engine {

    enum State { STARTING, RUNNING, STOPPED, FAILED }

    /** Acknowledged events an engine may hold without committing their offsets (see {@link #start}). */
    static final int REPLAY_BOUND = 250;

    private final Source source;
    private final KafkaPublisher publisher;
    private final ParkedEvents parking;
    private static final Map<String, String> ROUTING = Map.of(
            // topic per aggregate type: orders -> orders.events
            "route.topic.replacement", "${routedByValue}.events",
            // the W3C traceparent of the span that wrote the row; a NULL column gives a header with a null value
            "table.fields.additional.placement", "type:header:eventType,traceparent:header:traceparent",
            // the payload column is jsonb: pass its JSON text through unchanged
            "table.expand.json.payload", "false");

    private final EventRouter<SourceRecord> router = new EventRouter<>();
    private final String outboxTopic;
    private final ExecutorService thread;
    private DebeziumEngine<ChangeEvent<SourceRecord, SourceRecord>> engine;
    private volatile State state = State.STARTING;
    private volatile String failure;
    private volatile boolean closing;
    /** Held while a batch is sent and marked: a graceful stop lets the batch in hand finish, so nothing is sent twice. */
    private final java.util.concurrent.locks.ReentrantLock batch = new java.util.concurrent.locks.ReentrantLock();
    private volatile boolean fenced;
    /** The sends of the batch in hand: a stopped engine is one with none of them left to reach Kafka. */
    private volatile List<CompletableFuture<Void>> inFlight = List.of();

    SourceEngine(Source source, KafkaPublisher publisher, ParkedEvents parking) {
        this.source = source;
        this.publisher = publisher;
        this.parking = parking;
        this.outboxTopic = source.name() + ".public.outbox";
        this.thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "relay-" + source.name()));
        router.configure(ROUTING);
    }

    /**
     * What a standby can do before it ever streams: load and initialise the classes an engine start needs, without
     * connecting anywhere. Measured: about 2 s of a take-over on a cold JVM went to this.
     */
    static void warmUp(Properties props) {
        try (EventRouter<SourceRecord> r = new EventRouter<>()) {
            r.configure(ROUTING);
        }
        new io.debezium.connector.postgresql.PostgresConnector().config();
        // built, never run: its executors start no thread until it runs
        DebeziumEngine.create(Connect.class).using(props).notifying((records, committer) -> { }).build();
    }

    Source source() {
        return source;
    }

    @Override
    public State state() {
        return state;
    }

    @Override
    public String failure() {
        return failure;
    }

    void start(Properties props) {
        engine = DebeziumEngine.create(Connect.class)
                .using(props)
                .notifying(this)
                // offsets are committed once a second (offset.flush.interval.ms) or as soon as REPLAY_BOUND events
                // are acknowledged and not yet committed, whichever comes first: a SIGKILL replays at most those and
                // the batch in hand. Committing after every batch instead (interval 0) read 2 ms more p50 at 500
                // events/s and 8 % less drain in two make bench runs: a synchronous write per 10 ms poll.
                .using(OffsetCommitPolicy.periodic(props).or((events, since) -> events >= REPLAY_BOUND))
                .using(new DebeziumEngine.ConnectorCallback() {
                    @Override
                    public void taskStarted() {
                        state = State.RUNNING;
                        Log.infof("relay engine running for %s", source.describe());
                    }
                })
                .using((success, message, error) -> stopped(success, message, error))
                .build();
        thread.execute(engine);
    }

    private void stopped(boolean success, String message, Throwable error) {
        if (closing) {
            state = State.STOPPED;
            Log.infof("relay engine stopped for %s", source.describe());
            return;
        }
        state = State.FAILED;
        String why = message + (error == null ? "" : ": " + rootMessage(error));
        // Debezium's messages embed the whole offset context; the health check shows the gist
        failure = why.length() > 300 ? why.substring(0, 300) + "..." : why;
        Log.errorf(error, "relay engine for %s stopped unexpectedly (success=%s): %s", source.describe(), success, why);
    }

    @Override
    public void handleBatch(List<ChangeEvent<SourceRecord, SourceRecord>> records,
                            DebeziumEngine.RecordCommitter<ChangeEvent<SourceRecord, SourceRecord>> committer) throws InterruptedException {
        batch.lockInterruptibly();
        try {
            if (closing) {
                // stopping: send nothing more; these records stay unmarked and come first after the restart
                throw new InterruptedException("stopping");
            }
            publish(records, committer);
        } finally {
            batch.unlock();
        }
    }

    private void publish(List<ChangeEvent<SourceRecord, SourceRecord>> records,
                         DebeziumEngine.RecordCommitter<ChangeEvent<SourceRecord, SourceRecord>> committer) throws InterruptedException {
        List<CompletableFuture<Void>> acks = new ArrayList<>(records.size());
        List<SourceRecord> sent = new ArrayList<>(records.size());
        inFlight = acks;
        for (ChangeEvent<SourceRecord, SourceRecord> event : records) {
            if (fenced) {
                // leadership is lost: another replica may stream this source now; nothing unacknowledged is marked
                throw new IllegalStateException("fenced: " + source.describe() + " lost its leadership");
            }
            SourceRecord raw = event.value();
            // heartbeat rows and Debezium's own heartbeats only move the offset forward
            if (outboxTopic.equals(raw.topic()) && raw.value() != null) {
                SourceRecord routed = router.apply(raw);
                if (routed != null) {
                    synchronized (acks) {
                        acks.add(publisher.send(source.name(), routed, commitMicros(raw)));
                    }
                    sent.add(routed);
                }
            }
        }
        if (!acks.isEmpty()) {
            // linger.ms fills batches while records come; after the last one of a batch it would only add latency
            publisher.flush();
        }
        for (int i = 0; i < acks.size(); i++) {
            try {
                acks.get(i).get(5, TimeUnit.MINUTES);
            } catch (ExecutionException e) {
                if (!ParkedEvents.refusedForGood(e.getCause())) {
                    // stop the engine with the batch unacknowledged: the next start resends it
                    throw new IllegalStateException("Kafka did not acknowledge an event of " + source.describe(), e.getCause());
                }
                try {
                    parking.park(sent.get(i), e.getCause());
                } catch (java.sql.SQLException parkFailed) {
                    throw new IllegalStateException("cannot park an event of " + source.describe() + " that Kafka refused", parkFailed);
                }
            } catch (java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("Kafka did not acknowledge an event of " + source.describe() + " within 5 minutes", e);
            }
        }
        for (ChangeEvent<SourceRecord, SourceRecord> event : records) {
            committer.markProcessed(event);
        }
        committer.markBatchFinished();
    }

    /** The source transaction's commit time, from the change event's source block. */
    private static long commitMicros(SourceRecord raw) {
        Struct source = ((Struct) raw.value()).getStruct("source");
        if (source.schema().field("ts_us") != null && source.getInt64("ts_us") != null) {
            return source.getInt64("ts_us");
        }
        return source.getInt64("ts_ms") * 1000;
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    /**
     * Debezium refuses to close an engine whose tasks are still starting ("may lead to leaked resource"): a leader
     * that loses its lock during a start must retry until they have started (the fence stops the first batch).
     */
    private void closeEngine(long deadline) {
        boolean waited = false;
        while (true) {
            try {
                engine.close();
                return;
            } catch (IllegalStateException starting) {
                if (!String.valueOf(starting.getMessage()).contains("starting") || System.nanoTime() > deadline) {
                    Log.warnf(starting, "closing the relay engine of %s", source.describe());
                    return;
                }
                if (!waited) {
                    Log.infof("the engine of %s is still starting: stopping it once it has started", source.describe());
                    waited = true;
                }
            } catch (Exception e) {
                Log.warnf(e, "closing the relay engine of %s", source.describe());
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Stops publishing at once: the rest of the batch in hand is dropped unmarked and replayed by the next leader. */
    @Override
    public void fence() {
        closing = true;
        fenced = true;
    }

    @Override
    public void close() {
        closing = true;
        // a graceful stop (SIGTERM, a release of the lock): the batch in hand is acknowledged and marked before the
        // engine stops and commits its offsets, so the next reader starts after it instead of sending it again
        if (!fenced) {
            try {
                if (batch.tryLock(30, TimeUnit.SECONDS)) {
                    batch.unlock();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // a failed engine has shut itself down already
        if (engine != null && state != State.FAILED) {
            closeEngine(System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
        }
        thread.shutdown();
        try {
            thread.awaitTermination(30, TimeUnit.SECONDS);
            // Debezium may return from close while the batch in hand still waits on the producer: wait until
            // each of its sends is acknowledged or failed, so nothing of this engine reaches Kafka afterwards
            List<CompletableFuture<Void>> pending;
            synchronized (inFlight) {
                pending = List.copyOf(inFlight);
            }
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            Log.warnf("sends of %s still unsettled at close: %s", source.describe(), e.getMessage());
        }
        router.close();
    }
}
