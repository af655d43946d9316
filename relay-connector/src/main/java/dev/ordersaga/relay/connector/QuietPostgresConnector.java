package dev.ordersaga.relay.connector;

import io.debezium.config.Configuration;
import io.debezium.connector.base.ChangeEventQueue;
import io.debezium.connector.postgresql.PostgresConnector;
import io.debezium.connector.postgresql.PostgresConnectorTask;
import io.debezium.connector.postgresql.PostgresOffsetContext;
import io.debezium.connector.postgresql.PostgresPartition;
import io.debezium.connector.postgresql.PostgresStreamingChangeEventSource;
import io.debezium.jdbc.JdbcConnection;
import io.debezium.pipeline.ChangeEventSourceCoordinator;
import io.debezium.util.DelayStrategy;
import org.jboss.logging.Logger;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.SourceRecord;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.PGStream;
import org.postgresql.core.QueryExecutorBase;
import org.postgresql.core.VisibleBufferedInputStream;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.Lock;

/**
 * Debezium's Postgres connector, quiet when idle and quick when busy. Debezium 3.6.3 couples both to
 * {@code poll.interval.ms}: its streaming loop sleeps that long after five empty reads of the replication stream,
 * and its engine polls the change-event queue that often, so at 10 ms an idle source woke both threads 100 times a
 * second (make bench: 2.4 % and 1.9 % of a core). This task changes the two waits, nothing else:
 * <ul>
 * <li>the streaming loop's pause waits on the replication socket instead of sleeping: it ends as soon as Postgres
 * sends something (a change, a keep-alive), or after {@link #STREAM_WAIT}, so a change is read when it arrives
 * rather than after the rest of a sleep;</li>
 * <li>when the queue has been empty for {@link #IDLE_AFTER}, a poll first waits for the next enqueue, up to
 * {@link #IDLE_POLL_WAIT} ({@link QuietQueueProvider#awaitEnqueue}).</li>
 * </ul>
 * Written by hand because no setting separates the two, and both reach into Debezium's and pgjdbc's private fields
 * (versions pinned in the pom, checked by outbox-relay's RelayTest#anIdleRelayWaitsOnTheSocketAndStillRelaysAtOnce): if a field is not there, the
 * task logs it once and keeps Debezium's own waits.
 */
public class QuietPostgresConnector extends PostgresConnector {

    public static final Duration STREAM_WAIT = Duration.ofMillis(200);
    public static final Duration IDLE_AFTER = Duration.ofSeconds(1);
    public static final Duration IDLE_POLL_WAIT = Duration.ofMillis(500);
    private static final Logger LOG = Logger.getLogger(QuietPostgresConnector.class);

    /** Streaming pauses that waited on the replication socket so far, all engines of this process. */
    public static long socketWaits() {
        return SocketWaitPause.SOCKET_WAITS.sum();
    }

    @Override
    public Class<? extends Task> taskClass() {
        return QuietTask.class;
    }

    public static class QuietTask extends PostgresConnectorTask {

        private volatile QuietQueueProvider<?> queue;
        private volatile boolean pauseInstalled;
        private volatile boolean gaveUp;

        @Override
        public ChangeEventSourceCoordinator<PostgresPartition, PostgresOffsetContext> start(Configuration config) {
            ChangeEventSourceCoordinator<PostgresPartition, PostgresOffsetContext> started = super.start(config);
            try {
                Object changeEvents = field(PostgresConnectorTask.class, "queue").get(this);
                if (field(ChangeEventQueue.class, "queue").get(changeEvents) instanceof QuietQueueProvider<?> quiet) {
                    queue = quiet;
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.warnf("relay: the quiet queue is not reachable (%s): polls follow poll.interval.ms when idle", e);
            }
            return started;
        }

        @Override
        public List<SourceRecord> doPoll() throws InterruptedException {
            if (!pauseInstalled && !gaveUp) {
                installStreamPause();
            }
            QuietQueueProvider<?> quiet = queue;
            if (quiet != null) {
                quiet.awaitEnqueue(IDLE_AFTER.toNanos(), IDLE_POLL_WAIT.toNanos());
            }
            return super.doPoll();
        }

        /** Once the coordinator has started streaming: its streaming source exists from then on. */
        private void installStreamPause() {
            ChangeEventSourceCoordinator<PostgresPartition, PostgresOffsetContext> c = coordinator;
            Object source = c == null ? null : c.getStreamingSource().orElse(null);
            if (!(source instanceof PostgresStreamingChangeEventSource)) {
                return;
            }
            try {
                Field pause = field(PostgresStreamingChangeEventSource.class, "pauseNoMessage");
                JdbcConnection replication = (JdbcConnection) field(PostgresStreamingChangeEventSource.class, "replicationConnection").get(source);
                pause.set(source, new SocketWaitPause(replication, (DelayStrategy) pause.get(source)));
                pauseInstalled = true;
            } catch (ReflectiveOperationException | RuntimeException e) {
                gaveUp = true;
                LOG.warnf("relay: the streaming pause is not reachable (%s): it sleeps poll.interval.ms", e);
            }
        }
    }

    /**
     * The streaming loop's pause: a read of at least one byte from the replication connection's socket within
     * {@link #STREAM_WAIT}, under pgjdbc's connection lock and into pgjdbc's own buffer, where its next read finds it
     * (the same read pgjdbc makes itself with a 1 ms timeout to see whether a message is pending). Anything unexpected
     * (the lock held by an offset flush, a closed connection) falls back to Debezium's sleep for this pause.
     */
    static final class SocketWaitPause implements DelayStrategy {
        private static final Field LOCK;
        private static final Field STREAM;
        private static final Field INPUT;

        static {
            try {
                LOCK = field(QueryExecutorBase.class, "lock");
                STREAM = field(QueryExecutorBase.class, "pgStream");
                INPUT = field(PGStream.class, "pgInput");
            } catch (NoSuchFieldException e) {
                throw new IllegalStateException(e);
            }
        }

        private final JdbcConnection replication;
        private final DelayStrategy sleep;
        /** Pauses that waited on the socket, all engines of the process (a test reads it). */
        static final java.util.concurrent.atomic.LongAdder SOCKET_WAITS = new java.util.concurrent.atomic.LongAdder();

        SocketWaitPause(JdbcConnection replication, DelayStrategy sleep) {
            this.replication = replication;
            this.sleep = sleep;
        }

        @Override
        public boolean sleepWhen(boolean criteria) {
            if (criteria && !waitForData()) {
                sleep.sleepWhen(true);
            }
            return criteria;
        }

        private boolean waitForData() {
            try {
                QueryExecutorBase executor = (QueryExecutorBase) replication.connection().unwrap(BaseConnection.class).getQueryExecutor();
                Lock lock = (Lock) LOCK.get(executor);
                if (!lock.tryLock()) {
                    return false;
                }
                try {
                    PGStream stream = (PGStream) STREAM.get(executor);
                    VisibleBufferedInputStream input = (VisibleBufferedInputStream) INPUT.get(stream);
                    if (input.available() == 0) {
                        int timeout = stream.getNetworkTimeout();
                        stream.setNetworkTimeout((int) STREAM_WAIT.toMillis());
                        try {
                            input.ensureBytes(1, false);
                        } finally {
                            stream.setNetworkTimeout(timeout);
                        }
                    }
                    SOCKET_WAITS.increment();
                    return true;
                } finally {
                    lock.unlock();
                }
            } catch (Exception e) {
                // a broken connection: Debezium's next read reports it
                return false;
            }
        }
    }

    static Field field(Class<?> owner, String name) throws NoSuchFieldException {
        Field f = owner.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }
}
